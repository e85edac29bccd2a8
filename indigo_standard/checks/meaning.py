"""Checks of meaning inside one record: dates in order, amounts, SDGs, identifiers, rates, results."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from functools import cache
from itertools import pairwise
from typing import Any

from ..fields import field_index, fields
from ..validation.schema_issues import DATE_PATTERN
from .context import Finding, RecordContext, RecordFunc
from .partial_dates import date_problem, definitely_before, parse_partial_date
from .walk import get, number, resolve, wrapped

DATE_CHAINS: Mapping[str, tuple[tuple[str, ...], ...]] = {
    "project": (
        (
            "outcomes_contract_signed",
            "start_date_of_service_provision",
            "anticipated_end_date_of_service_provision",
        ),
        (
            "outcomes_contract_signed",
            "start_date_of_service_provision",
            "actual_end_date_of_service_provision",
        ),
    ),
    "fund": (
        ("launch_date", "anticipated_end_date"),
        ("launch_date", "actual_end_date"),
    ),
}
"""Dates under ``/dates`` that must come in this order, anticipated and actual separately."""

SDG_KEYS = frozenset(
    {"primary_sdg_goal", "secondary_sdg_goals", "primary_sdg_target", "secondary_sdg_targets"}
)
"""The fields the SDG checks read."""

NEVER_NEGATIVE_EXCEPT = frozenset({"lat", "lng", "maximum_potential_return"})
"""Number fields that may be below zero; every other amount and count may not."""

ORG_ID = re.compile(r"^[A-Z]{2,}-[A-Z0-9]+-\S+$")
ORG_ID_FIELDS = frozenset({"/org-ids/primary/value", "/org-ids/secondary[]/organisation_id/value"})

IRR_LIMIT = Decimal(1)
"""Rates of return are fractions; beyond +/-100% a value is implausible."""


def _title(ctx: RecordContext, path: str) -> str:
    found = field_index(ctx.version, ctx.entity).get(path)
    return (found.title_path if found else "") or path.rsplit("/", 1)[-1].replace("_", " ")


def date_order(ctx: RecordContext) -> Iterator[Finding]:
    """Contract signed, then service start, then service end (anticipated and actual separately).

    A date that is not a real one (see :func:`impossible_date`) is left out of the comparison.
    """
    dates = ctx.data.get("dates")
    if not isinstance(dates, dict):
        return
    reported: set[tuple[str, str]] = set()
    for chain in DATE_CHAINS.get(ctx.entity, ()):
        present = [(key, value) for key in chain if parse_partial_date(value := wrapped(dates.get(key)))]
        for (earlier_key, earlier), (later_key, later) in pairwise(present):
            if (earlier_key, later_key) in reported or not definitely_before(later, earlier):
                continue
            reported.add((earlier_key, later_key))
            yield Finding(
                f"/dates/{later_key}/value",
                {
                    "later_title": _title(ctx, f"/dates/{later_key}"),
                    "later": later,
                    "earlier_title": _title(ctx, f"/dates/{earlier_key}"),
                    "earlier": earlier,
                },
            )


@cache
def date_fields(version: str, entity: str) -> frozenset[str]:
    """Schema paths of the fields that hold a partial date (those with the date pattern)."""
    return frozenset(f.path for f in fields(version, entity) if f.pattern == DATE_PATTERN)


def impossible_date(ctx: RecordContext) -> Iterator[Finding]:
    """Every date written as YYYY, YYYY-MM or YYYY-MM-DD is a real calendar date."""
    for node in ctx.selected(date_fields(ctx.version, ctx.entity)):
        problem = date_problem(node.value)
        if problem is not None:
            yield Finding(node.pointer, {"value": repr(node.value), "problem": problem})


@cache
def periods(version: str, entity: str) -> frozenset[str]:
    """Schema paths of the objects that have a start date."""
    index = field_index(version, entity)
    return frozenset(path[: -len("/start_date")] for path in index if path.endswith("/start_date"))


def date_period(ctx: RecordContext) -> Iterator[Finding]:
    """Every period (an object with a start and an end date) starts no later than it ends.

    A period with a date that is not a real one is not compared.
    """
    for node in ctx.selected(periods(ctx.version, ctx.entity)):
        if not isinstance(node.value, dict) or "start_date" not in node.value or "end_date" not in node.value:
            continue
        start, end = wrapped(node.value["start_date"]), wrapped(node.value["end_date"])
        if definitely_before(end, start):
            yield Finding(f"{node.pointer}/end_date/value", {"start": start, "end": end})


def _wrapped_number(data: Any) -> Decimal | None:
    value = wrapped(data)
    return number(value) if isinstance(value, (int, float, Decimal)) else None


@cache
def ranges(version: str, entity: str) -> frozenset[str]:
    """Schema paths of the amounts that may be given as a range (they have a ``min``)."""
    return frozenset(f.path[: -len("/min")] for f in fields(version, entity) if f.path.endswith("/min"))


def amount_range(ctx: RecordContext) -> Iterator[Finding]:
    """Amounts given as a range satisfy min <= exact <= max."""
    for node in ctx.selected(ranges(ctx.version, ctx.entity)):
        if not isinstance(node.value, dict):
            continue
        bounds = [(name, _wrapped_number(node.value.get(name))) for name in ("min", "exact", "max")]
        given = [(name, value) for name, value in bounds if value is not None]
        for (low_name, low), (high_name, high) in pairwise(given):
            if low > high:
                yield Finding(
                    f"{node.pointer}/{high_name}/value",
                    {"low_name": low_name, "low": low, "high_name": high_name, "high": high},
                )
                break


@cache
def money_containers(version: str, entity: str) -> frozenset[str]:
    """Schema paths of the objects that hold a currency next to their amounts."""
    return frozenset(
        f.path[: -len("/currency")] for f in fields(version, entity) if f.path.endswith("/currency")
    )


def _amounts(value: Any, pointer: str, schema_path: str, containers: frozenset[str]) -> Iterator[str]:
    """Pointers of the original-currency amounts inside one money object (not in nested ones)."""
    if isinstance(value, dict):
        for key, child in value.items():
            child_path = f"{schema_path}/{key}"
            if key in ("currency", "notes", "status", "source_ids") or key.endswith("_usd"):
                continue
            if child_path in containers:
                continue
            if key == "value" and isinstance(child, (int, float, Decimal)) and not isinstance(child, bool):
                yield pointer
            else:
                yield from _amounts(child, f"{pointer}/{key}", child_path, containers)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _amounts(child, f"{pointer}/{index}", f"{schema_path}[]", containers)


def missing_currency(ctx: RecordContext) -> Iterator[Finding]:
    """An amount in the original currency comes with its currency."""
    containers = money_containers(ctx.version, ctx.entity)
    for node in ctx.selected(containers):
        if not isinstance(node.value, dict):
            continue
        currency = wrapped(node.value.get("currency"))
        if isinstance(currency, str) and currency.strip():
            continue
        for amount_pointer in _amounts(node.value, node.pointer, node.schema_path, containers):
            yield Finding(f"{amount_pointer}/value", {"currency_path": f"{node.pointer}/currency/value"})
            break


@cache
def never_negative(version: str, entity: str) -> frozenset[str]:
    """Schema paths of the number fields (amounts and counts) that may not be negative."""
    found = set()
    for f in fields(version, entity):
        if f.type in ("number", "integer") and f.path.endswith("/value"):
            name = f.path[: -len("/value")].rsplit("/", 1)[-1]
            if name not in NEVER_NEGATIVE_EXCEPT:
                found.add(f.path)
    return frozenset(found)


def negative(ctx: RecordContext) -> Iterator[Finding]:
    """No amount of money or count is below zero."""
    wanted = never_negative(ctx.version, ctx.entity)
    for node in ctx.selected(wanted):
        if (
            isinstance(node.value, (int, float, Decimal))
            and not isinstance(node.value, bool)
            and node.value < 0
        ):
            yield Finding(node.pointer, {"value": node.value})


def _has_number(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_number(child) for key, child in value.items() if key not in ("status", "notes"))
    if isinstance(value, list):
        return any(_has_number(child) for child in value)
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


@cache
def usd_fields(version: str, entity: str) -> frozenset[str]:
    """Schema paths of the US dollar amounts (``..._usd``) whose original amount is also a field."""
    index = field_index(version, entity)
    return frozenset(path for path in index if path.endswith("_usd") and path[: -len("_usd")] in index)


def usd_without_original(ctx: RecordContext) -> Iterator[Finding]:
    """A US dollar amount comes with the amount in its original currency."""
    for node in ctx.selected(usd_fields(ctx.version, ctx.entity)):
        if not _has_number(node.value):
            continue
        parent_pointer, key = node.pointer.rsplit("/", 1)
        original_key = key[: -len("_usd")]
        parent_value = resolve(ctx.data, parent_pointer)
        if not _has_number(parent_value.get(original_key) if isinstance(parent_value, dict) else None):
            yield Finding(node.pointer, {"original_path": f"{parent_pointer}/{original_key}"})


_TARGET = re.compile(r"(?<![0-9.])([0-9]{1,2})\.([0-9]{1,2}|[a-z])(?![0-9A-Za-z])")
_GOAL_SPLIT = re.compile(r"[,;|]")
SDG_GOALS = range(1, 18)


def _goals(value: Any) -> list[str]:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return [str(value)]
    if isinstance(value, str):
        return [part.strip() for part in _GOAL_SPLIT.split(value) if part.strip()]
    return []


def _goal_number(text: str) -> int | None:
    # isdigit() alone accepts digits such as "¹" that int() refuses.
    return int(text) if text.isascii() and text.isdigit() and int(text) in SDG_GOALS else None


def _sdg_parents(ctx: RecordContext) -> list[tuple[str, Mapping[str, Any]]]:
    """(pointer, object) of the record and of each object in it that has SDG fields."""
    found: list[tuple[str, Mapping[str, Any]]] = [("", ctx.data)] if not SDG_KEYS.isdisjoint(ctx.data) else []
    found += (
        (node.pointer, node.value)
        for node in ctx.selected(sdg_parents(ctx.version, ctx.entity))
        if isinstance(node.value, dict)
    )
    return found


@cache
def sdg_parents(version: str, entity: str) -> frozenset[str]:
    """Schema paths of the objects (other than the record) that have SDG fields."""
    found = set()
    for path in field_index(version, entity):
        parent, _, key = path.rpartition("/")
        if key in SDG_KEYS and parent:
            found.add(parent)
    return frozenset(found)


def sdg_goal(ctx: RecordContext) -> Iterator[Finding]:
    """SDG goals are numbers from 1 to 17."""
    for pointer, parent in ctx.once(_sdg_parents):
        for key in ("primary_sdg_goal", "secondary_sdg_goals"):
            for goal in _goals(wrapped(parent.get(key))):
                if _goal_number(goal) is None:
                    yield Finding(f"{pointer}/{key}/value", {"value": repr(goal)})


def sdg_target(ctx: RecordContext) -> Iterator[Finding]:
    """SDG targets have the form goal.target and belong to a goal the record gives."""
    for pointer, parent in ctx.once(_sdg_parents):
        primary = [g for g in map(_goal_number, _goals(wrapped(parent.get("primary_sdg_goal")))) if g]
        secondary = [g for g in map(_goal_number, _goals(wrapped(parent.get("secondary_sdg_goals")))) if g]
        for key, allowed in (("primary_sdg_target", primary), ("secondary_sdg_targets", primary + secondary)):
            text = wrapped(parent.get(key))
            if text is None or (isinstance(text, str) and not text.strip()):
                continue
            path = f"{pointer}/{key}/value"
            targets = _TARGET.findall(str(text))
            if not targets:
                problem = "is not an SDG target of the form goal.target, such as 4.1"
                yield Finding(path, {"value": repr(str(text)), "problem": problem})
                continue
            for goal_text, target in targets:
                goal = int(goal_text)
                if goal not in SDG_GOALS:
                    problem = f"names goal {goal}, which is not a Sustainable Development Goal (1 to 17)"
                elif allowed and goal not in allowed:
                    which = "the primary goal" if key == "primary_sdg_target" else "the goals given"
                    shown = ", ".join(str(g) for g in allowed)
                    problem = f"belongs to goal {goal}, not to {which} ({shown})"
                else:
                    continue
                yield Finding(path, {"value": repr(f"{goal_text}.{target}"), "problem": problem})


def org_id(ctx: RecordContext) -> Iterator[Finding]:
    """Organisation identifiers have the org-id shape LIST-ID."""
    for node in ctx.selected(ORG_ID_FIELDS):
        if not isinstance(node.value, str) or not node.value.strip():
            continue
        if not ORG_ID.match(node.value.strip()):
            yield Finding(node.pointer, {"value": repr(node.value)})


def _rate(value: Any) -> Decimal | None:
    if isinstance(value, str) and value.strip().endswith("%"):
        found = number(value.strip()[:-1])
        return found / 100 if found is not None else None
    return number(value)


def _irr_fields(ctx: RecordContext) -> Iterator[tuple[str, Any]]:
    irr = get(ctx.data, "investment_details", "internal_rate_of_return")
    if isinstance(irr, dict):
        for key in ("target", "latest"):
            yield f"/investment_details/internal_rate_of_return/{key}/value", wrapped(irr.get(key))
    finance = ctx.data.get("overall_project_finance")
    if isinstance(finance, dict) and wrapped(finance.get("maximum_potential_return_type")) == "IRR":
        yield (
            "/overall_project_finance/maximum_potential_return/value",
            wrapped(finance.get("maximum_potential_return")),
        )
    investments = ctx.data.get("investments")
    for index, item in enumerate(investments if isinstance(investments, list) else []):
        if isinstance(item, dict) and wrapped(item.get("maximum_potential_return_type")) == "IRR":
            yield (
                f"/investments/{index}/maximum_potential_return/value",
                wrapped(item.get("maximum_potential_return")),
            )


def implausible_irr(ctx: RecordContext) -> Iterator[Finding]:
    """Internal rates of return lie between -100% and +100%, written as fractions."""
    for path, value in _irr_fields(ctx):
        rate = _rate(value)
        if rate is not None and abs(rate) > IRR_LIMIT:
            yield Finding(path, {"value": value, "percent": f"{rate * 100:f}".rstrip("0").rstrip(".") + "%"})


def positive_exceeds_engaged(ctx: RecordContext) -> Iterator[Finding]:
    """A result's number with positive outcomes is at most its number engaged."""
    results = ctx.data.get("results")
    for index, item in enumerate(results if isinstance(results, list) else []):
        if not isinstance(item, dict):
            continue
        engaged = _wrapped_number(item.get("number_engaged_in_impact_bond"))
        positive = _wrapped_number(item.get("number_with_positive_social_outcomes"))
        if engaged is not None and positive is not None and positive > engaged:
            path = f"/results/{index}/number_with_positive_social_outcomes/value"
            yield Finding(path, {"positive": positive, "engaged": engaged})


CHECKS: Mapping[str, RecordFunc] = {
    "date.impossible": impossible_date,
    "date.order": date_order,
    "date.period": date_period,
    "amount.range": amount_range,
    "amount.missing-currency": missing_currency,
    "amount.negative": negative,
    "amount.usd-without-original": usd_without_original,
    "sdg.goal": sdg_goal,
    "sdg.target": sdg_target,
    "organisation.org-id": org_id,
    "finance.implausible-irr": implausible_irr,
    "result.positive-exceeds-engaged": positive_exceeds_engaged,
}

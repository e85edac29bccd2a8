"""Checks inside one record: source ids, references between its lists, duplicate ids, id prefixes.

Which fields hold references comes from the schema's ``references`` annotation on each
field (``/sources``, ``/outcome_metrics``, ...); :data:`EXTRA_REFERENCES` adds the few
reference fields the published schemas do not annotate.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from ..detect import ID_PREFIXES
from ..fields import field_index, fields
from ..reading.records import type_name
from .context import Finding, RecordContext, RecordFunc
from .walk import split_ids

SOURCES = "/sources"

EXTRA_REFERENCES: Mapping[str, str] = {
    "/delivery_locations[]/service_provision_id/value": "/service_provisions",
}
"""Reference fields the schemas leave unannotated, with the list whose ids they hold."""

LIST_CODES: Mapping[str, str] = {
    "/outcome_metrics": "reference.unknown-outcome-metric",
    "/investments": "reference.unknown-investment",
    "/outcome_payment_plans": "reference.unknown-outcome-payment-plan",
    "/technical_assistances": "reference.unknown-technical-assistance",
    "/service_provisions": "reference.unknown-service-provision",
}
"""The issue code for a reference into each list of a record."""


@cache
def source_id_fields(version: str, entity: str) -> frozenset[str]:
    """The schema paths of every field that holds source ids."""
    return frozenset(f.path for f in fields(version, entity) if f.references == SOURCES)


@cache
def list_references(version: str, entity: str) -> Mapping[str, str]:
    """Each field that names an item of another list in the same record, with that list."""
    index = field_index(version, entity)
    found = {
        f.path: f.references
        for f in fields(version, entity)
        if f.references and f.references.startswith("/") and f.references != SOURCES
    }
    found.update({path: target for path, target in EXTRA_REFERENCES.items() if path in index})
    return {path: target for path, target in found.items() if f"{target}[]/id" in index}


def item_id(item: Any) -> str | None:
    """The id of a list item: plain text, or wrapped as ``{"value": ...}`` (outcome payment plans)."""
    if not isinstance(item, dict):
        return None
    found = item.get("id")
    if isinstance(found, dict):
        found = found.get("value")
    return None if found is None else str(found)


def list_ids(ctx: RecordContext, list_path: str) -> set[str]:
    """The ids of the items of one list of the record (``/sources``)."""
    return ctx.once(_list_ids, list_path)


def _list_ids(ctx: RecordContext, list_path: str) -> set[str]:
    items = ctx.data.get(list_path.lstrip("/"))
    if not isinstance(items, list):
        return set()
    return {found for item in items if (found := item_id(item)) is not None}


def _cited_sources(ctx: RecordContext) -> list[tuple[str, str]]:
    """(pointer, source id) of every source id the record cites, in order."""
    return [
        (node.pointer, source_id)
        for node in ctx.selected(source_id_fields(ctx.version, ctx.entity))
        if isinstance(node.value, str)
        for source_id in split_ids(node.value)
    ]


def unknown_source(ctx: RecordContext) -> Iterator[Finding]:
    """Every source_ids entry names an item of the record's sources."""
    known = list_ids(ctx, SOURCES)
    for pointer, source_id in ctx.once(_cited_sources):
        if source_id not in known:
            yield Finding(pointer, {"value": repr(source_id)})


def unused_source(ctx: RecordContext) -> Iterator[Finding]:
    """Every item of the record's sources is cited somewhere."""
    cited = {source_id for _, source_id in ctx.once(_cited_sources)}
    items = ctx.data.get("sources")
    if not isinstance(items, list):
        return
    for index, item in enumerate(items):
        if isinstance(item, dict) and item.get("id") is not None and str(item["id"]) not in cited:
            yield Finding(f"/sources/{index}/id", {"value": repr(str(item["id"]))})


@cache
def coded_references(version: str, entity: str, code: str) -> Mapping[str, str]:
    """The fields :func:`list_references` gives whose list is checked under ``code``."""
    return {
        path: target
        for path, target in list_references(version, entity).items()
        if LIST_CODES.get(target) == code
    }


@cache
def coded_paths(version: str, entity: str, code: str) -> frozenset[str]:
    """The schema paths of :func:`coded_references`."""
    return frozenset(coded_references(version, entity, code))


def _unknown_list_item(code: str) -> RecordFunc:
    def check(ctx: RecordContext) -> Iterator[Finding]:
        references = coded_references(ctx.version, ctx.entity, code)
        if not references:
            return
        known = {target: list_ids(ctx, target) for target in set(references.values())}
        for node in ctx.selected(coded_paths(ctx.version, ctx.entity, code)):
            target = references[node.schema_path]
            if node.value is None or node.value == "":
                continue
            if str(node.value) not in known[target]:
                yield Finding(node.pointer, {"value": repr(str(node.value))})

    check.__doc__ = f"Every reference checked by {code} names an item of its list in the record."
    return check


def duplicate_id(ctx: RecordContext) -> Iterator[Finding]:
    """No two items of a list inside the record share an id."""
    for key, items in ctx.data.items():
        if not isinstance(items, list):
            continue
        first: dict[str, int] = {}
        for index, item in enumerate(items):
            found = item_id(item)
            if found is None:
                continue
            if found in first:
                yield Finding(
                    f"/{key}/{index}/id", {"value": repr(found), "first": f"/{key}/{first[found]}/id"}
                )
            else:
                first[found] = index


def id_prefix(ctx: RecordContext) -> Iterator[Finding]:
    """A record's id starts with the prefix of its type."""
    prefix = ID_PREFIXES.get(ctx.entity)
    value = ctx.data.get("id")
    if prefix is None or value is None:
        return
    if not isinstance(value, str) or not value.startswith(prefix):
        shown = repr(value) if isinstance(value, str) else type_name(value)
        yield Finding("/id", {"entity": ctx.entity, "prefix": prefix, "value": shown})


CHECKS: Mapping[str, RecordFunc] = {
    "reference.unknown-source": unknown_source,
    "reference.unused-source": unused_source,
    **{code: _unknown_list_item(code) for code in LIST_CODES.values()},
    "record.duplicate-id": duplicate_id,
    "record.id-prefix": id_prefix,
}

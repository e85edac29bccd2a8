"""Properties of the model and its strategies: generated records validate and round-trip."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any, get_args, get_origin

import attrs
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis.errors import NoSuchExample

import indigo_standard as indigo
from indigo_standard import strategies
from indigo_standard.fields import fields
from indigo_standard.model import Node, Status, Value
from indigo_standard.model.slots import plain

PROFILE = settings(max_examples=10, deadline=None)
RECORDS = {
    "project": strategies.projects,
    "organisation": strategies.organisations,
    "fund": strategies.funds,
    "pipeline": strategies.pipelines,
}


def _errors(record: Node) -> list[Any]:
    """Every error validation reports: schema errors and check errors alike."""
    report = indigo.validate(json.loads(indigo.dumps(record)), schema_version="4.1")
    return [(i.code, i.path, i.message) for i in report.issues if i.severity == "error"]


@pytest.mark.parametrize("entity", sorted(RECORDS))
def test_generated_records_validate_and_round_trip(entity: str) -> None:
    @PROFILE
    @given(RECORDS[entity]())
    def check(record: Node) -> None:
        assert entity == type(record).ENTITY  # type: ignore[attr-defined]
        assert _errors(record) == []
        data = indigo.dump(record)
        assert indigo.load(data) == record
        assert indigo.dumps(indigo.load(data)) == indigo.dumps(data)  # as text: types and key order too
        assert indigo.load(indigo.dumps(record)) == record
        assert indigo.dumps(indigo.load(indigo.dumps(record))) == indigo.dumps(record)

    check()


def test_generated_packages_validate_with_no_issue_at_all() -> None:
    """Packages of records that name each other: no schema, check or dataset issue, not even a
    warning, and every record in them round-trips."""

    @settings(max_examples=12, deadline=None)
    @given(strategies.packages())
    def check(package: dict[str, Any]) -> None:
        text = indigo.dumps(package)
        report = indigo.validate(json.loads(text))
        assert [(i.code, i.record, i.path) for i in report.issues] == []
        lists = ("projects", "organisations", "funds", "pipelines")
        records = [record for key in lists for record in package.get(key, [])]
        assert report.records == len(records) > 0
        for record in records:
            assert indigo.dump(indigo.load(record)) == record

    check()


def _walk(value: Any, path: str, seen: set[str], statuses: dict[str, set[str]]) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            sub = f"{path}/{key}"
            seen.add(sub)
            if key == "status":
                statuses[sub].add(child)
            _walk(child, sub, seen, statuses)
    elif isinstance(value, list):
        for child in value:
            seen.add(f"{path}[]")
            _walk(child, f"{path}[]", seen, statuses)


@pytest.mark.parametrize("entity", sorted(RECORDS))
def test_strategies_reach_every_field(entity: str) -> None:
    """The rarest field turns up in about 7 % of records (half of them are half full or sparse),
    so 150 examples miss none, whatever Hypothesis's choice of constants to mix in."""
    seen: set[str] = set()
    statuses: dict[str, set[str]] = defaultdict(set)

    @settings(max_examples=150, derandomize=True, phases=[Phase.generate], deadline=None, database=None)
    @given(RECORDS[entity]())
    def collect(record: Node) -> None:
        _walk(indigo.dump(record), "", seen, statuses)

    collect()
    schema = fields("4.1", entity)
    assert {f.path for f in schema} - seen == set()
    # Every status code of each codelist turns up; per field, see the test below.
    for codes in {tuple(f.enum) for f in schema if f.path.endswith("status") and f.enum}:
        reached = set().union(*(statuses[f.path] for f in schema if f.enum == codes))
        assert reached == set(codes)


def _attribute(cls: type[Node], key: str) -> tuple[str, Any]:
    """The attribute of ``cls`` written as ``key`` in JSON, with its type (None stripped)."""
    attrs.resolve_types(cls)
    for f in attrs.fields(cls):
        if f.metadata.get("key", f.name) == key:
            return f.name, plain(f.type)
    raise AssertionError(f"{cls.__name__} has no field {key!r}")


def _status_positions(entity: str) -> list[tuple[str, type[Node], str, bool, frozenset[str]]]:
    """Each status field of the schema: its path, the class and attribute that hold it, and its codes.

    The flag tells a wrapper's status (``/dates/launch_date/status``) from a status
    attribute of an object (``/documents[]/status``).
    """
    found = []
    for f in fields("4.1", entity):
        if not (f.path.endswith("/status") and f.enum):
            continue
        owner: type[Node] = indigo.model.RECORD_CLASSES[entity]
        steps = f.path.strip("/").split("/")[:-1]
        name, wrapper = "status", False
        for index, step in enumerate(steps):
            name, tp = _attribute(owner, step.removesuffix("[]"))
            if get_origin(tp) is Value:
                assert index == len(steps) - 1, f.path
                wrapper = True
                break
            owner = plain(get_args(tp)[0]) if get_origin(tp) is list else tp
        if not wrapper:
            name = _attribute(owner, "status")[0]
        found.append((f.path, owner, name, wrapper, frozenset(f.enum)))
    return found


@pytest.mark.parametrize("entity", sorted(RECORDS))
def test_every_status_code_is_reachable_in_every_status_field(entity: str) -> None:
    """Per field: each status field's strategy (the one records use there) can yield each of its codes.

    With the test above, which sees every status field in generated records, this shows
    that every code can turn up in every status field of a record. Searching each field on
    its own keeps it fast: whole records would need hundreds of examples.
    """
    positions = _status_positions(entity)
    assert positions
    search = settings(max_examples=200, derandomize=True, phases=[Phase.generate], database=None)
    for path, owner, name, wrapper, codes in positions:
        for code in sorted(codes):

            def has_code(value: Any, code: str = code, wrapper: bool = wrapper) -> bool:
                status = value.status if wrapper else value
                return isinstance(status, Status) and status.value == code

            try:
                find(strategies.field_values(owner, name), has_code, settings=search)
            except NoSuchExample:
                pytest.fail(f"{path}: status {code} never drawn")


def _dig(data: Any, path: str) -> Any:
    for key in path.strip("/").split("/"):
        data = data[0] if isinstance(data, list) and data else data
        data = data.get(key) if isinstance(data, dict) else None
    return data


CONSISTENCY_CASES = {
    "every key date": (
        strategies.projects,
        [
            f"/dates/{key}/value"
            for key in (
                "outcomes_contract_signed",
                "start_date_of_service_provision",
                "anticipated_end_date_of_service_provision",
                "actual_end_date_of_service_provision",
            )
        ],
    ),
    "a full range": (
        strategies.projects,
        [
            f"/overall_project_finance/total_investment_commitment/amount/{k}/value"
            for k in ("min", "exact", "max")
        ],
    ),
    "a period": (strategies.projects, ["/results/period/start_date/value", "/results/period/end_date/value"]),
    "both counts": (
        strategies.projects,
        [
            "/results/number_engaged_in_impact_bond/value",
            "/results/number_with_positive_social_outcomes/value",
        ],
    ),
    "goals and targets": (
        strategies.funds,
        [f"/purpose_and_classifications/{k}/value" for k in ("primary_sdg_goal", "secondary_sdg_targets")],
    ),
    "an org-id": (strategies.organisations, ["/org-ids/primary/value"]),
}


@pytest.mark.filterwarnings("ignore:Generating overly large repr")  # find() shows the whole record
@pytest.mark.parametrize("case", sorted(CONSISTENCY_CASES))
def test_strategies_generate_what_the_checks_compare(case: str) -> None:
    """The no-error property is not empty: records do hold the values the checks compare."""
    strategy, paths = CONSISTENCY_CASES[case]
    search = settings(max_examples=100, derandomize=True, phases=[Phase.generate], database=None)
    found = find(
        strategy(),
        lambda record: all(_dig(indigo.dump(record), path) is not None for path in paths),
        settings=search,
    )
    assert _errors(found) == []


def test_references_stay_inside_the_record() -> None:
    @PROFILE
    @given(strategies.projects())
    def check(project: indigo.Project) -> None:
        data = indigo.dump(project)
        sources = {s["id"] for s in data.get("sources", [])}
        metrics = {m["id"] for m in data.get("outcome_metrics", [])}
        investments = {i["id"] for i in data.get("investments", [])}
        plans = {p["id"]["value"] for p in data.get("outcome_payment_plans", []) if "id" in p}
        found: list[tuple[str, str]] = []

        def walk(value: Any) -> None:
            if isinstance(value, dict):
                for key, child in value.items():
                    if key == "source_ids":
                        found.extend(("s", i) for i in child.split(","))
                    elif key in ("outcome_metric_id", "investment_id", "outcome_payment_plan_id"):
                        found.append((key, child["value"]))
                    walk(child)
            elif isinstance(value, list):
                for child in value:
                    walk(child)

        walk(data)
        pools = {"s": sources, "outcome_metric_id": metrics, "investment_id": investments}
        pools["outcome_payment_plan_id"] = plans
        assert all(ident in pools[kind] for kind, ident in found)

    check()


def test_component_strategies() -> None:
    @PROFILE
    @given(strategies.investments(), strategies.outcome_metrics(), strategies.values(indigo.PartialDate))
    def check(investment: indigo.model.Investment, metric: indigo.model.OutcomeMetric, value: Any) -> None:
        assert indigo.model.load_as(type(investment), indigo.dump(investment)) == investment
        assert indigo.model.load_as(type(metric), indigo.dump(metric)) == metric
        assert isinstance(value.value, indigo.PartialDate)

    check()

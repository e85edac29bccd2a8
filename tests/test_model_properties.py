"""Properties of the model and its strategies: generated records validate and round-trip."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings

import indigo_standard as indigo
from indigo_standard import strategies
from indigo_standard.fields import fields
from indigo_standard.model import Node

PROFILE = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RECORDS = {
    "project": strategies.projects,
    "organisation": strategies.organisations,
    "fund": strategies.funds,
    "pipeline": strategies.pipelines,
}


def _schema_errors(record: Node) -> list[Any]:
    report = indigo.validate(json.loads(indigo.dumps(record)), schema_version="4.1")
    return [(i.code, i.path, i.message) for i in report.issues if i.code.startswith("schema.")]


@pytest.mark.parametrize("entity", sorted(RECORDS))
def test_generated_records_validate_and_round_trip(entity: str) -> None:
    @PROFILE
    @given(RECORDS[entity]())
    def check(record: Node) -> None:
        assert entity == type(record).ENTITY  # type: ignore[attr-defined]
        assert _schema_errors(record) == []
        data = indigo.dump(record)
        assert indigo.load(data) == record
        assert indigo.dump(indigo.load(data)) == data
        assert indigo.load(indigo.dumps(record)) == record

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
def test_strategies_reach_every_field_and_status(entity: str) -> None:
    seen: set[str] = set()
    statuses: dict[str, set[str]] = defaultdict(set)

    @settings(max_examples=45, derandomize=True, phases=[Phase.generate], deadline=None, database=None)
    @given(RECORDS[entity]())
    def collect(record: Node) -> None:
        _walk(indigo.dump(record), "", seen, statuses)

    collect()
    schema = fields("4.1", entity)
    assert {f.path for f in schema} - seen == set()
    # Every status code of each codelist turns up (per field would need many more examples).
    for codes in {tuple(f.enum) for f in schema if f.path.endswith("status") and f.enum}:
        reached = set().union(*(statuses[f.path] for f in schema if f.enum == codes))
        assert reached == set(codes)


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

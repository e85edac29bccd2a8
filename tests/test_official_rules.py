"""Rules of the official schemas ours once missed: non-empty lists, and codes with their spaces."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, run_cli

import indigo_standard as indigo
from indigo_standard.flat.sources import read_flat
from indigo_standard.versions import SUPPORTED_VERSIONS


@pytest.fixture(scope="module")
def poj_0029() -> dict[str, Any]:
    """The real project INDIGO-POJ-0029."""
    return next(
        item.data
        for item in read_flat(FIXTURES / "golab-indigo-export", schema_version="4.1")
        if item.entity == "project" and item.data.get("id") == "INDIGO-POJ-0029"
    )


def issues(data: Any, version: str = "4.1", entity: str | None = None) -> list[tuple[str, str, str]]:
    report = indigo.validate(data, schema_version=version, entity=entity)
    return [(i.code, i.path, i.message) for i in report.issues if i.code.startswith("schema.")]


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
@pytest.mark.parametrize("key", ["sources", "outcome_metrics"])
def test_an_empty_sources_or_outcome_metrics_list_is_an_error(
    poj_0029: dict[str, Any], version: str, key: str
) -> None:
    assert issues(poj_0029, version) == []
    emptied = {**poj_0029, key: []}
    assert issues(emptied, version) == [
        ("schema.min-items", f"/{key}", "the list must have at least 1 item; it has 0")
    ]
    pipeline = {"id": "INDIGO-PL-9001", key: []}
    assert [code for code, _, _ in issues(pipeline, version)] == ["schema.min-items"]
    organisation = {"id": "INDIGO-ORG-9001", "sources": []}
    assert issues(organisation, version) == []  # the official organisation schema allows it


def cost(classification: str) -> dict[str, Any]:
    return {
        "id": "INDIGO-POJ-9001",
        "outcome_payer_cost": [{"classification": {"value": classification}}],
    }


def test_cost_classification_codes_are_used_as_published() -> None:
    assert issues(cost("Outcome payments ")) == []
    [(code, path, message)] = issues(cost("Outcome payments"))
    assert (code, path) == ("schema.enum", "/outcome_payer_cost/0/classification/value")
    assert message.startswith(
        '"Outcome payments" is not an allowed value (did you mean "Outcome payments "? '
        "only the spaces around it differ); expected one of: "
    )
    provider = {
        "id": "INDIGO-POJ-9001",
        "provider_side_cost": [{"classification": {"value": "Development or scoping work "}}],
    }
    [(_, _, message)] = issues(provider)
    assert '(did you mean "Development or scoping work  "?' in message


def test_a_padded_code_gets_the_suggestion_too() -> None:
    record = {"id": "INDIGO-POJ-9001", "investments": [{"investment_type": {"value": " Debt"}}]}
    [(code, _, message)] = issues(record)
    assert code == "schema.enum"
    assert message.startswith('" Debt" is not an allowed value (did you mean "Debt"? ')
    [(_, _, plain)] = issues(
        {"id": "INDIGO-POJ-9001", "investments": [{"investment_type": {"value": "Loan"}}]}
    )
    assert plain == '"Loan" is not an allowed value; expected one of: Debt, Equity, Combination'


def test_cli_reports_the_empty_list_of_a_real_project(tmp_path: Path, poj_0029: dict[str, Any]) -> None:
    path = tmp_path / "poj-0029.json"
    path.write_text(json.dumps({**poj_0029, "sources": []}), encoding="utf-8")
    run = run_cli("validate", str(path), "--schema-version", "4.1", "--format", "json")
    assert run.returncode == 1, run.stderr
    assert json.loads(run.stdout)["counts"]["by_code"]["schema.min-items"] == 1
    assert "the list must have at least 1 item; it has 0" in run.stdout

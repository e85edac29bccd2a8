"""Migrations 3.1 -> 4.0 -> 4.1: the library API and the ``upgrade`` command."""

from __future__ import annotations

import copy
import json
import subprocess
import warnings
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

import indigo_standard as indigo
from indigo_standard.errors import InputError
from indigo_standard.migrations import (
    EXTENSION_KEY,
    STEPS,
    StepContext,
    UpgradeWarning,
    detect_version,
    upgrade_result,
    v3_1_to_4_0,
)
from indigo_standard.registry import validator

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "migrations" / "project-3.1.json"
EXAMPLES = ROOT / "examples"
OLD = "Financial and commercial modeling"
NEW = "Financial and commercial modelling"


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def schema_errors(record: Any, version: str, entity: str) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator(version, entity).iter_errors(record)
    ]


def schema_codes(data: Any) -> list[str]:
    """The schema-level issues validation finds (dataset-level checks are not the point here)."""
    return [
        f"{i.code} {i.record} {i.path}" for i in indigo.validate(data).issues if i.code.startswith("schema.")
    ]


@pytest.fixture
def project_31() -> dict[str, Any]:
    data: dict[str, Any] = load(FIXTURE)
    return data


def test_fixture_is_a_valid_31_project_that_41_refuses(project_31: dict[str, Any]) -> None:
    assert indigo.validate(project_31, schema_version="3.1").valid
    assert schema_errors(project_31, "3.1", "project") == []
    # the old spelling is not a 4.1 project code, so the fixture really needs upgrading
    assert any(OLD in message for message in schema_errors(project_31, "4.1", "project"))


def test_31_project_upgrades_to_valid_41_and_keeps_what_was_removed(project_31: dict[str, Any]) -> None:
    original = copy.deepcopy(project_31)
    with pytest.warns(UpgradeWarning) as caught:
        upgraded = indigo.upgrade(project_31, to="4.1")
    assert project_31 == original, "the input must not be modified"
    assert schema_errors(upgraded, "4.1", "project") == []
    assert indigo.validate(upgraded, schema_version="4.1").valid
    assert "scenarios" not in upgraded
    assert upgraded[EXTENSION_KEY] == {"scenarios": original["scenarios"]}
    assert "grant_id" not in upgraded["transactions"][0]
    assert upgraded["transactions"][0][EXTENSION_KEY] == {"grant_id": original["transactions"][0]["grant_id"]}
    assert EXTENSION_KEY not in upgraded["transactions"][1]
    role = upgraded["intermediary_services"][0]["organisation_role_category"]
    assert role == {"value": NEW, "source_ids": "source9"}
    messages = [str(w.message) for w in caught]
    assert any("/scenarios" in m and EXTENSION_KEY in m for m in messages)
    assert any("/transactions/0/grant_id" in m for m in messages)
    assert any(OLD in m and NEW in m for m in messages)
    # nothing else changed
    rest = {
        k: v for k, v in upgraded.items() if k not in {EXTENSION_KEY, "transactions", "intermediary_services"}
    }
    assert rest == {
        k: v for k, v in original.items() if k not in {"scenarios", "transactions", "intermediary_services"}
    }


def test_drop_removed_discards_and_says_so(project_31: dict[str, Any]) -> None:
    result = upgrade_result(project_31, "4.1", drop_removed=True)
    data = result.data
    assert EXTENSION_KEY not in data and "scenarios" not in data
    assert all(EXTENSION_KEY not in t and "grant_id" not in t for t in data["transactions"])
    assert schema_errors(data, "4.1", "project") == []
    assert sum("dropped" in note for note in result.notes) == 2
    assert result.upgraded == (("INDIGO-POJ-0001", "3.1"),)


def test_each_step_gives_valid_data_for_its_target(project_31: dict[str, Any]) -> None:
    data: Any = project_31
    for step in STEPS:
        context = StepContext("project", "INDIGO-POJ-0001", step.source, step.target)
        data = step.apply(copy.deepcopy(data), context)
        assert schema_errors(data, step.target, "project") == [], step


@pytest.mark.parametrize(
    "name", ["project.json", "organisation.json", "fund.json", "pipeline.json", "package.json"]
)
def test_current_data_is_unchanged(name: str) -> None:
    data = load(EXAMPLES / name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = upgrade_result(data, "4.1")
    assert result.data == data
    assert result.notes == () and result.upgraded == ()


def test_upgrading_twice_changes_nothing_more(project_31: dict[str, Any]) -> None:
    once = upgrade_result(project_31, "4.1").data
    twice = upgrade_result(once, "4.1")
    assert twice.data == once and twice.notes == ()


def test_pipeline_keeps_the_old_spelling_it_still_uses() -> None:
    pipeline = load(EXAMPLES / "pipeline.json")
    pipeline["intermediary_services"] = [{"organisation_role_category": {"value": OLD}}]
    assert schema_errors(pipeline, "3.1", "pipeline") == []
    upgraded = indigo.upgrade(pipeline, to="4.1", from_version="3.1")
    assert upgraded["intermediary_services"][0]["organisation_role_category"]["value"] == OLD
    assert schema_errors(upgraded, "4.1", "pipeline") == []


def test_package_is_upgraded_and_its_version_updated(project_31: dict[str, Any]) -> None:
    package = load(EXAMPLES / "package.json")
    package["schema_version"] = "3.1"
    package["projects"] = [project_31]
    package["pipelines"][0].get("purpose_and_classifications", {}).get("policy_sector", {}).pop(
        "early_childhood_education", None
    )
    assert schema_codes(package) == []
    result = upgrade_result(package, "4.1")
    assert result.data["schema_version"] == "4.1"
    assert result.data["projects"][0][EXTENSION_KEY]["scenarios"] == project_31["scenarios"]
    assert schema_codes(result.data) == []
    assert indigo.validate(result.data).schema_version == "4.1"
    assert {rid for rid, source in result.upgraded} >= {"INDIGO-POJ-0001"}
    assert all(source == "3.1" for _, source in result.upgraded)
    assert package["schema_version"] == "3.1"


def test_list_of_records(project_31: dict[str, Any]) -> None:
    organisation = load(EXAMPLES / "organisation.json")
    with pytest.warns(UpgradeWarning) as caught:
        upgraded = indigo.upgrade([project_31, organisation], to="4.0", drop_removed=True)
    assert sum("dropped" in str(w.message) for w in caught) == 2
    assert schema_errors(upgraded[0], "4.0", "project") == []
    assert upgraded[1] == organisation


def test_detect_version(project_31: dict[str, Any]) -> None:
    assert detect_version(project_31) == "3.1"
    assert detect_version({"id": "INDIGO-POJ-1", "transactions": [{"grant_id": {"value": "g"}}]}) == "3.1"
    assert detect_version({"id": "INDIGO-POJ-1", "outcome_payment_plans": []}) == "4.0"
    ecce = {
        "id": "INDIGO-PL-1",
        "purpose_and_classifications": {"policy_sector": {"early_childhood_education": {"value": "Yes"}}},
    }
    assert detect_version(ecce) == "4.1"
    assert detect_version(load(EXAMPLES / "organisation.json")) is None
    assert detect_version({"schema_version": "4.0.0", "projects": []}) == "4.0"
    assert detect_version([load(EXAMPLES / "organisation.json"), project_31]) == "3.1"


def test_refuses_downgrades_and_unknown_types() -> None:
    with pytest.raises(InputError, match="older version"):
        upgrade_result({"schema_version": "4.1", "projects": []}, "4.0")
    with pytest.raises(InputError, match="record type"):
        upgrade_result({"id": "X-1"}, "4.1", from_version="3.1")
    with pytest.raises(indigo.UnknownVersionError):
        upgrade_result({"id": "INDIGO-POJ-1"}, "5.0")


def test_an_existing_extension_key_is_never_overwritten(project_31: dict[str, Any]) -> None:
    project_31[EXTENSION_KEY] = {"scenarios": "kept from before"}
    with pytest.raises(InputError, match="already there"):
        upgrade_result(project_31, "4.1")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=60, deadline=None)
@given(scenarios=json_values, grants=st.lists(json_values, max_size=4))
def test_removed_fields_are_never_lost(scenarios: Any, grants: list[Any]) -> None:
    record = {
        "id": "INDIGO-POJ-9",
        "scenarios": scenarios,
        "transactions": [{"grant_id": g, "notes": {"value": str(i)}} for i, g in enumerate(grants)],
    }
    result = upgrade_result(record, "4.1")
    assert result.data[EXTENSION_KEY] == {"scenarios": scenarios}
    for transaction, grant in zip(result.data["transactions"], grants, strict=True):
        assert transaction == {"notes": transaction["notes"], EXTENSION_KEY: {"grant_id": grant}}
    assert len(result.notes) == 1 + len(grants)


def test_step_modules_are_in_order() -> None:
    assert [(s.source, s.target) for s in STEPS] == [("3.1", "4.0"), ("4.0", "4.1")]
    assert v3_1_to_4_0.STEP is STEPS[0]


# -- the command line ------------------------------------------------------------------------


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=ROOT)


def test_cli_upgrade_keeps_removed_fields_with_warnings(tmp_path: Path) -> None:
    out = tmp_path / "project-4.1.json"
    run = cli("upgrade", str(FIXTURE), "--to", "4.1", "-o", str(out))
    assert run.returncode == 0, run.stderr
    assert run.stderr.count("warning:") == 3
    assert "upgraded 1 record to INDIGO 4.1" in run.stderr
    data = load(out)
    assert schema_errors(data, "4.1", "project") == []
    assert data[EXTENSION_KEY]["scenarios"] == load(FIXTURE)["scenarios"]
    check = cli("validate", str(out), "--schema-version", "4.1")
    assert check.returncode == 0, check.stdout


def test_cli_upgrade_drop_removed_and_json_lines(tmp_path: Path) -> None:
    source = tmp_path / "records.jsonl"
    source.write_text(
        json.dumps(load(FIXTURE)) + "\n\n" + json.dumps(load(EXAMPLES / "fund.json")) + "\n", encoding="utf-8"
    )
    out = tmp_path / "out.jsonl"
    run = cli("upgrade", str(source), "--to", "4.1", "-o", str(out), "--drop-removed")
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 2 and EXTENSION_KEY not in lines[0] and "scenarios" not in lines[0]
    assert lines[1] == load(EXAMPLES / "fund.json")
    assert "dropped" in run.stderr


def test_cli_upgrade_failures_are_one_line_and_leave_output_alone(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    out.write_text("precious\n", encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": "INDIGO-POJ-1",', encoding="utf-8")
    for args in (
        ("upgrade", str(bad), "-o", str(out)),
        ("upgrade", str(tmp_path / "missing.json"), "-o", str(out)),
        ("upgrade", str(FIXTURE), "--to", "9.9", "-o", str(out)),
        ("upgrade", str(EXAMPLES / "package.json"), "--to", "4.0", "-o", str(out)),
    ):
        run = cli(*args)
        assert run.returncode == 2, (args, run.stderr)
        assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr
    assert out.read_text(encoding="utf-8") == "precious\n"

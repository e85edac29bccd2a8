"""Migrations 3.1 -> 4.0 -> 4.1: the library API and the ``upgrade`` command."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
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


# -- edge cases: an old spelling in 4.x data, a stated version the data contradicts ----------------


def _old_spelling_project() -> dict[str, Any]:
    """The 4.x example project (it has outcome payment plans) with the old modelling spelling."""
    project: dict[str, Any] = load(EXAMPLES / "project.json")
    project["intermediary_services"][0]["organisation_role_category"] = {"value": OLD}
    return project


def test_old_spelling_in_4x_data_is_a_spelling_fix_not_an_upgrade_from_31() -> None:
    project = _old_spelling_project()
    assert detect_version(project) == "4.0"  # its payment plans say 4.x; the spelling says nothing
    role = {"organisation_role_category": {"value": OLD}}
    bare = {"id": "INDIGO-POJ-0002", "intermediary_services": [role]}
    assert detect_version(bare) is None
    for record in (project, bare):
        result = upgrade_result(record, "4.1")
        assert result.upgraded == ()
        assert result.fixed == (record["id"],)
        assert result.data["intermediary_services"][0]["organisation_role_category"] == {"value": NEW}
        [note] = result.notes
        assert "old spelling" in note and OLD in note and NEW in note and "3.1.1" in note
        assert "upgraded" not in note and "3.1 " not in note
    assert indigo.validate(upgrade_result(project, "4.1").data, schema_version="4.1").valid
    assert not indigo.validate(project, schema_version="4.1").valid  # the fix is what makes it valid


def test_old_spelling_is_fixed_in_data_given_as_41() -> None:
    project = _old_spelling_project()
    for result in (
        upgrade_result(project, "4.1", from_version="4.1"),
        upgrade_result({"schema_version": "4.1", "projects": [project]}, "4.1"),
    ):
        fixed = result.data if "id" in result.data else result.data["projects"][0]
        assert fixed["intermediary_services"][0]["organisation_role_category"]["value"] == NEW
        assert result.upgraded == () and result.fixed == ("INDIGO-POJ-0199",)
        assert len(result.notes) == 1 and "old spelling" in result.notes[0]


def test_load_reports_an_old_spelling_as_a_spelling_fix() -> None:
    with pytest.warns(UpgradeWarning) as caught:
        project = indigo.load(_old_spelling_project())
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1 and "old spelling" in messages[0], messages
    assert not any("upgraded from" in m for m in messages)
    roles = [s.organisation_role_category.value for s in project.intermediary_services or []]
    assert [role.value for role in roles if role is not None] == [NEW]


def test_a_31_record_given_as_40_is_left_alone_with_warnings(project_31: dict[str, Any]) -> None:
    original = copy.deepcopy(project_31)
    with pytest.warns(UpgradeWarning) as caught:
        upgraded = indigo.upgrade(project_31, to="4.1", from_version="4.0")
    assert project_31 == original
    messages = [str(w.message) for w in caught]
    scenarios = [m for m in messages if m.startswith("project INDIGO-POJ-0001: /scenarios:")]
    assert len(scenarios) == 1 and "given as INDIGO 4.0" in scenarios[0] and "3.1" in scenarios[0]
    assert any("/transactions/0/grant_id:" in m and "given as INDIGO 4.0" in m for m in messages)
    assert any("old spelling" in m for m in messages)  # spelling fixes are made all the same
    # left where they were: nothing moved under the extension key
    assert upgraded["scenarios"] == original["scenarios"] and EXTENSION_KEY not in upgraded
    assert upgraded["transactions"][0]["grant_id"] == original["transactions"][0]["grant_id"]
    result = upgrade_result(project_31, "4.1", from_version="4.0")
    assert result.upgraded == (("INDIGO-POJ-0001", "4.0"),)


def test_a_package_declaring_40_with_31_fields_warns(project_31: dict[str, Any]) -> None:
    package = {"schema_version": "4.0", "projects": [project_31]}
    result = upgrade_result(package, "4.1")
    assert result.data["projects"][0]["scenarios"] == project_31["scenarios"]
    assert sum("given as INDIGO 4.0" in note for note in result.notes) == 2
    # the same record without a stated version is upgraded from 3.1, with nothing to warn about
    plain = upgrade_result(project_31, "4.1")
    assert not any("given as" in note for note in plain.notes)
    assert plain.upgraded == (("INDIGO-POJ-0001", "3.1"),)


def test_load_with_a_contradicted_version_warns() -> None:
    with pytest.warns(UpgradeWarning) as caught:
        indigo.load(FIXTURE, schema_version="4.0")
    assert any("/scenarios:" in str(w.message) and "given as INDIGO 4.0" in str(w.message) for w in caught)


def test_upgrade_refuses_what_is_not_a_record() -> None:
    with pytest.raises(InputError, match=r"^item 2 of the list: expected a record .*, not null"):
        upgrade_result([load(EXAMPLES / "fund.json"), None], "4.1")
    with pytest.raises(InputError, match=r"projects\[0\]: expected a record .* not a number"):
        upgrade_result({"schema_version": "4.0", "projects": [3]}, "4.1")
    with pytest.raises(InputError, match="not text"):
        upgrade_result("INDIGO-POJ-1", "4.1")  # type: ignore[call-overload]


def test_cli_reports_an_old_spelling_as_a_spelling_fix(tmp_path: Path) -> None:
    source = tmp_path / "project.json"
    source.write_text(json.dumps(_old_spelling_project()), encoding="utf-8")
    out = tmp_path / "out.json"
    run = cli("upgrade", str(source), "-o", str(out))
    assert run.returncode == 0, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith("indigo-standard: warning: project INDIGO-POJ-0199: ")
    assert "old spelling" in lines[0] and OLD in lines[0] and NEW in lines[0]
    assert lines[1] == (
        f"upgraded 0 records to INDIGO 4.1; corrected old spellings in 1 other record; wrote {out}"
    )
    upgraded = load(out)
    assert upgraded["intermediary_services"][0]["organisation_role_category"]["value"] == NEW
    assert cli("validate", str(out), "--schema-version", "4.1").returncode == 0


def test_cli_warns_when_from_contradicts_the_data(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    run = cli("upgrade", str(FIXTURE), "--from", "4.0", "-o", str(out))
    assert run.returncode == 0, run.stderr
    warnings_ = [line for line in run.stderr.splitlines() if "warning:" in line]
    assert len(warnings_) == 3, run.stderr
    assert sum("given as INDIGO 4.0" in line for line in warnings_) == 2
    assert "upgraded 1 record to INDIGO 4.1" in run.stderr
    data = load(out)
    assert data["scenarios"] == load(FIXTURE)["scenarios"] and EXTENSION_KEY not in data


def test_upgrade_return_types_are_precise(tmp_path: Path) -> None:
    """mypy --strict sees a dict for a record or a package and a list for a list, not Any."""
    usage = tmp_path / "typed_upgrade.py"
    usage.write_text(
        "from typing import Any\n"
        "import indigo_standard as indigo\n"
        "from indigo_standard.migrations import UpgradeResult, upgrade_result\n\n"
        "def one(data: dict[str, Any]) -> dict[str, Any]:\n"
        "    return indigo.upgrade(data, to='4.1')\n\n"
        "def many(data: list[dict[str, Any]]) -> list[dict[str, Any]]:\n"
        "    return indigo.upgrade(data)\n\n"
        "def result(data: dict[str, Any]) -> UpgradeResult[dict[str, Any]]:\n"
        "    return upgrade_result(data)\n\n"
        "def wrong(data: dict[str, Any]) -> list[Any]:\n"
        "    return indigo.upgrade(data)  # type: ignore[return-value]\n",
        encoding="utf-8",
    )
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--warn-unused-ignores", "--no-incremental", str(usage)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=300,
    )
    # Were upgrade to return Any, --strict would flag "Returning Any" and the ignore would be unused.
    assert checked.returncode == 0 and "Success" in checked.stdout, checked.stdout + checked.stderr

"""The validate command as a user runs it: real processes, real files, the contract's output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, run_cli


def test_validate_examples_exits_zero_with_a_summary() -> None:
    result = run_cli("validate", str(EXAMPLES / "package.json"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Valid: 10 records checked against INDIGO 4.1; 0 errors" in result.stdout
    for name in ("project", "organisation", "fund", "pipeline"):
        alone = run_cli("validate", str(EXAMPLES / f"{name}.json"), "--schema-version", "4.1")
        assert alone.returncode == 0, alone.stdout
    # the folder is one dataset, in which the package repeats the four single-record files
    folder = run_cli("validate", str(EXAMPLES))
    assert folder.returncode == 1
    assert "Invalid: 14 records checked against INDIGO 4.1; 4 errors" in folder.stdout
    assert "By code: dataset.duplicate-id 4," in folder.stdout


def test_version_names_library_and_schema_versions() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert "indigo-standard" in result.stdout
    assert "3.1, 4.0, 4.1" in result.stdout


def broken_project(tmp_path: Path) -> Path:
    data = json.loads((EXAMPLES / "project.json").read_text(encoding="utf-8"))
    data["dates"]["outcomes_contract_signed"]["value"] = "March 2018"
    data["investments"][0]["organisation_role_category"] = {"value": "Bank"}
    data["dates"]["anticipated_duration_of_service_provision"] = {"value": "36 months"}
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_json_report_on_a_broken_copy_follows_the_contract(tmp_path: Path) -> None:
    result = run_cli("validate", "--format", "json", "--schema-version", "4.1", str(broken_project(tmp_path)))
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert report["schema_version"] == "4.1"
    assert report["records"] == 1
    assert report["errors"] == 3
    assert {i["code"] for i in report["issues"] if i["severity"] == "warning"} == {"reference.unused-source"}
    by_path = {issue["path"]: issue for issue in report["issues"]}
    date = by_path["/dates/outcomes_contract_signed/value"]
    assert date["code"] == "schema.partial-date"
    assert date["title"] == "Dates - Date outcomes contract signed - (Value)"
    assert date["record"] == "INDIGO-POJ-0199" and date["entity"] == "project"
    assert "expected a date as YYYY, YYYY-MM or YYYY-MM-DD" in date["message"]
    assert "[0-9]" not in date["message"]
    role = by_path["/investments/0/organisation_role_category/value"]
    assert role["code"] == "schema.enum"
    assert "Nonprofit/NGO" in role["message"] and "more)" in role["message"]
    duration = by_path["/dates/anticipated_duration_of_service_provision/value"]
    assert duration["code"] == "schema.type" and "expected a number" in duration["message"]
    for issue in report["issues"]:
        assert set(issue) >= {"severity", "code", "entity", "record", "path", "title", "message"}


def test_piped_text_report_keeps_each_location_on_one_line(tmp_path: Path) -> None:
    path = broken_project(tmp_path)
    result = run_cli("validate", "--schema-version", "4.1", str(path))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"    - {path}: project INDIGO-POJ-0199 at /dates/outcomes_contract_signed/value" in lines
    assert "Invalid: 1 record checked against INDIGO 4.1; 3 errors, 1 warning." in lines


def test_package_version_is_used_and_a_missing_one_warns(tmp_path: Path) -> None:
    result = run_cli("validate", "--format", "json", str(EXAMPLES / "package.json"))
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["records"] == 10
    assert {i["code"] for i in report["issues"]} == {"reference.unused-source"}
    result = run_cli("validate", "--format", "json", str(EXAMPLES / "project.json"))
    report = json.loads(result.stdout)
    assert result.returncode == 0
    assert {i["code"] for i in report["issues"]} == {"version.assumed", "reference.unused-source"}
    result = run_cli(
        "validate", "--format", "json", "--schema-version", "3.1", str(EXAMPLES / "package.json")
    )
    assert "version.conflict" in {i["code"] for i in json.loads(result.stdout)["issues"]}


def test_every_error_of_a_record_is_reported(tmp_path: Path) -> None:
    record = {
        "id": "INDIGO-ORG-9",
        "type": {"value": "Club"},
        "country": {"value": 7},
        "contact": {"email": {"value": "a@b", "status": "OPEN"}},
    }
    path = tmp_path / "org.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    report = json.loads(run_cli("validate", "--format", "json", "--schema-version", "4.1", str(path)).stdout)
    assert {i["path"] for i in report["issues"]} == {"/type/value", "/country/value", "/contact/email/status"}


def test_lists_json_lines_and_folders(tmp_path: Path) -> None:
    package = json.loads((EXAMPLES / "package.json").read_text(encoding="utf-8"))
    records = [r for key in ("projects", "organisations", "funds", "pipelines") for r in package[key]]
    (tmp_path / "list.json").write_text(json.dumps(records), encoding="utf-8")
    (tmp_path / "lines.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    report = json.loads(
        run_cli("validate", "--format", "json", "--schema-version", "4.1", str(tmp_path)).stdout
    )
    assert report["records"] == 2 * len(records)
    # the same records twice in one dataset: each of the second file's is a duplicate
    assert report["counts"]["by_severity"]["error"] == report["counts"]["by_code"]["dataset.duplicate-id"]
    assert report["counts"]["by_code"]["dataset.duplicate-id"] == len(records)


def test_record_type_is_inferred_or_given(tmp_path: Path) -> None:
    path = tmp_path / "anon.json"
    path.write_text(json.dumps({"id": "X-1", "name": {"value": 5}}), encoding="utf-8")
    report = json.loads(run_cli("validate", "--format", "json", "--schema-version", "4.1", str(path)).stdout)
    assert [i["code"] for i in report["issues"]] == ["record.unknown-type"]
    result = run_cli(
        "validate", "--format", "json", "--schema-version", "4.1", "--type", "organisation", str(path)
    )
    report = json.loads(result.stdout)
    assert [(i["code"], i["entity"], i["path"]) for i in report["issues"]] == [
        ("schema.type", "organisation", "/name/value"),
        ("record.id-prefix", "organisation", "/id"),
    ]


def test_package_envelope_is_validated(tmp_path: Path) -> None:
    package = {"schema_version": "4.1", "publication_date": "last week", "projects": []}
    path = tmp_path / "package.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    result = run_cli("validate", "--format", "json", str(path))
    report = json.loads(result.stdout)
    assert result.returncode == 1
    assert [(i["entity"], i["path"]) for i in report["issues"]] == [("package", "/publication_date")]


def test_items_that_are_not_objects_are_errors(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text('[1, {"id": "INDIGO-FUND-1"}]', encoding="utf-8")
    report = json.loads(run_cli("validate", "--format", "json", "--schema-version", "4.1", str(path)).stdout)
    assert [i["code"] for i in report["issues"]] == ["record.not-object"]
    assert report["records"] == 2


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("malformed.json", b'{"id": "INDIGO-POJ-1",\n  "name": }', "malformed JSON at line 2, column 11"),
        ("latin1.json", b'{"id": "caf\xe9"}', "not valid UTF-8"),
        ("empty.json", b"", "the file is empty"),
        ("blank.json", b"  \n ", "the file is empty"),
        ("nan.json", b'{"id": "INDIGO-POJ-1", "x": NaN}', "NaN is not valid JSON"),
        ("inf.json", b'[{"x": -Infinity}]', "-Infinity is not valid JSON"),
        ("deep.json", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        ("scalar.json", b'"just text"', "expected a JSON object or list at the top level, found text"),
        ("lines.jsonl", b'{"id": "INDIGO-POJ-1"}\n{oops}\n', "malformed JSON at line 2"),
    ],
)
def test_bad_input_gets_one_line_and_exit_2(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = run_cli("validate", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0] and expected in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["validate", "/no/such/file.json"], "/no/such/file.json: no such file or directory"),
        (
            ["validate", "--schema-version", "5.0", "EXAMPLES"],
            "unknown schema version '5.0'; supported versions are 3.1, 4.0, 4.1",
        ),
        (["validate", "--format", "xml", "EXAMPLES"], "invalid choice: 'xml'"),
        (["validate", "--nope", "EXAMPLES"], "unrecognized arguments: --nope"),
        (["validate"], "the following arguments are required: PATH"),
    ],
)
def test_usage_errors_exit_2_in_one_line(args: list[str], expected: str) -> None:
    result = run_cli(*[str(EXAMPLES) if a == "EXAMPLES" else a for a in args])
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_empty_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("validate", str(tmp_path))
    assert result.returncode == 2 and "no JSON, JSON Lines, CSV export, zip or XLSX input" in result.stderr


def test_console_script_and_module_agree(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = shutil.which("indigo-standard", path=str(Path(sys.executable).parent))
    assert script is not None, "the console script is installed beside the interpreter"

    direct = subprocess.run(
        [script, "validate", "--format", "json", str(EXAMPLES / "package.json")],
        capture_output=True,
        text=True,
    )
    module = run_cli("validate", "--format", "json", str(EXAMPLES / "package.json"))
    assert direct.returncode == module.returncode == 0
    assert json.loads(direct.stdout) == json.loads(module.stdout)

"""Two records with the same id in one dataset: an error on the second, naming where the first is."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, run_cli

import indigo_standard as indigo
from indigo_standard.flat.sources import read_flat
from indigo_standard.validation.validate import validate_paths

EXPORT = FIXTURES / "golab-indigo-export"


@pytest.fixture(scope="module")
def project() -> dict[str, Any]:
    """The real project INDIGO-POJ-0005."""
    return next(
        item.data
        for item in read_flat(EXPORT, schema_version="4.1")
        if item.entity == "project" and item.data.get("id") == "INDIGO-POJ-0005"
    )


def duplicates(report: indigo.Report) -> list[tuple[str | None, str | None, str, str, Any]]:
    return [
        (i.entity, i.record, i.path, i.message, i.source)
        for i in report.issues
        if i.code == "dataset.duplicate-id"
    ]


def test_the_same_project_twice_is_not_valid(project: dict[str, Any]) -> None:
    once = indigo.validate([project], schema_version="4.1")
    twice = indigo.validate([project, {"id": "INDIGO-PL-9001"}, project], schema_version="4.1")
    assert once.by_code.get("dataset.duplicate-id") is None
    assert twice.errors == 2 * once.errors + 1 and not twice.valid
    assert duplicates(twice) == [
        (
            "project",
            "INDIGO-POJ-0005",
            "/id",
            "the record at /2 of the input has the id 'INDIGO-POJ-0005', which the record at "
            "/0 of the input already has",
            None,
        )
    ]


def test_a_package_names_the_list_positions(tmp_path: Path, project: dict[str, Any]) -> None:
    package = {"schema_version": "4.1", "projects": [project, {"id": "INDIGO-POJ-9"}, project]}
    path = tmp_path / "package.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    found = duplicates(indigo.validate(path))
    assert [(message, source) for *_, message, source in found] == [
        (
            f"the record at {path} at /projects/2 has the id 'INDIGO-POJ-0005', which the record "
            "at /projects/0 already has",
            indigo.Source(str(path)),
        )
    ]


def test_json_lines_and_separate_files(tmp_path: Path, project: dict[str, Any]) -> None:
    lines = tmp_path / "a.jsonl"
    lines.write_text(json.dumps(project) + "\n\n" + json.dumps(project) + "\n", encoding="utf-8")
    found = duplicates(indigo.validate(lines, schema_version="4.1"))
    assert [message for *_, message, _ in found] == [
        f"the record at {lines} at line 3 has the id 'INDIGO-POJ-0005', which the record at line 1 "
        "already has"
    ]
    single = tmp_path / "b.json"
    single.write_text(json.dumps(project), encoding="utf-8")
    found = duplicates(validate_paths([lines, single], schema_version="4.1"))
    assert [message for *_, message, _ in found][-1] == (
        f"the record at {single} has the id 'INDIGO-POJ-0005', which the record at {lines} at line 1 "
        "already has"
    )


def test_a_csv_export_names_the_rows(tmp_path: Path) -> None:
    """A project row of the real export copied to the end of projects.csv."""
    folder = tmp_path / "export"
    shutil.copytree(EXPORT, folder)
    table = folder / "projects.csv"
    with table.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[5][0] == "INDIGO-POJ-0005"
    rows.append(rows[5])
    with table.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    before = indigo.validate(EXPORT)
    after = indigo.validate(folder)
    assert after.records == before.records + 1
    assert duplicates(after) == [
        (
            "project",
            "INDIGO-POJ-0005",
            "/id",
            f"the record at {table}, row {len(rows)} has the id 'INDIGO-POJ-0005', which the record "
            "at row 6 already has",
            indigo.Source(str(table), len(rows), "ID"),
        )
    ]
    assert duplicates(before) == []


def test_skipping_the_code_and_the_real_export(project: dict[str, Any]) -> None:
    report = indigo.validate([project, project], schema_version="4.1", skip=["dataset.duplicate-id"])
    assert duplicates(report) == [] and report.valid == indigo.validate([project], schema_version="4.1").valid
    assert indigo.validate(EXPORT).by_code.get("dataset.duplicate-id") is None


def test_cli_exits_1_and_names_both(tmp_path: Path, project: dict[str, Any]) -> None:
    path = tmp_path / "twice.json"
    path.write_text(json.dumps([project, project]), encoding="utf-8")
    run = run_cli("validate", str(path), "--schema-version", "4.1", "--format", "json")
    assert run.returncode == 1, run.stderr
    assert json.loads(run.stdout)["counts"]["by_code"]["dataset.duplicate-id"] == 1
    assert f"the record at {path} at /1 has the id 'INDIGO-POJ-0005', which the record at /0" in run.stdout

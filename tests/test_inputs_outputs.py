"""Inputs and outputs a person would try: one CSV file, odd output names, and file permissions."""

from __future__ import annotations

import json
import os
import shutil
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import EXAMPLES, FIXTURES, run_cli

import indigo_standard as indigo

EXPORT = FIXTURES / "golab-indigo-export"


def test_a_projects_csv_is_read_as_a_dataset_of_one_table() -> None:
    done = run_cli("validate", str(EXPORT / "projects.csv"), "--format", "json", "--max-issues", "5")
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    assert data["records"] == 319
    assert data["issues"], data
    assert all(i["source"]["file"] == str(EXPORT / "projects.csv") for i in data["issues"])
    # only the project's own table: no list is read, and none is reported missing or orphaned
    assert "flat.orphan-row" not in data["counts"]["by_code"]


def test_a_record_table_under_another_name_is_recognised_by_its_header(tmp_path: Path) -> None:
    renamed = tmp_path / "Organisations 2025.csv"
    shutil.copy(EXPORT / "organisations.csv", renamed)
    records = [item for item in indigo.iter_path(renamed) if item.entity != "notices"]
    assert len(records) == 1549
    assert {item.entity for item in records} == {"organisation"}
    assert records[0].data["id"] == "INDIGO-ORG-0001"
    done = run_cli("validate", str(renamed))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1549 records" in done.stdout


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "projects_investments.csv",
            None,
            "holds a list inside each project record, so it is read together with projects.csv; "
            "give the folder or zip that holds both",
        ),
        ("budget.csv", "a,b\n1,2\n", "not a table of the INDIGO CSV export; a single CSV file is read when"),
        ("empty.csv", "", "the file is empty (no header row)"),
    ],
)
def test_other_single_csv_files_are_refused_saying_what_is_expected(
    name: str, text: str | None, message: str, tmp_path: Path
) -> None:
    path = tmp_path / name
    if text is None:
        shutil.copy(EXPORT / name, path)
    else:
        path.write_text(text, encoding="utf-8")
    for command in (
        ["validate", str(path)],
        ["convert", str(path), str(tmp_path / "out.json")],
        ["report", str(path)],
        ["normalise", str(path), "-o", str(tmp_path / "n.json")],
    ):
        done = run_cli(*command)
        assert done.returncode == 2, (command, done.stdout, done.stderr)
        assert done.stderr.startswith(f"indigo-standard: error: {path}: "), done.stderr
        assert message in done.stderr
        assert "malformed JSON" not in done.stderr and "Traceback" not in done.stderr
        assert done.stderr.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_upgrade_says_flat_input_is_converted_first(tmp_path: Path) -> None:
    done = run_cli("upgrade", str(EXPORT / "projects.csv"), "--to", "4.1", "-o", str(tmp_path / "u.json"))
    assert done.returncode == 2
    assert "upgrade reads JSON or JSON Lines" in done.stderr and "convert it to JSON first" in done.stderr
    assert "malformed JSON" not in done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("out.txt", "'.txt' names no output format; write .json, .jsonl, .zip, .xlsx or .sqlite"),
        ("out.csv", "a dataset is written as several CSV files"),
        ("export.2025", "'.2025' names no output format"),
    ],
)
def test_convert_refuses_an_output_name_that_names_no_format(name: str, message: str, tmp_path: Path) -> None:
    done = run_cli("convert", str(EXAMPLES / "package.json"), str(tmp_path / name))
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_convert_writes_any_name_with_to_and_a_folder_without_an_extension(tmp_path: Path) -> None:
    done = run_cli("convert", str(EXAMPLES / "package.json"), str(tmp_path / "out.txt"), "--to", "zip")
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(tmp_path / "out.txt") as archive:
        assert "projects.csv" in archive.namelist()
    done = run_cli("convert", str(EXAMPLES / "package.json"), str(tmp_path / "folder"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "folder" / "projects.csv").is_file()
    existing = tmp_path / "export.v2"
    existing.mkdir()
    done = run_cli("convert", str(EXAMPLES / "package.json"), str(existing))
    assert done.returncode == 0, done.stderr
    assert (existing / "projects.csv").is_file()


@pytest.fixture
def umask() -> Iterator[None]:
    """Run with a known umask (the child processes inherit it); restore the old one after."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _modes(root: Path) -> dict[str, int]:
    found = {str(root.name): stat.S_IMODE(root.stat().st_mode)}
    for path in sorted(root.rglob("*")) if root.is_dir() else []:
        found[str(path.relative_to(root.parent))] = stat.S_IMODE(path.stat().st_mode)
    return found


def test_every_output_gets_normal_permissions(umask: None, tmp_path: Path) -> None:
    package = str(EXAMPLES / "package.json")
    out = tmp_path / "out"
    out.mkdir()
    commands = {
        "report.html": ["report", package, "--format", "html", "-o", str(out / "report.html")],
        "report.txt": ["report", package, "-o", str(out / "report.txt")],
        "upgraded.json": [
            "upgrade",
            str(EXAMPLES / "project.json"),
            "--to",
            "4.1",
            "-o",
            str(out / "upgraded.json"),
        ],
        "docs": ["schema", "docs", "-o", str(out / "docs")],
        "schema-4.9": ["schema", "new", "4.9", "--from", "4.1", "-o", str(out / "schema-4.9")],
        "data.json": ["convert", package, str(out / "data.json")],
        "data.jsonl": ["convert", package, str(out / "data.jsonl")],
        "data.zip": ["convert", package, str(out / "data.zip")],
        "data.xlsx": ["convert", package, str(out / "data.xlsx")],
        "csv": ["convert", package, str(out / "csv")],
        "blank.xlsx": ["template", "-o", str(out / "blank.xlsx")],
        "public.json": ["publish", package, "-o", str(out / "public.json"), "--missing-status", "public"],
        "packaged.json": ["package", package, "-o", str(out / "packaged.json"), "--publisher", "Test"],
        "split": ["package", package, "--split", str(out / "split"), "--publisher", "Test"],
        "normalised.json": ["normalise", package, "-o", str(out / "normalised.json")],
        "normalised.xlsx": ["normalise", str(out / "data.xlsx"), "-o", str(out / "normalised.xlsx")],
    }
    for name, command in commands.items():
        done = run_cli(*command)
        assert done.returncode in (0, 1), (name, done.stderr)
        assert (out / name).exists(), name
    modes = {}
    for name in commands:
        modes.update(_modes(out / name))
    assert len(modes) > len(commands)
    wrong = {
        path: oct(mode) for path, mode in modes.items() if mode != (0o755 if (out / path).is_dir() else 0o644)
    }
    assert wrong == {}


def test_permissions_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        report = run_cli("report", str(EXAMPLES / "package.json"), "-o", str(tmp_path / "r.txt"))
        folder = run_cli("convert", str(EXAMPLES / "package.json"), str(tmp_path / "csv"))
        upgraded = run_cli("upgrade", str(EXAMPLES / "project.json"), "-o", str(tmp_path / "u.json"))
    finally:
        os.umask(old)
    assert (report.returncode, folder.returncode, upgraded.returncode) == (0, 0, 0)
    assert stat.S_IMODE((tmp_path / "r.txt").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "u.json").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "csv").stat().st_mode) == 0o750
    assert stat.S_IMODE((tmp_path / "csv" / "projects.csv").stat().st_mode) == 0o640

"""The datapackage.json beside every CSV export: valid Frictionless, and agreeing with validate."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, FIXTURES, run_cli

frictionless = pytest.importorskip("frictionless", reason="pip install -e '.[test]' installs frictionless")

EXPORT = FIXTURES / "golab-indigo-export"
MATCHING = {"type-error": "schema.type", "constraint-error": "schema.enum"}
"""The errors frictionless can find in a cell of our exports, and the code validate gives the same cell."""


def _convert(source: Path, target: Path) -> None:
    done = run_cli("convert", str(source), str(target))
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="session")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("exports")
    paths = {"examples": work / "examples", "real": work / "real", "zip": work / "real.zip"}
    _convert(EXAMPLES / "package.json", paths["examples"])
    _convert(EXPORT, paths["real"])
    _convert(EXPORT, paths["zip"])
    return paths


def _package(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


def _frictionless(folder: Path) -> dict[str, Any]:
    report: dict[str, Any] = frictionless.validate(str(folder / "datapackage.json")).to_dict()
    return report


def test_frictionless_finds_nothing_wrong_with_the_clean_examples(exports: dict[str, Path]) -> None:
    report = _frictionless(exports["examples"])
    assert report["valid"] is True, json.dumps(report)[:2000]
    assert report["stats"]["tasks"] == 39  # every file was read
    package = _package(exports["examples"])
    assert package["licenses"] == [{"path": "https://creativecommons.org/licenses/by/4.0/"}]
    assert package["sources"] == [
        {
            "title": "Government Outcomes Lab, University of Oxford",
            "path": "https://golab.bsg.ox.ac.uk/knowledge-bank/indigo/",
        }
    ]


def _validate_cells(folder: Path) -> set[tuple[str, int, str, str]]:
    done = run_cli("validate", str(folder), "--format", "json")
    assert done.returncode == 1, done.stderr
    found = set()
    for issue in json.loads(done.stdout)["issues"]:
        source = issue.get("source") or {}
        if "row" in source:
            found.add((issue["code"], source["row"], Path(source["file"]).name, source["column"]))
    return found


def test_frictionless_on_the_real_export_reports_only_what_validate_reports(exports: dict[str, Path]) -> None:
    report = _frictionless(exports["real"])
    assert report["valid"] is False and report["errors"] == []
    headers = {}
    for path in exports["real"].glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            headers[path.name] = next(csv.reader(handle))
    theirs = []
    for task in report["tasks"]:
        for error in task["errors"]:
            assert error["type"] in MATCHING, error
            file = f"{task['name']}.csv"
            column = headers[file][error["fieldNumber"] - 1]
            theirs.append((MATCHING[error["type"]], error["rowNumber"], file, column))
    ours = _validate_cells(exports["real"])
    assert len(theirs) == 240 and len(set(theirs)) == len(theirs)
    assert set(theirs) <= ours
    # and here they agree on every cell: each wrong type or code validate finds, frictionless finds too
    assert set(theirs) == {found for found in ours if found[0] in MATCHING.values()}


def test_the_zip_carries_the_same_data_package(exports: dict[str, Path]) -> None:
    with zipfile.ZipFile(exports["zip"]) as archive:
        inside = json.loads(archive.read("datapackage.json"))
        names = sorted(archive.namelist())
    assert inside == _package(exports["real"])
    assert names == sorted(["datapackage.json", *(r["path"] for r in inside["resources"])])


def _resource(package: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in package["resources"] if r["name"] == name)


def test_each_file_is_described_with_its_keys_types_and_codes(exports: dict[str, Path]) -> None:
    package = _package(exports["real"])
    assert (
        package["profile"] == "tabular-data-package" and "licenses" not in package
    )  # the CSV input has none
    projects = _resource(package, "projects")
    assert projects["path"] == "projects.csv" and projects["schema"]["primaryKey"] == ["ID"]
    stage = next(f for f in projects["schema"]["fields"] if f["name"] == "Stage of Development - (Value)")
    assert stage["constraints"]["enum"] == [
        "Contracted",
        "Implementation",
        "Service delivery complete",
        "Complete",
    ]
    assert stage["description"].startswith("Current stage of the project")
    investments = _resource(package, "projects_investments")
    assert investments["schema"]["foreignKeys"] == [
        {"fields": ["Project ID"], "reference": {"resource": "projects", "fields": ["ID"]}}
    ]
    amount = next(
        f
        for f in investments["schema"]["fields"]
        if f["name"] == "Investment Commitment - Amount - Exact - (Value)"
    )
    assert amount["type"] == "number"
    with (exports["real"] / "pipeline.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    pipeline = _resource(package, "pipeline")
    names = [f["name"] for f in pipeline["schema"]["fields"]]
    assert len(names) == len(header) == len(set(names)) and len(set(header)) < len(header)
    assert pipeline["dialect"] == {"header": False, "commentRows": [1]}
    assert "(Notes) [/misc2/notes]" in names and names[-2:] == header[-2:]
    assert all("dialect" not in r for r in package["resources"] if r["name"] != "pipeline")

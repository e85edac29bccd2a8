"""The real GO Lab export as the test corpus: counts, parents, round trips and report locations."""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, run_cli

from indigo_standard.flat import layout, read_flat, write_csv_folder, write_xlsx
from indigo_standard.flat.cells import unprotect_csv_text
from indigo_standard.reading.records import NOTICES_ONLY, SourcedRecord

CORPUS = FIXTURES / "golab-indigo-export"
SNAPSHOT = FIXTURES / "real-data-issues.json"


@pytest.fixture(scope="session")
def corpus() -> list[SourcedRecord]:
    """Every item the reader yields for the corpus, read once per session."""
    return list(read_flat(CORPUS))


@pytest.fixture(scope="session")
def records(corpus: list[SourcedRecord]) -> list[SourcedRecord]:
    return [item for item in corpus if item.entity != NOTICES_ONLY]


@pytest.fixture(scope="session")
def report() -> dict[str, Any]:
    """The JSON report of validating the whole corpus through the real command line."""
    result = run_cli("validate", str(CORPUS), "--format", "json")
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def test_corpus_counts(records: list[SourcedRecord]) -> None:
    counts = Counter(item.entity for item in records)
    assert counts == {"project": 319, "organisation": 1549, "fund": 21, "pipeline": 132}
    assert {item.mapping_version for item in records} == {"4.1"}


def test_every_child_row_is_attached_to_its_parent(records: list[SourcedRecord]) -> None:
    by_id = {item.data["id"]: item for item in records}
    lay = layout("4.1")
    checked = total = 0
    for path in sorted(CORPUS.glob("*_*.csv")):
        sheet = lay.sheet(path.stem)
        assert sheet is not None and sheet.list_keys is not None, path.name
        _, rows = _csv(path)
        total += len(rows)
        expected: dict[str, list[int]] = defaultdict(list)
        for number, row in enumerate(rows, start=2):
            expected[row[0]].append(number)
        for parent, numbers in expected.items():
            item = by_id[parent]
            data: Any = item.data
            for key in sheet.list_keys:
                data = data[key]
            assert len(data) == len(numbers), (path.name, parent)
            base = "/" + "/".join(sheet.list_keys)
            for index, number in enumerate(numbers):
                cell = item.locate(f"{base}/{index}")
                assert cell is not None and cell.row == number and cell.file.endswith(path.name)
                checked += 1
    assert checked == total == 10549


Cells = dict[str, list[list[tuple[str, int, str]]]]


def _cells_by_parent(path: Path, key: str, written: bool = False) -> Cells:
    """Non-empty cells of each row, keyed (header, occurrence), grouped by the key column in row order.

    Cells ``written`` by the library are compared as the text they protect from spreadsheets."""
    header, rows = _csv(path)
    if written:
        rows = [[unprotect_csv_text(cell) for cell in row] for row in rows]
    seen: Counter[str] = Counter()
    keys = []
    for name in header:
        keys.append((name, seen[name]))
        seen[name] += 1
    grouped: Cells = defaultdict(list)
    index = header.index(key)
    for row in rows:
        cells = sorted((k[0], k[1], v) for k, v in zip(keys, row, strict=False) if v != "")
        grouped[row[index]].append(cells)
    return grouped


def test_csv_to_json_to_csv_keeps_every_non_empty_cell(records: list[SourcedRecord], tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_csv_folder([item.data for item in records], out, "4.1")
    for original in sorted(CORPUS.glob("*.csv")):
        sheet = layout("4.1").sheet(original.stem)
        assert sheet is not None
        before = _cells_by_parent(original, sheet.key_column)
        after = _cells_by_parent(out / original.name, sheet.key_column, written=True)
        assert after == before, original.name
    protected = (out / "projects_outcome_payment_commitments.csv").read_text(encoding="utf-8")
    assert "'=D41-D36" in protected and ",=" not in protected


def test_json_to_xlsx_to_json_is_identical(records: list[SourcedRecord], tmp_path: Path) -> None:
    book = tmp_path / "corpus.xlsx"
    write_xlsx([item.data for item in records], book, "4.1")
    back = [item.data for item in read_flat(book) if item.entity != NOTICES_ONLY]
    original = [item.data for item in records]
    assert json.dumps(back, sort_keys=True) == json.dumps(original, sort_keys=True)


def test_text_in_number_fields_is_kept_exactly(records: list[SourcedRecord], report: dict[str, Any]) -> None:
    texts = []
    for item in records:
        for path, cell in (item.cells or {}).items():
            value: Any = item.data
            for part in path.split("/")[1:]:
                value = value[int(part)] if isinstance(value, list) else value[part]
            if isinstance(value, str) and path.endswith("/value"):
                texts.append((cell, value))
    numeric_issues = [i for i in report["issues"] if i["code"] == "schema.type"]
    assert len(numeric_issues) == 106
    flagged = {(i["source"]["file"], i["source"]["row"], i["source"]["column"]) for i in numeric_issues}
    values = {(c.file, c.row, c.column): v for c, v in texts}
    kept = sorted(values[key] for key in flagged)
    assert "C$4,000,000" in kept and "TBD" in kept and "10,000 - 15,000" in kept and kept.count("$") == 39


def test_pipeline_bare_columns_resolve_by_position(records: list[SourcedRecord]) -> None:
    item = next(r for r in records if r.data["id"] == "INDIGO-PL-0026")
    header, rows = _csv(CORPUS / "pipeline.csv")
    row = next(r for r in rows if r[0] == "INDIGO-PL-0026")
    assert header[17] == "(Source ID's)" and header[30] == "(Source ID's)"
    assert item.data["misc1"]["source_ids"] == row[17]
    assert item.data["misc2"]["source_ids"] == row[30]
    assert item.locate("/misc2/source_ids").column == "(Source ID's)"  # type: ignore[union-attr]


def test_columns_outside_the_schema_are_kept_with_a_warning() -> None:
    items = list(read_flat(CORPUS, schema_version="4.0"))
    notices = [n for item in items for n in item.notices]
    assert sorted(n.cell.column for n in notices if n.code == "flat.unknown-column") == [
        "Delivery Locations - Country",
        "Delivery Locations - Name",
        "Purpose and classifications - Policy sector - Early Childhood Education - (Value)",
    ]
    extra = Counter(
        header for item in items if item.entity == "pipeline" for header in item.data.get("extra_columns", {})
    )
    assert extra["Delivery Locations - Name"] >= 120 and extra["Delivery Locations - Country"] >= 120


def test_every_issue_names_file_row_and_column(report: dict[str, Any]) -> None:
    assert report["records"] == 2021
    assert report["issues"]
    for issue in report["issues"]:
        source = issue.get("source")
        assert source and source["file"] and source["row"] >= 1 and source["column"], issue
    issues = report["issues"]
    first = next(i for i in issues if i["record"] == "INDIGO-POJ-0003" and i["code"] == "schema.enum")
    assert first["path"] == "/investments/0/investment_type/value"
    assert first["source"]["file"].endswith("projects_investments.csv")
    assert first["source"]["row"] == 9 and first["source"]["column"] == "Investment Type - (Value)"


def test_issue_counts_match_the_reviewed_snapshot(report: dict[str, Any]) -> None:
    counts = dict(sorted(Counter(issue["code"] for issue in report["issues"]).items()))
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert counts == expected["issues_by_code"], "re-review tests/fixtures/real-data-issues.json"

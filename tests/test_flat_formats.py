"""Flat formats on small data: layout, numbers, XLSX safety, template, convert in every direction."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from indigo_standard.cli import main
from indigo_standard.errors import InputError
from indigo_standard.flat import layout, read_flat, sheet_for_title, sheet_title, write_xlsx
from indigo_standard.flat.cells import parse_number, to_text
from indigo_standard.reading.records import NOTICES_ONLY
from indigo_standard.versions import SUPPORTED_VERSIONS

PROJECT: dict[str, Any] = {
    "id": "INDIGO-POJ-9001",
    "name": {"value": '=HYPERLINK("http://example.org")'},
    "alternative_names": {"value": "+44 line\nsecond line"},
    "notes": {"value": "@risk"},
    "dates": {"actual_duration_of_service_provision": {"value": 0.30000000000000004}},
    "overall_project_finance": {"total_investment_commitment": {"amount": {"exact": {"value": 2**60}}}},
    "investments": [
        {
            "id": "inv1",
            "organisation_id": {"value": "INDIGO-ORG-9001"},
            "maximum_potential_return": {"value": -12.5},
        },
        {"id": "inv2", "investment_type": {"value": "-debt"}},
    ],
}
ORGANISATION: dict[str, Any] = {"id": "INDIGO-ORG-9001", "name": {"value": "Example Trust"}}
FUND: dict[str, Any] = {
    "id": "INDIGO-FUND-9001",
    "name": {"value": "Example Fund"},
    "organisations": [{"organisation_id": {"value": "INDIGO-ORG-9001"}}],
}
PIPELINE: dict[str, Any] = {
    "id": "INDIGO-PL-9001",
    "name": {"value": "Example pipeline"},
    "misc2": {"source_ids": "s1"},
    "extra_columns": {"Delivery Locations - Name": "Here"},
}
RECORDS = [PROJECT, ORGANISATION, FUND, PIPELINE]


def _records(path: Path) -> list[Any]:
    return [item.data for item in read_flat(path) if item.entity != NOTICES_ONLY]


def test_sheet_names_fit_excel_and_map_back() -> None:
    names = {sheet.name for version in SUPPORTED_VERSIONS for sheet in layout(version).sheets}
    titles = {sheet_title(name) for name in names}
    assert len(titles) == len(names)
    for name in names:
        assert len(sheet_title(name)) <= 31
        assert sheet_for_title(sheet_title(name)) == name
    assert sheet_title("projects_outcome_payment_commitments") == "projects_outcome_payment_commit"


def test_headers_come_from_titles() -> None:
    sheet = layout("4.1").sheet("projects_investments")
    assert sheet is not None
    assert sheet.headers[:3] == ("Project ID", "Id", "Organisation ID - (Value)")
    funds = layout("4.1").sheet("funds")
    assert funds is not None and "Fund - Name" in funds.headers


@given(st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False)))
def test_numbers_survive_text(value: int | float) -> None:
    parsed = parse_number(to_text(value))
    assert parsed == value and type(parsed) is type(value)


@given(
    st.decimals(allow_nan=False, allow_infinity=False)
    | st.decimals(places=12, allow_nan=False, allow_infinity=False)
)
def test_decimals_survive_text(value: Decimal) -> None:
    """A number written as a cell reads back as the same number (a float only when its shortest
    form has the same digits), and writing it again gives the same cell text."""
    text = to_text(value)
    parsed = parse_number(text)
    assert isinstance(parsed, int | float | Decimal)
    assert (Decimal(repr(parsed)) if isinstance(parsed, float) else parsed) == value
    assert to_text(parsed) == to_text(parse_number(to_text(parsed)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12345678901234567.891", Decimal("12345678901234567.891")),
        ("0.1000000000000000055511", Decimal("0.1000000000000000055511")),
        ("2.50", Decimal("2.50")),
        (str(2**64), 2**64),
        ("1.5", 1.5),
    ],
)
def test_long_decimals_are_numbers(text: str, expected: object) -> None:
    """A number a float cannot hold exactly is read as a Decimal, not kept as text; the cell
    is written back exactly as it was."""
    parsed = parse_number(text)
    assert parsed == expected and type(parsed) is type(expected)
    assert to_text(parsed) == text


@pytest.mark.parametrize("text", ["TBD", "C$4,000,000", "10,000 - 15,000", "$", " 5", "007", "1.", ".5"])
def test_text_in_number_fields_is_kept(text: str) -> None:
    assert parse_number(text) == text


def test_formula_like_text_is_stored_as_text(tmp_path: Path) -> None:
    book = tmp_path / "data.xlsx"
    write_xlsx(RECORDS, book, "4.1")
    sheet = load_workbook(book)["projects"]
    header = [cell.value for cell in sheet[1]]
    row = sheet[2]
    for column in ("Impact Bond Name - (Value)", "Alternative Names - (Value)", "Notes - (Value)"):
        cell = row[header.index(column)]
        assert cell.data_type == "s" and cell.quotePrefix
    assert _records(book) == RECORDS


def test_xlsx_write_is_atomic(tmp_path: Path) -> None:
    book = tmp_path / "data.xlsx"
    write_xlsx(RECORDS, book, "4.1")
    before = book.read_bytes()
    bad = {"id": "INDIGO-ORG-9002", "name": {"value": "x" * 40001}}
    with pytest.raises(InputError, match="32,767"):
        write_xlsx([*RECORDS, bad], book, "4.1")
    assert book.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["data.xlsx"]


def test_template_has_every_column_and_a_filled_row_validates(tmp_path: Path) -> None:
    blank = tmp_path / "blank.xlsx"
    result = run_cli("template", "--schema-version", "4.1", "-o", str(blank))
    assert result.returncode == 0, result.stderr
    book = load_workbook(blank)
    lay = layout("4.1")
    helpers = ["Instructions", "Fields", "Codelists"]
    assert book.sheetnames == [helpers[0], *(sheet_title(s.name) for s in lay.sheets), *helpers[1:]]
    for sheet in lay.sheets:
        assert tuple(c.value for c in book[sheet_title(sheet.name)][1]) == sheet.headers
    projects = book["projects"]
    header = [c.value for c in projects[1]]
    projects.cell(row=2, column=1, value="INDIGO-POJ-0999")
    projects.cell(row=2, column=header.index("Impact Bond Name - (Value)") + 1, value="My bond")
    projects.cell(row=2, column=header.index("Stage of Development - (Value)") + 1, value="Implementation")
    book.save(blank)
    ok = run_cli("validate", str(blank), "--format", "json")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert json.loads(ok.stdout)["records"] == 1
    projects.cell(row=2, column=header.index("Stage of Development - (Value)") + 1, value="Nearly done")
    book.save(blank)
    bad = run_cli("validate", str(blank), "--format", "json")
    assert bad.returncode == 1
    issue = next(i for i in json.loads(bad.stdout)["issues"] if i["code"] == "schema.enum")
    column = "Stage of Development - (Value)"
    assert issue["source"] == {"file": f"{blank}/projects", "row": 2, "column": column}


FORMATS = {
    "json": "data.json",
    "jsonl": "data.jsonl",
    "csv": "data_csv",
    "zip": "data.zip",
    "xlsx": "data.xlsx",
}


@pytest.mark.parametrize("first", sorted(FORMATS))
def test_convert_in_every_direction(first: str, tmp_path: Path) -> None:
    source = tmp_path / "source.json"
    package = {
        "schema_version": "4.1",
        "projects": [PROJECT],
        "organisations": [ORGANISATION],
        "funds": [FUND],
        "pipelines": [PIPELINE],
    }
    source.write_text(json.dumps(package), encoding="utf-8")
    middle = tmp_path / first / FORMATS[first]
    middle.parent.mkdir()
    assert main(["convert", str(source), str(middle)]) == 0
    for second, name in FORMATS.items():
        out = tmp_path / f"{first}-{second}" / name
        out.parent.mkdir()
        assert main(["convert", str(middle), str(out)]) == 0
        back = tmp_path / f"{first}-{second}" / "back.json"
        assert main(["convert", str(out), str(back), "--json-form", "list"]) == 0
        assert json.loads(back.read_text(encoding="utf-8")) == RECORDS, (first, second)


def test_convert_subprocess_and_orphan_rows(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    source = tmp_path / "in.json"
    source.write_text(json.dumps(RECORDS), encoding="utf-8")
    result = run_cli("convert", str(source), str(folder))
    assert result.returncode == 0, result.stderr
    rows = (folder / "projects_investments.csv").read_text(encoding="utf-8")
    (folder / "projects_investments.csv").write_text(rows + "INDIGO-POJ-4040,inv9\n", encoding="utf-8")
    with (folder / "projects.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    report = run_cli("validate", str(folder), "--format", "json")
    assert report.returncode == 1
    orphan = next(i for i in json.loads(report.stdout)["issues"] if i["code"] == "flat.orphan-row")
    where = {"file": str(folder / "projects_investments.csv"), "row": 4, "column": "Project ID"}
    assert orphan["source"] == where
    target = tmp_path / "out.xlsx"
    refused = run_cli("convert", str(folder), str(target))
    assert refused.returncode == 1 and "belong to no record" in refused.stderr
    assert not target.exists()


def test_unknown_column_is_kept_and_written_back(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    assert main(["convert", str(_write(tmp_path, [ORGANISATION])), str(folder)]) == 0
    text = (folder / "organisations.csv").read_text(encoding="utf-8").splitlines()
    text[0] += ",Favourite colour"
    text[1] += ',"blue, mostly"'
    (folder / "organisations.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    items = list(read_flat(folder))
    notices = [n for item in items for n in item.notices]
    assert [(n.code, n.cell.row, n.cell.column) for n in notices] == [
        ("flat.unknown-column", 1, "Favourite colour")
    ]
    (record,) = [item.data for item in items if item.entity != NOTICES_ONLY]
    assert record["extra_columns"] == {"Favourite colour": "blue, mostly"}
    again = tmp_path / "again"
    assert main(["convert", str(folder), str(again)]) == 0
    assert "Favourite colour" in (again / "organisations.csv").read_text(encoding="utf-8").splitlines()[0]


def _write(tmp_path: Path, records: list[Any]) -> Path:
    path = tmp_path / "records.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def test_unreadable_flat_input_is_a_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"not a workbook")
    result = run_cli("validate", str(bad))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "broken.xlsx" in result.stderr
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "projects.csv").write_text("Name\nx\n", encoding="utf-8")
    result = run_cli("validate", str(folder))
    assert result.returncode == 2 and "'ID'" in result.stderr

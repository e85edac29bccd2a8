"""The XLSX template helps fill itself: dropdowns from the code lists, descriptions, links, instructions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter

import indigo_standard as indigo
from indigo_standard.flat.layout import layout
from indigo_standard.flat.sheets import sheet_title
from indigo_standard.registry import priorities

HELPERS = ("Instructions", "Fields", "Codelists")


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 4.1 template, written by the command line."""
    path = tmp_path_factory.mktemp("template") / "blank.xlsx"
    done = run_cli("template", "-o", str(path))
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == f"wrote an empty INDIGO 4.1 template to {path}"
    return path


@pytest.fixture(scope="module")
def book(blank: Path) -> Any:
    return load_workbook(blank)


def _rules(ws: Any) -> dict[str, Any]:
    """Each validated column's letter, with its rule (checking the rule covers every row below the header)."""
    found = {}
    for rule in ws.data_validations.dataValidation:
        for cells in rule.sqref.ranges:
            assert (cells.min_row, cells.max_row) == (2, 1048576), cells.coord
            assert cells.min_col == cells.max_col, cells.coord
            found[get_column_letter(cells.min_col)] = rule
    return found


def _range_values(book: Any, formula: str) -> list[Any]:
    """The values of the cells a list validation's range names, such as Codelists!$A$2:$A$4."""
    sheet, _, cells = formula.lstrip("=").rpartition("!")
    first, last = cells.replace("$", "").split(":")
    column = "".join(ch for ch in first if ch.isalpha())
    assert column == "".join(ch for ch in last if ch.isalpha())
    rows = range(int(first[len(column) :]), int(last[len(column) :]) + 1)
    ws = book[sheet.strip("'")]
    index = column_index_from_string(column)
    return [ws.cell(row=row, column=index).value for row in rows]


def test_every_coded_column_has_a_dropdown_of_its_codes(book: Any) -> None:
    checked = 0
    for sheet in layout("4.1").sheets:
        ws = book[sheet_title(sheet.name)]
        rules = _rules(ws)
        for index, column in enumerate(sheet.columns, start=2):
            if column.field.enum is None:
                continue
            rule = rules.get(get_column_letter(index))
            assert rule is not None, (sheet.name, column.header)
            assert (rule.type, rule.errorStyle, rule.allow_blank) == ("list", "stop", True)
            assert rule.formula1.startswith("Codelists!$"), rule.formula1
            assert _range_values(book, rule.formula1) == list(column.field.enum), (sheet.name, column.header)
            checked += 1
    assert checked == 219


def test_the_code_lists_carry_their_titles(book: Any) -> None:
    ws = book["Codelists"]
    headers = [cell.value for cell in ws[1]]
    assert "status" in headers and "countries" in headers
    countries = headers.index("countries") + 1
    codes = {
        ws.cell(row=r, column=countries).value: ws.cell(row=r, column=countries + 1).value
        for r in range(2, ws.max_row + 1)
    }
    assert codes["GB"] == "United Kingdom"
    assert headers[countries] == "countries (title)"


def test_id_columns_offer_the_ids_of_the_sheet_they_link_to(book: Any) -> None:
    investments = _rules(book["projects_investments"])
    assert investments["A"].formula1 == "'projects'!$A$2:$A$1048576"
    assert investments["A"].errorStyle == "warning"
    header = [cell.value for cell in book["projects_investments"][1]]
    organisation = get_column_letter(header.index("Organisation ID - (Value)") + 1)
    assert investments[organisation].formula1 == "'organisations'!$A$2:$A$1048576"
    secondary = _rules(book[sheet_title("organisations_org-idssecondary")])
    assert secondary["A"].formula1 == "'organisations'!$A$2:$A$1048576"
    projects = book["projects"]
    header = [cell.value for cell in projects[1]]
    sources = get_column_letter(header.index("Dates - (Source ID's)") + 1)
    assert sources not in _rules(projects), "a cell of comma-separated ids gets no dropdown"


def test_headers_are_described_sized_filtered_and_frozen(book: Any) -> None:
    lay = layout("4.1")
    for sheet in lay.sheets:
        ws = book[sheet_title(sheet.name)]
        assert tuple(cell.value for cell in ws[1]) == sheet.headers
        assert ws.freeze_panes == "B2"
        assert ws.auto_filter.ref == f"A1:{get_column_letter(len(sheet.headers))}1"
        for index, column in enumerate(sheet.columns, start=2):
            letter = get_column_letter(index)
            comment = ws[f"{letter}1"].comment
            assert comment is not None and column.field.description in comment.text, (sheet.name, letter)
            assert 10 <= ws.column_dimensions[letter].width <= 45
        assert "one row per" in ws["A1"].comment.text
    comment = book["projects"]["A1"].comment.text
    assert "INDIGO-POJ-" in comment


def test_the_fields_sheet_lists_every_column_with_its_priority(book: Any) -> None:
    ws = book["Fields"]
    header = [cell.value for cell in ws[1]]
    assert header == [
        "Sheet",
        "Column",
        "Title path",
        "JSON path",
        "Type",
        "Priority",
        "Codes",
        "Links to",
        "Description",
    ]
    rows = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    lay = layout("4.1")
    expected = [(sheet, column) for sheet in lay.sheets for column in (None, *sheet.columns)]
    assert len(rows) == len(expected) == sum(len(sheet.headers) for sheet in lay.sheets)
    ranked = 0
    for row, (sheet, column) in zip(rows, expected, strict=True):
        assert row["Sheet"] == sheet.name
        if column is None:
            assert row["Column"] == sheet.key_column
            continue
        assert row["Column"] == column.header
        assert row["JSON path"] == column.field.path
        assert (row["Description"] or "") == column.field.description
        level = priorities("4.1").get(sheet.entity, {}).get(column.field.path)
        assert row["Priority"] == level
        ranked += level is not None
        assert bool(row["Codes"]) == (column.field.enum is not None)
    assert ranked > 100
    link = next(
        r for r in rows if (r["Sheet"], r["Column"]) == ("projects_investments", "Organisation ID - (Value)")
    )
    assert link["Links to"] == "organisations ID"


def test_instructions_come_first_and_say_which_sheet_links_to_which(book: Any) -> None:
    assert book.sheetnames[0] == "Instructions"
    assert book.sheetnames[-2:] == ["Fields", "Codelists"]
    rows = [tuple(r) for r in book["Instructions"].iter_rows(values_only=True)]
    assert any("indigo-standard validate" in str(r[0]) for r in rows)
    header = rows.index(("Sheet", "Column", "holds the id of", "found on sheet", "in column"))
    found = rows[header + 1 :]
    assert (
        "projects_investments",
        "Project ID",
        "the project this row belongs to",
        "projects",
        "ID",
    ) in found
    assert (
        "projects_investments",
        "Organisation ID - (Value)",
        "an organisation",
        "organisations",
        "ID",
    ) in found
    assert (
        "projects_results",
        "Outcome Metric Id - (Value)",
        "an item of the same project's outcome_metrics",
        "projects_outcome_metrics",
        "Id",
    ) in found
    assert len(found) > 100


def test_the_template_reads_back_as_an_empty_valid_dataset(blank: Path) -> None:
    report = indigo.validate(blank)
    assert (report.valid, report.records, list(report.issues)) == (True, 0, [])
    assert list(indigo.iter_path(blank)) == []
    done = run_cli("validate", str(blank), "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["valid"], data["records"], data["errors"], data["warnings"]) == (True, 0, 0, 0)
    assert data["schema_version"] == "4.1"


def test_a_filled_template_reads_only_its_data_sheets(blank: Path, tmp_path: Path) -> None:
    book = load_workbook(blank)
    projects = book["projects"]
    header = [cell.value for cell in projects[1]]
    projects.append(
        {1: "INDIGO-POJ-0999", header.index("Stage of Development - (Value)") + 1: "Implementation"}
    )
    investments = book["projects_investments"]
    header = [cell.value for cell in investments[1]]
    investments.append(
        {1: "INDIGO-POJ-0999", header.index("Organisation ID - (Value)") + 1: "INDIGO-ORG-0001"}
    )
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    records = [item for item in indigo.iter_path(filled) if item.entity != "notices"]
    assert [r.data for r in records] == [
        {
            "id": "INDIGO-POJ-0999",
            "stage_development": {"value": "Implementation"},
            "investments": [{"organisation_id": {"value": "INDIGO-ORG-0001"}}],
        }
    ]
    report = indigo.validate(filled)
    assert report.records == 1
    assert not [i for i in report.issues if i.code.startswith("flat.")], report.issues


@pytest.mark.parametrize("version", ["3.1", "4.0"])
def test_older_versions_get_the_same_help(version: str, tmp_path: Path) -> None:
    path = tmp_path / f"blank-{version}.xlsx"
    done = run_cli("template", "--schema-version", version, "-o", str(path))
    assert done.returncode == 0, done.stderr
    book = load_workbook(path)
    coded = 0
    for sheet in layout(version).sheets:
        rules = _rules(book[sheet_title(sheet.name)])
        for index, column in enumerate(sheet.columns, start=2):
            if column.field.enum is not None:
                assert _range_values(book, rules[get_column_letter(index)].formula1) == list(
                    column.field.enum
                )
                coded += 1
    assert coded > 50
    assert indigo.validate(path).valid


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("blank.txt", "'.txt' names no output format"),
        ("blank.json", "a template is a workbook, a zip or a CSV folder, not JSON"),
    ],
)
def test_template_refuses_an_output_it_cannot_write(name: str, message: str, tmp_path: Path) -> None:
    done = run_cli("template", "-o", str(tmp_path / name))
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_csv_template_is_a_folder_of_empty_tables(tmp_path: Path) -> None:
    done = run_cli("template", "-o", str(tmp_path / "blank"))
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in (tmp_path / "blank").iterdir())
    assert names == sorted([*(f"{sheet.name}.csv" for sheet in layout("4.1").sheets), "datapackage.json"])
    assert indigo.validate(tmp_path / "blank").valid

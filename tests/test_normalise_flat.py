"""``normalise`` on spreadsheets: a CSV folder, a zip or a workbook in, the same form out, every
change located by file, row and column."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli
from openpyxl import load_workbook

import indigo_standard as indigo
from indigo_standard.flat.writer import write_csv_folder, write_zip
from indigo_standard.flat.xlsx import write_xlsx

PROJECT = {
    "id": "INDIGO-POJ-0001",
    "name": {"value": "A bond"},
    "stage_development": {"value": "  service  delivery COMPLETE "},
    "dates": {"outcomes_contract_signed": {"value": "March 2019"}},
    "jurisdiction": {"jurisdiction": {"value": "United Kingdom"}},
    "overall_project_finance": {"maximum_potential_outcome_payment_v2": {"amount": {"value": "GBP 1.2m"}}},
    "outcome_pricings": [
        {"currency": {"value": "gbp"}, "price_per_unit": {"amount": {"value": "2,500"}}},
        {"currency": {"value": "£"}, "price_per_unit": {"amount": {"value": "1.2 million"}}},
    ],
}
ORGANISATION = {"id": "INDIGO-ORG-0001", "name": {"value": "An investor"}}
RECORDS = [PROJECT, ORGANISATION]
WRITERS = {
    "csv": ("data", write_csv_folder),
    "zip": ("data.zip", write_zip),
    "xlsx": ("data.xlsx", write_xlsx),
}
OUTPUTS = {"csv": "fixed", "zip": "fixed.zip", "xlsx": "fixed.xlsx"}
AMOUNT = "Overall project finance - Maximum potential outcome payment - Amount - (Value)"
CURRENCY = "Overall project finance - Maximum potential outcome payment - Currency - (Value)"


def _files(form: str, source: Path) -> dict[str, str]:
    """How reports name the projects table and the pricings table of each form."""
    if form == "xlsx":
        return {"projects": f"{source}/projects", "pricings": f"{source}/projects_outcome_pricings"}
    return {"projects": f"{source}/projects.csv", "pricings": f"{source}/projects_outcome_pricings.csv"}


def _snapshot(path: Path) -> dict[str, bytes]:
    if path.is_dir():
        return {p.name: p.read_bytes() for p in sorted(path.iterdir())}
    return {path.name: path.read_bytes()}


@pytest.mark.parametrize("form", sorted(WRITERS))
def test_normalise_writes_the_same_form_and_locates_every_change(form: str, tmp_path: Path) -> None:
    name, writer = WRITERS[form]
    source = tmp_path / name
    writer(RECORDS, source, "4.1")
    before = _snapshot(source)
    target = tmp_path / OUTPUTS[form]
    done = run_cli("normalise", str(source), "-o", str(target), "--format", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert _snapshot(source) == before
    report = json.loads(done.stdout)
    files = _files(form, source)
    located = {
        (c["path"], c["source"]["file"], c["source"]["row"], c["source"]["column"], json.dumps(c["after"]))
        for c in report["changes"]
    }
    assert located == {
        (
            "/stage_development/value",
            files["projects"],
            2,
            "Stage of Development - (Value)",
            '"Service delivery complete"',
        ),
        (
            "/dates/outcomes_contract_signed/value",
            files["projects"],
            2,
            "Dates - Date outcomes contract signed - (Value)",
            '"2019-03"',
        ),
        (
            "/jurisdiction/jurisdiction/value",
            files["projects"],
            2,
            "Jurisdiction - Jurisdiction - (Value)",
            '"GB"',
        ),
        (
            "/overall_project_finance/maximum_potential_outcome_payment_v2/amount/value",
            files["projects"],
            2,
            AMOUNT,
            "1200000",
        ),
        # the currency cell was empty: the change names the cell it was written to
        (
            "/overall_project_finance/maximum_potential_outcome_payment_v2/currency/value",
            files["projects"],
            2,
            CURRENCY,
            '"GBP"',
        ),
        ("/outcome_pricings/0/currency/value", files["pricings"], 2, "Currency - (Value)", '"GBP"'),
        (
            "/outcome_pricings/0/price_per_unit/amount/value",
            files["pricings"],
            2,
            "Price Per Unit - Amount - (Value)",
            "2500",
        ),
        ("/outcome_pricings/1/currency/value", files["pricings"], 3, "Currency - (Value)", '"GBP"'),
        (
            "/outcome_pricings/1/price_per_unit/amount/value",
            files["pricings"],
            3,
            "Price Per Unit - Amount - (Value)",
            "1200000",
        ),
    }
    assert (report["fixed"], report["left"]) == (9, 0)
    # the output is the same form, and holds what normalising the JSON records gives
    if form == "csv":
        assert (target / "projects.csv").is_file()
    elif form == "zip":
        assert "projects.csv" in zipfile.ZipFile(target).namelist()
    else:
        assert "projects" in load_workbook(target, read_only=True).sheetnames
    written = [item.data for item in indigo.iter_path(target) if item.entity != "notices"]
    expected = [indigo.normalise(record) for record in RECORDS]
    assert json.dumps(written, sort_keys=True) == json.dumps(expected, sort_keys=True)
    assert indigo.validate(target).valid


def test_the_text_report_names_file_row_and_column_like_validate(tmp_path: Path) -> None:
    source = tmp_path / "data.xlsx"
    write_xlsx(RECORDS, source, "4.1")
    done = run_cli("normalise", str(source), "-o", str(tmp_path / "fixed.xlsx"))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert (
        f"fixed {source}/projects, row 2, column 'Stage of Development - (Value)': INDIGO-POJ-0001 "
        '/stage_development/value: "  service  delivery COMPLETE " -> "Service delivery complete"'
    ) in lines
    assert lines[-1] == f"fixed 9 values, left 0 for you to check; wrote {tmp_path / 'fixed.xlsx'}"


def test_values_left_unread_are_located_and_exit_1(tmp_path: Path) -> None:
    messy: dict[str, Any] = {**PROJECT, "dates": {"outcomes_contract_signed": {"value": "soon"}}}
    source = tmp_path / "data"
    write_csv_folder([messy], source, "4.1")
    done = run_cli("normalise", str(source), "-o", str(tmp_path / "fixed"), "--format", "json")
    assert done.returncode == 1
    left = [c for c in json.loads(done.stdout)["changes"] if "problem" in c]
    assert left == [
        {
            "record": "INDIGO-POJ-0001",
            "path": "/dates/outcomes_contract_signed/value",
            "before": "soon",
            "problem": "not a date this tool can read",
            "source": {
                "file": f"{source}/projects.csv",
                "row": 2,
                "column": "Dates - Date outcomes contract signed - (Value)",
            },
        }
    ]
    written = [item.data for item in indigo.iter_path(tmp_path / "fixed") if item.entity == "project"]
    assert written[0]["dates"] == {"outcomes_contract_signed": {"value": "soon"}}


def test_rows_that_belong_to_no_record_stop_it_and_nothing_is_written(tmp_path: Path) -> None:
    source = tmp_path / "data"
    write_csv_folder(RECORDS, source, "4.1")
    pricings = source / "projects_outcome_pricings.csv"
    pricings.write_text(pricings.read_text(encoding="utf-8") + "INDIGO-POJ-9999,,GBP\n", encoding="utf-8")
    done = run_cli("normalise", str(source), "-o", str(tmp_path / "fixed"))
    assert done.returncode == 1
    assert "[flat.orphan-row]" in done.stderr and "nothing was written" in done.stderr
    assert not (tmp_path / "fixed").exists()


def test_a_spreadsheet_can_be_normalised_to_json_and_json_to_a_spreadsheet(tmp_path: Path) -> None:
    source = tmp_path / "data.zip"
    write_zip(RECORDS, source, "4.1")
    done = run_cli("normalise", str(source), "-o", str(tmp_path / "fixed.json"))
    assert done.returncode == 0, done.stderr
    package = json.loads((tmp_path / "fixed.json").read_text(encoding="utf-8"))
    assert package["schema_version"] == "4.1"
    assert package["projects"][0]["stage_development"] == {"value": "Service delivery complete"}
    plain = tmp_path / "records.json"
    plain.write_text(json.dumps(RECORDS), encoding="utf-8")
    done = run_cli("normalise", str(plain), "-o", str(tmp_path / "fixed.xlsx"))
    assert done.returncode == 0, done.stderr
    back = [item.data for item in indigo.iter_path(tmp_path / "fixed.xlsx") if item.entity == "project"]
    assert back[0]["jurisdiction"] == {"jurisdiction": {"value": "GB"}}


@pytest.mark.parametrize("name", ["fixed.txt", "fixed.csv"])
def test_normalise_refuses_an_output_name_that_names_no_format(name: str, tmp_path: Path) -> None:
    source = tmp_path / "data.xlsx"
    write_xlsx(RECORDS, source, "4.1")
    done = run_cli("normalise", str(source), "-o", str(tmp_path / name))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.xlsx"]

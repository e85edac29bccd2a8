"""Statuses survive flat formats: headers in any case, merged XLSX cells, and no status lost by convert."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli
from openpyxl import Workbook

from indigo_standard.flat import read_flat, write_csv_folder, write_xlsx
from indigo_standard.publishing.filter import publish
from indigo_standard.reading.records import NOTICES_ONLY
from indigo_standard.writing.convert import convert

RECORDS: list[dict[str, Any]] = [
    {
        "id": "INDIGO-POJ-1",
        "status": "PUBLIC",
        "name": {"value": "Project one"},
        "stage_development": {"value": "Complete", "status": "PRIVATE"},
        "results": [
            {"status": "SANDBOX", "sandboxes": "alpha", "notes": "sandboxed result"},
            {"status": "PUBLIC", "notes": "public result"},
        ],
        "outcome_payment_commitments": [
            {
                "status": "PUBLIC",
                "maximum_potential_outcome_payment": {"currency": {"value": "GBP", "status": "PRIVATE"}},
            }
        ],
        "sources": [{"id": "s1", "status": "DISPUTED", "name": {"value": "disputed source"}}],
    },
    {
        "id": "INDIGO-ORG-1",
        "status": "PRIVATE",
        "name": {"value": "Private org"},
        "contact": {"email": {"value": "x@y.z", "status": "PUBLIC"}},
    },
]


def statuses(value: Any, path: str = "") -> dict[str, Any]:
    """Every status and sandbox list, by JSON pointer."""
    found: dict[str, Any] = {}
    if isinstance(value, dict):
        for key, child in value.items():
            if key in ("status", "sandboxes"):
                found[f"{path}/{key}"] = child
            found.update(statuses(child, f"{path}/{key}"))
    elif isinstance(value, list):
        for n, child in enumerate(value):
            found.update(statuses(child, f"{path}/{n}"))
    return found


def records_of(path: Path) -> list[dict[str, Any]]:
    return [item.data for item in read_flat(path) if item.entity != NOTICES_ONLY]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_status_the_schema_places_survives_a_round_trip(fmt: str, tmp_path: Path) -> None:
    target = tmp_path / ("flat.xlsx" if fmt == "xlsx" else "flat")
    (write_xlsx if fmt == "xlsx" else write_csv_folder)(RECORDS, target, "4.1")
    back = records_of(target)
    assert [r["id"] for r in back] == ["INDIGO-POJ-1", "INDIGO-ORG-1"]
    for original, read in zip(RECORDS, back, strict=True):
        assert statuses(read) == statuses(original)
    assert len(statuses(back)) == 10


def _rewrite_csv_header(path: Path, change: dict[str, str]) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[0] = [change.get(header, header) for header in rows[0]]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def test_status_headers_are_recognised_in_any_letter_case(tmp_path: Path) -> None:
    folder = tmp_path / "flat"
    write_csv_folder(RECORDS, folder, "4.1")
    _rewrite_csv_header(
        folder / "projects.csv",
        {"Status": "status", "Stage of Development - (Status)": " stage of development -  (STATUS) "},
    )
    _rewrite_csv_header(
        folder / "projects_results.csv", {"Status": "STATUS", "(In Sandboxes)": "(in sandboxes)"}
    )
    _rewrite_csv_header(folder / "organisations.csv", {"Status": "sTaTuS"})
    back = records_of(folder)
    for original, read in zip(RECORDS, back, strict=True):
        assert statuses(read) == statuses(original)
    out = tmp_path / "public.json"
    done = run_cli("publish", str(folder), "-o", str(out))
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert "Complete" not in text and "sandboxed result" not in text and "Private org" not in text
    assert "public result" in text and "Project one" in text


def test_a_merged_cell_counts_in_every_cell_it_covers(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "projects"
    sheet.append(
        [
            "ID",
            "Status",
            "Impact Bond Name - (Value)",
            "Stage of Development - (Value)",
            "Stage of Development - (Status)",
        ]
    )
    sheet.append(["INDIGO-POJ-1", "PRIVATE", "secret one", "Complete", "PUBLIC"])
    sheet.append(["INDIGO-POJ-2", None, "secret two", "Complete", None])
    sheet.append(["INDIGO-POJ-3", None, "secret three", "Implementation", None])
    sheet.append(["INDIGO-POJ-4", "PUBLIC", "shown four", "Contracted", "PRIVATE"])
    sheet.append(["INDIGO-POJ-5", "PUBLIC", "shown five", "Contracted", None])
    sheet.merge_cells("B2:B4")  # one PRIVATE over three projects
    sheet.merge_cells("E5:E6")  # one PRIVATE over two stages
    sheet.merge_cells("D5:D6")
    items = book.create_sheet("projects_results")
    items.append(["Project ID", "Notes", "Status"])
    items.append(["INDIGO-POJ-4", "hidden result a", "DISPUTED"])
    items.append(["INDIGO-POJ-4", "hidden result b", None])
    items.append(["INDIGO-POJ-5", "public result", "PUBLIC"])
    items.merge_cells("C2:C3")
    book.save(tmp_path / "book.xlsx")
    read = {r["id"]: r for r in records_of(tmp_path / "book.xlsx")}
    assert [read[f"INDIGO-POJ-{n}"]["status"] for n in (1, 2, 3)] == ["PRIVATE"] * 3
    assert read["INDIGO-POJ-5"]["stage_development"] == {"value": "Contracted", "status": "PRIVATE"}
    assert [r["status"] for r in read["INDIGO-POJ-4"]["results"]] == ["DISPUTED", "DISPUTED"]
    out = tmp_path / "public.json"
    done = run_cli("publish", str(tmp_path / "book.xlsx"), "-o", str(out))
    assert done.returncode == 0, done.stderr
    published = json.loads(out.read_text(encoding="utf-8"))
    assert json.dumps(published) == json.dumps(
        [
            {"id": "INDIGO-POJ-4", "name": {"value": "shown four"}},
            {"id": "INDIGO-POJ-5", "name": {"value": "shown five"}, "results": [{"notes": "public result"}]},
        ]
    )


LOST = [
    (
        {"id": "INDIGO-POJ-9", "status": "PUBLIC", "name": {"value": "n", "status": "PRIVATE"}},
        "/name/status",
        "/name/status",
    ),
    ({"id": "INDIGO-POJ-9", "Status": "PRIVATE", "name": {"value": "n"}}, "/Status", "/Status"),
    ({"id": "INDIGO-POJ-9", "status": "PUBLIC", "ext": {"value": "n", "status": "PRIVATE"}}, "/ext", "/ext"),
    (
        {"id": "INDIGO-ORG-9", "status": "PUBLIC", "sources": [{"id": "s", "sandboxes": "alpha"}]},
        "/sources/0/sandboxes",
        "/sandboxes",
    ),
]
"""Records with a status the layout has no column for: where it is, and the kept column it goes to
(an unknown object is kept whole; a list item's column is relative to the item)."""


@pytest.mark.parametrize(("record", "where", "column"), LOST)
@pytest.mark.parametrize("name", ["flat", "flat.xlsx", "flat.zip", "flat.sqlite"])
def test_a_status_without_a_column_of_the_layout_gets_a_kept_column(
    record: dict[str, Any], where: str, column: str, name: str, tmp_path: Path
) -> None:
    """A status the layout has no column for is written to a kept column, read back in place, and
    publishing the flat file withholds exactly what publishing the JSON does."""
    source = tmp_path / "in.json"
    source.write_text(json.dumps([RECORDS[0], record]), encoding="utf-8")
    summary = convert(source, tmp_path / name)
    assert [(k.header, k.record, k.pointer) for k in summary.kept if k.header == column] == [
        (column, record["id"], where)
    ]
    back = records_of(tmp_path / name)
    assert json.dumps(back) == json.dumps([RECORDS[0], record])
    public = [publish(r) for r in back]
    assert json.dumps(public) == json.dumps([publish(r) for r in [RECORDS[0], record]])
    assert '"n"' not in json.dumps(public) and "alpha" not in json.dumps(public)


def test_convert_names_each_kept_status_and_publishing_the_flat_file_withholds_it(tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text(json.dumps([RECORDS[0], *(record for record, _, _ in LOST[:2])]), encoding="utf-8")
    done = run_cli("convert", str(source), str(tmp_path / "flat"))
    assert done.returncode == 0, done.stderr
    for record, where, column in LOST[:2]:
        assert f"projects.csv, column {column!r}: record {record['id']}, field {where}:" in done.stderr
    published = []
    for given in (source, tmp_path / "flat"):
        out = tmp_path / f"public-{given.name}.json"
        result = run_cli("publish", str(given), "-o", str(out))
        assert result.returncode == 0, result.stderr
        published.append(out.read_text(encoding="utf-8"))
    assert published[0] == published[1] and "Project one" in published[0] and '"n"' not in published[0]


def test_empty_statuses_and_extra_columns_do_not_stop_a_conversion(tmp_path: Path) -> None:
    record = {
        "id": "INDIGO-POJ-9",
        "status": "PUBLIC",
        "name": {"value": "n", "status": ""},
        "extra_columns": {"Status note": "x"},
    }
    source = tmp_path / "in.json"
    source.write_text(json.dumps([record]), encoding="utf-8")
    assert convert(source, tmp_path / "flat").written

"""``convert`` streams: the same bytes as converting in memory, bounded memory, atomic output."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, run_cli
from openpyxl import load_workbook

from indigo_standard.flat import layout, read_flat
from indigo_standard.flat.cells import protect_csv_text, to_text
from indigo_standard.reading.records import NOTICES_ONLY

EXPORT = FIXTURES / "golab-indigo-export"

# Extra columns appear in a list's sheet after rows were already written (so earlier rows
# are padded), next to cells holding line breaks, quotes and commas. Every value has a column
# of the layout (values that have none go to kept columns: see test_flat_kept.py).
RECORDS: list[dict[str, Any]] = [
    {
        "id": "INDIGO-POJ-1",
        "name": {"value": 'first,\n"quoted" line\r\nend'},
        "investments": [{"id": "i1", "notes": 'a\nb "c"'}, {"id": "i2"}],
    },
    {"id": "INDIGO-ORG-1", "name": {"value": "Trust é 中 😀"}, "extra_columns": {"Alpha": "1"}},
    {
        "id": "INDIGO-POJ-2",
        "name": {"value": "5"},
        "investments": [{"id": "i3", "extra_columns": {"Colour": "red\nish"}}],
    },
    {"id": "INDIGO-FUND-1", "name": {"value": "=1+1"}},
    {
        "id": "INDIGO-POJ-3",
        "overall_project_finance": {"total_investment_commitment": {"amount": {"exact": {"value": 2**70}}}},
        "investments": [{"id": "i4", "extra_columns": {"Colour": "blue", "Size": '"L"'}}],
    },
    {"id": "INDIGO-ORG-2", "extra_columns": {"Beta": "b,2"}},
    {"id": "INDIGO-PL-1", "name": {"value": "p"}, "extra_columns": {"Delivery Locations - Name": "Here"}},
    {"id": "INDIGO-POJ-4", "dates": {"actual_duration_of_service_provision": {"value": 0.30000000000000004}}},
]
ENVELOPE = {"publisher": {"name": "Example"}, "schema_version": "4.1", "licence": "CC-BY"}
LISTS = {"project": "projects", "organisation": "organisations", "fund": "funds", "pipeline": "pipelines"}
PREFIXES = {
    "INDIGO-POJ-": "project",
    "INDIGO-ORG-": "organisation",
    "INDIGO-FUND-": "fund",
    "INDIGO-PL-": "pipeline",
}


def _type(record: Mapping[str, Any]) -> str:
    return next(kind for prefix, kind in PREFIXES.items() if str(record["id"]).startswith(prefix))


# -- what converting in memory writes (the writers before streaming, restated) ------------------


def _package(records: list[dict[str, Any]], envelope: dict[str, Any]) -> str:
    package = dict(envelope)
    for kind, key in LISTS.items():
        chosen = [r for r in records if _type(r) == kind]
        if chosen:
            package[key] = chosen
    return json.dumps(package, indent=2, ensure_ascii=False) + "\n"


def _csv_files(records: Iterable[Mapping[str, Any]], version: str) -> dict[str, bytes]:
    files = {}
    sheets = layout(version).sheets
    grids: dict[str, tuple[list[str], list[list[Any]]]] = {s.name: (list(s.headers), []) for s in sheets}

    def add(sheet: Any, key: Any, obj: Mapping[str, Any]) -> None:
        header, rows = grids[sheet.name]
        cells: list[Any] = [key]
        for column in sheet.columns:
            value: Any = obj
            for part in column.keys:
                value = value.get(part) if isinstance(value, Mapping) else None
            cells.append(value)
        for name, value in (obj.get("extra_columns") or {}).items():
            if name not in header[len(sheet.headers) :]:
                header.append(name)
            position = header.index(name, len(sheet.headers))
            cells.extend([None] * (position + 1 - len(cells)))
            cells[position] = value
        rows.append(cells)

    for record in records:
        own, *lists = [s for s in sheets if s.entity == _type(record)]
        add(own, record["id"], record)
        for sheet in lists:
            value: Any = record
            for part in sheet.list_keys or ():
                value = value.get(part) if isinstance(value, Mapping) else None
            for item in value if isinstance(value, list) else []:
                add(sheet, record["id"], item)
    for name, (header, rows) in grids.items():
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            cells = row + [None] * (len(header) - len(row))
            writer.writerow([protect_csv_text(c) if isinstance(c, str) else to_text(c) for c in cells])
        files[f"{name}.csv"] = buffer.getvalue().encode("utf-8")
    return files


def _folder(path: Path) -> dict[str, bytes]:
    return _csv_only({p.name: p.read_bytes() for p in sorted(path.iterdir())})


def _csv_only(files: dict[str, bytes]) -> dict[str, bytes]:
    """The CSV files of an export, once its data package is checked to describe exactly them."""
    package = json.loads(files.pop("datapackage.json"))
    assert sorted(resource["path"] for resource in package["resources"]) == sorted(files)
    return files


def _convert(source: Path, target: Path, *extra: str) -> str:
    result = run_cli("convert", str(source), str(target), *extra)
    assert result.returncode == 0, result.stderr
    return result.stderr


@pytest.fixture
def package(tmp_path: Path) -> Path:
    path = tmp_path / "in.json"
    lists = {key: [r for r in RECORDS if _type(r) == kind] for kind, key in LISTS.items()}
    path.write_text(json.dumps({**ENVELOPE, **lists}), encoding="utf-8")
    return path


def test_every_json_form_is_what_converting_in_memory_writes(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    _convert(source, tmp_path / "out.json")
    _convert(source, tmp_path / "list.json", "--json-form", "list")
    _convert(source, tmp_path / "out.jsonl")
    assert (tmp_path / "out.json").read_text(encoding="utf-8") == _package(RECORDS, {"schema_version": "4.1"})
    assert (tmp_path / "list.json").read_text(encoding="utf-8") == json.dumps(
        RECORDS, indent=2, ensure_ascii=False
    ) + "\n"
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == "".join(
        json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS
    )


def test_a_package_keeps_its_envelope_and_groups_records_by_type(package: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    _convert(package, out)
    grouped = [r for kind in LISTS for r in RECORDS if _type(r) == kind]
    assert out.read_text(encoding="utf-8") == _package(grouped, ENVELOPE)
    empty = tmp_path / "empty.json"
    empty.write_text("[]", encoding="utf-8")
    _convert(empty, tmp_path / "none.json", "--json-form", "list")
    _convert(empty, tmp_path / "none-package.json")
    assert (tmp_path / "none.json").read_text(encoding="utf-8") == "[]\n"
    assert (tmp_path / "none-package.json").read_text(encoding="utf-8") == '{\n  "schema_version": "4.1"\n}\n'


def test_csv_and_zip_are_what_converting_in_memory_writes(tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text(json.dumps(RECORDS), encoding="utf-8")
    _convert(source, tmp_path / "out")
    expected = _csv_files(RECORDS, "4.1")
    assert _folder(tmp_path / "out") == expected
    assert b"red\nish" in expected["projects_investments.csv"]  # the padded rows hold line breaks
    _convert(source, tmp_path / "out.zip")
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        assert _csv_only({info.filename: archive.read(info) for info in archive.infolist()}) == expected
        assert {(i.compress_type, i.external_attr) for i in archive.infolist()} == {
            (zipfile.ZIP_DEFLATED, 0o600 << 16)
        }
    _convert(source, tmp_path / "out31", "--schema-version", "3.1")
    assert _folder(tmp_path / "out31") == _csv_files(RECORDS, "3.1")


def test_the_real_export_converts_to_the_same_bytes_as_in_memory(tmp_path: Path) -> None:
    items = [item for item in read_flat(EXPORT) if item.entity != NOTICES_ONLY]
    records, version = [item.data for item in items], items[0].mapping_version or ""
    _convert(EXPORT, tmp_path / "out.jsonl")
    _convert(EXPORT, tmp_path / "out")
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == "".join(
        json.dumps(r, ensure_ascii=False) + "\n" for r in records
    )
    assert _folder(tmp_path / "out") == _csv_files(records, version)


def test_xlsx_reads_back_as_the_csv_folder_does_and_keeps_cell_types(tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    # the workbook's XML turns a carriage return and line feed into a line feed
    source.write_text(json.dumps(RECORDS).replace("\\r\\n", "\\n"), encoding="utf-8")
    for name in ("out.xlsx", "out"):
        _convert(source, tmp_path / name)
        _convert(tmp_path / name, tmp_path / f"{name}-back.json", "--json-form", "list")
    back = (tmp_path / "out.xlsx-back.json").read_text(encoding="utf-8")
    assert back == (tmp_path / "out-back.json").read_text(encoding="utf-8")
    assert len(json.loads(back)) == len(RECORDS)
    book = load_workbook(tmp_path / "out.xlsx")
    sheet = book["projects_investments"]
    assert [cell.value for cell in sheet[1]][-2:] == ["Colour", "Size"]
    assert all(cell.font.b for cell in sheet[1]) and sheet.freeze_panes == "B2"
    projects = book["projects"]
    titles = [cell.value for cell in projects[1]]
    amount = projects.cell(
        row=4,
        column=titles.index(
            "Overall project finance - Total investment commitment - Amount - Exact - (Value)"
        )
        + 1,
    )
    assert amount.value == str(2**70) and amount.data_type == "s"  # too big to store exactly as a number
    name = projects.cell(row=3, column=titles.index("Impact Bond Name - (Value)") + 1)
    assert name.value == "5" and name.data_type == "s"  # text that looks like a number stays text
    funds = book["funds"]
    formula = funds.cell(row=2, column=[c.value for c in funds[1]].index("Fund - Name") + 1)
    assert formula.value == "=1+1" and formula.data_type == "s" and formula.quotePrefix


def test_records_found_in_a_later_file_set_the_version_of_flat_output(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps(RECORDS[:2]), encoding="utf-8")
    (folder / "b.json").write_text(
        json.dumps({"schema_version": "3.1", "projects": [RECORDS[2]]}), encoding="utf-8"
    )
    stderr = _convert(folder, tmp_path / "out")
    assert "(INDIGO 3.1)" in stderr
    assert _folder(tmp_path / "out") == _csv_files(RECORDS[:3], "3.1")


# -- failures leave the old output, and no temporary file behind --------------------------------


def _run_in(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TMPDIR": str(tmp)}
    return subprocess.run(
        [sys.executable, "-m", "indigo_standard", "convert", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("name", ["out.json", "list.json", "out.jsonl", "out", "out.zip", "out.xlsx"])
def test_a_failed_run_leaves_the_old_output_and_no_spool(name: str, tmp_path: Path) -> None:
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(RECORDS), encoding="utf-8")
    # the record of unknown type comes after many records have been written or spooled
    bad.write_text(json.dumps([*RECORDS * 50, {"id": "X-1"}, *RECORDS]), encoding="utf-8")
    spool = tmp_path / "spool"
    spool.mkdir()
    out_dir = tmp_path / "out-dir"
    out_dir.mkdir()
    target = out_dir / name
    form = ["--json-form", "list"] if name == "list.json" else []
    assert _run_in(spool, str(good), str(target), *form).returncode == 0
    before = _folder(target) if target.is_dir() else target.read_bytes()
    failed = _run_in(spool, str(bad), str(target), *form)
    assert failed.returncode == 2 and "record X-1: cannot tell its type" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert (_folder(target) if target.is_dir() else target.read_bytes()) == before
    assert sorted(p.name for p in out_dir.iterdir()) == [name]
    assert list(spool.iterdir()) == []


def test_orphan_rows_refuse_the_conversion_after_reading(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    _convert(FIXTURES / "golab-indigo-export", folder)
    with (folder / "projects_investments.csv").open("a", encoding="utf-8") as handle:
        handle.write("INDIGO-POJ-NO-SUCH,inv9\n")
    target = tmp_path / "out.jsonl"
    target.write_text("previous\n", encoding="utf-8")
    refused = run_cli("convert", str(folder), str(target))
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines()[-1] == (
        "indigo-standard: error: 1 row(s) belong to no record; nothing was written"
    )
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export", "out.jsonl"]


def test_xlsx_keeps_control_characters_and_refuses_an_overlong_cell_before_writing(tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    notes = "bell\x07 cr\r _x0007_"
    odd = {"id": "INDIGO-POJ-9", "investments": [{"id": "i1"}, {"id": "i2", "notes": notes}]}
    source.write_text(json.dumps([*RECORDS, odd]), encoding="utf-8")
    target = tmp_path / "out.xlsx"
    _convert(source, target)
    _convert(target, tmp_path / "back.jsonl")
    back = [json.loads(line) for line in (tmp_path / "back.jsonl").read_text(encoding="utf-8").splitlines()]
    kept = next(record for record in back if record["id"] == "INDIGO-POJ-9")
    assert kept["investments"][1]["notes"] == notes
    target.unlink()
    long = {"id": "INDIGO-POJ-9", "investments": [{"id": "i1"}, {"id": "i2", "notes": "x" * 40001}]}
    source.write_text(json.dumps([*RECORDS, long]), encoding="utf-8")
    failed = run_cli("convert", str(source), str(target))
    assert failed.returncode == 2 and not target.exists()
    assert failed.stderr.count("\n") == 1 and "Traceback" not in failed.stderr
    assert (
        "record INDIGO-POJ-9, field 'Notes' (sheet projects_investments, row 7): 40,001 characters, more "
        "than the 32,767 a cell holds"
    ) in failed.stderr


# -- memory ------------------------------------------------------------------------------------


MEASURE = """
import os, subprocess, sys
child = subprocess.Popen([sys.executable, "-m", "indigo_standard", "convert", *sys.argv[1:]],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def _peak_kib(source: Path, target: Path) -> int:
    code, peak = subprocess.run(
        [sys.executable, "-c", MEASURE, str(source), str(target)], capture_output=True, text=True, check=True
    ).stdout.split()
    assert code == "0"
    return int(peak)


def _organisations(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        for n in range(count):
            record = {
                "id": f"INDIGO-ORG-{n}",
                "name": {"value": "Organisation " + "z" * 2000},
                "sources": [{"id": f"s{n}", "name": {"value": "a source " + "q" * 500}}],
            }
            out.write(("," if n else "") + json.dumps(record) + "\n")
        out.write("]")


@pytest.mark.parametrize("outputs", [("csv", "out.json", "out.sqlite"), ("out.jsonl",)])
def test_converting_a_large_input_takes_no_more_memory_than_a_small_one(
    outputs: tuple[str, ...], tmp_path: Path
) -> None:
    small, large = tmp_path / "small.json", tmp_path / "large.json"
    _organisations(small, 200)
    _organisations(large, 12_000)  # about 30 MB: held whole, the records alone pass the margin
    assert large.stat().st_size > 30_000_000
    for name in outputs:
        if name == "out.jsonl":  # from a CSV folder
            small_in, large_in = tmp_path / "small-csv", tmp_path / "large-csv"
            _convert(small, small_in)
            _convert(large, large_in)
        else:
            small_in, large_in = small, large
        small_peak = _peak_kib(small_in, tmp_path / f"small-{name}")
        large_peak = _peak_kib(large_in, tmp_path / f"large-{name}")
        assert large_peak < small_peak + 25_000, (name, small_peak, large_peak)

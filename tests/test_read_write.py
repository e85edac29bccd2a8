"""``indigo.read`` and ``indigo.write``: typed records from and to every file form, nothing lost."""

from __future__ import annotations

import csv
import json
import warnings
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, run_cli

import indigo_standard as indigo
from indigo_standard.flat.cells import unprotect_csv_text
from indigo_standard.jsontext import loads as exact_loads
from indigo_standard.model import Invalid, RecordNode
from indigo_standard.writing.targets import FORMATS

EXPORT = FIXTURES / "golab-indigo-export"
NAMES = {
    "json": "export.json",
    "jsonl": "export.jsonl",
    "csv": "csv",
    "zip": "export.zip",
    "xlsx": "export.xlsx",
}
"""Where each form the reader knows is written; a form added to FORMATS is written and checked to exist."""


def _read(path: Path, **options: Any) -> list[Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", indigo.InputWarning)
        return list(indigo.read(path, **options))


@pytest.fixture(scope="module")
def export() -> list[Any]:
    return _read(EXPORT)


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory, export: list[Any]) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("forms")
    paths = {}
    for fmt in FORMATS:
        paths[fmt] = folder / NAMES.get(fmt, f"export.{fmt}")
        assert indigo.write(export, paths[fmt], fmt=fmt) == 2021
    paths["list"] = folder / "list.json"
    indigo.write(export, paths["list"], json_form="list")
    return paths


def _texts(records: list[Any]) -> list[str]:
    return [indigo.dumps(record) for record in records]


def _filled_rows(folder: Path, read: Callable[[str], str] = str) -> dict[str, list[list[tuple[str, str]]]]:
    """Each CSV file's rows as (header, cell) pairs of its filled cells, in order (headers repeat);
    ``read`` turns a cell as written into the text it holds."""
    found = {}
    for path in sorted(folder.glob("*.csv")):
        with path.open(newline="", encoding="utf-8-sig") as handle:
            header, *rows = list(csv.reader(handle))
        filled = [[(header[i], read(cell)) for i, cell in enumerate(row) if cell] for row in rows]
        if any(filled):  # the writer also writes every other file of the layout, with no rows
            found[path.name] = [row for row in filled if row]
    return found


def test_the_real_export_reads_as_typed_records(export: list[Any]) -> None:
    assert len(export) == 2021 and all(isinstance(record, RecordNode) for record in export)
    problems = [problem for record in export for problem in record.problems]
    assert len(problems) > 200
    located = problems[0].source
    assert located is not None and located.file.endswith(".csv") and located.row and located.column


def test_csv_to_read_to_write_to_csv_keeps_every_filled_cell(tmp_path: Path, export: list[Any]) -> None:
    out = tmp_path / "again"
    assert indigo.write(export, out) == 2021
    before, after = _filled_rows(EXPORT), _filled_rows(out, unprotect_csv_text)
    assert after == before
    # text a spreadsheet could run as a formula is written with an apostrophe, which reading removes
    written = _filled_rows(out)
    protected = [cell for name in written for row in written[name] for _, cell in row if cell.startswith("'")]
    assert protected and written != after
    cells = sum(len(row) for rows in before.values() for row in rows)
    keys = sum(
        1
        for rows in before.values()
        for row in rows
        if row[0][0] in ("Project ID", "Organisation ID", "Fund ID", "ID")
    )
    assert cells == 70272 and cells - keys == 57702  # the 57,702 cells besides each row's key


@pytest.mark.parametrize("form", ["json", "list", "jsonl", "csv", "zip", "xlsx"])
def test_every_form_written_reads_back_the_same(form: str, forms: dict[str, Path], export: list[Any]) -> None:
    again = _read(forms[form], schema_version="4.1")  # a JSON list or JSON Lines file does not say
    assert _texts(again) == _texts(export)
    assert [[(p.code, p.path) for p in r.problems] for r in again] == [
        [(p.code, p.path) for p in r.problems] for r in export
    ]


def test_every_output_format_of_convert_is_written(forms: dict[str, Path]) -> None:
    for fmt in FORMATS:
        assert forms[fmt].exists(), fmt


def test_a_loop_over_a_folder_yields_records_only(tmp_path: Path, export: list[Any]) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    indigo.write(export[:3], folder / "some.jsonl")
    indigo.write(export, folder / "flat")
    (folder / "flat" / "pipeline.csv").write_text(
        (EXPORT / "pipeline.csv").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.warns(indigo.InputWarning) as caught:
        reader = indigo.read(folder)
        records = list(reader)
    shown = [str(warning.message) for warning in caught if issubclass(warning.category, indigo.InputWarning)]
    assert len(shown) == 2 and "pipeline.csv, row 1, column 'Delivery Locations - Name'" in shown[0]
    assert len(records) == 2024 and all(isinstance(record, RecordNode) for record in records)
    assert [notice.code for notice in reader.notices] == ["flat.unknown-column"] * 2
    assert reader.notices[0].source is not None and reader.notices[0].source.row == 1


def test_read_streams_one_record_at_a_time(tmp_path: Path) -> None:
    """The first record comes before the rest of the file is parsed: a fault further on is met later."""
    path = tmp_path / "records.json"
    path.write_text('[{"id": "INDIGO-POJ-0001", "name": {"value": "one"}},\n{"id": ', encoding="utf-8")
    reader = indigo.read(path)
    first = next(reader)
    assert isinstance(first, indigo.Project) and first.name == indigo.Value("one")
    with pytest.raises(indigo.InputError, match=r"records\.json: malformed JSON at line 2"):
        next(reader)


def test_strict_read_names_the_file_record_and_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    record = {"id": "INDIGO-POJ-0001", "jurisdiction": {"jurisdiction": {"value": "UK"}}, "status": "OPEN"}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(indigo.StructureError) as caught:
        list(indigo.read(path, strict=True, schema_version="4.1"))
    message = str(caught.value)
    assert message.startswith(f"cannot load {path}: Project INDIGO-POJ-0001: 2 problems:")
    assert "/jurisdiction/jurisdiction/value" in message and "/status" in message
    lenient = _read(path, schema_version="4.1")
    assert isinstance(lenient[0].status, Invalid) and lenient[0].problems[0].source.file == str(path)


def test_write_is_atomic_and_refuses_what_is_not_a_record(tmp_path: Path, export: list[Any]) -> None:
    target = tmp_path / "out.json"
    target.write_text("precious", encoding="utf-8")

    def failing() -> Any:
        yield export[0]
        raise RuntimeError("the pipeline broke")

    with pytest.raises(RuntimeError, match="the pipeline broke"):
        indigo.write(failing(), target)
    with pytest.raises(indigo.InputError, match=r"item 2 to write is Money, not a record"):
        indigo.write([export[0], indigo.model.Money()], target)
    assert target.read_text(encoding="utf-8") == "precious"


NUMBERS = {
    "id": "INDIGO-POJ-0001",
    "overall_project_finance": {
        "total_investment_commitment": {
            "amount": {"exact": {"value": Decimal("12345678901234567.891")}, "max": {"value": 2**64 + 1}},
            "amount_usd": {"exact": {"value": Decimal("0.1000000000000000055511151231257827")}},
        },
        "total_outcome_payments_made": {
            "amount": {"value": 0.30000000000000004},
            "amount_usd": {"value": 1e21},
        },
    },
}
NUMBER_TEXTS = (
    "12345678901234567.891",
    str(2**64 + 1),
    "0.1000000000000000055511151231257827",
    "0.30000000000000004",
    "1e+21",
)


@pytest.mark.parametrize("name", ["numbers.json", "numbers.jsonl", "csv", "numbers.zip", "numbers.xlsx"])
def test_numbers_stay_exact_through_every_form(tmp_path: Path, name: str) -> None:
    record = indigo.load(NUMBERS)
    text = indigo.dumps(record)
    assert all(number in text for number in NUMBER_TEXTS)
    indigo.write([record], tmp_path / name)
    again = _read(tmp_path / name)
    assert [indigo.dumps(found) for found in again] == [text]


@pytest.mark.parametrize("command", ["convert", "upgrade"])
def test_convert_and_upgrade_keep_numbers_exact(tmp_path: Path, command: str) -> None:
    source = tmp_path / "in.json"
    source.write_text(indigo.dumps([NUMBERS]), encoding="utf-8")
    target = tmp_path / "out.json"
    args = (
        ["convert", str(source), str(target)]
        if command == "convert"
        else ["upgrade", str(source), "-o", str(target)]
    )
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    written = target.read_text(encoding="utf-8")
    assert all(number in written for number in NUMBER_TEXTS), written
    assert "1.2345678901234568e+16" not in written
    found = exact_loads(written)
    record = found["projects"][0] if command == "convert" else found[0]
    assert indigo.dumps(record) == indigo.dumps(NUMBERS)


def test_csv_to_json_and_back_keeps_a_long_decimal(tmp_path: Path) -> None:
    indigo.write([indigo.load(NUMBERS)], tmp_path / "csv")
    cells = (tmp_path / "csv" / "projects.csv").read_text(encoding="utf-8")
    assert "12345678901234567.891" in cells and str(2**64 + 1) in cells
    result = run_cli("convert", str(tmp_path / "csv"), str(tmp_path / "out.jsonl"))
    assert result.returncode == 0, result.stderr
    line = (tmp_path / "out.jsonl").read_text(encoding="utf-8")
    assert '"value": 12345678901234567.891' in line and f'"value": {2**64 + 1}' in line

"""Flat output never drops or changes a value: what the layout has no column for goes to kept columns.

JSON -> CSV folder / XLSX / SQLite -> JSON gives back the same JSON text for every record, valid
or not: unknown keys at any level, values of another kind than their column holds, empty
values, odd lists, repeated ids, and keys in any order (docs/flat-formats.md, "Kept columns").
"""

from __future__ import annotations

import copy
import csv
import json
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import indigo_standard as indigo
from indigo_standard import strategies as records_of_the_standard
from indigo_standard.detect import RECORD_TYPES, detect_entity
from indigo_standard.flat import read_flat, read_sqlite, write_csv_folder, write_sqlite, write_xlsx
from indigo_standard.flat.kept import (
    KEY_ORDER_HEADER,
    is_kept_header,
    kept_header,
    kept_keys,
    kept_text,
    kept_value,
)
from indigo_standard.reading.records import NOTICES_ONLY, SourcedRecord

WRITERS = {"csv": write_csv_folder, "xlsx": write_xlsx, "sqlite": write_sqlite}
NAMES = {"csv": "flat", "xlsx": "flat.xlsx", "sqlite": "flat.sqlite"}
ALLOWED_NOTICES = {"flat.unknown-column", "flat.repeated-id"}
"""What reading our own output may say: plain extra columns are unknown to the schema, and a
repeated id's lists' rows go to its first record (the later one's lists are in kept columns)."""

KEYS = st.one_of(
    st.text(max_size=6),
    st.sampled_from(
        [
            "x_custom",
            "extra_columns",
            "status",
            "Status",
            "sandboxes",
            "value",
            "source_ids",
            "notes",
            "id",
            "",
            "/",
            "~",
            "a/b",
            "~1",
            " pad ",
            "(Key order)",
            "investments",
            "name",
            "0",
        ]
    ),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.sampled_from(["", " ", "5", " 5", "-5", "=1+1", "null", '"q"', "true", "[1]", "{}", "1e5", "2.50"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=6,
)
"""Any JSON value (numbers as exact JSON reads them: int, float or Decimal)."""


def _exact(value: Any) -> Any:
    """``value`` as reading its JSON text exactly gives it (a Decimal may read back as an int or float)."""
    return json.loads(
        indigo.dumps(value),
        parse_float=lambda text: json.loads(text) if repr(float(text)) == text else Decimal(text),
    )


def _mess(data: st.DataObject, value: Any, top: bool) -> Any:
    """``value`` with extra keys inserted at any place of any object, and some values replaced."""
    if isinstance(value, list):
        items = [_mess(data, item, False) for item in value]
        if data.draw(st.sampled_from([False] * 9 + [True]), label="odd item"):
            items.insert(data.draw(st.integers(0, len(items))), data.draw(VALUES))
        return items
    if not isinstance(value, dict):
        return value
    pairs = [(key, _mess(data, child, False)) for key, child in value.items()]
    for _ in range(data.draw(st.sampled_from([0, 0, 0, 1, 2]), label="changes")):
        key, new = data.draw(KEYS, label="key"), data.draw(VALUES, label="value")
        keys = [k for k, _ in pairs]
        if top and key == "id":
            continue  # the record's type comes from its id (odd ids: see the tests below)
        if key in keys:
            pairs[keys.index(key)] = (key, new)
        else:
            pairs.insert(data.draw(st.integers(0, len(pairs)), label="position"), (key, new))
    return dict(pairs)


def _read(path: Path) -> tuple[list[str], list[str]]:
    items = list(read_sqlite(path) if path.suffix == ".sqlite" else read_flat(path))
    records = [indigo.dumps(item.data) for item in items if item.entity not in (NOTICES_ONLY, "package")]
    return records, [notice.code for item in items for notice in item.notices]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(st.lists(records_of_the_standard.records(), min_size=1, max_size=3), st.booleans(), st.data())
def test_any_record_with_any_extra_key_or_value_round_trips_as_json_text(
    typed: list[Any], repeat: bool, data: st.DataObject
) -> None:
    dumped = [indigo.dump(record) for record in typed]
    if repeat:  # a second record with the first one's id, messed up differently
        dumped.append(copy.deepcopy(dumped[0]))
    records = [_exact(_mess(data, record, True)) for record in dumped]
    # flat files hold one table per record type: records come back by type, each type in order
    by_type = sorted(records, key=lambda record: RECORD_TYPES.index(str(detect_entity(record))))
    expected = [indigo.dumps(record) for record in by_type]
    ids = [str(record.get("id")).strip() for record in records]
    with tempfile.TemporaryDirectory() as folder:
        for form, write in WRITERS.items():
            if form == "sqlite" and len(set(ids)) < len(ids):
                continue  # a database holds one record per id, and refuses a second (test_sqlite.py)
            target = Path(folder) / NAMES[form]
            write(records, target, "4.1")
            back, notices = _read(target)
            assert back == expected, form
            assert set(notices) <= ALLOWED_NOTICES, (form, notices)


def test_kept_headers_and_cells_are_undone_exactly() -> None:
    for keys in [("x",), ("a/b", "~1", ""), (" pad ", "é 中"), ("extra_columns", "Colour")]:
        header = kept_header(keys)
        assert is_kept_header(header) and kept_keys(header) == keys
    assert kept_keys("/a~2") is None and not is_kept_header("/a~") and not is_kept_header("Name")
    cases: list[tuple[Any, str]] = [
        ("hello", "hello"),
        ("=1+1", "=1+1"),
        ("5", '"5"'),
        (" 5", '" 5"'),
        ("null", '"null"'),
        ("", '""'),
        ('"q"', '"\\"q\\""'),
        (5, "5"),
        (2.5, "2.5"),
        (Decimal("2.50"), "2.50"),
        (None, "null"),
        (True, "true"),
        ({"a": [1, "x"]}, '{"a": [1, "x"]}'),
        ([], "[]"),
    ]
    for value, text in cases:
        assert kept_text(value) == text
        assert indigo.dumps(kept_value(text)) == indigo.dumps(value)
    assert kept_value("not json") == "not json" and kept_value("NaN") == "NaN"


ODD_IDS: list[dict[str, Any]] = [
    {"id": "INDIGO-POJ-1", "investments": [{"id": "a"}]},
    {"id": " INDIGO-POJ-2 ", "investments": [{"id": "b"}]},  # spaces, which the ID column trims
    {"id": "INDIGO-POJ-1", "name": {"value": "again"}, "investments": [{"id": "c"}]},  # repeated
    {"name": {"value": "no id"}, "investments": [{"id": "d"}]},
    {"id": None, "name": {"value": "null id"}, "outcome_metrics": []},
    {"id": 7, "name": {"value": "number id"}, "investments": [{"id": "e"}]},
]


@pytest.mark.parametrize("form", list(WRITERS))
def test_odd_and_repeated_ids_keep_their_records_and_lists(form: str, tmp_path: Path) -> None:
    target = tmp_path / NAMES[form]
    records = list(ODD_IDS)
    if form == "sqlite":  # a database holds one record per id
        records = [r for n, r in enumerate(records) if n != 2]
    kept = WRITERS[form]([SourcedRecord(record, "project") for record in records], target, "4.1")
    back, notices = _read(target)
    assert back == [indigo.dumps(record) for record in records]
    by_header = {(k.sheet, k.header): k for k in kept}
    ids, lists = by_header["projects", "/id"], by_header["projects", "/investments"]
    assert (ids.record, ids.pointer, ids.count) == (" INDIGO-POJ-2 ", "/id", 3)  # padded, null, a number
    if form == "sqlite":
        assert (lists.record, lists.count) == (None, 1) and notices == []
    else:
        assert (lists.record, lists.count) == ("INDIGO-POJ-1", 2) and "earlier record" in lists.reason
        assert notices == ["flat.repeated-id"]


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_convert_names_every_kept_column_and_round_trips_through_each_form(tmp_path: Path) -> None:
    records = [
        {
            "x_first": "=HYPERLINK(1)",
            "id": "INDIGO-POJ-1",
            "name": {"value": "P", "x_note": {"by": ["a", 2.50]}},
            "investments": [{"id": "i1", "x_item": None, "notes": 5}],
            "outcome_pricings": [{"id": "op1", "notes": "n"}],
        },
        {"id": "INDIGO-ORG-1", "name": {"value": "O"}, "extra_columns": {"Colour": "red", " pad": ""}},
    ]
    source = tmp_path / "in.json"
    source.write_text(json.dumps(records), encoding="utf-8")
    expected = source.read_text(encoding="utf-8")
    for form in ("flat", "flat.xlsx", "flat.sqlite", "flat.zip"):
        done = run_cli("convert", str(source), str(tmp_path / form))
        assert done.returncode == 0, done.stderr
        lines = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
        assert len(lines) == 8, done.stderr  # the six kept values, two key orders
        for where, column in [
            ("record INDIGO-POJ-1, field /x_first:", "'/x_first'"),
            ("record INDIGO-POJ-1, field /name/x_note:", "'/name/x_note'"),
            ("record INDIGO-POJ-1, field /investments/0/x_item:", "'/x_item'"),
            (
                "record INDIGO-POJ-1, field /investments/0/notes: a number where the column holds text",
                "'/notes'",
            ),
            ("record INDIGO-POJ-1, field /outcome_pricings/0/id:", "'/id'"),
            ("record INDIGO-ORG-1, field /extra_columns/ pad:", "'/extra_columns/ pad'"),
        ]:
            assert any(where in line and f"column {column}" in line for line in lines), (where, done.stderr)
        back = tmp_path / f"{form}.json"
        again = run_cli("convert", str(tmp_path / form), str(back), "--json-form", "list")
        assert again.returncode == 0, again.stderr
        assert json.dumps(json.loads(back.read_text(encoding="utf-8"))) == json.dumps(json.loads(expected))
    package = json.loads((tmp_path / "flat" / "datapackage.json").read_text(encoding="utf-8"))
    fields = {
        f["name"]: f for r in package["resources"] for f in r["schema"]["fields"] if r["name"] == "projects"
    }
    assert "JSON pointer /x_first" in fields["/x_first"]["description"] and KEY_ORDER_HEADER in fields
    rows = _csv_rows(tmp_path / "flat" / "projects.csv")
    cell = rows[1][rows[0].index("/x_first")]
    assert cell == "'=HYPERLINK(1)"  # the safe-CSV rule holds for kept text too
    assert rows[0][-1] == KEY_ORDER_HEADER and json.loads(rows[1][-1]) == {"": list(records[0])}


def test_raw_csv_writes_kept_text_as_it_is(tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text(json.dumps([{"id": "INDIGO-POJ-1", "x_formula": "=1+1"}]), encoding="utf-8")
    assert run_cli("convert", str(source), str(tmp_path / "raw"), "--raw-csv").returncode == 0
    rows = _csv_rows(tmp_path / "raw" / "projects.csv")
    assert rows[1][rows[0].index("/x_formula")] == "=1+1"
    back = tmp_path / "back.jsonl"
    assert run_cli("convert", str(tmp_path / "raw"), str(back), "--raw-csv").returncode == 0
    assert json.loads(back.read_text(encoding="utf-8")) == {"id": "INDIGO-POJ-1", "x_formula": "=1+1"}


# -- flat files written by hand -------------------------------------------------------------------


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def _records_and_notices(folder: Path) -> tuple[list[dict[str, Any]], list[Any]]:
    items = list(read_flat(folder))
    records = [item.data for item in items if item.entity != NOTICES_ONLY]
    return records, [notice for item in items for notice in item.notices]


def test_kept_columns_typed_by_hand_read_as_json_or_as_text(tmp_path: Path) -> None:
    _write_csv(
        tmp_path / "in" / "projects.csv",
        [
            ["ID", "/x", "/X", "/ note ", "/a~2", "/obj/n"],
            ["INDIGO-POJ-1", "hello", "5", "[1, 2]", "odd", "true"],
        ],
    )
    records, notices = _records_and_notices(tmp_path / "in")
    assert json.dumps(records) == json.dumps(
        [
            {
                "id": "INDIGO-POJ-1",
                "x": "hello",
                "X": 5,
                " note ": [1, 2],
                "extra_columns": {"/a~2": "odd"},
                "obj": {"n": True},
            }
        ]  # keys in column order
    )
    assert [(n.code, n.cell.column) for n in notices] == [("flat.unknown-column", "/a~2")]


def test_two_columns_for_one_place_are_an_error_and_both_values_are_kept(tmp_path: Path) -> None:
    _write_csv(
        tmp_path / "in" / "projects.csv",
        [
            ["ID", "Impact Bond Name - (Value)", "/name/value", "/name"],
            ["INDIGO-POJ-1", "first", "second", "3"],
        ],
    )
    records, notices = _records_and_notices(tmp_path / "in")
    assert records == [
        {
            "id": "INDIGO-POJ-1",
            "name": {"value": "first"},
            "extra_columns": {"/name/value": "second", "/name": "3"},
        }
    ]
    assert [(n.code, n.cell.row, n.cell.column, n.params["pointer"]) for n in notices] == [
        ("flat.cell-conflict", 2, "/name/value", "/name/value"),
        ("flat.cell-conflict", 2, "/name", "/name"),
    ]
    done = run_cli("convert", str(tmp_path / "in"), str(tmp_path / "out.json"))
    assert done.returncode == 1 and "2 other error(s) in the input; nothing was written" in done.stderr
    assert not (tmp_path / "out.json").exists()


def test_a_kept_list_beside_rows_of_the_same_list_is_an_error(tmp_path: Path) -> None:
    _write_csv(tmp_path / "in" / "projects.csv", [["ID", "/investments"], ["INDIGO-POJ-1", '[{"id": "k"}]']])
    _write_csv(tmp_path / "in" / "projects_investments.csv", [["Project ID", "Id"], ["INDIGO-POJ-1", "r"]])
    records, notices = _records_and_notices(tmp_path / "in")
    assert records == [
        {
            "id": "INDIGO-POJ-1",
            "extra_columns": {"/investments": '[{"id": "k"}]'},
            "investments": [{"id": "r"}],
        }
    ]
    assert [(n.code, n.cell.column) for n in notices] == [("flat.cell-conflict", "/investments")]


def test_an_unreadable_key_order_is_a_warning_and_keeps_every_value(tmp_path: Path) -> None:
    _write_csv(
        tmp_path / "in" / "projects.csv",
        [
            ["ID", "Status", KEY_ORDER_HEADER],
            ["INDIGO-POJ-1", "PUBLIC", "status first"],
            ["INDIGO-POJ-2", "PUBLIC", '{"/nowhere": ["a"]}'],
            ["INDIGO-POJ-3", "PUBLIC", '{"": ["status", "id"]}'],
        ],
    )
    records, notices = _records_and_notices(tmp_path / "in")
    assert [json.dumps(record) for record in records] == [
        '{"id": "INDIGO-POJ-1", "status": "PUBLIC"}',
        '{"id": "INDIGO-POJ-2", "status": "PUBLIC"}',
        '{"status": "PUBLIC", "id": "INDIGO-POJ-3"}',
    ]
    assert [(n.code, n.cell.row) for n in notices] == [("flat.key-order", 2), ("flat.key-order", 3)]


def test_a_repeated_record_id_with_list_rows_is_reported(tmp_path: Path) -> None:
    _write_csv(
        tmp_path / "in" / "projects.csv",
        [
            ["ID", "Status"],
            ["INDIGO-POJ-1", "PUBLIC"],
            ["INDIGO-POJ-1", "PRIVATE"],
            ["INDIGO-POJ-2", "PUBLIC"],
        ],
    )
    _write_csv(
        tmp_path / "in" / "projects_investments.csv",
        [["Project ID", "Id"], ["INDIGO-POJ-1", "a"], ["INDIGO-POJ-1", "b"]],
    )
    records, notices = _records_and_notices(tmp_path / "in")
    assert [record.get("investments") for record in records] == [[{"id": "a"}, {"id": "b"}], None, None]
    assert [(n.code, n.cell.row, n.record) for n in notices] == [("flat.repeated-id", 3, "INDIGO-POJ-1")]
    assert "is also the ID of the record on row 2" in notices[0].to_issue().message


def test_two_unknown_columns_with_one_header_keep_both_cells(tmp_path: Path) -> None:
    _write_csv(
        tmp_path / "in" / "projects.csv", [["ID", "Colour", "Colour"], ["INDIGO-POJ-1", "red", "blue"]]
    )
    records, notices = _records_and_notices(tmp_path / "in")
    assert records == [
        {"id": "INDIGO-POJ-1", "extra_columns": {"Colour": "red", "Colour (column 3)": "blue"}}
    ]
    assert [n.code for n in notices] == ["flat.duplicate-column", "flat.unknown-column"]


def test_typed_records_with_extension_fields_write_and_read_back_through_every_flat_form(
    tmp_path: Path,
) -> None:
    record = indigo.load(
        {
            "id": "INDIGO-POJ-1",
            "x_reviewed": True,
            "name": {"value": "P", "x_by": "me"},
            "dates": {"outcomes_contract_signed": {"value": "current"}},
            "investments": [{"id": "i1", "x_share": 0.5, "maximum_potential_return": {"value": "TBD"}}],
        }
    )
    for name in NAMES.values():
        assert indigo.write([record], tmp_path / name) == 1
        [again] = indigo.read(tmp_path / name)
        assert indigo.dumps(again) == indigo.dumps(record), name
        assert [(p.code, p.path) for p in again.problems] == [(p.code, p.path) for p in record.problems]


def test_convert_says_when_a_package_envelope_cannot_come_back_from_flat_files(tmp_path: Path) -> None:
    package = EXAMPLES / "package.json"
    done = run_cli("convert", str(package), str(tmp_path / "flat"))
    assert done.returncode == 0, done.stderr
    assert (
        f"warning: {tmp_path / 'flat'}: CSV files and workbooks hold records only, so the package envelope "
        "(publisher, licence, publication_date) is not read back from them" in done.stderr
    )
    kept = run_cli("convert", str(package), str(tmp_path / "db.sqlite"))
    assert kept.returncode == 0 and "envelope" not in kept.stderr  # a database keeps it

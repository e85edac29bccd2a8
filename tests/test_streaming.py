"""Streaming input: records come one at a time, exactly as ``json.loads`` would give them."""

from __future__ import annotations

import io
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indigo_standard.errors import InputError
from indigo_standard.jsonstream import JsonStream
from indigo_standard.reading.json_input import iter_file

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


def _stream_items(text: str, block: int) -> list[Any]:
    stream = JsonStream(io.BytesIO(text.encode("utf-8")), "f.json", block=block)
    items = list(stream.items())
    stream.end()
    return items


def _same(a: Any, b: Any) -> bool:
    """Equal, with float signs and types compared exactly (``1 == 1.0`` is not enough)."""
    if isinstance(a, float) or isinstance(b, float):
        return type(a) is type(b) and (a == b and math.copysign(1, a) == math.copysign(1, b))
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


@settings(max_examples=150, deadline=None)
@given(st.lists(JSON_VALUES, max_size=6), st.sampled_from([1, 2, 3, 7, 64]), st.sampled_from([None, 1, 2]))
def test_items_are_exactly_what_json_loads_gives(items: list[Any], block: int, indent: int | None) -> None:
    text = json.dumps(items, indent=indent, ensure_ascii=False)
    assert _same(_stream_items(text, block), json.loads(text))


@pytest.mark.parametrize(
    "text",
    ["[1.5e300, 0.1, -0.0, 12345678901234567890123456789, 1E400, 3.141592653589793238462643383279]"],
)
def test_numbers_stay_exact_across_block_boundaries(text: str) -> None:
    for block in (1, 2, 5, 1 << 20):
        assert _same(_stream_items(text, block), json.loads(text))


@settings(max_examples=150, deadline=None)
@given(st.lists(JSON_VALUES, min_size=1, max_size=5), st.data(), st.sampled_from([1, 3, 64]))
def test_malformed_json_is_reported_at_the_line_and_column_json_reports(
    items: list[Any], data: st.DataObject, block: int
) -> None:
    text = json.dumps(items, indent=1)
    cut = data.draw(st.integers(min_value=1, max_value=len(text) - 1))
    broken = text[:cut] + data.draw(st.sampled_from(["}", "]", ":", "@", ",,", "\n}"])) + text[cut:]
    try:
        json.loads(broken)
    except json.JSONDecodeError as error:
        expected = f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}"
    else:
        return
    with pytest.raises(InputError) as raised:
        _stream_items(broken, block)
    assert str(raised.value) == f"f.json: {expected}"


def test_a_list_yields_its_first_record_before_the_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    record = {"id": "INDIGO-POJ-1", "name": {"value": "x" * 1000}}
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        out.write(",\n".join(json.dumps(record) for _ in range(20_000)))
        out.write("]")
    size = path.stat().st_size
    with path.open("rb") as handle:
        stream = JsonStream(handle, str(path))
        first = next(iter(stream.items()))
        assert first == record
        assert stream.bytes_read < size / 10


def test_packages_stream_their_lists_in_the_standard_order(tmp_path: Path) -> None:
    package = {
        "organisations": [{"id": "INDIGO-ORG-1"}],
        "schema_version": "4.0",
        "projects": [{"id": "INDIGO-POJ-1"}, {"id": "INDIGO-POJ-2"}],
        "title": "t",
    }
    path = tmp_path / "p.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    items = list(iter_file(path))
    assert [(i.entity, i.declared_version) for i in items] == [
        ("package", "4.0"),
        ("project", "4.0"),
        ("project", "4.0"),
        ("organisation", "4.0"),
    ]
    assert items[0].data == {"organisations": [], "schema_version": "4.0", "projects": [], "title": "t"}
    assert [i.data for i in items[1:]] == [*package["projects"], *package["organisations"]]


def test_a_repeated_list_key_keeps_the_last_as_json_loads_does(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('{"projects": [{"id": "A"}], "schema_version": "4.1", "projects": [{"id": "B"}]}')
    assert [i.data for i in iter_file(path)][1:] == [{"id": "B"}]
    path.write_text('{"projects": [{"id": "A"}], "schema_version": "4.1", "projects": 5}')
    assert [i.data for i in iter_file(path)] == [{"projects": 5, "schema_version": "4.1"}]


def test_a_single_record_object_is_one_record(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    record = {"id": "INDIGO-POJ-1", "projects": [1, 2]}
    path.write_text(json.dumps(record))
    assert [(i.entity, i.data) for i in iter_file(path)] == [(None, record)]


def test_json_lines_with_a_byte_order_mark_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"id": "INDIGO-POJ-1"}\r\n\r\n{"id": "INDIGO-ORG-1"}\r\n')
    assert [i.data["id"] for i in iter_file(path)] == ["INDIGO-POJ-1", "INDIGO-ORG-1"]
    path.write_bytes(b'{"id": "INDIGO-POJ-1"}\n{"id": "caf\xe9"}\n')
    with pytest.raises(InputError, match="invalid byte at line 2"):
        list(iter_file(path))


MEMORY_PROBE = """
import resource, sys
from indigo_standard.validation.validate import validate_paths
report = validate_paths([sys.argv[1]])
print(report.records, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _peak_kib(path: Path) -> tuple[int, int]:
    out = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(path)], capture_output=True, text=True, check=True
    ).stdout.split()
    return int(out[0]), int(out[1])


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_validating_a_large_file_takes_no_more_memory_than_a_small_one(tmp_path: Path, suffix: str) -> None:
    record = {"id": "INDIGO-ORG-{}", "name": {"value": "An organisation " + "y" * 2000}}

    def write(path: Path, count: int) -> None:
        lines = (json.dumps(record).replace("{}", str(n)) for n in range(count))
        text = "\n".join(lines) if suffix == ".jsonl" else "[" + ",\n".join(lines) + "]"
        path.write_text(text, encoding="utf-8")

    small, large = tmp_path / f"small{suffix}", tmp_path / f"large{suffix}"
    write(small, 200)
    write(large, 20_000)  # about 40 MB: held whole, it would add far more than the margin
    assert large.stat().st_size > 40_000_000
    small_records, small_peak = _peak_kib(small)
    large_records, large_peak = _peak_kib(large)
    assert (small_records, large_records) == (200, 20_000)
    assert large_peak < small_peak + 25_000, (small_peak, large_peak)


def _export_records(folder: Path) -> list[Any]:
    from indigo_standard.flat import read_flat
    from indigo_standard.reading.records import NOTICES_ONLY

    return [(item.entity, item.data) for item in read_flat(folder) if item.entity != NOTICES_ONLY]


EXPORT = Path(__file__).resolve().parent / "fixtures" / "golab-indigo-export"


def test_child_rows_out_of_parent_order_give_the_same_records(tmp_path: Path) -> None:
    import csv
    import shutil

    folder = tmp_path / "export"
    shutil.copytree(EXPORT, folder)
    table = folder / "projects_outcome_metrics.csv"
    with table.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    key = header.index("Project ID")
    # parents in reverse order, each parent's rows still in their order, plus an orphan row
    body.sort(key=lambda row: row[key], reverse=True)
    orphan = list(body[0])
    orphan[key] = "INDIGO-POJ-NO-SUCH"
    body.insert(3, orphan)
    with table.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *body])
    assert _export_records(folder) == _export_records(EXPORT)
    from indigo_standard.flat import read_flat

    notices = [n for item in read_flat(folder) for n in item.notices if n.code == "flat.orphan-row"]
    assert [(n.cell.file, n.cell.row, n.params["parent"]) for n in notices] == [
        (str(table), 5, "INDIGO-POJ-NO-SUCH")
    ]


def test_a_large_csv_folder_is_validated_in_bounded_memory(tmp_path: Path) -> None:
    from indigo_standard.flat import write_csv_folder

    def write(folder: Path, count: int) -> None:
        records = (
            {
                "id": f"INDIGO-ORG-{n}",
                "name": {"value": "Organisation " + "z" * 2000},
                "sources": [{"id": f"s{n}", "name": {"value": "a source " + "q" * 500}}],
            }
            for n in range(count)
        )
        write_csv_folder(records, folder, "4.1")

    small, large = tmp_path / "small", tmp_path / "large"
    write(small, 200)
    write(large, 8_000)  # about 20 MB: the bytes and text of the files alone would pass the margin
    assert sum(p.stat().st_size for p in large.iterdir()) > 18_000_000
    small_records, small_peak = _peak_kib(small)
    large_records, large_peak = _peak_kib(large)
    assert (small_records, large_records) == (200, 8_000)
    assert large_peak < small_peak + 25_000, (small_peak, large_peak)


def test_values_jsonschema_rs_cannot_take_fall_back_to_the_reference_validator() -> None:
    from decimal import Decimal

    from indigo_standard.validation.engine import ReferenceOracle, SchemaEngine
    from indigo_standard.validation.fast import CompiledOracle, available

    if not available():
        pytest.skip("jsonschema-rs is not installed or is disabled")
    record = {
        "id": "INDIGO-POJ-1",
        "dates": {"anticipated_duration_of_service_provision": {"value": Decimal("1.5")}},
        "name": {"value": {1, 2}},
    }
    fast, reference = SchemaEngine(CompiledOracle()), SchemaEngine(ReferenceOracle())
    assert fast.issues("4.1", "project", record, "INDIGO-POJ-1") == reference.issues(
        "4.1", "project", record, "INDIGO-POJ-1"
    )
    assert fast.issues("4.1", "project", record, "INDIGO-POJ-1")  # the set is not text
    del record["name"]
    assert fast.issues("4.1", "project", record, "INDIGO-POJ-1") == []


def test_dropping_resolved_references_changes_no_report() -> None:
    from indigo_standard.reading.inputs import iter_paths
    from indigo_standard.report.json_writer import render_json
    from indigo_standard.validation.validate import Validation

    def report(compact_at: int) -> str:
        run = Validation()
        run.checks.index.compact_at = run.checks.index.compact_every = compact_at
        for item in iter_paths([EXPORT]):
            run.add(item)
        held = len(run.checks.index.references)
        assert held < 5_000 if compact_at < 100 else held > 10_000
        return render_json(run.report())

    found = report(7)
    assert found == report(10**9)
    assert '"dataset.unknown-organisation"' in found

"""Writing records in the flat layout: a folder of CSVs, a zip of them, or an XLSX workbook.

Every sheet of the version's layout is written, each with every column of the schema
(so an empty dataset is a template), followed by any columns kept from the input under
``extra_columns``. Output is written atomically.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from ..detect import detect_entity, record_id
from ..errors import InputError
from ..reading import SourcedRecord
from .atomic import atomic_path, write_folder
from .cells import to_text
from .layout import EXTRA_KEY, Layout, Sheet, layout

Record = SourcedRecord | Mapping[str, Any]
"""A record to write: a dict in the standard's JSON form, or one as a reader yields it."""


@attrs.define
class Grid:
    """The header and rows of one sheet, cells still as JSON values."""

    sheet: Sheet
    header: list[str]
    rows: list[list[Any]] = attrs.field(factory=list)


def _get(data: Any, keys: Iterable[str]) -> Any:
    for key in keys:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


def _row(key: Any, obj: Mapping[str, Any], grid: Grid) -> None:
    cells = [key, *(_get(obj, column.keys) for column in grid.sheet.columns)]
    extra = obj.get(EXTRA_KEY)
    if isinstance(extra, Mapping):
        base = len(grid.sheet.headers)
        for header, value in extra.items():
            if header in grid.header[base:]:
                position = grid.header.index(header, base)
            else:
                grid.header.append(header)
                position = len(grid.header) - 1
            cells.extend([None] * (position + 1 - len(cells)))
            cells[position] = value
    grid.rows.append(cells)


def _entry(record: Record) -> tuple[str, Mapping[str, Any]]:
    if isinstance(record, SourcedRecord):
        data, context = record.data, record.entity
    else:
        data, context = record, None
    if not isinstance(data, Mapping):
        raise InputError(f"cannot write {type(data).__name__} as a record: records are JSON objects")
    entity = detect_entity(data, context=context if context != "package" else None)
    if entity is None:
        shown = record_id(data) or "(no id)"
        raise InputError(f"record {shown}: cannot tell its type (its id should start INDIGO-POJ-, "
                         "INDIGO-ORG-, INDIGO-FUND- or INDIGO-PL-)")
    return entity, data


def grids(records: Iterable[Record], version: str) -> list[Grid]:
    """Every sheet of ``version``'s layout filled with the records' rows."""
    lay: Layout = layout(version)
    table = {sheet.name: Grid(sheet, list(sheet.headers)) for sheet in lay.sheets}
    for record in records:
        if isinstance(record, SourcedRecord) and record.entity in ("package", "notices"):
            continue
        entity, data = _entry(record)
        sheets = lay.for_entity(entity)
        key = data.get("id")
        _row(key, data, table[sheets[0].name])
        for sheet in sheets[1:]:
            items = _get(data, sheet.list_keys or ())
            if isinstance(items, list):
                for item in items:
                    if isinstance(item, Mapping):
                        _row(key, item, table[sheet.name])
    for grid in table.values():
        for row in grid.rows:
            row.extend([None] * (len(grid.header) - len(row)))
    return list(table.values())


def csv_bytes(grid: Grid) -> bytes:
    """One sheet as CSV text in UTF-8, every field quoted only where needed."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(grid.header)
    for row in grid.rows:
        writer.writerow([to_text(cell) for cell in row])
    return buffer.getvalue().encode("utf-8")


def write_csv_folder(records: Iterable[Record], target: str | Path, version: str) -> None:
    """Write the records as a folder of CSVs in the export layout."""
    files = {f"{grid.sheet.name}.csv": csv_bytes(grid) for grid in grids(records, version)}
    write_folder(Path(target), files)


def write_zip(records: Iterable[Record], target: str | Path, version: str) -> None:
    """Write the records as a zip of CSVs in the export layout."""
    path = Path(target)
    content = [(f"{grid.sheet.name}.csv", csv_bytes(grid)) for grid in grids(records, version)]
    with atomic_path(path) as temp, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in content:
            archive.writestr(name, data)

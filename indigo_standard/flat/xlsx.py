"""XLSX workbooks in the flat layout: one sheet per CSV file of the export, via openpyxl.

Writing: text cells are always stored as text (never as formulas, even when they begin
with ``=``, ``+``, ``-`` or ``@``; those also get Excel's quote prefix so that editing
the cell keeps it text). Numbers are stored as numbers when the workbook keeps them
exactly, else as text, which reading turns back into the same number. The schema
version is kept in the workbook's custom property ``indigo_schema_version``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..versions import normalise_version
from .atomic import atomic_path
from .cells import FORMULA_STARTS
from .sheets import sheet_for_title, sheet_title
from .tables import Row, Table
from .writer import Grid, Record, grids

VERSION_PROPERTY = "indigo_schema_version"
EXACT_DIGITS = 10**15


def _exact_number(value: int | float) -> bool:
    """True when the workbook stores ``value`` so that reading gives back the same number."""
    if isinstance(value, int):
        return abs(value) < EXACT_DIGITS
    text = f"{value:.16g}"
    return ("." in text or "e" in text) and float(text) == value


def _cell_value(value: Any) -> tuple[Any, bool]:
    """The value to store and whether it must be forced to text."""
    if value is None:
        return None, False
    if isinstance(value, bool):
        return ("true" if value else "false"), True
    if isinstance(value, (int, float)):
        if _exact_number(value):
            return value, False
        return repr(value) if isinstance(value, float) else str(value), True
    if isinstance(value, str):
        return value, True
    from .cells import to_text

    return to_text(value), True


def _write_sheet(book: Any, grid: Grid) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils.exceptions import IllegalCharacterError

    sheet = book.create_sheet(sheet_title(grid.sheet.name))
    bold = Font(bold=True)
    for column, header in enumerate(grid.header, start=1):
        cell = sheet.cell(row=1, column=column, value=header)
        cell.data_type = "s"
        cell.font = bold
    for number, row in enumerate(grid.rows, start=2):
        for column, raw in enumerate(row, start=1):
            value, as_text = _cell_value(raw)
            if value is None or value == "":
                continue
            cell = sheet.cell(row=number, column=column)
            try:
                cell.value = value
            except IllegalCharacterError:
                raise InputError(
                    f"{grid.sheet.name}, row {number}, column {grid.header[column - 1]!r}: holds a control "
                    "character that XLSX cannot store; remove it or write CSV instead"
                ) from None
            if as_text:
                cell.data_type = "s"
                if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                    cell.quotePrefix = True
    sheet.freeze_panes = "B2"


def write_xlsx(records: Iterable[Record], target: str | Path, version: str) -> None:
    """Write the records as an XLSX workbook, one sheet per CSV file of the layout."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty

    version = normalise_version(version)
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for grid in grids(records, version):
        _write_sheet(book, grid)
    getattr(book, "custom_doc_props").append(  # noqa: B009 (missing from the stubs)
        StringProperty(name=VERSION_PROPERTY, value=version))
    with atomic_path(Path(target)) as temp:
        book.save(temp)


def _trimmed(values: Iterable[Any]) -> list[Any]:
    cells = list(values)
    while cells and (cells[-1] is None or cells[-1] == ""):
        cells.pop()
    return cells


def read_workbook(path: Path) -> tuple[list[Table], str | None]:
    """Every sheet of a workbook as a table, and the schema version the workbook records."""
    from openpyxl import load_workbook

    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise InputError(f"{path}: not a readable XLSX workbook ({type(error).__name__})") from None
    version = None
    for prop in getattr(book, "custom_doc_props").props:  # noqa: B009 (missing from the stubs)
        if prop.name == VERSION_PROPERTY and isinstance(prop.value, str):
            version = prop.value
    tables = []
    for sheet in book.worksheets:
        grid = [_trimmed(row) for row in sheet.iter_rows(values_only=True)]
        if not grid:
            continue
        header = ["" if h is None else str(h).strip() for h in grid[0]]
        body: list[Row] = list(enumerate(grid[1:], start=2))

        def rows(body: list[Row] = body) -> Iterator[Row]:
            yield from body

        tables.append(Table(sheet_for_title(sheet.title), f"{path}/{sheet.title}", header, rows))
    book.close()
    return tables, version


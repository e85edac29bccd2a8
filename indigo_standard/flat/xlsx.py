"""XLSX workbooks in the flat layout: one sheet per CSV file of the export, via openpyxl.

Writing: text cells are always stored as text (never as formulas, even when they begin
with ``=``, ``+``, ``-`` or ``@``; those also get Excel's quote prefix so that editing
the cell keeps it text). Numbers are stored as numbers when the workbook keeps them
exactly, else as text, which reading turns back into the same number. The schema
version is kept in the workbook's custom property ``indigo_schema_version``.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..versions import normalise_version
from .atomic import atomic_path
from .cells import FORMULA_STARTS
from .merged import Range, merged_ranges, spread
from .sheets import sheet_for_title, sheet_title
from .tables import Row, Table
from .writer import Record, SheetHeader, spool_rows

VERSION_PROPERTY = "indigo_schema_version"
TEMPLATE_SHEETS_PROPERTY = "indigo_template_sheets"
"""The template's helper sheets (instructions, fields, code lists), comma-separated: not data, not read."""
EXACT_DIGITS = 10**15
MAX_CELL_TEXT = 32767
"""openpyxl keeps this many characters of a text cell (and checks only those for control characters)."""


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


class _SheetSpool:
    """One sheet's rows as JSON lines of the values to store, in a temporary file."""

    def __init__(self, stack: ExitStack) -> None:
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        self.illegal = ILLEGAL_CHARACTERS_RE
        spool = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115 (closed by stack)
        self.handle = stack.enter_context(spool)
        self.rows = 0
        self.problem: tuple[int, int] | None = None
        """The (row, column) of the first cell XLSX cannot store."""

    def add(self, cells: list[Any]) -> None:
        """Spool one row (cells as JSON values)."""
        self.rows += 1
        values = [_cell_value(cell)[0] for cell in cells]
        if self.problem is None:
            for column, value in enumerate(values, start=1):
                if isinstance(value, str) and self.illegal.search(value[:MAX_CELL_TEXT]):
                    self.problem = (self.rows + 1, column)
                    break
        self.handle.write(json.dumps(values) + "\n")

    def rows_read(self) -> Iterator[list[Any]]:
        """The spooled rows again, in order."""
        self.handle.seek(0)
        for line in self.handle:
            yield json.loads(line)


def _write_sheet(book: Any, header: SheetHeader, spool: _SheetSpool | None) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    sheet = book.create_sheet(sheet_title(header.sheet.name))
    sheet.freeze_panes = "B2"
    bold = Font(bold=True)
    titles = []
    for title in header.header:
        cell = WriteOnlyCell(sheet, value=title)
        cell.data_type = "s"
        cell.font = bold
        titles.append(cell)
    sheet.append(titles)
    width = len(header.header)
    for values in spool.rows_read() if spool is not None else ():
        row: list[Any] = []
        for value in values:
            if not isinstance(value, str):
                row.append(value)  # None (an empty cell) or a number kept exactly
            elif value:
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                if value.startswith(FORMULA_STARTS):
                    cell.quotePrefix = True
                row.append(cell)
            else:
                row.append(None)
        row.extend([None] * (width - len(row)))
        sheet.append(row)


def write_xlsx(records: Iterable[Record], target: str | Path, version: str) -> None:
    """Write the records as an XLSX workbook, one sheet per CSV file of the layout.

    Rows are spooled per sheet while the records are read, then written with openpyxl's
    write-only workbook, so memory does not grow with the dataset.
    """
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty

    version = normalise_version(version)
    with ExitStack() as stack:
        headers, spools = spool_rows(records, version, stack, _SheetSpool)
        for header in headers:
            found = spools.get(header.sheet.name)
            if found is not None and found.problem is not None:
                number, column = found.problem
                raise InputError(
                    f"{header.sheet.name}, row {number}, column {header.header[column - 1]!r}: holds a "
                    "control character that XLSX cannot store; remove it or write CSV instead"
                )
        book = Workbook(write_only=True)
        for header in headers:
            _write_sheet(book, header, spools.get(header.sheet.name))
        getattr(book, "custom_doc_props").append(  # noqa: B009 (missing from the stubs)
            StringProperty(name=VERSION_PROPERTY, value=version))
        with atomic_path(Path(target)) as temp:
            book.save(temp)


def _trimmed(values: Iterable[Any]) -> list[Any]:
    cells = list(values)
    while cells and (cells[-1] is None or cells[-1] == ""):
        cells.pop()
    return cells


def _spread_rows(sheet: Any, merges: list[Range]) -> Iterator[Row]:
    """The sheet's rows from the header on, numbered, with merged cells spread (see :mod:`.merged`)."""
    numbered = ((number, list(values)) for number, values in enumerate(sheet.iter_rows(values_only=True), 1))
    return spread(numbered, merges)


def read_workbook(path: Path) -> tuple[list[Table], str | None]:
    """Every sheet of a workbook as a table, and the schema version the workbook records.

    The workbook stays open in openpyxl's read-only mode: each table's rows are read from
    the file as they are asked for, never a whole sheet at once.
    """
    from openpyxl import load_workbook

    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise InputError(f"{path}: not a readable XLSX workbook ({type(error).__name__})") from None
    version = None
    helpers: set[str] = set()
    for prop in getattr(book, "custom_doc_props").props:  # noqa: B009 (missing from the stubs)
        if prop.name == VERSION_PROPERTY and isinstance(prop.value, str):
            version = prop.value
        if prop.name == TEMPLATE_SHEETS_PROPERTY and isinstance(prop.value, str):
            helpers = set(prop.value.split(","))
    tables = []
    for sheet in book.worksheets:
        if sheet.title in helpers:
            continue
        merges = merged_ranges(sheet)
        first = next(_spread_rows(sheet, merges), None)
        if first is None:
            continue
        header = ["" if h is None else str(h).strip() for h in _trimmed(first[1])]

        def rows(sheet: Any = sheet, merges: list[Range] = merges) -> Iterator[Row]:
            for number, values in _spread_rows(sheet, merges):
                if number > 1:
                    yield number, _trimmed(values)

        tables.append(Table(sheet_for_title(sheet.title), f"{path}/{sheet.title}", header, rows))
    return tables, version

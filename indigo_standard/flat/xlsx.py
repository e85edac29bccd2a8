"""XLSX workbooks in the flat layout: one sheet per CSV file of the export, via openpyxl.

Writing: text cells are always stored as text (never as formulas, even when they begin
with ``=``, ``+``, ``-`` or ``@``; those also get Excel's quote prefix so that editing
the cell keeps it text). Numbers are stored as numbers when the workbook keeps them
exactly, else as text, which reading turns back into the same number. A carriage return
or another control character is stored with the workbook format's own escape
(``_x000D_``), since XML would turn a bare CR into a line feed; reading undoes it. What a
sheet cannot hold (more than 32,767 characters in a cell, 16,384 columns, 1,048,576 rows)
stops the write with one line naming the record, field and limit: nothing is cut short.
The schema version is kept in the workbook's custom property ``indigo_schema_version``.

Reading: the workbook is checked as the zip archive it is (see :mod:`.archive`) before
openpyxl opens it, then read in openpyxl's read-only mode, a row at a time, as values. A
sheet read again is read from a temporary copy of its rows (see :class:`_SheetRows`).
"""

from __future__ import annotations

import json
import pickle
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path
from typing import IO, Any

import attrs

from ..errors import IndigoError, InputError
from ..reading.files import open_regular
from ..versions import normalise_version
from ..writing.atomic import atomic_path, zip_output
from .archive import check_archive, zip_errors
from .cells import FORMULA_STARTS
from .kept import KeptColumn, clean_header
from .merged import Range, merged_ranges, spread
from .sheets import sheet_for_title, sheet_title
from .tables import Row, Table
from .writer import Record, SheetHeader, kept_columns, spool_rows

VERSION_PROPERTY = "indigo_schema_version"
TEMPLATE_SHEETS_PROPERTY = "indigo_template_sheets"
"""The template's helper sheets (instructions, fields, code lists), comma-separated: not data, not read."""
EXACT_DIGITS = 10**15
MAX_CELL_TEXT = 32767
"""The most characters a cell holds (as stored: an escaped character such as ``_x000D_`` counts 7)."""
MAX_COLUMNS = 16384
MAX_ROWS = 1048576
"""The most rows a sheet holds, its header row included."""
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""How an encrypted workbook or an old ``.xls`` file starts (an OLE compound file, not a zip)."""

_STORED_AS_ESCAPE = "\\x00-\\x08\\x0b-\\x1f\\ufffe\\uffff"
"""What a workbook stores as ``_xHHHH_``: control characters, the carriage return among them (not tab, LF),
and the two other characters XML cannot hold (U+FFFE, U+FFFF), which would make the file unreadable."""
_ESCAPED = re.compile(f"_(?=x[0-9A-Fa-f]{{4}}[_{_STORED_AS_ESCAPE}])|[{_STORED_AS_ESCAPE}]")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _escape_match(match: re.Match[str]) -> str:
    return f"_x{ord(match.group()):04X}_"


def escape_text(text: str) -> str:
    """Text as a workbook stores it: a carriage return or control character as ``_xHHHH_``, and an
    ``_`` that would make what follows read as such an escape as ``_x005F_``, so that reading
    it back from the left (:func:`unescape_text`) gives exactly ``text``."""
    return _ESCAPED.sub(_escape_match, text) if ("_x" in text or not text.isprintable()) else text


def _unescape_match(match: re.Match[str]) -> str:
    code = int(match.group(1), 16)
    return match.group() if 0xD800 <= code <= 0xDFFF else chr(code)


def unescape_text(text: str) -> str:
    """The text a workbook's stored text stands for: the inverse of :func:`escape_text`."""
    return _ESCAPE.sub(_unescape_match, text) if "_x" in text else text


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


@attrs.frozen
class _Problem:
    """The first thing a sheet cannot hold: where it is and what is wrong."""

    row: int
    column: int
    """Counting from 0 (the key column)."""
    key: Any
    what: str


class _SheetSpool:
    """One sheet's rows as JSON lines of the values to store, in a temporary file."""

    def __init__(self, stack: ExitStack) -> None:
        spool = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115 (closed by stack)
        self.handle = stack.enter_context(spool)
        self.rows = 0
        self.problem: _Problem | None = None

    def add(self, cells: list[Any]) -> None:
        """Spool one row (cells as JSON values), noting the first value a sheet cannot hold."""
        self.rows += 1
        values = [_cell_value(cell)[0] for cell in cells]
        values = [escape_text(value) if isinstance(value, str) else value for value in values]
        if self.problem is None:
            self.problem = _row_problem(self.rows + 1, cells[0] if cells else None, values)
        self.handle.write(json.dumps(values) + "\n")

    def rows_read(self) -> Iterator[list[Any]]:
        """The spooled rows again, in order."""
        self.handle.seek(0)
        for line in self.handle:
            yield json.loads(line)


def _row_problem(number: int, key: Any, values: list[Any]) -> _Problem | None:
    if number > MAX_ROWS:
        return _Problem(number, 0, key, f"a sheet holds at most {MAX_ROWS:,} rows")
    if len(values) > MAX_COLUMNS:
        return _Problem(number, MAX_COLUMNS, key, f"a sheet holds at most {MAX_COLUMNS:,} columns")
    for column, value in enumerate(values):
        if isinstance(value, str) and len(value) > MAX_CELL_TEXT:
            what = f"{len(value):,} characters, more than the {MAX_CELL_TEXT:,} a cell holds"
            return _Problem(number, column, key, what)
    return None


def _refuse(target: Path, header: SheetHeader, problem: _Problem) -> InputError:
    column = header.header[problem.column] if problem.column < len(header.header) else None
    where = f"record {problem.key}" if problem.key not in (None, "") else "a record without id"
    field = f", field {column!r}" if column is not None else f", column {problem.column + 1:,}"
    return InputError(
        f"{target}: {where}{field} (sheet {header.sheet.name}, row {problem.row:,}): {problem.what}; nothing "
        "was written (write CSV or JSON instead, which have no such limit)"
    )


def _write_sheet(book: Any, header: SheetHeader, spool: _SheetSpool | None) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    sheet = book.create_sheet(sheet_title(header.sheet.name))
    sheet.freeze_panes = "B2"
    bold = Font(bold=True)
    titles = []
    for title in header.header:
        cell = WriteOnlyCell(sheet, value=escape_text(title))
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
                if unescape_text(value).startswith(FORMULA_STARTS):
                    cell.quotePrefix = True
                row.append(cell)
            else:
                row.append(None)
        row.extend([None] * (width - len(row)))
        sheet.append(row)


def write_xlsx(records: Iterable[Record], target: str | Path, version: str) -> list[KeptColumn]:
    """Write the records as an XLSX workbook, one sheet per CSV file of the layout; returns the
    kept columns added for values the layout has no column for (see :mod:`.kept`).

    Rows are spooled per sheet while the records are read, then written with openpyxl's
    write-only workbook, so memory does not grow with the dataset. A value a sheet cannot
    hold stops the write (InputError naming the record, field and limit); so does a
    failure or an interrupt, which leaves ``target`` as it was.
    """
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty

    path = Path(target)
    version = normalise_version(version)
    with ExitStack() as stack:
        headers, spools = spool_rows(records, version, stack, _SheetSpool)
        for header in headers:
            found = spools.get(header.sheet.name)
            if len(header.header) > MAX_COLUMNS:
                key = found.problem.key if found is not None and found.problem is not None else None
                what = f"{len(header.header):,} columns, more than the {MAX_COLUMNS:,} a sheet holds"
                raise _refuse(path, header, _Problem(1, MAX_COLUMNS, key, what))
            if found is not None and found.problem is not None:
                raise _refuse(path, header, found.problem)
        book = Workbook(write_only=True)
        try:
            for header in headers:
                _write_sheet(book, header, spools.get(header.sheet.name))
            getattr(book, "custom_doc_props").append(  # noqa: B009 (missing from the stubs)
                StringProperty(name=VERSION_PROPERTY, value=version)
            )
            with atomic_path(path) as temp:
                _save(book, temp)
        finally:
            _discard(book)
    return kept_columns(headers)


def _save(book: Any, temp: Path) -> None:
    """Save the workbook to ``temp``, closing the archive even when writing fails (a full disk)."""
    from openpyxl.writer.excel import ExcelWriter

    with zip_output(temp) as archive:
        ExcelWriter(book, archive).write_data()


def _discard(book: Any) -> None:
    """Close every sheet openpyxl still has open and remove its temporary file.

    A write-only sheet keeps a temporary file and a generator writing into it until the
    workbook is saved; after a failure or an interrupt they would otherwise be left for
    the garbage collector, which reports their closing as errors.
    """
    for sheet in book.worksheets:
        with suppress(Exception):
            if not sheet.closed:
                sheet.close()
        with suppress(Exception):
            writer = getattr(sheet, "_writer", None)
            if writer is not None:
                writer.cleanup()


def _trimmed(values: Iterable[Any]) -> list[Any]:
    cells = list(values)
    while cells and (cells[-1] is None or cells[-1] == ""):
        cells.pop()
    return cells


def _spread_rows(sheet: Any, merges: list[Range]) -> Iterator[Row]:
    """The sheet's rows from the header on, numbered, with merged cells spread (see :mod:`.merged`)."""
    numbered = ((number, list(values)) for number, values in enumerate(sheet.iter_rows(values_only=True), 1))
    return spread(numbered, merges)


@contextmanager
def read_workbook(path: Path) -> Iterator[tuple[list[Table], str | None]]:
    """Every sheet of a workbook as a table, and the schema version the workbook records.

    The workbook is checked as a zip archive first (limits on size and compression ratio,
    no encrypted or unsafe members). It then stays open in openpyxl's read-only mode while
    the block runs: each table's rows are read from the file as they are asked for, never a
    whole sheet at once. The file is closed when the block ends.
    """
    from openpyxl import load_workbook

    file = str(path)
    with open_regular(path) as handle, tempfile.TemporaryDirectory(prefix="indigo-xlsx-") as spool:
        book = _open_book(file, handle, load_workbook)
        try:
            version = None
            helpers: set[str] = set()
            for prop in getattr(book, "custom_doc_props").props:  # noqa: B009 (missing from the stubs)
                if prop.name == VERSION_PROPERTY and isinstance(prop.value, str):
                    version = prop.value
                if prop.name == TEMPLATE_SHEETS_PROPERTY and isinstance(prop.value, str):
                    helpers = set(prop.value.split(","))
            tables: list[Table] = []
            for sheet in book.worksheets:
                if sheet.title in helpers:
                    continue
                where = f"{path}/{sheet.title}"
                with _sheet_errors(where):
                    merges = merged_ranges(sheet)
                    first = next(_spread_rows(sheet, merges), None)
                if first is None:
                    continue
                header = [
                    "" if h is None else clean_header(unescape_text(str(h))) for h in _trimmed(first[1])
                ]
                rows = _SheetRows(sheet, merges, where, Path(spool) / f"{len(tables)}.rows")
                tables.append(Table(sheet_for_title(sheet.title), where, header, rows))
            yield tables, version
        finally:
            book.close()


def _open_book(file: str, handle: IO[bytes], load_workbook: Any) -> Any:
    if handle.read(len(OLE_MAGIC)) == OLE_MAGIC:
        raise InputError(
            f"{file}: an encrypted workbook or an old .xls file, not an XLSX workbook; save it "
            "without a password as .xlsx"
        )
    handle.seek(0)
    try:
        archive = zipfile.ZipFile(handle)
    except zipfile.BadZipFile:
        raise InputError(f"{file}: not a readable XLSX workbook (not a zip archive)") from None
    with zip_errors(file), archive:
        check_archive(file, archive)
    handle.seek(0)
    try:
        return load_workbook(handle, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise InputError(f"{file}: not a readable XLSX workbook ({type(error).__name__})") from None


@contextmanager
def _sheet_errors(where: str) -> Iterator[None]:
    """Turn what openpyxl or the zip reader raise for a damaged sheet into a one-line input error."""
    try:
        with zip_errors(where):
            yield
    except IndigoError:
        raise
    except Exception as error:  # openpyxl and XML parsing raise many kinds for a damaged sheet
        raise InputError(f"{where}: the sheet cannot be read ({type(error).__name__}: {error})") from None


class _SheetRows:
    """A sheet's data rows, merged cells spread over the cells they cover and escapes undone,
    given afresh each time they are asked for (a table is read more than once).

    openpyxl parses the sheet's XML the first time, and the rows go to a temporary file as
    they pass, in pickled batches; later readings come from that file, which is several
    times quicker than parsing the XML again. Memory holds one batch.
    """

    BATCH = 1000

    def __init__(self, sheet: Any, merges: list[Range], where: str, spool: Path) -> None:
        self.sheet = sheet
        self.merges = merges
        self.where = where
        self.spool = spool
        self.spooled = False
        """True once one reading went to the end, so that the spool holds every row."""

    def __call__(self) -> Iterator[Row]:
        return self._spooled() if self.spooled else self._parsed()

    def _parsed(self) -> Iterator[Row]:
        with _sheet_errors(self.where), self.spool.open("wb") as out:
            batch: list[Row] = []
            for number, values in _spread_rows(self.sheet, self.merges):
                if number > 1:
                    row = (
                        number,
                        [
                            unescape_text(value) if isinstance(value, str) else value
                            for value in _trimmed(values)
                        ],
                    )
                    batch.append(row)
                    if len(batch) >= self.BATCH:
                        pickle.dump(batch, out, protocol=pickle.HIGHEST_PROTOCOL)
                        batch = []
                    yield row
            pickle.dump(batch, out, protocol=pickle.HIGHEST_PROTOCOL)
        self.spooled = True

    def _spooled(self) -> Iterator[Row]:
        with self.spool.open("rb") as source:
            while True:
                try:
                    batch = pickle.load(source)
                except EOFError:
                    return
                yield from batch

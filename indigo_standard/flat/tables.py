"""Tables of cells from a folder of CSVs or a zip of CSVs (workbooks: see ``xlsx``).

A :class:`Table` is one CSV file or one sheet: a name (the file name without ``.csv``),
the location reports show for it, its header row and its data rows, each with the row
number a spreadsheet user sees (the header is row 1).

CSV files are always read as streams, a line at a time, whether they sit in a folder or
in a zip archive: nothing holds a whole file, and a member of a zip is unpacked as it is
read (after :func:`~indigo_standard.flat.archive.check_archive` has accepted the archive).
A cell may hold at most :data:`~indigo_standard.limits.CSV_FIELD_LIMIT` characters and a
line as many bytes. Text that writers protected from spreadsheets (see
:func:`~indigo_standard.flat.cells.csv_text`) is read back as it was.
"""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import IO, Any

import attrs

from ..errors import InputError
from ..limits import CSV_FIELD_LIMIT
from ..reading.files import inside, open_regular
from .archive import check_archive, member_name, zip_errors
from .cells import PROTECT, csv_is_raw, unprotect_csv_text
from .kept import clean_header

Row = tuple[int, list[Any]]
"""A data row: its spreadsheet row number and its cells."""

Opener = Callable[[], AbstractContextManager[IO[bytes]]]
"""Opens a CSV file's bytes afresh, as a stream."""

if csv.field_size_limit() < CSV_FIELD_LIMIT:
    csv.field_size_limit(CSV_FIELD_LIMIT)

DELIMITERS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}
"""Separators some spreadsheets use instead of commas, named for the message that refuses them."""


@attrs.frozen
class Table:
    """One CSV file or XLSX sheet."""

    name: str
    """The CSV file name without ``.csv`` (for a sheet, the name it maps back to)."""
    file: str
    """Where it is, as reports name it: a path, ``export.zip/projects.csv`` or ``book.xlsx/projects``."""
    header: list[str]
    rows: Callable[[], Iterator[Row]]
    """Opens the table afresh and yields its data rows."""


def _lines(opener: Opener, file: str) -> Iterator[str]:
    """The text lines of a CSV file, each at most CSV_FIELD_LIMIT bytes, decoded from UTF-8."""
    with opener() as handle:
        number = 0
        while True:
            raw = handle.readline(CSV_FIELD_LIMIT + 1)
            if not raw:
                return
            number += 1
            if len(raw) > CSV_FIELD_LIMIT and not raw.endswith(b"\n"):
                raise InputError(
                    f"{file}: line {number} is longer than {CSV_FIELD_LIMIT:,} bytes, the most "
                    "a line of a CSV file may hold (see docs/limits.md)"
                )
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                raise InputError(f"{file}: not valid UTF-8 text (invalid byte at line {number})") from None


def _csv_error(file: str, where: str, error: csv.Error) -> InputError:
    if "field larger than field limit" in str(error):
        return InputError(
            f"{file}: {where} holds a cell longer than {CSV_FIELD_LIMIT:,} characters, the "
            "most a CSV cell may hold (see docs/limits.md)"
        )
    return InputError(f"{file}: malformed CSV {where}: {error}")


def _numbered(data: Iterator[list[str]], file: str, text: Callable[[str], str]) -> Iterator[Row]:
    """The data rows after the header, numbered as a spreadsheet counts them (header = 1)."""
    number = 1
    while True:
        number += 1
        try:
            cells = next(data)
        except StopIteration:
            return
        except csv.Error as error:
            raise _csv_error(file, f"at row {number}", error) from None
        if text is not str and PROTECT in "".join(cells):  # only then can a cell start with it
            cells = [text(cell) for cell in cells]
        yield number, cells


def _header(cells: list[str] | None, file: str, text: Callable[[str], str]) -> list[str]:
    if cells is None:
        raise InputError(f"{file}: the file is empty (no header row)")
    if len(cells) == 1:
        for delimiter, name in DELIMITERS.items():
            if delimiter in cells[0]:
                raise InputError(
                    f"{file}: the header row is separated by {name} ({delimiter!r}), not "
                    "commas; save the file as comma-separated CSV"
                )
    return [clean_header(text(cell)) for cell in cells]


def stream_table(name: str, file: str, opener: Opener) -> Table:
    """A table read from a CSV file's bytes as a stream: its rows are read afresh each time asked for."""
    text: Callable[[str], str] = str if csv_is_raw() else unprotect_csv_text

    def rows() -> Iterator[Row]:
        data = csv.reader(_lines(opener, file))
        try:
            next(data)
        except (StopIteration, csv.Error):
            return
        yield from _numbered(data, file, text)

    try:
        first = next(csv.reader(_lines(opener, file)), None)
    except csv.Error as error:
        raise _csv_error(file, "in the header row", error) from None
    return Table(name, file, _header(first, file, text), rows)


def file_table(path: Path) -> Table:
    """A table read from a CSV file as a stream; anything but a regular file is refused."""
    return stream_table(path.stem, str(path), lambda: open_regular(path))


def folder_tables(folder: Path) -> list[Table]:
    """Every ``.csv`` file directly inside ``folder``, in name order, each read as a stream.

    Every entry named ``*.csv`` is a table: one that is a folder, a device, a named pipe or
    a symbolic link to nothing, or out of ``folder``, is refused with an error naming it.
    """
    return [
        file_table(inside(path, folder)) for path in sorted(folder.iterdir()) if path.suffix.lower() == ".csv"
    ]


def zip_tables(path: Path) -> list[Table]:
    """Every ``.csv`` member of a zip archive, wherever it sits inside, in name order.

    The archive is checked first (see :func:`~indigo_standard.flat.archive.check_archive`);
    each member is then unpacked as its rows are read, never whole.
    """
    file = str(path)
    with zip_errors(file), open_regular(path) as handle, zipfile.ZipFile(handle) as archive:
        check_archive(file, archive)
        names = sorted(
            info.filename
            for info in archive.infolist()
            if info.filename.lower().endswith(".csv")
            and not info.is_dir()
            and not member_name(info.filename).startswith(".")
        )
    if not names:
        raise InputError(f"{path}: the archive holds no CSV files")
    return [
        stream_table(Path(member_name(name)).stem, f"{path}/{name}", _member(path, name)) for name in names
    ]


def _member(path: Path, name: str) -> Opener:
    """Opens one member of a zip archive, unpacking it as it is read."""
    file = f"{path}/{name}"

    @contextmanager
    def opener() -> Iterator[IO[bytes]]:
        with (
            zip_errors(file),
            open_regular(path) as handle,
            zipfile.ZipFile(handle) as archive,
            archive.open(name) as member,
        ):
            yield member

    return opener

"""Tables of cells from a folder of CSVs or a zip of CSVs (workbooks: see ``xlsx``).

A :class:`Table` is one CSV file or one sheet: a name (the file name without ``.csv``),
the location reports show for it, its header row and its data rows, each with the row
number a spreadsheet user sees (the header is row 1).
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs

from ..errors import InputError
from ..reading import decode

Row = tuple[int, list[Any]]
"""A data row: its spreadsheet row number and its cells."""


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


def _numbered(data: Iterator[list[str]], file: str) -> Iterator[Row]:
    """The data rows after the header, numbered as a spreadsheet counts them (header = 1)."""
    number = 1
    while True:
        number += 1
        try:
            cells = next(data)
        except StopIteration:
            return
        except csv.Error as error:
            raise InputError(f"{file}: malformed CSV at row {number}: {error}") from None
        yield number, list(cells)


def _csv_rows(text: str, file: str) -> tuple[list[str], Callable[[], Iterator[Row]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise InputError(f"{file}: malformed CSV in the header row: {error}") from None
    if header is None:
        raise InputError(f"{file}: the file is empty (no header row)")

    def rows() -> Iterator[Row]:
        data = csv.reader(io.StringIO(text, newline=""))
        next(data)
        return _numbered(data, file)

    return [h.strip() for h in header], rows


def csv_table(name: str, raw: bytes, file: str) -> Table:
    """A table from the bytes of one CSV file (UTF-8, a byte-order mark allowed)."""
    header, rows = _csv_rows(decode(raw, file), file)
    return Table(name, file, header, rows)


def file_table(path: Path) -> Table:
    """A table read from a CSV file as a stream: its rows are read from disk each time they are asked for."""
    file = str(path)

    def lines() -> Iterator[str]:
        try:
            with path.open("rb") as handle:
                for number, raw in enumerate(handle, start=1):
                    if number == 1 and raw.startswith(codecs.BOM_UTF8):
                        raw = raw[len(codecs.BOM_UTF8) :]
                    try:
                        yield raw.decode("utf-8")
                    except UnicodeDecodeError:
                        problem = f"not valid UTF-8 text (invalid byte at line {number})"
                        raise InputError(f"{file}: {problem}") from None
        except OSError as error:
            raise InputError(f"{path}: cannot be read ({error.strerror})") from None

    def rows() -> Iterator[Row]:
        data = csv.reader(lines())
        try:
            next(data)
        except (StopIteration, csv.Error):
            return
        yield from _numbered(data, file)

    try:
        header = next(csv.reader(lines()), None)
    except csv.Error as error:
        raise InputError(f"{file}: malformed CSV in the header row: {error}") from None
    if header is None:
        raise InputError(f"{file}: the file is empty (no header row)")
    return Table(path.stem, file, [h.strip() for h in header], rows)


def folder_tables(folder: Path) -> list[Table]:
    """Every ``.csv`` file directly inside ``folder``, in name order, each read as a stream."""
    return [
        file_table(path)
        for path in sorted(folder.iterdir())
        if path.is_file() and path.suffix.lower() == ".csv"
    ]


def zip_tables(path: Path) -> list[Table]:
    """Every ``.csv`` member of a zip archive, wherever it sits inside, in name order."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = sorted(
                (info for info in archive.infolist() if info.filename.lower().endswith(".csv")),
                key=lambda info: info.filename,
            )
            tables = []
            for info in members:
                if info.is_dir() or Path(info.filename).name.startswith("."):
                    continue
                raw = archive.read(info)
                tables.append(csv_table(Path(info.filename).stem, raw, f"{path}/{info.filename}"))
    except zipfile.BadZipFile:
        raise InputError(f"{path}: not a valid zip archive") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror or error})") from None
    if not tables:
        raise InputError(f"{path}: the archive holds no CSV files")
    return tables

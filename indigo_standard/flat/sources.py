"""Recognising flat input (a CSV folder in the export layout, a zip of one, a workbook, or one
record type's CSV file) and reading it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..reading.records import SourcedRecord
from .reader import read_tables
from .tables import folder_tables, zip_tables

RECORD_FILES = ("projects.csv", "organisations.csv", "funds.csv", "pipeline.csv")
"""A folder holding any of these is one flat dataset, read as a whole."""
ZIP_SUFFIXES = (".zip",)
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SQLITE_SUFFIXES = (".sqlite", ".sqlite3")


def is_flat_folder(path: Path) -> bool:
    """True for a folder in the export layout: it holds a record type's CSV file."""
    return path.is_dir() and any((path / name).is_file() for name in RECORD_FILES)


def is_flat_file(path: Path) -> bool:
    """True for a zip of CSVs, an XLSX workbook or a SQLite database (judged by the file name)."""
    return path.suffix.lower() in ZIP_SUFFIXES + XLSX_SUFFIXES + SQLITE_SUFFIXES


def read_flat(path: str | Path, *, schema_version: str | None = None) -> Iterator[SourcedRecord]:
    """The records of a CSV folder, a zip of CSVs, an XLSX workbook, a SQLite database or one CSV
    file, one at a time."""
    target = Path(path)
    if target.is_dir():
        yield from read_tables(folder_tables(target), schema_version=schema_version)
    elif target.suffix.lower() == ".csv":
        from .single import single_table

        yield from read_tables([single_table(target)], schema_version=schema_version)
    elif target.suffix.lower() in ZIP_SUFFIXES:
        yield from read_tables(zip_tables(target), schema_version=schema_version)
    elif target.suffix.lower() in SQLITE_SUFFIXES:
        from .sqlite import read_sqlite

        yield from read_sqlite(target, schema_version=schema_version)
    else:
        from .xlsx import read_workbook

        with read_workbook(target) as (tables, recorded):
            yield from read_tables(tables, schema_version=schema_version or recorded, xlsx=True)

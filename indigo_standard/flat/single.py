"""One CSV file given on its own: read as a dataset of one table, or refused with what is expected.

A record type's own table (``projects.csv``, ``organisations.csv``, ``funds.csv``,
``pipeline.csv``) holds whole records, so it is read as they are. A file with another name
is recognised by its header when most of its columns are those of one record type's table.
A list's table (``projects_investments.csv``) only makes sense beside its records' table,
so it is refused, as is anything else, with a message saying what would be read.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from ..errors import InputError
from ..versions import SUPPORTED_VERSIONS
from .layout import FILE_PREFIX, ID_COLUMN, Sheet, layout
from .tables import Table, file_table

RECORD_TABLES = tuple(f"{prefix}.csv" for prefix in FILE_PREFIX.values())


def _sheets() -> dict[str, list[Sheet]]:
    """Every sheet of every supported version, by file name (without ``.csv``)."""
    found: dict[str, list[Sheet]] = {}
    for version in SUPPORTED_VERSIONS:
        for sheet in layout(version).sheets:
            found.setdefault(sheet.name, []).append(sheet)
    return found


def _by_header(table: Table, sheets: dict[str, list[Sheet]]) -> list[str]:
    """The record tables whose columns explain most of this table's header (best first, ties kept)."""
    headers = [header for header in table.header if header]
    if ID_COLUMN not in headers:
        return []
    scores: dict[str, int] = {}
    for name, versions in sheets.items():
        if versions[0].list_keys is not None:
            continue
        for sheet in versions:
            known = set(sheet.headers)
            scores[name] = max(scores.get(name, 0), sum(1 for header in headers if header in known))
    best = max(scores.values(), default=0)
    if best < 2 or 2 * best < len(headers):
        return []
    return sorted(name for name, score in scores.items() if score == best)


def record_table_name(table: Table) -> str:
    """The record table this single CSV file is (its file name without ``.csv``), or InputError."""
    sheets = _sheets()
    named = sheets.get(table.name)
    if named is not None and named[0].list_keys is None:
        return table.name
    if named is not None:
        sheet = named[0]
        records = f"{FILE_PREFIX[sheet.entity]}.csv"
        raise InputError(
            f"{table.file}: holds a list inside each {sheet.entity} record, so it is read together "
            f"with {records}; give the folder or zip that holds both"
        )
    guesses = _by_header(table, sheets)
    if len(guesses) == 1:
        return guesses[0]
    if guesses:
        shown = " or ".join(f"{name}.csv" for name in guesses)
        raise InputError(f"{table.file}: its columns fit {shown} equally; rename the file to the one it is")
    raise InputError(
        f"{table.file}: not a table of the INDIGO CSV export; a single CSV file is read when it is "
        f"one record type's table ({', '.join(RECORD_TABLES)}, or a file with their columns and an "
        f"{ID_COLUMN!r} column), and a whole dataset as the folder or zip of its CSV files"
    )


def single_table(path: Path) -> Table:
    """One CSV file as the only table of a dataset, named as the record table it is."""
    table = file_table(path)
    return attrs.evolve(table, name=record_table_name(table))

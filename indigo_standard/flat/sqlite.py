"""The flat layout as a SQLite database: written as records stream in, read back as the export's tables.

Writing (:func:`write_sqlite`) follows :mod:`.sqlite_design`: every table of the layout,
with the rows of each record inserted as the record arrives, in batches, into a temporary
file beside the target that is renamed into place at the end. Memory stays bounded: only a
batch of rows per table is held. Each value is stored as the CSV export's cell reads back
(see :func:`sql_number`), so the database gives back the same CSV, cell for cell.

Reading (:func:`read_sqlite`) turns each table back into the CSV file it came from, with
the headers the ``fields`` table keeps, and reads those as the CSV reader does: the same
records, notices and checks, with ``file`` naming ``out.sqlite/<table>``.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..jsontext import dumps as exact_json
from ..jsontext import loads as exact_loads
from ..reading.records import SourcedRecord
from ..writing.atomic import atomic_path
from .cells import is_empty, parse_number, to_text
from .kept import KeptColumn
from .reader import read_tables
from .sqlite_design import (
    LINK_STAGING,
    LINK_TABLES,
    LIST_INDEX,
    METADATA,
    RECORD_KEY,
    DbTable,
    code_rows,
    create_links,
    create_table,
    create_views,
    design,
    extra_column_sql,
    field_rows,
    quote,
    sql_name,
    table_rows,
    unique_name,
)
from .tables import Row, Table
from .writer import Record, SheetHeader, kept_columns, sheet_headers, sheet_rows

BATCH = 500
"""Rows held per table before they are inserted."""
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

Envelope = Callable[[], Mapping[str, Any]]
"""Gives the package envelope (licence, publisher ...) once the records are read."""


def sql_number(value: Any) -> int | float | str | None:
    """What a number column stores for a value: INTEGER or REAL when the CSV export's cell is that
    number written in full, else the cell's TEXT, so that the cell comes back as it was.

    An integer is stored as INTEGER when SQLite holds it (64 bits); a finite float as REAL
    (SQLite keeps the double exactly). Text is stored as the number it writes only when it
    writes it as the CSV export does (``12``, ``2.5``), and otherwise stays as it is: a
    decimal a float would change (``0.1000000000000000000001``), ``2.50``, `` 5``, ``TBD``.
    """
    if is_empty(value):
        return None
    kind = type(value)
    if kind is int:
        return value if INT64_MIN <= value <= INT64_MAX else str(value)
    if kind is float:
        return value if math.isfinite(value) else to_text(value)
    text = value if kind is str else to_text(value)
    number = parse_number(text)
    if type(number) is int:
        return number if INT64_MIN <= number <= INT64_MAX and str(number) == text else text
    if type(number) is float:
        return number if repr(number) == text else text
    return text


def sql_text(value: Any) -> str | None:
    """What a text column stores: the CSV cell's text, NULL for an empty cell."""
    if is_empty(value):
        return None
    return value if type(value) is str else to_text(value)


class _Links:
    """References to other records, one row per id, staged in temporary tables until the end."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self.pending: dict[str, list[tuple[Any, ...]]] = {target: [] for target in LINK_TABLES}
        for target in LINK_TABLES:
            connection.execute(LINK_STAGING.format(name=f"staged_{target}"))

    def add(self, target: str, row: tuple[Any, ...]) -> None:
        pending = self.pending[target]
        pending.append(row)
        if len(pending) >= BATCH:
            self.flush(target)

    def flush(self, target: str) -> None:
        rows = self.pending[target]
        if rows:
            self.connection.executemany(f"INSERT INTO temp.staged_{target} VALUES (?, ?, ?, ?, ?, ?)", rows)
            rows.clear()

    def finish(self) -> None:
        """Create each link table, declaring its foreign key only when the dataset holds such records."""
        for target, (table, records, _column) in LINK_TABLES.items():
            self.flush(target)
            has_records = self.connection.execute(
                f"SELECT EXISTS (SELECT 1 FROM {quote(records)} WHERE id IS NOT NULL)"
            ).fetchone()[0]
            create, *indexes = create_links(target, bool(has_records))
            self.connection.execute(create)
            self.connection.execute(
                f"INSERT INTO {quote(table)} SELECT * FROM temp.staged_{target} ORDER BY rowid"
            )
            self.connection.execute(f"DROP TABLE temp.staged_{target}")
            for statement in indexes:
                self.connection.execute(statement)


class _TableWriter:
    """One table being filled: its columns (which grow with extra columns), statement and pending rows."""

    def __init__(self, connection: sqlite3.Connection, table: DbTable, target: Path) -> None:
        self.connection = connection
        self.table = table
        self.target = target
        self.listed = table.parent is not None
        self.extras: list[tuple[str, str]] = []
        self.taken = {column.name.lower() for column in (table.key, *table.columns)} | {LIST_INDEX}
        self.convert: list[Callable[[Any], Any]] = [
            sql_text,
            *(sql_number if column.numeric else sql_text for column in table.columns),
        ]
        self.links = [(position, column) for position, column in enumerate(table.columns, 1) if column.target]
        self.list_pointer = table.list_pointer
        from ..checks.walk import split_ids  # the ids the dataset checks read from a cell

        self.split_ids = split_ids
        self.pending: list[list[Any]] = []
        self.statement = self._statement()

    def _statement(self) -> str:
        names = [
            self.table.key.name,
            *([LIST_INDEX] if self.listed else []),
            *(column.name for column in self.table.columns),
            *(name for name, _ in self.extras),
        ]
        marks = ", ".join("?" * len(names))
        return f"INSERT INTO {quote(self.table.name)} ({', '.join(map(quote, names))}) VALUES ({marks})"

    def _grow(self, header: SheetHeader) -> None:
        """Add a column for each extra column the sheet's header gained."""
        self.flush()
        known = 1 + len(self.table.columns) + len(self.extras)
        for text in header.header[known:]:
            name = unique_name(sql_name(text), self.taken)
            self.connection.execute(
                f"ALTER TABLE {quote(self.table.name)} ADD COLUMN {extra_column_sql(name)}"
            )
            self.extras.append((name, text))
            self.convert.append(sql_text)
        self.statement = self._statement()

    def add(self, header: SheetHeader, cells: list[Any], index: int | None, links: _Links) -> None:
        """Add one row: ``cells`` from :func:`~.writer.sheet_rows`, ``index`` its place in its list."""
        if len(cells) > len(self.convert):
            self._grow(header)
        values = [
            None if cell is None else convert(cell) for convert, cell in zip(self.convert, cells, strict=True)
        ]
        record = values[0]
        if self.listed:
            values.insert(1, index)
            self.pending.append(values)
            if len(self.pending) >= BATCH:
                self.flush()
        else:
            try:
                self.connection.execute(self.statement, values)
            except sqlite3.IntegrityError:
                raise InputError(
                    f"{self.target}: {self.table.sheet.entity} {record} appears more than once in the input; "
                    "a database holds one record per id, so nothing was written"
                ) from None
        for position, column in self.links:
            value = cells[position]
            if isinstance(value, str) and column.target is not None:
                pointer = f"{self.list_pointer}/{index}{column.pointer}" if self.listed else column.pointer
                for found in self.split_ids(value):
                    links.add(column.target, (self.table.name, record, index, column.name, pointer, found))

    def flush(self) -> None:
        if self.pending:
            self.connection.executemany(self.statement, self.pending)
            self.pending.clear()


def write_sqlite(
    records: Iterable[Record], target: str | Path, version: str, *, envelope: Envelope | None = None
) -> list[KeptColumn]:
    """Write the records as a SQLite database in ``version``'s layout, atomically and in bounded memory.

    ``envelope``, called once the records are read, gives the package envelope to keep.
    Returns the kept columns added for values the layout has no column for (see :mod:`.kept`).
    """
    path = Path(target)
    headers = sheet_headers(version)
    with atomic_path(path) as temp:
        try:
            with closing(sqlite3.connect(temp, isolation_level=None)) as connection:
                _fill(connection, records, version, headers, path, envelope)
        except sqlite3.Error as error:
            raise InputError(f"{path}: cannot write the database ({error})") from None
    return kept_columns(headers)


def _fill(
    connection: sqlite3.Connection,
    records: Iterable[Record],
    version: str,
    headers: list[SheetHeader],
    path: Path,
    envelope: Envelope | None,
) -> None:
    connection.execute(
        "PRAGMA journal_mode = OFF"
    )  # the temporary file is the journal: it is renamed or removed
    connection.execute("PRAGMA synchronous = OFF")
    connection.execute("BEGIN")
    tables = design(version)
    for statement in METADATA:
        connection.execute(statement)
    writers: dict[str, _TableWriter] = {}
    for table in tables:
        connection.execute(create_table(table))
        writers[table.sheet.name] = _TableWriter(connection, table, path)
    links = _Links(connection)
    places: dict[str, int] = {}
    for header, cells in sheet_rows(records, headers):
        name = header.sheet.name
        index = None
        if header.sheet.list_keys is None:
            places.clear()
        else:
            index = places.get(name, 0)
            places[name] = index + 1
        writers[name].add(header, cells, index, links)
    for writer in writers.values():
        writer.flush()
    links.finish()
    for statement in create_views(tables):
        connection.execute(statement)
    _describe(connection, version, tables, writers, envelope() if envelope else {})
    connection.execute("COMMIT")


def _describe(
    connection: sqlite3.Connection,
    version: str,
    tables: tuple[DbTable, ...],
    writers: Mapping[str, _TableWriter],
    envelope: Mapping[str, Any],
) -> None:
    """Fill the tables that describe the data."""
    from ..cli import library_version

    about = [("schema_version", version), ("generator", f"indigo-standard {library_version()}")]
    if envelope:
        about.append(("envelope", exact_json(dict(envelope))))  # numbers digit for digit
    connection.executemany("INSERT INTO dataset VALUES (?, ?)", about)
    connection.executemany("INSERT INTO tables VALUES (?, ?, ?, ?, ?, ?, ?)", table_rows(version, tables))
    for table in tables:
        rows = field_rows(version, table, writers[table.sheet.name].extras)
        connection.executemany("INSERT INTO fields VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    connection.executemany("INSERT INTO codes VALUES (?, ?, ?)", code_rows(version, tables))


# -- reading -----------------------------------------------------------------------------------------------


def _connect(path: Path) -> sqlite3.Connection:
    """A read-only connection, or a one-line error for a file that is not a SQLite database."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as error:
        raise InputError(f"{path}: cannot be read as a SQLite database ({error})") from None
    return connection


def _cell(value: Any, where: str) -> str:
    """A stored value as the CSV cell it came from."""
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(f"{where}: a BLOB that is not UTF-8 text") from None
    return to_text(value)


def _table(
    path: Path,
    name: str,
    csv_file: str,
    parent: str | None,
    columns: list[str],
    headers: Mapping[str, str | None],
) -> Table:
    """A table as the CSV file it came from: its columns under their CSV headers (``list_index`` left
    out), a list's rows in the order of their records, and of their places in each record's list."""
    shown = [column for column in columns if headers.get(column, column) is not None]
    header = [headers.get(column) or column for column in shown]
    selected = ", ".join(f"c.{quote(column)}" for column in shown)
    order = " ORDER BY c.rowid"
    if parent is not None and LIST_INDEX in columns:
        order = (
            f" LEFT JOIN {quote(parent)} p ON p.{quote(RECORD_KEY)} = c.{quote(columns[0])}"
            f" ORDER BY p.rowid, c.{quote(LIST_INDEX)}, c.rowid"
        )
    query = f"SELECT {selected} FROM {quote(name)} c{order}"
    file = f"{path}/{name}"

    def rows() -> Iterator[Row]:
        with closing(_connect(path)) as connection:
            number = 1
            try:
                for number, row in enumerate(connection.execute(query), start=2):
                    yield number, [_cell(value, f"{file}, row {number}") for value in row]
            except sqlite3.Error as error:
                raise InputError(f"{file}: cannot be read after row {number} ({error})") from None

    return Table(csv_file.removesuffix(".csv"), file, header, rows)


def database_tables(path: Path) -> tuple[list[Table], str | None, dict[str, Any] | None]:
    """The tables of a database written by :func:`write_sqlite`, as the CSV files they came from,
    with the schema version and package envelope it records."""
    with closing(_connect(path)) as connection:
        present = {
            row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if not {"dataset", "tables", "fields"} <= present:
            raise InputError(
                f"{path}: not an INDIGO database (it lacks the dataset, tables and fields tables "
                "that indigo-standard convert writes)"
            )
        about = dict(connection.execute("SELECT key, value FROM dataset").fetchall())
        known: dict[str, dict[str, str | None]] = {}
        for table, column, header in connection.execute(
            "SELECT table_name, column_name, csv_header FROM fields"
        ):
            known.setdefault(table, {})[column] = header
        found = []
        listed = connection.execute("SELECT table_name, csv_file, parent_table FROM tables ORDER BY rowid")
        for name, csv_file, parent in listed.fetchall():
            if name not in present:
                continue
            columns = [row[1] for row in connection.execute(f"PRAGMA table_info({quote(name)})")]
            owner = parent if parent in present else None
            found.append(_table(path, name, csv_file, owner, columns, known.get(name, {})))
    envelope = None
    if about.get("envelope"):
        try:
            envelope = exact_loads(about["envelope"])
        except ValueError:
            raise InputError(f"{path}: the dataset table's envelope is not valid JSON") from None
    return found, about.get("schema_version"), envelope if isinstance(envelope, dict) else None


def read_sqlite(path: str | Path, *, schema_version: str | None = None) -> Iterator[SourcedRecord]:
    """The records of a database written by :func:`write_sqlite`, one at a time, as its CSV export gives them.

    A package envelope the database keeps comes first, as a record of type ``package``.
    """
    target = Path(path)
    tables, recorded, envelope = database_tables(target)
    if envelope is not None:
        declared = envelope.get("schema_version")
        yield SourcedRecord(envelope, "package", str(target), str(declared) if declared is not None else None)
    yield from read_tables(tables, schema_version=schema_version or recorded)

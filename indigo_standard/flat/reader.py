"""Reading the flat layout: tables of cells in, records in the standard's JSON form out.

Each record type's own table is streamed and every record is yielded, one at a time,
with its list items attached in row order. Child tables (one per list, such as
``projects_investments``) are first read quickly for their notices, their orphan rows
and whether their rows follow the order of the parents; if so (as in the export), they
are read again alongside the parent table and only a small index of parent ids is held
in memory, else their rows are grouped by parent id in memory. Each record carries the
cell every value came from, so reports can name file, row and column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs

from ..detect import RECORD_TYPES
from ..errors import InputError
from ..fields import escape
from ..reading import NOTICES_ONLY, CellRef, Notice, SourcedRecord
from ..versions import SUPPORTED_VERSIONS, normalise_version
from .cells import from_text, from_xlsx, is_empty, parse_number
from .layout import EXTRA_KEY, Column, Layout, Sheet, layout
from .tables import Table

BARE_HEADERS = ("(Source ID's)", "(Notes)")
STATUS_KEYS = ("status", "sandboxes")
"""The last key of the columns that say who may see a value: their headers match in any letter case."""


def _folded(header: str) -> str:
    return " ".join(header.split()).casefold()


@attrs.frozen
class Binding:
    """What one column of a table holds: a schema column, or an unknown column kept as is."""

    index: int
    header: str
    column: Column | None


def _bind(table: Table, sheet: Sheet) -> tuple[int, list[Binding]]:
    """The key column's index and what every other column holds.

    A header the schema gives to several fields (the pipeline's bare ``(Source ID's)`` and
    ``(Notes)``) goes to the first such field after the column bound just before it. The
    headers of status and sandbox columns also match in another letter case or spacing
    (``status``, ``Stage of development - (STATUS)``), so that no status is lost.
    """
    candidates: dict[str, list[int]] = {}
    statuses: dict[str, list[int]] = {}
    for position, column in enumerate(sheet.columns):
        candidates.setdefault(column.header, []).append(position)
        if column.keys[-1] in STATUS_KEYS:
            statuses.setdefault(_folded(column.header), []).append(position)
    try:
        key_index = table.header.index(sheet.key_column)
    except ValueError:
        raise InputError(
            f"{table.file}: no {sheet.key_column!r} column, so its rows cannot be read"
        ) from None
    bindings: list[Binding] = []
    used: set[int] = set()
    last = -1
    for index, header in enumerate(table.header):
        if index == key_index:
            continue
        options = [p for p in candidates.get(header) or statuses.get(_folded(header), []) if p not in used]
        after = [p for p in options if p > last]
        pick = after or options
        if not pick:
            bindings.append(Binding(index, header, None))
            continue
        chosen = pick[0]
        used.add(chosen)
        last = chosen
        bindings.append(Binding(index, header, sheet.columns[chosen]))
    return key_index, bindings


def repeated_headers(table: Table, sheet: Sheet) -> dict[int, str]:
    """The columns whose header repeats another, ignoring letter case and spacing (``id`` beside
    ``ID``, ``Name\\n(Value)`` beside ``Name (Value)``), each with the header it repeats: the
    layout's own title where one of them is that, else the first. A header the layout itself
    repeats (the pipeline's bare ``(Notes)``) may come as often as the layout has it."""
    groups: dict[str, list[int]] = {}
    for index, header in enumerate(table.header):
        key = " ".join(header.split()).casefold()
        if key:
            groups.setdefault(key, []).append(index)
    repeats: dict[int, str] = {}
    for indexes in groups.values():
        if len(indexes) < 2:
            continue
        kept = table.header[next((i for i in indexes if table.header[i] in sheet.headers), indexes[0])]
        allowed = max(1, sheet.headers.count(kept))
        for index in indexes:
            if table.header[index] == kept and allowed > 0:
                allowed -= 1
            else:
                repeats[index] = kept
    return repeats


def unknown_headers(tables: Iterable[Table], lay: Layout) -> int:
    """How many headers of these tables the layout of a version does not know."""
    count = 0
    for table in tables:
        sheet = lay.sheet(table.name)
        if sheet is None:
            count += len(table.header)
            continue
        known = set(sheet.headers)
        count += sum(1 for header in table.header if header not in known)
    return count


def detect_version(tables: list[Table]) -> str:
    """The supported version whose titles explain the most headers (the latest on a tie)."""
    scores = {version: unknown_headers(tables, layout(version)) for version in SUPPORTED_VERSIONS}
    best = min(scores.values())
    return [v for v in SUPPORTED_VERSIONS if scores[v] == best][-1]


def _set(target: dict[str, Any], keys: tuple[str, ...], value: Any) -> None:
    for key in keys[:-1]:
        child = target.setdefault(key, {})
        if not isinstance(child, dict):
            return
        target = child
    target[keys[-1]] = value


@attrs.define
class _Row:
    """One table row turned into a JSON object, with the column behind every value."""

    key: str
    number: int
    data: dict[str, Any]
    file: str
    columns: dict[str, str]
    """The header of the column of each value, by its pointer relative to the row's object
    ("" is the row itself, whose column is the key column)."""

    def cell(self, ptr: str) -> CellRef | None:
        """The cell of the value at ``ptr`` (relative to the row's object), if it came from one."""
        header = self.columns.get(ptr)
        return None if header is None else CellRef(self.file, self.number, header)


class RecordCells(Mapping[str, CellRef]):
    """The cell of every value of a record read from flat input, by JSON pointer ("" is its row).

    A record has a cell for each of its values, and few are ever asked for (those an issue is
    about), so each is made when asked for, from the number and the column headers of the
    rows the record was read from: its own and those of its lists' items.
    """

    def __init__(self, own: _Row, lists: list[tuple[str, list[_Row]]]) -> None:
        self._own = own
        self._lists = lists
        """For each list the record has items of: its pointer, and the rows of its items."""
        self._items = dict(lists)

    def _find(self, ptr: str) -> CellRef | None:
        own = self._own
        found = own.cell(ptr)
        if found is not None:
            return found
        if ptr == "/id" and own.key:
            return own.cell("")
        end = ptr.find("/", 1)
        while end != -1:  # is some prefix of the pointer one of the lists?
            rows = self._items.get(ptr[:end])
            if rows is not None:
                index, slash, rest = ptr[end + 1 :].partition("/")
                canonical = index.isascii() and index.isdigit() and str(int(index)) == index
                if canonical and int(index) < len(rows):
                    return rows[int(index)].cell(slash + rest)
            end = ptr.find("/", end + 1)
        return None

    def __getitem__(self, ptr: str) -> CellRef:
        found = self._find(ptr)
        if found is None:
            raise KeyError(ptr)
        return found

    def get(self, ptr: str, default: Any = None) -> Any:
        """The cell of ``ptr``, or ``default``."""
        found = self._find(ptr)
        return default if found is None else found

    def __iter__(self) -> Iterator[str]:
        yield from self._own.columns
        if self._own.key:
            yield "/id"
        for base, rows in self._lists:
            for index, row in enumerate(rows):
                for ptr in row.columns:
                    yield f"{base}/{index}{ptr}"

    def __len__(self) -> int:
        return (len(self._own.columns) + bool(self._own.key)
                + sum(len(row.columns) for _, rows in self._lists for row in rows))

    def __bool__(self) -> bool:
        return True  # the row itself always has a cell (its key column), under ""


class _Converter:
    """Reads tables in one version's layout."""

    def __init__(self, lay: Layout, xlsx: bool) -> None:
        self.layout = lay
        self.convert: Callable[[Any, bool], Any] = from_xlsx if xlsx else from_text
        self.notices: list[Notice] = []

    def rows(self, table: Table, sheet: Sheet, keys_only: bool = False) -> Iterator[_Row]:
        """The non-empty rows of a table; with ``keys_only``, rows with their key but no data
        (the same rows and notices, for a quick pass)."""
        key_index, bindings = _bind(table, sheet)
        repeats = repeated_headers(table, sheet)
        for index, earlier in repeats.items():
            shown = table.header[index]
            params = {"column": shown, "other": earlier, "key": EXTRA_KEY}
            self.notices.append(Notice("flat.duplicate-column", CellRef(table.file, 1, shown), params,
                                       entity=sheet.entity))
        for binding in bindings:
            if binding.column is None and binding.index not in repeats:
                shown = binding.header or f"column {binding.index + 1}"
                self.notices.append(
                    Notice("flat.unknown-column", CellRef(table.file, 1, shown),
                           {"column": shown, "key": EXTRA_KEY}, entity=sheet.entity)
                )
        width = len(table.header)
        # what each column needs, worked out once per table: its cells are most of the work
        plan = [(binding, binding.index, *self._placing(binding.column)) for binding in bindings]
        for number, cells in table.rows():
            if cells.count("") + cells.count(None) == len(cells):  # every cell is empty
                continue
            if len(cells) > width:
                self.notices.append(
                    Notice("flat.extra-cells", CellRef(table.file, number, f"column {width + 1}"),
                           {"count": str(len(cells) - width)}, entity=sheet.entity)
                )
            raw_key = cells[key_index] if key_index < len(cells) else None
            key = "" if is_empty(raw_key) else str(self.convert(raw_key, False)).strip()
            row = _Row(key, number, {}, table.file, {"": sheet.key_column})
            if keys_only:
                yield row
                continue
            if len(cells) < width:
                cells = [*cells, *[None] * (width - len(cells))]
            for binding, index, keys, convert, ptr in plan:
                value = cells[index]
                if value == "" or value is None:
                    continue
                if keys is None:
                    shown = binding.header or f"column {binding.index + 1}"
                    row.data.setdefault(EXTRA_KEY, {})[shown] = self.convert(value, False)
                    ptr = f"/{EXTRA_KEY}/{escape(shown)}"
                else:
                    _set(row.data, keys, value if convert is None else convert(value))
                row.columns[ptr] = binding.header
            yield row

    def _placing(
        self, column: Column | None
    ) -> tuple[tuple[str, ...] | None, Callable[[Any], Any] | None, str]:
        """Where a cell of ``column`` goes (its keys and pointer; none for an unknown column) and how
        a non-empty cell becomes its JSON value (None: the cell's text as it is)."""
        if column is None:
            return None, None, ""
        numeric = column.numeric
        if self.convert is from_text:
            return column.keys, parse_number if numeric else None, _pointer(column.keys)
        convert = self.convert
        return column.keys, lambda value: convert(value, numeric), _pointer(column.keys)


def _pointer(keys: tuple[str, ...]) -> str:
    """The JSON pointer of ``keys`` from the row's object."""
    return "".join("/" + escape(k) for k in keys)


def _by_name(tables: Iterable[Table]) -> dict[str, Table]:
    found: dict[str, Table] = {}
    for table in tables:
        if table.name in found:
            first = found[table.name].file
            raise InputError(f"{table.file}: a second table named {table.name!r} (also {first})")
        found[table.name] = table
    return found


def read_tables(
    tables: Iterable[Table], *, schema_version: str | None = None, xlsx: bool = False
) -> Iterator[SourcedRecord]:
    """The records held by tables in the flat layout, one at a time.

    The version used to map headers onto fields is ``schema_version`` when given, else
    the supported version that knows the most headers. A first item of entity
    ``notices`` (no record) carries what is wrong with the tables themselves; orphan
    child rows come in a last such item.
    """
    named = _by_name(tables)
    version = normalise_version(schema_version) if schema_version else detect_version(list(named.values()))
    lay = layout(version)
    converter = _Converter(lay, xlsx)
    for name, table in named.items():
        if lay.sheet(name) is None:
            converter.notices.append(Notice("flat.unknown-table", CellRef(table.file, 1, table.header[0] if
                                                                           table.header else ""),
                                            {"table": name}))
    first = {entity: _first_rows(converter, named, lay.for_entity(entity)[0]) for entity in RECORD_TYPES}
    owner = {sheet.name: entity for entity in RECORD_TYPES for sheet in lay.for_entity(entity)[1:]}
    children: dict[str, _Children] = {}
    orphans: list[Notice] = []
    for sheet in lay.sheets:
        if sheet.list_keys is not None and sheet.name in named:
            parents = first.get(owner.get(sheet.name, ""), {})
            children[sheet.name] = _Children.scan(converter, named[sheet.name], sheet, parents, orphans)
    if converter.notices:
        yield SourcedRecord(None, NOTICES_ONLY, mapping_version=version, notices=tuple(converter.notices))
        converter.notices.clear()
    for entity in RECORD_TYPES:
        own = lay.for_entity(entity)[0]
        if own.name not in named:
            continue
        for ordinal, row in enumerate(converter.rows(named[own.name], own)):
            is_first = bool(row.key) and first[entity].get(row.key) == ordinal
            yield _record(row, entity, named[own.name], lay, children, version, is_first)
    for found in children.values():
        orphans.extend(found.leftovers())
    notices = [*converter.notices, *sorted(orphans, key=lambda n: (n.cell.file, n.cell.row))]
    if notices:
        yield SourcedRecord(None, NOTICES_ONLY, mapping_version=version, notices=tuple(notices))


def _orphan(row: _Row) -> Notice:
    return Notice("flat.orphan-row", CellRef(row.file, row.number, row.columns[""]),
                  {"parent": row.key or "(empty)", "column": row.columns[""]})


def _first_rows(converter: _Converter, named: Mapping[str, Table], own: Sheet) -> dict[str, int]:
    """For each key of a record table, the position (among its non-empty rows) of its first row."""
    table = named.get(own.name)
    if table is None:
        return {}
    quiet = _Converter(converter.layout, converter.convert is from_xlsx)
    found: dict[str, int] = {}
    for ordinal, row in enumerate(quiet.rows(table, own, keys_only=True)):
        if row.key:
            found.setdefault(row.key, ordinal)
    return found


class _Children:
    """The rows of one child table, handed to their parent records as those are read.

    When the rows come in the order of their parents (as the export and :mod:`.writer`
    write them), the table is read a second time alongside the parent table and only a
    cursor is kept; otherwise its rows are grouped by parent id in memory.
    """

    def __init__(
        self, converter: _Converter, table: Table, sheet: Sheet, parents: Mapping[str, int], in_order: bool
    ) -> None:
        self.table = table
        self.sheet = sheet
        self.parents = parents
        quiet = _Converter(converter.layout, converter.convert is from_xlsx)  # notices were taken by scan
        self.grouped: dict[str, list[_Row]] | None = None
        if not in_order:
            self.grouped = {}
            for row in quiet.rows(table, sheet):
                self.grouped.setdefault(row.key, []).append(row)
        self._rows = quiet.rows(table, sheet) if in_order else iter(())
        self._next: _Row | None = None
        self._started = False

    @classmethod
    def scan(
        cls, converter: _Converter, table: Table, sheet: Sheet, parents: Mapping[str, int],
        orphans: list[Notice],
    ) -> _Children:
        """Read the table once for its notices, its orphan rows and whether it is in parent order."""
        last = -1
        in_order = True
        found: list[Notice] = []
        for row in converter.rows(table, sheet, keys_only=True):
            ordinal = parents.get(row.key) if row.key else None
            if ordinal is None:
                found.append(_orphan(row))
            elif ordinal < last:
                in_order = False
            else:
                last = ordinal
        if in_order:
            orphans.extend(found)
        return cls(converter, table, sheet, parents, in_order)

    def take(self, key: str) -> list[_Row]:
        """The rows of the parent with this id (asked once for the first row of each id, in order)."""
        if self.grouped is not None:
            return self.grouped.pop(key, [])
        if not self._started:
            self._started = True
            self._next = next(self._rows, None)
        target = self.parents[key]
        taken: list[_Row] = []
        while self._next is not None:
            row = self._next
            ordinal = self.parents.get(row.key) if row.key else None
            if ordinal is not None and ordinal > target:
                break
            if ordinal == target:
                taken.append(row)
            self._next = next(self._rows, None)
        return taken

    def leftovers(self) -> list[Notice]:
        """Orphan rows of a table grouped in memory (those of a table in order were noted by :meth:`scan`)."""
        if self.grouped is None:
            return []
        return [_orphan(row) for rows in self.grouped.values() for row in rows]


def _record(
    row: _Row, entity: str, table: Table, lay: Layout, children: Mapping[str, _Children],
    version: str, is_first: bool,
) -> SourcedRecord:
    data: dict[str, Any] = {"id": row.key} if row.key else {}
    data.update(row.data)
    lists: list[tuple[str, list[_Row]]] = []
    for sheet in lay.for_entity(entity)[1:]:
        found = children.get(sheet.name)
        items = found.take(row.key) if found is not None and is_first else []
        if not items or sheet.list_keys is None:
            continue
        lists.append((_pointer(sheet.list_keys), items))
        _set(data, sheet.list_keys, [item.data for item in items])
    return SourcedRecord(data, entity, table.file, cells=RecordCells(row, lists), mapping_version=version)

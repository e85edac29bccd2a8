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

from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs

from ..detect import RECORD_TYPES
from ..errors import InputError
from ..fields import escape, pointer
from ..reading.records import NOTICES_ONLY, CellRef, Notice, SourcedRecord
from ..versions import SUPPORTED_VERSIONS, normalise_version
from .cells import from_text, from_xlsx, is_empty, parse_number
from .kept import (
    KEY_ORDER_HEADER,
    is_kept_header,
    kept_header,
    kept_keys,
    kept_text,
    kept_value,
    key_order,
    put_in_order,
)
from .layout import EXTRA_KEY, Column, Layout, Sheet, folded_header, layout
from .tables import Table

BARE_HEADERS = ("(Source ID's)", "(Notes)")
STATUS_KEYS = ("status", "sandboxes")
"""The last key of the columns that say who may see a value: their headers match in any letter case."""


_folded = folded_header


@attrs.frozen
class Binding:
    """What one column of a table holds: a schema column, a kept column (see :mod:`.kept`), the key
    order, or an unknown column kept as is."""

    index: int
    header: str
    column: Column | None
    kept: tuple[str, ...] | None = None
    """The keys of the place a kept column's cells go to, inside the row's object."""
    order: bool = False
    """True for the ``(Key order)`` column."""

    @property
    def unknown(self) -> bool:
        """True for a column whose cells go under ``extra_columns``."""
        return self.column is None and self.kept is None and not self.order


def _bind(table: Table, sheet: Sheet) -> tuple[int, list[Binding]]:
    """The key column's index and what every other column holds.

    A header the schema gives to several fields (the pipeline's bare ``(Source ID's)`` and
    ``(Notes)``) goes to the first such field after the column bound just before it. The
    headers of status and sandbox columns also match in another letter case or spacing
    (``status``, ``Stage of development - (STATUS)``), so that no status is lost. A header that
    is a JSON pointer is a kept column (see :mod:`.kept`), and ``(Key order)`` the key order;
    either met again is an unknown column (and a repeated one).
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
    special: set[str] = set()
    for index, header in enumerate(table.header):
        if index == key_index:
            continue
        if (header == KEY_ORDER_HEADER or is_kept_header(header)) and header not in special:
            special.add(header)
            bindings.append(Binding(index, header, None, kept_keys(header), header == KEY_ORDER_HEADER))
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
        exact = header == KEY_ORDER_HEADER or is_kept_header(header)  # keys differ in case and spacing
        key = header if exact else _folded(header)
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


def _set(target: dict[str, Any], keys: tuple[str, ...], value: Any) -> bool:
    """Put ``value`` at ``keys``, making the objects on the way; False (nothing changed) when
    something is already there, or in the way."""
    for key in keys[:-1]:
        child = target.setdefault(key, {})
        if not isinstance(child, dict):
            return False
        target = child
    if keys[-1] in target:
        return False
    target[keys[-1]] = value
    return True


def _blocking(target: dict[str, Any], keys: tuple[str, ...]) -> tuple[str, ...] | None:
    """The keys of what is in the way of putting a value at ``keys``, or None."""
    for depth, key in enumerate(keys, start=1):
        if key not in target:
            return None
        if depth == len(keys) or not isinstance(target[key], dict):
            return keys[:depth]
        target = target[key]
    return None


@attrs.define
class _Row:
    """One table row turned into a JSON object, with the cell behind every value."""

    key: str
    number: int
    data: dict[str, Any]
    file: str
    columns: dict[str, str]
    """The header of the column of each value, by its pointer relative to the row's object
    ("" is the row itself, whose column is the key column)."""
    order: dict[tuple[str, ...], list[str]] | None = None
    """For a record's row: the key order to restore once its lists are attached."""
    order_cell: CellRef | None = None

    def key_cell(self) -> CellRef:
        """The cell of the row's key column."""
        return CellRef(self.file, self.number, self.columns[""])

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
        return (
            len(self._own.columns)
            + bool(self._own.key)
            + sum(len(row.columns) for _, rows in self._lists for row in rows)
        )

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
            self.notices.append(
                Notice("flat.duplicate-column", CellRef(table.file, 1, shown), params, entity=sheet.entity)
            )
        for binding in bindings:
            if binding.unknown and binding.index not in repeats:
                shown = binding.header or f"column {binding.index + 1}"
                self.notices.append(
                    Notice(
                        "flat.unknown-column",
                        CellRef(table.file, 1, shown),
                        {"column": shown, "key": EXTRA_KEY},
                        entity=sheet.entity,
                    )
                )
        width = len(table.header)
        # what each column needs, worked out once per table: its cells are most of the work
        plan = [(binding, binding.index, *self._placing(binding)) for binding in bindings]
        for number, cells in table.rows():
            if cells.count("") + cells.count(None) == len(cells):  # every cell is empty
                continue
            if len(cells) > width:
                self.notices.append(
                    Notice(
                        "flat.extra-cells",
                        CellRef(table.file, number, f"column {width + 1}"),
                        {"count": str(len(cells) - width)},
                        entity=sheet.entity,
                    )
                )
            raw_key = cells[key_index] if key_index < len(cells) else None
            key = "" if is_empty(raw_key) else str(self.convert(raw_key, False)).strip()
            row = _Row(key, number, {}, table.file, {"": sheet.key_column})
            if keys_only:
                yield row
                continue
            order: tuple[str, CellRef] | None = None
            if len(cells) < width:
                cells = [*cells, *[None] * (width - len(cells))]
            for binding, index, keys, convert, ptr in plan:
                value = cells[index]
                if value == "" or value is None:
                    continue
                if keys is None:  # the key order, or an unknown column
                    if binding.order:
                        order = (self.convert(value, False), CellRef(table.file, number, binding.header))
                    else:
                        shown = binding.header or f"column {binding.index + 1}"
                        self._aside(
                            row, shown, self.convert(value, False), binding.header, sheet, binding.index
                        )
                    continue
                if _set(row.data, keys, value if convert is None else convert(value)):
                    row.columns[ptr] = binding.header
                else:
                    self.conflict(row, binding, keys, self.convert(value, False), binding.header, sheet)
            if order is not None:
                row.order, row.order_cell = self._order(*order, sheet), order[1]
                if sheet.list_keys is not None:
                    self.reorder(row.data, row.order, order[1], sheet)
                    row.order = None
            yield row

    def _placing(self, binding: Binding) -> tuple[tuple[str, ...] | None, Callable[[Any], Any] | None, str]:
        """Where a cell of ``binding``'s column goes (its keys and pointer; none for the key order
        or an unknown column) and how a non-empty cell becomes its JSON value (None: the cell's
        text as it is)."""
        convert = self.convert
        if binding.kept is not None:
            return binding.kept, lambda value: kept_value(convert(value, False)), pointer(binding.kept)
        column = binding.column
        if column is None:
            return None, None, ""
        numeric = column.numeric
        if convert is from_text:
            return column.keys, parse_number if numeric else None, pointer(column.keys)
        return column.keys, lambda value: convert(value, numeric), pointer(column.keys)

    def _aside(self, row: _Row, header: str, text: Any, column: str, sheet: Sheet, index: int) -> None:
        """Keep a cell under ``extra_columns``, by its header (a header met twice in the row also
        names its column); a cell that cannot even go there, because another column of the row
        made ``extra_columns`` something else than an object, stops the reading."""
        extra = row.data.setdefault(EXTRA_KEY, {})
        if not isinstance(extra, dict):
            raise InputError(
                f"{row.file}, row {row.number}, column {column!r}: this cell has no place in the "
                f"{sheet.entity} (another column of the row fills /{EXTRA_KEY} with a value that is not "
                "an object); nothing was read"
            )
        if header in extra:
            header = f"{header} (column {index + 1})"
        extra[header] = text
        row.columns[f"/{EXTRA_KEY}/{escape(header)}"] = column

    def conflict(
        self, row: _Row, binding: Binding, keys: tuple[str, ...], text: Any, column: str, sheet: Sheet
    ) -> None:
        """A cell (in ``column``) whose place another column of the row already fills: kept aside,
        and reported."""
        params = {"column": binding.header, "pointer": pointer(keys), "key": EXTRA_KEY}
        cell = CellRef(row.file, row.number, column)
        self.notices.append(Notice("flat.cell-conflict", cell, params, entity=sheet.entity))
        self._aside(row, binding.header, text, column, sheet, binding.index)

    def _order(self, text: Any, cell: CellRef, sheet: Sheet) -> dict[tuple[str, ...], list[str]] | None:
        found = key_order(text) if isinstance(text, str) else None
        if found is None:
            self.notices.append(Notice("flat.key-order", cell, {"column": cell.column}, entity=sheet.entity))
        return found

    def reorder(
        self,
        data: dict[str, Any],
        order: Mapping[tuple[str, ...], list[str]] | None,
        cell: CellRef,
        sheet: Sheet,
    ) -> None:
        """Put ``data``'s keys in a ``(Key order)`` cell's order, noting one that names no object."""
        if order is not None and not put_in_order(data, order):
            self.notices.append(Notice("flat.key-order", cell, {"column": cell.column}, entity=sheet.entity))


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
            converter.notices.append(
                Notice(
                    "flat.unknown-table",
                    CellRef(table.file, 1, table.header[0] if table.header else ""),
                    {"table": name},
                )
            )
    found_first = {
        entity: _first_rows(converter, named, lay.for_entity(entity)[0]) for entity in RECORD_TYPES
    }
    first = {entity: ordinals for entity, (ordinals, _) in found_first.items()}
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
        lists = [children[sheet.name] for sheet in lay.for_entity(entity)[1:] if sheet.name in children]
        firsts = first[entity]
        for ordinal, row in enumerate(converter.rows(named[own.name], own)):
            is_first = bool(row.key) and firsts.get(row.key) == ordinal
            if is_first:  # the index takes this row's own id string, which the record keeps: one copy
                del firsts[row.key]
                firsts[row.key] = ordinal
            if row.key and not is_first and any(found.has_rows(firsts[row.key]) for found in lists):
                before = str(found_first[entity][1][firsts[row.key]])
                where = {"column": own.key_column, "value": row.key, "first": before}
                converter.notices.append(Notice("flat.repeated-id", row.key_cell(), where, row.key, entity))
            yield _record(row, entity, named[own.name], lay, children, version, is_first, converter)
        firsts.clear()  # this type's records are all read: its index is not needed any more
        found_first[entity] = ({}, array("q"))
    for found in children.values():
        orphans.extend(found.leftovers())
    notices = [*converter.notices, *sorted(orphans, key=lambda n: (n.cell.file, n.cell.row))]
    if notices:
        yield SourcedRecord(None, NOTICES_ONLY, mapping_version=version, notices=tuple(notices))


def _orphan(row: _Row) -> Notice:
    return Notice(
        "flat.orphan-row", row.key_cell(), {"parent": row.key or "(empty)", "column": row.columns[""]}
    )


def _first_rows(
    converter: _Converter, named: Mapping[str, Table], own: Sheet
) -> tuple[dict[str, int], array[int]]:
    """For each key of a record table, the position (among its non-empty rows) of its first row;
    and the row number of the row at each position (an array: 8 bytes a row, not an int object)."""
    table = named.get(own.name)
    if table is None:
        return {}, array("q")
    quiet = _Converter(converter.layout, converter.convert is from_xlsx)
    found: dict[str, int] = {}
    numbers = array("q")
    for ordinal, row in enumerate(quiet.rows(table, own, keys_only=True)):
        numbers.append(row.number)
        if row.key and row.key not in found:
            found[row.key] = ordinal
    return found, numbers


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
        self.marks = bytearray()
        """Which parents the table has rows for: 1 at the position of each (filled in by :meth:`scan`;
        a byte a parent rather than a set of their ids, which took 20 MB for 16,000 projects' tables)."""

    @classmethod
    def scan(
        cls,
        converter: _Converter,
        table: Table,
        sheet: Sheet,
        parents: Mapping[str, int],
        orphans: list[Notice],
    ) -> _Children:
        """Read the table once for its notices, its orphan rows and whether it is in parent order."""
        last = -1
        in_order = True
        found: list[Notice] = []
        marks = bytearray(max(parents.values(), default=-1) + 1)
        for row in converter.rows(table, sheet, keys_only=True):
            ordinal = parents.get(row.key) if row.key else None
            if ordinal is None:
                found.append(_orphan(row))
                continue
            marks[ordinal] = 1
            if ordinal < last:
                in_order = False
            else:
                last = ordinal
        if in_order:
            orphans.extend(found)
        children = cls(converter, table, sheet, parents, in_order)
        children.marks = marks
        return children

    def has_rows(self, parent: int) -> bool:
        """True when the table has rows for the parent at this position (see :meth:`scan`)."""
        return parent < len(self.marks) and self.marks[parent] == 1

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
    row: _Row,
    entity: str,
    table: Table,
    lay: Layout,
    children: Mapping[str, _Children],
    version: str,
    is_first: bool,
    converter: _Converter,
) -> SourcedRecord:
    """The record of a row of a record table, with the rows of its lists' tables as its lists (only
    for the first row with its id: the lists' rows name their record by id alone) and its keys
    put in the order its ``(Key order)`` cell gives."""
    data: dict[str, Any] = {"id": row.key} if row.key else {}
    data.update(row.data)
    lists: list[tuple[str, list[_Row]]] = []
    own = lay.for_entity(entity)[0]
    for sheet in lay.for_entity(entity)[1:]:
        found = children.get(sheet.name)
        items = found.take(row.key) if found is not None and is_first else []
        if not items or sheet.list_keys is None:
            continue
        base = pointer(sheet.list_keys)
        blocked = _blocking(data, sheet.list_keys)
        if blocked is not None:  # a kept column already put a value there (a file edited by hand)
            value = _pop(data, blocked)
            where = pointer(blocked)
            column = row.columns.pop(where, row.columns[""])
            binding = Binding(-1, kept_header(blocked), None, blocked)
            converter.conflict(
                _Row(row.key, row.number, data, row.file, row.columns),
                binding,
                sheet.list_keys,
                kept_text(value),
                column,
                own,
            )
        lists.append((base, items))
        _set(data, sheet.list_keys, [item.data for item in items])
    if row.order is not None:
        converter.reorder(data, row.order, row.order_cell or row.key_cell(), own)
    return SourcedRecord(data, entity, table.file, cells=RecordCells(row, lists), mapping_version=version)


def _pop(data: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys[:-1]:
        data = data[key]
    return data.pop(keys[-1])

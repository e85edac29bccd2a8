"""Writing records in the flat layout: a folder of CSVs, a zip of them, or an XLSX workbook.

Every sheet of the version's layout is written, each with every column of the schema
(so an empty dataset is a template), followed by any columns kept from the input under
``extra_columns`` and by kept columns for whatever else the layout has no column for (see
:mod:`.kept`), so that reading the output gives back every record as it was, key order
included. Output is written atomically.

Records stream through: each row goes to a temporary file per sheet as its record
arrives, so memory does not grow with the dataset. A sheet's header is only final once
every record has been seen (an extra column joins it when first met), so the files are
assembled from the spools at the end.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack
from io import TextIOWrapper
from itertools import pairwise
from pathlib import Path
from typing import IO, Any, Protocol, TypeVar

import attrs

from ..detect import detect_entity, record_id
from ..errors import InputError
from ..fields import pointer
from ..reading.records import SourcedRecord
from ..writing.atomic import atomic_folder, atomic_path, zip_output
from .cells import csv_is_raw, protect_csv_text, to_text
from .kept import (
    KEPT_PREFIX,
    KEY_ORDER_HEADER,
    KeptColumn,
    Slot,
    fits_column,
    is_kept_header,
    kept_header,
    kept_text,
    kind_of,
    order_text,
    slots,
)
from .layout import EXTRA_KEY, Sheet, folded_header, layout

DATA_PACKAGE = "datapackage.json"

Record = SourcedRecord | Mapping[str, Any]
"""A record to write: a dict in the standard's JSON form, or one as a reader yields it."""


LISTS_LAST = 1 << 40
"""Where a record's lists come among its keys as read: after every column (readers attach them last)."""
NO_PLACE = 1 << 60


@attrs.define
class _Row:
    """One row being laid out: its cells by header position, and what reading it back needs."""

    record: str | None
    where: str
    """The pointer of the row's object inside its record ("" for the record itself)."""
    cells: dict[int, Any] = attrs.field(factory=dict)
    order: dict[tuple[str, ...], list[str]] = attrs.field(factory=dict)
    """Objects whose keys the columns would give back in another order: their keys as they are."""
    listed: list[int] = attrs.field(factory=list)
    """The list sheets (by their place among the record's lists) that take this record's items."""


@attrs.define
class SheetHeader:
    """The header of one sheet, growing as columns are added for values the layout has no column for.

    The layout's columns come first. A column of ``extra_columns`` (kept from flat input) is
    added under its own header when that header can stand on its own; anything else the
    layout cannot hold goes to a kept column (see :mod:`.kept`), added when first met.
    """

    sheet: Sheet
    header: list[str]
    extra: dict[str, int] = attrs.field(factory=dict, repr=False)
    """Where each added column (``extra_columns`` entry, kept column, key order) sits in ``header``."""
    kept: dict[str, KeptColumn] = attrs.field(factory=dict, repr=False)
    """The kept columns added so far, with where their first value came from."""
    slots: Mapping[str, Slot] = attrs.field(factory=dict, repr=False)
    """What the layout holds at each key of a row's object (see :func:`.kept.slots`)."""
    folded: set[str] = attrs.field(factory=set, repr=False)
    """The headers a new ``extra_columns`` header must not repeat, in the form readers compare them."""

    def __attrs_post_init__(self) -> None:
        self.folded.update(folded_header(header) for header in self.header)

    def row(
        self, key: Any, obj: Mapping[str, Any], record: str | None, where: str, *, lists_allowed: bool = False
    ) -> tuple[list[Any], list[int]]:
        """The cells of ``obj``'s row (``key`` in the key column) and, for a record's own sheet,
        which of its list sheets take its items: those of a record whose items can be rows
        (``lists_allowed``: it has an id of its own) in a list of objects."""
        row = _Row(record, where)
        self._place(obj, self.slots, (), row, lists_allowed=lists_allowed)
        if row.order:
            row.cells[self._column(KEY_ORDER_HEADER)] = order_text(row.order)
            self._note(KEY_ORDER_HEADER, row, where, "")
        cells = [None] * len(self.header)
        cells[0] = key
        for position, value in row.cells.items():
            cells[position] = value
        return cells, row.listed

    def _column(self, header: str) -> int:
        position = self.extra.get(header)
        if position is None:
            position = self.extra[header] = len(self.header)
            self.header.append(header)
        return position

    def _note(self, header: str, row: _Row, pointer: str, reason: str) -> None:
        found = self.kept.get(header)
        if found is None:
            found = self.kept[header] = KeptColumn(self.sheet.name, header, row.record, pointer, reason)
        found.count += 1

    def _keep(self, keys: tuple[str, ...], value: Any, row: _Row, reason: str) -> int:
        """Put ``value`` in the kept column of its place; returns the column's position."""
        header = kept_header(keys)
        try:
            text = kept_text(value)
        except (TypeError, ValueError):  # NaN, an infinity, or an object no JSON holds (given in code)
            raise InputError(
                f"record {row.record or '(no id)'}, field {row.where + header}: {value!r} cannot be written "
                "as JSON (no flat file or JSON file can hold it); nothing was written"
            ) from None
        position = self._column(header)
        row.cells[position] = text
        self._note(header, row, row.where + header, reason)
        return position

    def _plain(self, header: str) -> bool:
        """True when an ``extra_columns`` header can be a column of its own and read back as itself."""
        if header in self.extra:
            return not is_kept_header(header) and header != KEY_ORDER_HEADER
        plain = (
            header != ""
            and header == header.strip()
            and not header.startswith(KEPT_PREFIX)
            and header != KEY_ORDER_HEADER
            and folded_header(header) not in self.folded
        )
        if plain:
            self.folded.add(folded_header(header))
        return plain

    def _extra_columns(self, value: Any, row: _Row) -> int:
        if not isinstance(value, Mapping) or not value:
            return self._keep((EXTRA_KEY,), value, row, f"{kind_of(value)} where extra_columns holds columns")
        places = []
        for header, cell in value.items():
            if isinstance(cell, str) and cell and self._plain(header):
                position = self._column(header)
                row.cells[position] = cell
            elif isinstance(cell, str) and cell:
                position = self._keep(
                    (EXTRA_KEY, header), cell, row, "a header that cannot be a column of its own"
                )
            else:
                position = self._keep(
                    (EXTRA_KEY, header), cell, row, f"{kind_of(cell)} where extra_columns holds text"
                )
            places.append(position)
        self._check_order(value, places, (EXTRA_KEY,), row)
        return min(places)

    def _place(
        self,
        obj: Mapping[str, Any],
        known: Mapping[str, Slot],
        keys: tuple[str, ...],
        row: _Row,
        *,
        lists_allowed: bool = False,
    ) -> int:
        """Lay out the values of ``obj`` (at ``keys`` in the row's object); returns the first
        position any of them is read back at, which is where reading creates ``obj``."""
        places = []
        for key, value in obj.items():
            slot = known.get(key)
            if slot is None:
                if not keys and key == EXTRA_KEY:
                    places.append(self._extra_columns(value, row))
                elif not keys and key == "id" and self.sheet.list_keys is None:
                    places.append(self._record_id(value, row))
                else:
                    places.append(self._keep((*keys, key), value, row, "no field of the schema is there"))
            elif slot.position is not None:
                if fits_column(value, slot.numeric):
                    row.cells[slot.position] = value
                    places.append(slot.position)
                else:
                    shown = kind_of(value)
                    if shown == "text":
                        shown = "text that reads as a number"
                    reason = f"{shown} where the column holds {'a number' if slot.numeric else 'text'}"
                    places.append(self._keep((*keys, key), value, row, reason))
            elif slot.list_sheet is not None:
                places.append(self._list(value, slot.list_sheet, (*keys, key), row, lists_allowed))
            elif isinstance(value, Mapping) and value:
                inner = self._place(value, slot.children, (*keys, key), row, lists_allowed=lists_allowed)
                places.append(inner)
            else:
                shown = kind_of(value)
                reason = shown if shown == "an empty object" else f"{shown} where the layout has an object"
                places.append(self._keep((*keys, key), value, row, reason))
        self._check_order(obj, places, keys, row)
        return min(places, default=NO_PLACE)

    def _record_id(self, value: Any, row: _Row) -> int:
        """A record's id goes in the key column; one that cell does not give back (not text, blank,
        or with spaces at either end, which reading trims) also goes to a kept column."""
        shown = to_text(value).strip()
        if isinstance(value, str) and shown and value == shown:
            return 0
        what = "an id with spaces at either end, or blank" if isinstance(value, str) else kind_of(value)
        kept = self._keep(("id",), value, row, f"{what}, which the ID column does not give back")
        return 0 if shown else kept

    def _list(self, value: Any, index: int, keys: tuple[str, ...], row: _Row, allowed: bool) -> int:
        if isinstance(value, list) and value and all(isinstance(item, Mapping) for item in value):
            if allowed:
                row.listed.append(index)
                return LISTS_LAST + index
            reason = (
                "a list of a record whose id an earlier record has (its rows would go to that one)"
                if row.record is not None and row.record.strip()
                else "a list of a record without an id (no row could name it)"
            )
        elif isinstance(value, list) and value:
            reason = "a list whose items are not all objects"
        else:
            shown = kind_of(value)
            reason = shown if shown == "an empty list" else f"{shown} where the layout has a list"
        return self._keep(keys, value, row, reason)

    def _check_order(
        self, obj: Mapping[str, Any], places: list[int], keys: tuple[str, ...], row: _Row
    ) -> None:
        """Note ``obj``'s keys when reading creates them (at ``places``) in another order."""
        if any(later <= earlier for earlier, later in pairwise(places)):
            row.order[keys] = list(obj)


def _get(data: Any, keys: Iterable[str]) -> Any:
    for key in keys:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


def _entry(record: Record) -> tuple[str, Mapping[str, Any]]:
    if isinstance(record, SourcedRecord):
        data, context = record.data, record.entity
    else:
        data, context = record, None
    if not isinstance(data, Mapping):
        raise InputError(f"cannot write {type(data).__name__} as a record: records are JSON objects")
    entity = detect_entity(data, context=context if context != "package" else None)
    if entity is None:
        shown = record_id(data) or "(no id)"
        raise InputError(
            f"record {shown}: cannot tell its type (its id should start INDIGO-POJ-, "
            "INDIGO-ORG-, INDIGO-FUND- or INDIGO-PL-)"
        )
    return entity, data


def sheet_headers(version: str) -> list[SheetHeader]:
    """A header for every sheet of ``version``'s layout, in layout order."""
    lay = layout(version)
    headers = []
    for sheet in lay.sheets:
        lists = lay.for_entity(sheet.entity)[1:] if sheet.list_keys is None else ()
        headers.append(SheetHeader(sheet, list(sheet.headers), slots=slots(sheet, lists)))
    return headers


def kept_columns(headers: Iterable[SheetHeader]) -> list[KeptColumn]:
    """Every kept column the writing of a dataset added, sheet by sheet (see :mod:`.kept`)."""
    return [column for header in headers for column in header.kept.values()]


def sheet_rows(
    records: Iterable[Record], headers: Iterable[SheetHeader]
) -> Iterator[tuple[SheetHeader, list[Any]]]:
    """Each row of each record, in order, with the sheet it belongs to (whose header may grow).

    A record's list items go to their lists' sheets when the record has an id that no record
    of its type written before has; otherwise (the rows would be read as another record's)
    its lists are kept whole in kept columns of its own row.
    """
    table = {header.sheet.name: header for header in headers}
    by_entity: dict[str, list[SheetHeader]] = {}
    for header in table.values():
        by_entity.setdefault(header.sheet.entity, []).append(header)
    seen: dict[str, set[str]] = {entity: set() for entity in by_entity}
    for record in records:
        if isinstance(record, SourcedRecord) and record.entity in ("package", "notices"):
            continue
        entity, data = _entry(record)
        own, *lists = by_entity[entity]
        key = data.get("id")
        shown = to_text(key).strip()
        allowed = bool(shown) and shown not in seen[entity]
        seen[entity].add(shown)
        rid = record_id(data)
        cells, listed = own.row(key, data, rid, "", lists_allowed=allowed)
        yield own, cells
        for index in listed:
            header = lists[index]
            base = pointer(header.sheet.list_keys or ())
            for position, item in enumerate(_get(data, header.sheet.list_keys or ())):
                yield header, header.row(key, item, rid, f"{base}/{position}")[0]


def csv_cells(values: Iterable[Any]) -> list[str]:
    """JSON values as CSV cells: numbers in their exact form, text protected from spreadsheets
    (see :func:`~indigo_standard.flat.cells.protect_csv_text`) unless CSV is written raw."""
    if csv_is_raw():
        return [to_text(value) for value in values]
    return [protect_csv_text(value) if isinstance(value, str) else to_text(value) for value in values]


class CsvRows:
    """Writes rows of cells as CSV text: comma-separated, ``\\n`` line ends, fields quoted only
    where needed. The csv module quotes a field for the characters of the line end it writes,
    so a lone carriage return would go bare, and most readers would end the row there: a row
    holding one is written with ``\\r\\n`` line ends (quoting every field with a CR or LF),
    whose end is then made ``\\n``."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.plain = csv.writer(out, lineterminator="\n")

    def writerow(self, cells: list[str]) -> None:
        """Write one row."""
        if not any("\r" in cell for cell in cells):
            self.plain.writerow(cells)
            return
        buffer = io.StringIO(newline="")
        csv.writer(buffer, lineterminator="\r\n").writerow(cells)
        self.out.write(buffer.getvalue()[:-2] + "\n")


class CsvSpool:
    """One sheet's rows as CSV text in temporary files: a new file each time the row width grows."""

    def __init__(self, stack: ExitStack) -> None:
        self._stack = stack
        self._parts: list[tuple[IO[bytes], TextIOWrapper, int]] = []
        self._writer: CsvRows | None = None

    def add(self, cells: list[Any]) -> None:
        """Spool one row."""
        if not self._parts or self._parts[-1][2] != len(cells):
            raw = self._stack.enter_context(tempfile.TemporaryFile())  # noqa: SIM115 (closed by stack)
            text = TextIOWrapper(raw, encoding="utf-8", newline="")
            self._parts.append((raw, text, len(cells)))
            self._writer = CsvRows(text)
        assert self._writer is not None
        self._writer.writerow(csv_cells(cells))

    def copy_to(self, out: IO[bytes], width: int) -> None:
        """Write every spooled row to ``out``, each with empty cells up to ``width``."""
        for raw, text, own in self._parts:
            text.flush()
            raw.seek(0)
            if own == width:
                shutil.copyfileobj(raw, out)
            else:
                _pad_rows(raw, out, b"," * (width - own))


def _pad_rows(rows: IO[bytes], out: IO[bytes], extra: bytes) -> None:
    """Copy CSV rows adding ``extra`` before each row's end.

    Rows come from ``csv.writer``, which quotes every field holding a line break or a quote
    (doubling inner quotes), so a line ends a row exactly when the row's quotes are balanced.
    """
    row: list[bytes] = []
    quotes = 0
    for line in rows:
        row.append(line)
        quotes += line.count(b'"')
        if quotes % 2:
            continue
        body = b"".join(row)[:-1]
        out.write((b"" if body == b'""' else body) + extra + b"\n")  # one empty field is written ""
        row, quotes = [], 0


def _header_bytes(header: list[str]) -> bytes:
    buffer = io.StringIO(newline="")
    CsvRows(buffer).writerow(csv_cells(header))
    return buffer.getvalue().encode("utf-8")


class RowSpool(Protocol):
    """Where one sheet's rows wait until every header is known."""

    def add(self, cells: list[Any]) -> None:
        """Spool one row."""


SpoolT = TypeVar("SpoolT", bound=RowSpool)


def spool_rows(
    records: Iterable[Record], version: str, stack: ExitStack, make: Callable[[ExitStack], SpoolT]
) -> tuple[list[SheetHeader], dict[str, SpoolT]]:
    """Every row of the records spooled per sheet in a ``make(stack)`` spool, and the final headers."""
    headers = sheet_headers(version)
    spools: dict[str, SpoolT] = {}
    for header, cells in sheet_rows(records, headers):
        spool = spools.get(header.sheet.name)
        if spool is None:
            spool = spools[header.sheet.name] = make(stack)
        spool.add(cells)
    return headers, spools


def spool_csv(
    records: Iterable[Record], version: str, stack: ExitStack
) -> tuple[list[SheetHeader], dict[str, CsvSpool]]:
    """Every row of the records spooled per sheet as CSV text (closed with ``stack``), and the headers."""
    return spool_rows(records, version, stack, CsvSpool)


def write_table(out: IO[bytes], header: SheetHeader, spool: CsvSpool | None) -> None:
    """One sheet as CSV text in UTF-8, every field quoted only where needed."""
    out.write(_header_bytes(header.header))
    if spool is not None:
        spool.copy_to(out, len(header.header))


Envelope = Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None
"""A package envelope (licence, publisher ...), or a function giving it once the records are read."""


def _data_package(headers: list[SheetHeader], version: str, envelope: Envelope) -> bytes:
    from .datapackage import descriptor_bytes

    return descriptor_bytes(headers, version, envelope() if callable(envelope) else envelope)


def write_csv_folder(
    records: Iterable[Record], target: str | Path, version: str, *, envelope: Envelope = None
) -> list[KeptColumn]:
    """Write the records as a folder of CSVs in the export layout, with a ``datapackage.json``
    describing them (its licence and source from ``envelope``, when given).

    Returns the kept columns added for values the layout has no column for (see :mod:`.kept`).
    """
    path = Path(target)
    with ExitStack() as stack:
        headers, spools = spool_csv(records, version, stack)
        with atomic_folder(path) as staging:
            for header in headers:
                with (staging / f"{header.sheet.name}.csv").open("wb") as out:
                    write_table(out, header, spools.get(header.sheet.name))
            (staging / DATA_PACKAGE).write_bytes(_data_package(headers, version, envelope))
    return kept_columns(headers)


def _add_member(archive: zipfile.ZipFile, name: str, data: IO[bytes]) -> None:
    """Copy ``data`` (from its start to where it is now) into a new member, as ``ZipFile.writestr`` would."""
    info = zipfile.ZipInfo(name, time.localtime(time.time())[:6])
    info.compress_type = archive.compression
    info.external_attr = 0o600 << 16
    info.file_size = data.tell()
    data.seek(0)
    with archive.open(info, "w") as member:
        shutil.copyfileobj(data, member)


def write_zip(
    records: Iterable[Record], target: str | Path, version: str, *, envelope: Envelope = None
) -> list[KeptColumn]:
    """Write the records as a zip of CSVs in the export layout, with a ``datapackage.json``;
    returns the kept columns added (see :func:`write_csv_folder`)."""
    path = Path(target)
    with ExitStack() as stack:
        headers, spools = spool_csv(records, version, stack)
        with atomic_path(path) as temp, zip_output(temp) as archive:
            for header in headers:
                with tempfile.TemporaryFile() as sheet:
                    write_table(sheet, header, spools.get(header.sheet.name))
                    _add_member(archive, f"{header.sheet.name}.csv", sheet)
            with tempfile.TemporaryFile() as package:
                package.write(_data_package(headers, version, envelope))
                _add_member(archive, DATA_PACKAGE, package)
    return kept_columns(headers)

"""Writing records in the flat layout: a folder of CSVs, a zip of them, or an XLSX workbook.

Every sheet of the version's layout is written, each with every column of the schema
(so an empty dataset is a template), followed by any columns kept from the input under
``extra_columns``. Output is written atomically.

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
from pathlib import Path
from typing import IO, Any, Protocol, TypeVar

import attrs

from ..detect import detect_entity, record_id
from ..errors import InputError
from ..reading import SourcedRecord
from .atomic import atomic_folder, atomic_path, zip_output
from .cells import csv_is_raw, protect_csv_text, to_text
from .layout import EXTRA_KEY, Sheet, layout
from .status_columns import covered_paths, refuse_lost_status

DATA_PACKAGE = "datapackage.json"

Record = SourcedRecord | Mapping[str, Any]
"""A record to write: a dict in the standard's JSON form, or one as a reader yields it."""


@attrs.define
class SheetHeader:
    """The header of one sheet, growing as extra columns are met."""

    sheet: Sheet
    header: list[str]
    extra: dict[str, int] = attrs.field(factory=dict, repr=False)
    """Where each extra column (one not in the layout) sits in ``header``."""

    def cells(self, key: Any, obj: Mapping[str, Any]) -> list[Any]:
        """The row of ``obj`` (JSON values), one cell per header so far; new extra columns join the header."""
        cells = [key, *(_get(obj, column.keys) for column in self.sheet.columns)]
        extra = obj.get(EXTRA_KEY)
        if isinstance(extra, Mapping) and extra:
            cells.extend([None] * (len(self.header) - len(cells)))
            for header, value in extra.items():
                position = self.extra.get(header)
                if position is None:
                    position = self.extra[header] = len(self.header)
                    self.header.append(header)
                    cells.append(None)
                cells[position] = value
        cells.extend([None] * (len(self.header) - len(cells)))
        return cells


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
        raise InputError(f"record {shown}: cannot tell its type (its id should start INDIGO-POJ-, "
                         "INDIGO-ORG-, INDIGO-FUND- or INDIGO-PL-)")
    return entity, data


def sheet_headers(version: str) -> list[SheetHeader]:
    """A header for every sheet of ``version``'s layout, in layout order."""
    return [SheetHeader(sheet, list(sheet.headers)) for sheet in layout(version).sheets]


def sheet_rows(
    records: Iterable[Record], headers: Iterable[SheetHeader]
) -> Iterator[tuple[SheetHeader, list[Any]]]:
    """Each row of each record, in order, with the sheet it belongs to (whose header may grow)."""
    table = {header.sheet.name: header for header in headers}
    by_entity: dict[str, list[SheetHeader]] = {}
    for header in table.values():
        by_entity.setdefault(header.sheet.entity, []).append(header)
    covered = {entity: covered_paths(h.sheet for h in found) for entity, found in by_entity.items()}
    for record in records:
        if isinstance(record, SourcedRecord) and record.entity in ("package", "notices"):
            continue
        entity, data = _entry(record)
        refuse_lost_status(data, covered[entity])
        own, *lists = by_entity[entity]
        key = data.get("id")
        yield own, own.cells(key, data)
        for header in lists:
            items = _get(data, header.sheet.list_keys or ())
            if isinstance(items, list):
                for item in items:
                    if isinstance(item, Mapping):
                        yield header, header.cells(key, item)


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
) -> None:
    """Write the records as a folder of CSVs in the export layout, with a ``datapackage.json``
    describing them (its licence and source from ``envelope``, when given)."""
    path = Path(target)
    with ExitStack() as stack:
        headers, spools = spool_csv(records, version, stack)
        with atomic_folder(path) as staging:
            for header in headers:
                with (staging / f"{header.sheet.name}.csv").open("wb") as out:
                    write_table(out, header, spools.get(header.sheet.name))
            (staging / DATA_PACKAGE).write_bytes(_data_package(headers, version, envelope))


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
) -> None:
    """Write the records as a zip of CSVs in the export layout, with a ``datapackage.json``."""
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

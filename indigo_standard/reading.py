"""Reading input: JSON records, lists of records, dataset packages and JSON Lines.

Readers yield :class:`SourcedRecord` items: a record as parsed plus where it came from,
so that validation can name the file and record of every issue. Anything that cannot be
read raises :class:`~indigo_standard.errors.InputError` with a one-line message naming
the file (and line and column for malformed JSON).
"""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import attrs

from .errors import InputError
from .jsonstream import JsonStream, open_stream
from .jsontext import exact_number

if TYPE_CHECKING:
    from .validation.report import Issue

PACKAGE_LISTS: Mapping[str, str] = {
    "projects": "project",
    "organisations": "organisation",
    "funds": "fund",
    "pipelines": "pipeline",
}
"""The record lists of a dataset package, with the record type each holds."""

JSON_SUFFIXES = (".json",)
JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")


@attrs.frozen
class SourcedRecord:
    """A record as read, with the context needed to report on it."""

    data: Any
    entity: str | None = None
    """The record type when the input says so (a package list), else None."""
    file: str | None = None
    declared_version: str | None = None
    """The schema version a dataset package declares for its records."""
    cells: Mapping[str, CellRef] | None = None
    """For flat input: JSON pointer inside the record to the cell it came from; "" is the row."""
    mapping_version: str | None = None
    """For flat input: the schema version whose titles mapped the columns."""
    notices: tuple[Notice, ...] = ()
    """Problems the reader found in the input itself (unknown columns, orphan rows)."""

    def locate(self, ptr: str) -> CellRef | None:
        """The cell of the longest prefix of ``ptr`` that came from a cell, else None."""
        if not self.cells:
            return None
        path = ptr
        while True:
            found = self.cells.get(path)
            if found is not None or not path:
                return found
            path = path.rpartition("/")[0]


NOTICES_ONLY = "notices"
"""The entity of a :class:`SourcedRecord` that carries only notices and no record."""


@attrs.frozen
class CellRef:
    """A cell of flat input: file, row as a spreadsheet counts it (header = 1), column header."""

    file: str
    row: int
    column: str


@attrs.frozen
class Notice:
    """Something a reader found wrong with the input itself, reported as an issue."""

    code: str
    cell: CellRef
    params: Mapping[str, str] = attrs.field(factory=dict)
    record: str | None = None
    entity: str | None = None
    path: str = ""

    def to_issue(self) -> Issue:
        """The notice as the issue a report gives, with its cell as the source."""
        from .validation.report import Issue, Source

        cell = self.cell
        return Issue.make(self.code, params=self.params, entity=self.entity, record=self.record,
                          path=self.path, source=Source(cell.file, cell.row, cell.column))


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


_FLOAT: Mapping[bool, Any] = {False: float, True: exact_number}
"""How numbers with a point or an exponent are read: as floats, or exactly (a Decimal unless the
float's shortest form is the text itself)."""


def parse_json(text: str, file: str | None = None, *, exact: bool = False) -> Any:
    """Parse JSON text strictly (no NaN or Infinity), raising InputError with line and column.

    With ``exact``, every number is read exactly (see :func:`~indigo_standard.jsontext.exact_number`).
    """
    where = f"{file}: " if file else ""
    if not text.strip():
        raise InputError(f"{where}the file is empty")
    try:
        return json.loads(text, parse_constant=_reject_constant, parse_float=_FLOAT[exact])
    except json.JSONDecodeError as error:
        raise InputError(
            f"{where}malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    except ValueError as error:  # NaN, Infinity or -Infinity
        raise InputError(f"{where}{error}; write numbers as plain decimals") from None
    except RecursionError:
        raise InputError(f"{where}the JSON is nested too deeply to read") from None


def decode(raw: bytes, file: str) -> str:
    """Decode UTF-8 (a byte-order mark is allowed), naming the line of any invalid byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(f"{file}: not valid UTF-8 text (invalid byte at line {line})") from None


@contextmanager
def _reading(path: Path) -> Iterator[None]:
    """Turn the operating system's refusal to read ``path`` into a one-line input error."""
    try:
        yield
    except FileNotFoundError:
        raise InputError(f"{path}: no such file or directory") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None


def _read_bytes(path: Path) -> bytes:
    with _reading(path):
        return path.read_bytes()


def is_package(data: Any) -> bool:
    """True for a dataset package: an object with record lists or a schema version, and no id."""
    return (
        isinstance(data, dict)
        and "id" not in data
        and ("schema_version" in data or any(key in data for key in PACKAGE_LISTS))
    )


def iter_data(data: Any, file: str | None = None) -> Iterator[SourcedRecord]:
    """The records in already-parsed JSON: a record, a list of records or a package.

    A package yields its envelope first, as a record of type ``package`` with its record
    lists emptied, so that the envelope itself is validated too.
    """
    if is_package(data):
        declared = data.get("schema_version")
        declared = str(declared) if declared is not None else None
        envelope = {k: ([] if k in PACKAGE_LISTS and isinstance(v, list) else v) for k, v in data.items()}
        yield SourcedRecord(envelope, "package", file, declared)
        for key, entity in PACKAGE_LISTS.items():
            items = data.get(key)
            if isinstance(items, list):
                for item in items:
                    yield SourcedRecord(item, entity, file, declared)
    elif isinstance(data, dict):
        yield SourcedRecord(data, None, file)
    elif isinstance(data, list):
        for item in data:
            yield SourcedRecord(item, None, file)
    else:
        where = f"{file}: " if file else ""
        raise InputError(f"{where}expected a JSON object or list at the top level, found {type_name(data)}")


def type_name(value: Any) -> str:
    """How a JSON value's type reads in a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float, Decimal)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def iter_json_lines(text: str, file: str) -> Iterator[SourcedRecord]:
    """The records of JSON Lines text, one per non-blank line."""
    if not text.strip():
        raise InputError(f"{file}: the file is empty")
    for number, line in enumerate(text.split("\n"), start=1):
        yield from _json_line(line, number, file)


def _json_line(line: str, number: int, file: str, exact: bool = False) -> Iterator[SourcedRecord]:
    if not line.strip():
        return
    try:
        data = json.loads(line, parse_constant=_reject_constant, parse_float=_FLOAT[exact])
    except json.JSONDecodeError as error:
        raise InputError(
            f"{file}: malformed JSON at line {number}, column {error.colno}: {error.msg}"
        ) from None
    except ValueError as error:
        raise InputError(f"{file}: line {number}: {error}; write numbers as plain decimals") from None
    except RecursionError:
        raise InputError(f"{file}: line {number} is nested too deeply to read") from None
    yield from iter_data(data, file)


def _open(path: Path) -> IO[bytes]:
    with _reading(path):
        return path.open("rb")


def stream_json_lines(path: Path, *, exact: bool = False) -> Iterator[SourcedRecord]:
    """The records of a JSON Lines file, read one line at a time (``exact``: numbers read exactly)."""
    file = str(path)
    blank = True
    with _open(path) as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise InputError(f"{file}: not valid UTF-8 text (invalid byte at line {number})") from None
            if blank and line.strip():
                blank = False
            yield from _json_line(line, number, file, exact)
    if blank:
        raise InputError(f"{file}: the file is empty")


def stream_json(path: Path, *, exact: bool = False) -> Iterator[SourcedRecord]:
    """The records of a JSON file (a record, a list or a package), parsed one at a time.

    With ``exact``, every number is read exactly (see :func:`~indigo_standard.jsontext.exact_number`).

    Neither the file nor its list of records is ever held whole: see :mod:`.jsonstream`.
    A package is read twice: once for its envelope (which comes first, and carries the
    schema version its records need), then for its records.
    """
    file = str(path)
    with _open(path) as handle:
        stream = open_stream(handle, file, exact=exact)
        first = stream.peek()
        if first == "[":
            for item in stream.items():
                yield SourcedRecord(item, None, file)
            stream.end()
            return
        if first != "{":
            data = stream.value()
            stream.end()
            yield from iter_data(data, file)
            return
        envelope, order = _scan_object(stream)
    if not is_package(envelope):
        with _open(path) as handle:
            stream = open_stream(handle, file, exact=exact)
            data = stream.value()
        yield from iter_data(data, file)
        return
    declared = envelope.get("schema_version")
    declared = str(declared) if declared is not None else None
    yield SourcedRecord(envelope, "package", file, declared)
    wanted = [key for key in PACKAGE_LISTS if key in order]
    in_file_order = sorted(wanted, key=order.__getitem__)
    passes = [wanted] if in_file_order == wanted else [[key] for key in wanted]
    passes = [keys for keys in passes if keys]
    for keys in passes:
        with _open(path) as handle:
            stream = open_stream(handle, file, exact=exact)
            yield from _package_items(stream, keys, order, declared)


def _scan_object(stream: JsonStream) -> tuple[dict[str, Any], dict[str, int]]:
    """A top-level object with its record lists emptied, and where the last of each list is.

    ``order`` maps each record-list key whose final value is a list to the number of the
    member (counting from 0) that holds it, as ``json.loads`` keeps the last of repeated keys.
    """
    envelope: dict[str, Any] = {}
    order: dict[str, int] = {}
    for number, (key, value) in enumerate(stream.members(PACKAGE_LISTS.__contains__)):
        if value is ...:
            stream.skip_items()
            envelope[key] = []
            order[key] = number
        else:
            envelope[key] = value
            order.pop(key, None)
    stream.end()
    return envelope, order


def _package_items(
    stream: JsonStream, keys: list[str], order: Mapping[str, int], declared: str | None
) -> Iterator[SourcedRecord]:
    wanted = {order[key]: key for key in keys}
    last = max(wanted)
    for number, (_key, value) in enumerate(stream.members(PACKAGE_LISTS.__contains__)):
        if number in wanted:
            entity = PACKAGE_LISTS[wanted[number]]
            for item in stream.items():
                yield SourcedRecord(item, entity, stream.file, declared)
            if number == last:
                return
        elif value is ...:
            stream.skip_items()


def iter_file(path: Path, *, exact: bool = False) -> Iterator[SourcedRecord]:
    """The records of one JSON or JSON Lines file, read as a stream (``exact``: numbers read exactly)."""
    if path.suffix.lower() in JSON_LINES_SUFFIXES:
        yield from stream_json_lines(path, exact=exact)
    else:
        yield from stream_json(path, exact=exact)


FLAT_SUFFIXES = (".zip", ".xlsx", ".xlsm")
"""Flat input in one file: a zip of the CSV export, or an XLSX workbook."""


def supported_files(folder: Path) -> list[Path]:
    """The inputs under ``folder`` that can be read, in a stable order.

    A folder in the flat CSV export layout (holding ``projects.csv``, ``organisations.csv``,
    ``funds.csv`` or ``pipeline.csv``) is one input, listed as the folder itself.
    """
    from .flat.sources import is_flat_folder

    if is_flat_folder(folder):
        return [folder]
    found = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in list(dirs):
            sub = Path(root) / name
            if name.startswith("."):
                dirs.remove(name)
            elif is_flat_folder(sub):
                dirs.remove(name)
                found.append(sub)
        for name in sorted(names):
            if name.lower().endswith(JSON_SUFFIXES + JSON_LINES_SUFFIXES + FLAT_SUFFIXES):
                found.append(Path(root) / name)
    return sorted(found)


def iter_input(
    path: Path, schema_version: str | None = None, *, exact: bool = False
) -> Iterator[SourcedRecord]:
    """The records of one input: a JSON or JSON Lines file, a CSV export folder, a zip or a workbook.

    ``schema_version`` is the version whose titles map flat columns (else detected). With
    ``exact``, JSON numbers are read exactly, a Decimal where a float would not give the same
    text (flat input always reads a number a float cannot hold as a Decimal).
    """
    if path.is_dir() or path.suffix.lower() in FLAT_SUFFIXES:
        from .flat.sources import read_flat

        yield from read_flat(path, schema_version=schema_version)
    else:
        yield from iter_file(path, exact=exact)


def iter_path(
    path: str | os.PathLike[str], schema_version: str | None = None, *, exact: bool = False
) -> Iterator[SourcedRecord]:
    """The records of a file or of every supported input in a folder (``exact``: see :func:`iter_input`).

    Items are records as parsed, with where they came from; flat input also gives items of
    entity ``notices`` (no record) and dataset packages their envelope. For typed records
    only, use :func:`indigo_standard.read`.
    """
    target = Path(path)
    if target.is_dir():
        files = supported_files(target)
        if not files:
            raise InputError(
                f"{target}: no JSON, JSON Lines, CSV export, zip or XLSX input found in this folder"
            )
        for file in files:
            yield from iter_input(file, schema_version, exact=exact)
    elif not target.exists():
        raise InputError(f"{target}: no such file or directory")
    else:
        yield from iter_input(target, schema_version, exact=exact)


def iter_paths(
    paths: Iterable[str | os.PathLike[str]], schema_version: str | None = None, *, exact: bool = False
) -> Iterator[SourcedRecord]:
    """The records of several files or folders, in order."""
    for path in paths:
        yield from iter_path(path, schema_version, exact=exact)

"""Reading JSON input: a record, a list of records or a dataset package, and JSON Lines.

Records are parsed strictly and streamed one at a time, each with where it sits in its
file. Anything that cannot be read raises :class:`~indigo_standard.errors.InputError`
with a one-line message naming the file (and line and column for malformed JSON).
"""

from __future__ import annotations

import codecs
import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, cast

from ..errors import InputError
from ..jsonstream import JsonStream, open_stream
from ..jsontext import exact_number
from .files import open_regular
from .records import PACKAGE_LISTS, SourcedRecord, is_package, type_name

JSON_SUFFIXES = (".json",)
JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


_FLOAT: Mapping[bool, Any] = {False: float, True: exact_number}
"""How numbers with a point or an exponent are read: as floats, or exactly (a Decimal unless the
float's shortest form is the text itself)."""


def parse_json(text: str, file: str | None = None, *, exact: bool = False) -> Any:
    """Parse JSON text strictly (no NaN or Infinity, no lone surrogate), raising InputError with
    line and column (or record and field).

    With ``exact``, every number is read exactly (see :func:`~indigo_standard.jsontext.exact_number`).
    """
    where = f"{file}: " if file else ""
    if not text.strip():
        raise InputError(f"{where}the file is empty")
    try:
        data = json.loads(text, parse_constant=_reject_constant, parse_float=_FLOAT[exact])
    except json.JSONDecodeError as error:
        raise InputError(
            f"{where}malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    except ValueError as error:  # NaN, Infinity or -Infinity
        raise InputError(f"{where}{error}; write numbers as plain decimals") from None
    except RecursionError:
        raise InputError(f"{where}the JSON is nested too deeply to read") from None
    if _SURROGATE_ESCAPE.search(text):
        whole = not isinstance(data, (dict, list))
        for item in [SourcedRecord(data, None, file)] if whole else _iter_data(data, file, None):
            refuse_lone_surrogates(item)
    return data


def iter_data(
    data: Any, file: str | None = None, line: int | None = None, *, suspect: bool = True
) -> Iterator[SourcedRecord]:
    """The records in already-parsed JSON: a record, a list of records or a package.

    A package yields its envelope first, as a record of type ``package`` with its record
    lists emptied, so that the envelope itself is validated too. ``line`` is the line of
    JSON Lines the data was read from, for the records' positions. Unless ``suspect`` is
    False (the JSON text held no escaped surrogate), each record is checked for text that
    is not Unicode (see :func:`refuse_lone_surrogates`).
    """
    for item in _iter_data(data, file, line):
        yield refuse_lone_surrogates(item) if suspect else item


def _iter_data(data: Any, file: str | None, line: int | None) -> Iterator[SourcedRecord]:
    at = f"line {line}, " if line is not None else ""
    if is_package(data):
        declared = data.get("schema_version")
        declared = str(declared) if declared is not None else None
        envelope = {k: ([] if k in PACKAGE_LISTS and isinstance(v, list) else v) for k, v in data.items()}
        yield SourcedRecord(envelope, "package", file, declared)
        for key, entity in PACKAGE_LISTS.items():
            items = data.get(key)
            if isinstance(items, list):
                for index, item in enumerate(items):
                    yield SourcedRecord(item, entity, file, declared, position=f"{at}/{key}/{index}")
    elif isinstance(data, dict):
        yield SourcedRecord(data, None, file, position=f"line {line}" if line is not None else "")
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield SourcedRecord(item, None, file, position=f"{at}/{index}")
    else:
        where = f"{file}: " if file else ""
        raise InputError(f"{where}expected a JSON object or list at the top level, found {type_name(data)}")


_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
"""A surrogate code point in a Python string: JSON decoding joins every valid pair, so one found is alone."""
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE_ESCAPE_BYTES = re.compile(rb"\\u[dD][89a-fA-F]")
"""How JSON text writes a surrogate: no other text can give one, since UTF-8 cannot encode it."""


def find_value(data: Any, found: Callable[[Any], bool], keys: bool = False) -> tuple[list[str], Any] | None:
    """The path (keys and list positions) to the first value in ``data`` for which ``found`` is
    true, and that value; None when there is none. With ``keys``, object keys are tested too."""
    if found(data):
        return [], data
    if isinstance(data, Mapping):
        for key, value in data.items():
            if keys and found(key):
                return [str(key)], key
            inner = find_value(value, found, keys)
            if inner is not None:
                return [str(key), *inner[0]], inner[1]
    elif isinstance(data, (list, tuple)):
        for index, value in enumerate(data):
            inner = find_value(value, found, keys)
            if inner is not None:
                return [str(index), *inner[0]], inner[1]
    return None


def _is_lone_surrogate(value: Any) -> bool:
    return isinstance(value, str) and _LONE_SURROGATE.search(value) is not None


def is_not_finite(value: Any) -> bool:
    """True for a number JSON text cannot write: NaN, Infinity or -Infinity (float or Decimal)."""
    if isinstance(value, float):
        return not math.isfinite(value)
    return isinstance(value, Decimal) and not value.is_finite()


def refuse_lone_surrogates(item: SourcedRecord) -> SourcedRecord:
    """``item`` itself, unless some text in it holds a lone surrogate (such as ``"\\ud800"``):
    JSON text can escape one, but it is no Unicode character and no file can store it, so
    the record is refused with an InputError naming its file, record and field."""
    found = find_value(item.data, _is_lone_surrogate, keys=True)
    if found is None:
        return item
    from ..detect import record_id
    from ..fields import pointer

    path, text = found
    char = _LONE_SURROGATE.search(text)
    shown = f"\\u{ord(char.group()):04x}" if char else "a surrogate"
    where = f"{item.file}: " if item.file else ""
    rid = record_id(item.data) if isinstance(item.data, Mapping) else None
    record = f"record {rid}" if rid else f"a {item.entity or 'record'} without id"
    raise InputError(
        f"{where}{record}, field {pointer(path) or '/'}: the text holds a lone surrogate ({shown}), which is "
        "not a Unicode character and cannot be written to any file; correct the \\u escape in the input"
    )


class _Watched:
    """A binary file whose blocks are searched, as they are read, for a JSON escape of a
    surrogate; only then need the records read from it be searched for lone surrogates."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.seen = False
        self._tail = b""

    def read(self, size: int = -1) -> bytes:
        """Read like the file, noting whether a surrogate escape has been read so far."""
        data = self.handle.read(size)
        if not self.seen:
            # an escape cut by the end of a block is found in the last bytes of one and the first of the next
            self.seen = bool(
                _SURROGATE_ESCAPE_BYTES.search(self._tail + data[:5]) or _SURROGATE_ESCAPE_BYTES.search(data)
            )
            self._tail = data[-5:]
        return data

    def io(self) -> IO[bytes]:
        """This object, as the binary file the JSON stream reads."""
        return cast(IO[bytes], self)

    def checked(self, item: SourcedRecord) -> SourcedRecord:
        """``item``, searched for lone surrogates once the file has shown an escaped one."""
        return refuse_lone_surrogates(item) if self.seen else item


def iter_json_lines(text: str, file: str) -> Iterator[SourcedRecord]:
    """The records of JSON Lines text, one per non-blank line."""
    if not text.strip():
        raise InputError(f"{file}: the file is empty")
    for number, line in enumerate(text.split("\n"), start=1):
        yield from _json_line(line, number, file)


def _json_line(line: str, number: int, file: str, exact: bool = False) -> Iterator[SourcedRecord]:
    if not line.strip():
        return
    suspect = "\\" in line and _SURROGATE_ESCAPE.search(line) is not None
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
    yield from iter_data(data, file, number, suspect=suspect)


def _open(path: Path) -> IO[bytes]:
    return open_regular(path)


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
        watched = _Watched(handle)
        stream = open_stream(watched.io(), file, exact=exact)
        first = stream.peek()
        if first == "[":
            for index, item in enumerate(stream.items()):
                yield watched.checked(SourcedRecord(item, None, file, position=f"/{index}"))
            stream.end()
            return
        if first != "{":
            data = stream.value()
            stream.end()
            yield from iter_data(data, file, suspect=watched.seen)
            return
        envelope, order = _scan_object(stream)
    if not is_package(envelope):
        with _open(path) as handle:
            watched = _Watched(handle)
            stream = open_stream(watched.io(), file, exact=exact)
            data = stream.value()
        yield from iter_data(data, file, suspect=watched.seen)
        return
    declared = envelope.get("schema_version")
    declared = str(declared) if declared is not None else None
    yield refuse_lone_surrogates(SourcedRecord(envelope, "package", file, declared))
    wanted = [key for key in PACKAGE_LISTS if key in order]
    in_file_order = sorted(wanted, key=order.__getitem__)
    passes = [wanted] if in_file_order == wanted else [[key] for key in wanted]
    passes = [keys for keys in passes if keys]
    for keys in passes:
        with _open(path) as handle:
            watched = _Watched(handle)
            stream = open_stream(watched.io(), file, exact=exact)
            for item in _package_items(stream, keys, order, declared):
                yield watched.checked(item)


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
    for number, (_, value) in enumerate(stream.members(PACKAGE_LISTS.__contains__)):
        if number in wanted:
            key = wanted[number]
            entity = PACKAGE_LISTS[key]
            for index, item in enumerate(stream.items()):
                yield SourcedRecord(item, entity, stream.file, declared, position=f"/{key}/{index}")
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

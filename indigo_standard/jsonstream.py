"""Streaming JSON: the items of a list, or of a package's record lists, one at a time.

The file is read in blocks through an incremental UTF-8 decoder and each item is parsed
by the standard library's C scanner (``json.JSONDecoder.raw_decode``) as soon as its
text is in the buffer. Memory holds one block plus the item being parsed, never the
file. Because every value goes through the same parser as ``json.loads``, numbers,
strings, nesting limits and error messages are exactly what ``json.loads`` gives: line
and column of malformed JSON count from the start of the file, ``NaN`` and
``Infinity`` are refused and nesting too deep to parse is reported as such.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable, Iterator
from typing import IO, Any

from .errors import InputError
from .jsontext import exact_number

BLOCK = 1 << 20
"""How many bytes are read at a time."""

_WHITESPACE = " \t\n\r"
_LOOKAHEAD = 32
"""Longer than any literal or escape that a block boundary can cut."""


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
_EXACT_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=exact_number)
"""Reads every number exactly (see :func:`~indigo_standard.jsontext.exact_number`)."""


class _Truncated(Exception):
    """The buffer ended before the value did: read more and try again."""


class JsonStream:
    """A cursor over the text of one JSON file, decoded and buffered a block at a time."""

    def __init__(self, handle: IO[bytes], file: str, block: int = BLOCK, *, exact: bool = False) -> None:
        self.handle = handle
        self.decode_value = (_EXACT_DECODER if exact else _DECODER).raw_decode
        self.file = file
        self.block = block
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.lines_before = 0
        """Newlines in the text dropped from the front of the buffer."""
        self.column_before = 0
        """Characters after the last dropped newline, dropped with it."""
        self.bytes_read = 0
        self.newlines_read = 0

    # -- buffer -------------------------------------------------------------------------------

    def _fill(self, size: int = 0) -> bool:
        """Read one more block (at least ``size`` bytes); False at the end of the file."""
        if self.eof:
            return False
        raw = self.handle.read(max(size, self.block))
        final = not raw
        try:
            text = self.decoder.decode(raw, final)
        except UnicodeDecodeError as error:
            line = self.newlines_read + raw[: max(error.start, 0)].count(b"\n") + 1
            raise InputError(f"{self.file}: not valid UTF-8 text (invalid byte at line {line})") from None
        self.bytes_read += len(raw)
        self.newlines_read += raw.count(b"\n")
        if self.pos:
            dropped = self.buf[: self.pos]
            newlines = dropped.count("\n")
            if newlines:
                self.lines_before += newlines
                self.column_before = len(dropped) - dropped.rfind("\n") - 1
            else:
                self.column_before += len(dropped)
            self.buf = self.buf[self.pos :]
            self.pos = 0
        self.buf += text
        if final:
            self.eof = True
        return True

    def peek(self) -> str:
        """The next character that is not whitespace ("" at the end of the file)."""
        while True:
            buf, pos = self.buf, self.pos
            while pos < len(buf) and buf[pos] in _WHITESPACE:
                pos += 1
            self.pos = pos
            if pos < len(buf):
                return buf[pos]
            if not self._fill():
                return ""

    def take(self) -> str:
        """Consume the next character that is not whitespace."""
        char = self.peek()
        self.pos += 1
        return char

    # -- values -------------------------------------------------------------------------------

    def value(self) -> Any:
        """Parse the next value, reading as many blocks as it spans."""
        self.peek()
        while True:
            try:
                found, end = self._attempt()
            except _Truncated:
                # read at least as much again as the value has used so far, so that a value
                # spanning many blocks is not parsed from its start once per block
                if not self._fill(len(self.buf) - self.pos):
                    raise AssertionError("unreachable: truncation is only signalled before the end") from None
                continue
            self.pos = end
            return found

    def _attempt(self) -> tuple[Any, int]:
        try:
            found, end = self.decode_value(self.buf, self.pos)
        except json.JSONDecodeError as error:
            # an error near the end of the buffer may only mean the value goes on (``nul``,
            # ``-Inf``, a cut string); read more and try again before believing it
            near_end = error.pos >= len(self.buf) - _LOOKAHEAD
            if not self.eof and (near_end or error.msg.startswith("Unterminated")):
                raise _Truncated from None
            raise self.malformed(error.msg, error.pos) from None
        except ValueError as error:  # NaN, Infinity or -Infinity
            raise InputError(f"{self.file}: {error}; write numbers as plain decimals") from None
        except RecursionError:
            raise InputError(f"{self.file}: the JSON is nested too deeply to read") from None
        if end > len(self.buf) - _LOOKAHEAD and not self.eof:
            raise _Truncated  # a number may go on in the next block (``1.`` then ``5e3``)
        return found, end

    def malformed(self, msg: str, pos: int) -> InputError:
        """The one-line error for malformed JSON at ``pos`` in the buffer."""
        before = self.buf.count("\n", 0, pos)
        line = self.lines_before + before + 1
        column = pos - self.buf.rfind("\n", 0, pos) if before else self.column_before + pos + 1
        return InputError(f"{self.file}: malformed JSON at line {line}, column {column}: {msg}")

    def expect(self, chars: str, what: str) -> str:
        """Consume one of ``chars`` or fail as ``json.loads`` would, naming ``what`` was expected."""
        char = self.peek()
        if not char or char not in chars:
            raise self.malformed(what, self.pos)
        self.pos += 1
        return char

    def items(self) -> Iterator[Any]:
        """The items of the list whose ``[`` comes next."""
        self.expect("[", "Expecting value")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            if not self.peek():
                raise self.malformed("Expecting value", self.pos)
            yield self.value()
            if self.expect(",]", "Expecting ',' delimiter") == "]":
                return

    def skip_items(self) -> None:
        """Consume the list whose ``[`` comes next without keeping its items."""
        for _ in self.items():
            pass

    def members(self, on_list: Callable[[str], bool]) -> Iterator[tuple[str, Any]]:
        """The members of the object whose ``{`` comes next.

        For a key whose value is a list and for which ``on_list(key)`` is true, the list is
        left to the caller, which must consume it, and the member is yielded as ``(key, ...)``
        (Ellipsis); every other member comes with its parsed value.
        """
        self.expect("{", "Expecting value")
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            if self.peek() != '"':
                raise self.malformed("Expecting property name enclosed in double quotes", self.pos)
            key = self.value()
            self.expect(":", "Expecting ':' delimiter")
            if self.peek() == "[" and on_list(key):
                yield key, ...
            else:
                if not self.peek():
                    raise self.malformed("Expecting value", self.pos)
                yield key, self.value()
            if self.expect(",}", "Expecting ',' delimiter") == "}":
                return

    def end(self) -> None:
        """Fail unless only whitespace is left."""
        if self.peek():
            raise self.malformed("Extra data", self.pos)


def open_stream(handle: IO[bytes], file: str, *, exact: bool = False) -> JsonStream:
    """A stream over ``handle``, failing at once when the file holds only whitespace.

    With ``exact``, every number is read exactly (see :func:`~indigo_standard.jsontext.exact_number`).
    """
    stream = JsonStream(handle, file, exact=exact)
    if not stream.peek():
        raise InputError(f"{file}: the file is empty")
    return stream

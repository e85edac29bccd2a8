"""Where the commands read from: files and folders, or standard input for ``-``."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any, cast

from ..jsonstream import open_stream
from ..reading.inputs import iter_path
from ..reading.json_input import iter_data
from ..reading.records import SourcedRecord

STDIN = "-"
"""The path that stands for standard input."""

STDIN_NAME = "<stdin>"
"""How reports name standard input."""


class _Available:
    """A reader whose ``read`` returns what has arrived instead of waiting for a full block.

    Records piped in slowly (a producer that writes a line at a time) are then checked as
    they arrive.
    """

    def __init__(self, handle: Any) -> None:
        self.handle = handle

    def read(self, size: int = -1) -> bytes:
        data: bytes = self.handle.read1(size) if hasattr(self.handle, "read1") else self.handle.read(size)
        return data


def iter_stdin(handle: IO[bytes] | None = None, name: str = STDIN_NAME) -> Iterator[SourcedRecord]:
    """The records of JSON on standard input, read as they come.

    The input is one or more JSON values one after the other: a record, a list of records
    or a dataset package, or JSON Lines (one value per line). List items are read one at a
    time; any other value is read whole.
    """
    stream = open_stream(
        cast("IO[bytes]", _Available(handle if handle is not None else sys.stdin.buffer)), name
    )
    while True:
        first = stream.peek()
        if not first:
            return
        if first == "[":
            for item in stream.items():
                yield SourcedRecord(item, None, name)
        else:
            yield from iter_data(stream.value(), name)


def iter_inputs(
    paths: Iterable[str | os.PathLike[str]], schema_version: str | None = None
) -> Iterator[SourcedRecord]:
    """The records of every path in order; ``-`` reads standard input."""
    for path in paths:
        if os.fspath(path) == STDIN:
            yield from iter_stdin()
        else:
            yield from iter_path(path, schema_version)

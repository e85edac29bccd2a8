"""Writing published, packaged or normalised data: JSON or JSON Lines, always atomically."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..jsontext import dumps as exact_json
from ..reading.files import decode, open_regular
from ..reading.json_input import JSON_LINES_SUFFIXES, parse_json
from ..reading.records import PACKAGE_LISTS, is_package
from .atomic import write_text


def is_json_lines(path: Path) -> bool:
    """Whether ``path`` names a JSON Lines file."""
    return path.suffix.lower() in JSON_LINES_SUFFIXES


def write_json(data: Any, path: str | os.PathLike[str]) -> None:
    """Write one JSON document, indented, atomically."""
    write_text(Path(path), exact_json(data, indent=2) + "\n")


def write_json_lines(records: Iterable[Any], path: str | os.PathLike[str]) -> None:
    """Write one record per line, atomically."""
    write_text(Path(path), "".join(exact_json(r) + "\n" for r in records))


def read_whole_json(path: Path) -> Any:
    """A ``.json`` file parsed as one document (InputError on anything unreadable)."""
    file = str(path)
    with open_regular(path) as handle:
        raw = handle.read()
    return parse_json(decode(raw, file), file)


def is_single_json(path: Path) -> bool:
    """Whether ``path`` is one ``.json`` file, whose shape (record, list, package) can be kept."""
    return path.is_file() and path.suffix.lower() == ".json"


def records_in(data: Any) -> list[Any]:
    """The records of a dataset package, a list of records or one record (none for None)."""
    if is_package(data):
        return [record for key in PACKAGE_LISTS for record in (data.get(key) or [])]
    if isinstance(data, list):
        return data
    return [] if data is None else [data]


def write_result(result: Any, target: Path) -> None:
    """Write a command's result: its records one per line to ``.jsonl``, else as it is to ``.json``."""
    if is_json_lines(target):
        write_json_lines(records_in(result), target)
    else:
        write_json([] if result is None else result, target)

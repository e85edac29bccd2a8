"""Outputs checked before any work is done: names that say a form, and paths that can be written.

A run that could not write its result stops at once, before reading a large input, and a
name whose extension says no form is refused rather than becoming a folder of that name.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from ..errors import InputError, OutputError
from ..reading.json_input import JSON_LINES_SUFFIXES

Format = Literal["json", "jsonl", "csv", "zip", "xlsx", "sqlite"]
FORMATS: tuple[Format, ...] = ("json", "jsonl", "csv", "zip", "xlsx", "sqlite")

OUTPUT_SUFFIXES: Mapping[str, Format] = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".zip": "zip",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".sqlite": "sqlite",
    ".sqlite3": "sqlite",
}
"""The output format each file name suffix asks for; any other name is a CSV folder."""

JSON_OUTPUT_SUFFIXES = (".json", *JSON_LINES_SUFFIXES)


def format_for(path: Path) -> Format:
    """The output format a path's name asks for; a name with no known suffix is a CSV folder."""
    return OUTPUT_SUFFIXES.get(path.suffix.lower(), "csv")


def check_output_name(target: str, fmt: str | None) -> None:
    """Refuse an output name whose extension names no format, unless ``fmt`` (``--to``) says one.

    A name without an extension (or an existing folder) is a folder of CSVs; ``out.txt`` or
    ``out.csv`` would otherwise become a folder of that name.
    """
    path = Path(target)
    if fmt is not None or not path.suffix or path.is_dir() or format_for(path) != "csv":
        return
    if path.suffix.lower() == ".csv":
        raise InputError(
            f"{path}: a dataset is written as several CSV files; give a folder name "
            "without an extension, or a .zip, .xlsx, .sqlite or .json file"
        )
    raise InputError(
        f"{path}: {path.suffix!r} names no output format; write .json, .jsonl, .zip, "
        ".xlsx or .sqlite, give a folder name without an extension for CSV files, or say "
        "the format with --to"
    )


def check_output(path: str | os.PathLike[str]) -> Path:
    """The output path, if its suffix names JSON or JSON Lines and it is not a folder.

    Checked before any work is done, so that a run that could not write its result stops at once.
    """
    target = Path(path)
    if target.suffix.lower() not in JSON_OUTPUT_SUFFIXES:
        raise InputError(f"{target}: write the output to a .json, .jsonl or .ndjson file")
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; give the name of a file to write")
    return target


def checked_output(path: str) -> Path:
    """The report file ``path``, refused at once when it cannot be written (before a long run)."""
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{target}: is a directory")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{target}: the folder {folder} does not exist")
    return target

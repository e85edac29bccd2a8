"""Every form of input, one way in: a file or folder of JSON, JSON Lines or flat data, or what an
API caller gives (records, JSON text or a path).

This is the one module of :mod:`indigo_standard.reading` that knows the flat formats: it
imports :mod:`indigo_standard.flat` only when an input is flat, so that reading JSON never
loads the spreadsheet readers, and so that ``flat`` (which reads through
:mod:`.records` and :mod:`.files`) never imports this module back.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError, InputTypeError, type_shown
from .files import decode, inside, missing
from .json_input import JSON_LINES_SUFFIXES, JSON_SUFFIXES, iter_data, iter_file, parse_json
from .records import SourcedRecord

FLAT_SUFFIXES = (".zip", ".xlsx", ".xlsm", ".sqlite", ".sqlite3")
"""Flat input in one file: a zip of the CSV export, an XLSX workbook, or a database ``convert`` wrote."""


def supported_files(folder: Path) -> list[Path]:
    """The inputs under ``folder`` that can be read, in a stable order.

    A folder in the flat CSV export layout (holding ``projects.csv``, ``organisations.csv``,
    ``funds.csv`` or ``pipeline.csv``) is one input, listed as the folder itself. A symbolic
    link out of ``folder`` is refused (see :func:`inside`); anything that is not a regular
    file is refused when it is read (see :func:`open_regular`).
    """
    from ..flat.sources import is_flat_folder

    if is_flat_folder(folder):
        return [folder]
    found = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in list(dirs):
            sub = Path(root) / name
            if name.startswith("."):
                dirs.remove(name)
            elif is_flat_folder(inside(sub, folder)):
                dirs.remove(name)
                found.append(sub)
        for name in sorted(names):
            if name.lower().endswith(JSON_SUFFIXES + JSON_LINES_SUFFIXES + FLAT_SUFFIXES):
                found.append(inside(Path(root) / name, folder))
    return sorted(found)


def iter_input(
    path: Path, schema_version: str | None = None, *, exact: bool = False
) -> Iterator[SourcedRecord]:
    """The records of one input: a JSON or JSON Lines file, a CSV export folder, a zip, a workbook,
    a SQLite database, or one record type's CSV file.

    ``schema_version`` is the version whose titles map flat columns (else detected). With
    ``exact``, JSON numbers are read exactly, a Decimal where a float would not give the same
    text (flat input always reads a number a float cannot hold as a Decimal).
    """
    if path.is_dir() or path.suffix.lower() in FLAT_SUFFIXES or path.suffix.lower() == ".csv":
        from ..flat.sources import read_flat

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
                f"{target}: no JSON, JSON Lines, CSV export, zip or XLSX input (nor SQLite database) "
                "found in this folder"
            )
        for file in files:
            yield from iter_input(file, schema_version, exact=exact)
    elif not target.exists():
        raise missing(target)
    else:
        yield from iter_input(target, schema_version, exact=exact)


def iter_given(data: Any, schema_version: str | None = None, what: str = "read") -> Iterator[SourcedRecord]:
    """The records of what a caller of the API gives: a record (dict), a list of records, a
    dataset package, JSON text (str or UTF-8 bytes) or a path. Anything else raises
    :class:`~indigo_standard.errors.InputTypeError`, and text that is neither JSON nor an
    existing path an InputError; ``what`` names the function in the message."""
    if isinstance(data, (bytes, bytearray)):
        data = decode(bytes(data), "JSON text")
        if not data.lstrip().startswith(("{", "[")):
            raise InputError("JSON text given as bytes holds no JSON object or list")
    if isinstance(data, str):
        if data.lstrip().startswith(("{", "[")):
            yield from iter_data(parse_json(data), suspect=False)
            return
        target = Path(data)
        if not data.strip() or "\n" in data or "\0" in data or not (target.exists() or target.is_symlink()):
            shown = repr(data) if len(data) <= 60 else repr(data[:57]) + "..."
            raise InputError(
                f"{shown} is neither JSON text (an object or a list) nor the path of a file or folder"
            )
        yield from iter_path(target, schema_version)
    elif isinstance(data, os.PathLike):
        yield from iter_path(data, schema_version)
    elif isinstance(data, (dict, list)):
        yield from iter_data(data)
    else:
        raise InputTypeError(
            f"cannot {what} {type_shown(data)}: give a record (a dict), a list of records, "
            "a dataset package, JSON text or a path"
        )


def iter_paths(
    paths: Iterable[str | os.PathLike[str]], schema_version: str | None = None, *, exact: bool = False
) -> Iterator[SourcedRecord]:
    """The records of several files or folders, in order."""
    for path in paths:
        yield from iter_path(path, schema_version, exact=exact)

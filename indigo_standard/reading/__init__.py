"""Reading input: the first step of read -> validate -> report -> write.

- :mod:`.records`: a record as read (:class:`~.records.SourcedRecord`), with its file, cell
  and the reader's notices;
- :mod:`.files`: opening input files safely (regular files only, links kept inside the
  folder read) and decoding their text;
- :mod:`.json_input`: JSON records, lists and dataset packages, and JSON Lines, streamed;
- :mod:`.inputs`: every form of input, one way in (JSON, JSON Lines, and the flat formats
  of :mod:`indigo_standard.flat`).

:mod:`indigo_standard.flat` reads through :mod:`.records` and :mod:`.files` only, and
:mod:`.inputs` imports ``flat`` only when an input is flat, so no import goes round in a
circle. The names below are found here too, each imported from its module on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

if TYPE_CHECKING:
    from .files import decode, inside, missing, open_regular
    from .inputs import FLAT_SUFFIXES, iter_given, iter_input, iter_path, iter_paths, supported_files
    from .json_input import (
        JSON_LINES_SUFFIXES,
        JSON_SUFFIXES,
        find_value,
        is_not_finite,
        iter_data,
        iter_file,
        iter_json_lines,
        parse_json,
        refuse_lone_surrogates,
        stream_json,
        stream_json_lines,
    )
    from .records import NOTICES_ONLY, PACKAGE_LISTS, CellRef, Notice, SourcedRecord, is_package, type_name

_HOMES = {
    **dict.fromkeys(
        ["PACKAGE_LISTS", "NOTICES_ONLY", "SourcedRecord", "CellRef", "Notice", "is_package", "type_name"],
        ".records",
    ),
    **dict.fromkeys(["decode", "missing", "open_regular", "inside"], ".files"),
    **dict.fromkeys(
        [
            "JSON_SUFFIXES",
            "JSON_LINES_SUFFIXES",
            "parse_json",
            "iter_data",
            "find_value",
            "is_not_finite",
            "refuse_lone_surrogates",
            "iter_json_lines",
            "stream_json_lines",
            "stream_json",
            "iter_file",
        ],
        ".json_input",
    ),
    **dict.fromkeys(
        ["FLAT_SUFFIXES", "supported_files", "iter_input", "iter_path", "iter_given", "iter_paths"], ".inputs"
    ),
}
"""The module that defines each public name."""

__all__ = [
    "FLAT_SUFFIXES",
    "JSON_LINES_SUFFIXES",
    "JSON_SUFFIXES",
    "NOTICES_ONLY",
    "PACKAGE_LISTS",
    "CellRef",
    "Notice",
    "SourcedRecord",
    "decode",
    "find_value",
    "inside",
    "is_not_finite",
    "is_package",
    "iter_data",
    "iter_file",
    "iter_given",
    "iter_input",
    "iter_json_lines",
    "iter_path",
    "iter_paths",
    "missing",
    "open_regular",
    "parse_json",
    "refuse_lone_surrogates",
    "stream_json",
    "stream_json_lines",
    "supported_files",
    "type_name",
]


__getattr__, __dir__ = lazy_names(__name__, _HOMES)

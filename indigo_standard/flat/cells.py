"""Turning spreadsheet cells into JSON values and back, without losing anything.

Numbers: a cell in a number field becomes an ``int`` when it is written as a whole number,
and a ``float`` only when that float is exactly the decimal written (checked with
:class:`~decimal.Decimal`); anything else, such as ``TBD``, ``C$4,000,000`` or a decimal
with more digits than a float holds, stays text, exactly as written, for validation to
report. Every other cell is kept as text, embedded newlines included.
"""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")

FORMULA_STARTS = ("=", "+", "-", "@")
"""A text cell starting with one of these would be read as a formula by a spreadsheet."""


def parse_number(text: str) -> int | float | str:
    """The number ``text`` writes, as int or float when that is exact, else the text itself."""
    if _INTEGER.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text):
        try:
            exact = Decimal(text)
            value = float(text)
        except (InvalidOperation, ValueError, OverflowError):
            return text
        if value == value and abs(value) != float("inf") and Decimal(repr(value)) == exact:
            return value
    return text


def from_text(text: str, numeric: bool) -> Any:
    """The JSON value of a non-empty text cell (CSV) in a field of the given kind."""
    return parse_number(text) if numeric else text


def from_xlsx(value: Any, numeric: bool) -> Any:
    """The JSON value of a non-empty XLSX cell in a field of the given kind.

    Text is treated as a CSV cell would be. A number in a text field (a year typed as
    2021) becomes its text; a date the spreadsheet recognised becomes ``YYYY-MM-DD``.
    """
    if isinstance(value, str):
        return from_text(value, numeric)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (int, float)):
        if numeric:
            return value
        return to_text(value)
    return str(value)


def to_text(value: Any) -> str:
    """A JSON value as cell text: numbers in their shortest exact form, others as JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)


def is_empty(value: Any) -> bool:
    """True for a cell that holds nothing (None or an empty string)."""
    return value is None or value == ""

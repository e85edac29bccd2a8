"""Turning spreadsheet cells into JSON values and back, without losing anything.

Numbers: a cell in a number field becomes an ``int`` when it is written as a whole number,
and a ``float`` only when that float is exactly the decimal written (checked with
:class:`~decimal.Decimal`); anything else, such as ``TBD``, ``C$4,000,000`` or a decimal
with more digits than a float holds, stays text, exactly as written, for validation to
report. Every other cell is kept as text, embedded newlines included.

Text in CSV output is protected from spreadsheets (see :func:`protect_csv_text`): text a
spreadsheet would run as a formula gets an apostrophe in front, and reading removes it
again, so the round trip is exact. Inside a :func:`raw_csv` block, CSV text is written and
read exactly as it is.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal, InvalidOperation
from typing import Any

_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these may be run as a formula by a spreadsheet (a tab or a
carriage return first is skipped by some, and what follows it run)."""
PROTECT = "'"
"""What protected CSV text starts with: the apostrophe spreadsheets take as "this cell is text"."""

_RAW_CSV: ContextVar[bool] = ContextVar("indigo_standard_raw_csv", default=False)


def needs_protection(text: str) -> bool:
    """True for text that a spreadsheet could run as a formula, once any apostrophes in front are
    set aside: it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, and is not
    a plain number (``-5`` and ``-2.5e3`` are numbers to a spreadsheet, never formulas)."""
    core = text.lstrip(PROTECT)
    return core.startswith(FORMULA_STARTS) and _DECIMAL.fullmatch(core) is None


def protect_csv_text(text: str) -> str:
    """``text`` as a CSV cell: with an apostrophe in front when :func:`needs_protection` says so.

    Text that already starts with apostrophes before a formula character gets one more, so
    that reading (:func:`unprotect_csv_text`) can always remove exactly one: the rule can be
    undone for every text, and the round trip is exact.
    """
    return PROTECT + text if needs_protection(text) else text


def unprotect_csv_text(text: str) -> str:
    """A CSV cell as the text it protects: the inverse of :func:`protect_csv_text`."""
    if text.startswith(PROTECT) and needs_protection(text):
        return text[1:]
    return text


def csv_is_raw() -> bool:
    """True inside a :func:`raw_csv` block: CSV text is written and read as it is, unprotected."""
    return _RAW_CSV.get()


@contextmanager
def raw_csv(raw: bool = True) -> Iterator[None]:
    """Write and read CSV text exactly as it is (no apostrophe before formula-like text) inside the block."""
    token = _RAW_CSV.set(raw)
    try:
        yield
    finally:
        _RAW_CSV.reset(token)


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

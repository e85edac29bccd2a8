"""Turning spreadsheet cells into JSON values and back, without losing anything.

Numbers: a cell in a number field becomes an ``int`` when it is written as a whole number,
a ``float`` when the float's shortest form is the text itself (``1.5``), and otherwise an
exact :class:`~decimal.Decimal` (``12345678901234567.891``, ``2.50``, ``0.00000001``), so
that writing the cell back gives the same text (for numbers written without an exponent).
Anything that is not a number, such as ``TBD`` or ``C$4,000,000``, stays text, exactly as
written, for validation to report. Every other cell is kept as text, embedded newlines
included.

Text in CSV output is protected from spreadsheets (see :func:`protect_csv_text`): text a
spreadsheet would run as a formula gets an apostrophe in front, and reading removes it
again, so the round trip is exact. Inside a :func:`raw_csv` block, CSV text is written and
read exactly as it is.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal, InvalidOperation
from typing import Any

from ..jsontext import dumps as exact_json
from ..jsontext import exact_number

_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")
_DECIMAL = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
"""A number as JSON writes one: no leading zeros (``007`` stays text), no bare point."""

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


def parse_number(text: str) -> int | float | Decimal | str:
    """The number ``text`` writes (int, float when that is exact, else Decimal), or the text itself."""
    if _INTEGER.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text):
        try:
            exact = Decimal(text)
        except InvalidOperation:
            return text
        return exact_number(text) if exact.is_finite() else text
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
    if isinstance(value, Decimal):
        # plain digits when the number was read from plain digits (its exponent is not positive)
        return format(value, "f") if value.as_tuple().exponent <= 0 else str(value)  # type: ignore[operator]
    return exact_json(value)


def is_empty(value: Any) -> bool:
    """True for a cell that holds nothing (None or an empty string)."""
    return value is None or value == ""

"""Reading the standard's partial dates (YYYY, YYYY-MM or YYYY-MM-DD), checking that they exist
on the calendar, and comparing them only as far as both are known."""

from __future__ import annotations

import calendar
import re
from functools import lru_cache
from typing import Any

_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")

PartialDate = tuple[int, ...]
"""A parsed partial date: (year,), (year, month) or (year, month, day)."""


def parse_partial_date(value: Any) -> PartialDate | None:
    """The parts of a partial date, or None when ``value`` is not one.

    A value written in the right form that names no real day, month or year
    (``2019-02-30``, ``2019-13``, ``2019-00``, ``0000``) is not a date either.
    """
    if not isinstance(value, str):
        return None
    parts = _parse(value)
    return parts if parts is not None and impossible(parts) is None else None


@lru_cache(maxsize=4096)
def _parse(value: str) -> PartialDate | None:
    match = _DATE.match(value.strip())
    if match is None:
        return None
    return tuple(int(part) for part in match.groups() if part is not None)


def impossible(parts: PartialDate) -> str | None:
    """Why a date written as YYYY, YYYY-MM or YYYY-MM-DD is not on the calendar, else None."""
    year = parts[0]
    if year == 0:
        return "there is no year 0000"
    if len(parts) < 2:
        return None
    month = parts[1]
    if not 1 <= month <= 12:
        return f"there is no month {month:02d}"
    if len(parts) < 3:
        return None
    day, days = parts[2], calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        name = calendar.month_name[month]
        return f"there is no day {day:02d}" if day == 0 else f"{name} {year} has {days} days"
    return None


def date_problem(value: Any) -> str | None:
    """Why ``value``, written exactly in the form YYYY, YYYY-MM or YYYY-MM-DD, names no real
    date; None for a real date and for anything else (other forms are the schema's to report)."""
    if not isinstance(value, str) or value != value.strip():
        return None
    parts = _parse(value)
    return impossible(parts) if parts is not None else None


def compare_partial_dates(first: Any, second: Any) -> int | None:
    """-1, 0 or 1 as ``first`` is before, indistinguishable from or after ``second``.

    Only the precision both dates share is compared: 2018 and 2018-12 compare as equal,
    because neither can be said to come first. None when either is not a partial date.
    """
    a, b = parse_partial_date(first), parse_partial_date(second)
    if a is None or b is None:
        return None
    shared = min(len(a), len(b))
    left, right = a[:shared], b[:shared]
    return (left > right) - (left < right)


def definitely_before(later: Any, earlier: Any) -> bool:
    """True only when ``later`` is certainly before ``earlier`` at the precision both share."""
    return compare_partial_dates(later, earlier) == -1

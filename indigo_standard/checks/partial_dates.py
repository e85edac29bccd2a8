"""Comparing the standard's partial dates (YYYY, YYYY-MM or YYYY-MM-DD) only as far as both are known."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")

PartialDate = tuple[int, ...]
"""A parsed partial date: (year,), (year, month) or (year, month, day)."""


def parse_partial_date(value: Any) -> PartialDate | None:
    """The parts of a partial date, or None when ``value`` is not one."""
    if not isinstance(value, str):
        return None
    return _parse(value)


@lru_cache(maxsize=4096)
def _parse(value: str) -> PartialDate | None:
    match = _DATE.match(value.strip())
    if match is None:
        return None
    return tuple(int(part) for part in match.groups() if part is not None)


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

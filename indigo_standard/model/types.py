"""Value types of the model: partial dates, checked country and currency codes, id lists."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from decimal import Decimal
from functools import total_ordering
from typing import Literal

import attrs

from ..data import country_codes as country_codes  # re-exported: the model's code lists
from ..data import currency_codes as currency_codes

Precision = Literal["year", "month", "day"]

_ISO = re.compile(r"^(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?\Z")
_RANK = {"year": 0, "month": 1, "day": 2}


@total_ordering
@attrs.frozen(order=False)
class PartialDate:
    """A date known to the year (``2020``), the month (``2020-06``) or the day (``2020-06-01``).

    Ordering puts each date at the first day of the period it names and, on a tie, the
    coarser date first: ``2020 < 2020-01 < 2020-01-01 < 2020-06-01 < 2021``. Equality
    needs the same precision: ``PartialDate(2020) != PartialDate(2020, 1, 1)``. Use
    :meth:`start`, :meth:`end` and :meth:`contains` to reason about the periods instead.

    Any text the schema's pattern allows is accepted and written back unchanged, even a
    month 13 (seen in real data); :attr:`is_calendar_date` tells, and :meth:`start` and
    :meth:`end` raise ValueError for such dates.
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("a partial date with a day needs a month")
        for part, top in ((self.year, 9999), (self.month, 99), (self.day, 99)):
            if part is not None and not 0 <= part <= top:
                raise ValueError(f"{part} does not fit a partial date (YYYY, YYYY-MM or YYYY-MM-DD)")

    @property
    def is_calendar_date(self) -> bool:
        """False for text the schema's pattern allows but no calendar has, such as ``2018-13``."""
        try:
            self.start()
            self.end()
        except ValueError:
            return False
        return True

    @classmethod
    def parse(cls, text: str, *, lenient: bool = False) -> PartialDate:
        """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; with ``lenient``, also text like "March 2019".

        Lenient parsing uses python-dateutil and keeps only the parts the text gives.
        """
        match = _ISO.match(text)
        if match:
            return cls(
                int(match["year"]),
                int(match["month"]) if match["month"] else None,
                int(match["day"]) if match["day"] else None,
            )
        if lenient:
            return _parse_lenient(text)
        raise ValueError(f"{text!r} is not a partial date (YYYY, YYYY-MM or YYYY-MM-DD)")

    @classmethod
    def from_date(cls, value: datetime.date) -> PartialDate:
        """The day-precision partial date of a :class:`datetime.date`."""
        return cls(value.year, value.month, value.day)

    @property
    def precision(self) -> Precision:
        """How much of the date is known: ``"year"``, ``"month"`` or ``"day"``."""
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def start(self) -> datetime.date:
        """The first day of the period this date names."""
        return datetime.date(self.year, self.month or 1, self.day or 1)

    def end(self) -> datetime.date:
        """The last day of the period this date names."""
        if self.day is not None and self.month is not None:
            return datetime.date(self.year, self.month, self.day)
        if self.month is None:
            return datetime.date(self.year, 12, 31)
        following = datetime.date(self.year + (self.month == 12), self.month % 12 + 1, 1)
        return following - datetime.timedelta(days=1)

    def contains(self, other: PartialDate | datetime.date) -> bool:
        """True when ``other`` lies entirely within the period this date names."""
        if isinstance(other, PartialDate):
            return self.start() <= other.start() and other.end() <= self.end()
        return self.start() <= other <= self.end()

    def _key(self) -> tuple[int, int, int, int]:
        return self.year, self.month or 1, self.day or 1, _RANK[self.precision]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() < other._key()

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text


def _parse_lenient(text: str) -> PartialDate:
    from dateutil import parser

    # Parse twice with different defaults: the parts that change were not in the text.
    try:
        first = parser.parse(text, default=datetime.datetime(2000, 1, 1))
        second = parser.parse(text, default=datetime.datetime(2004, 2, 2))
    except (ValueError, OverflowError):
        raise ValueError(f"{text!r} is not a date, even read leniently") from None
    if first.year != second.year:
        raise ValueError(f"{text!r} gives no year")
    if first.month != second.month:
        return PartialDate(first.year)
    if first.day != second.day:
        return PartialDate(first.year, first.month)
    return PartialDate(first.year, first.month, first.day)


class Country(str):
    """An ISO 3166-1 alpha-2 country code, checked against the bundled list (``GB``, ``AR``)."""

    __slots__ = ()

    def __new__(cls, code: str) -> Country:
        if not isinstance(code, str) or code not in country_codes():
            raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
        return super().__new__(cls, code)


class Currency(str):
    """An ISO 4217 currency code, checked against the bundled list (``GBP``, ``USD``)."""

    __slots__ = ()

    def __new__(cls, code: str) -> Currency:
        if not isinstance(code, str) or code not in currency_codes():
            raise ValueError(f"{code!r} is not an ISO 4217 currency code")
        return super().__new__(cls, code)


class FloatDecimal(Decimal):
    """A Decimal read from a JSON float (``1.5``, ``1e+21``): exactly the float's shortest form.

    It is a :class:`~decimal.Decimal` in every way (arithmetic gives plain Decimals); ``dump``
    writes it back as the float it came from, so that a float stays a float.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Decimal('{self}')"


class IdList(tuple[str, ...]):
    """A tuple of ids read from comma-separated text, remembering that text for writing back.

    It compares equal to the plain tuple of its ids. :func:`id_list_text` writes the
    original text when the ids are unchanged, else the ids joined by commas.
    """

    text: str

    def __new__(cls, ids: Iterable[str], text: str | None = None) -> IdList:
        self = super().__new__(cls, ids)
        self.text = ",".join(self) if text is None else text
        return self

    @classmethod
    def parse(cls, text: str) -> IdList:
        """Split comma-separated ids, trimming spaces and dropping empty entries."""
        return cls((part.strip() for part in text.split(",") if part.strip()), text)


def id_list_text(ids: tuple[str, ...]) -> str:
    """The comma-separated form of ``ids``: the original text when it still says the same."""
    if isinstance(ids, IdList) and IdList.parse(ids.text) == tuple(ids):
        return ids.text
    return ",".join(ids)

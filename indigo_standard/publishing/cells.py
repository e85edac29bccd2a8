"""Reading what publishers write in cells: amounts, dates and country names.

Each parser returns a :class:`Reading`: the value in the standard's form, or, when the
text cannot be read with certainty, None and the reason. Nothing is guessed.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

import attrs
from dateutil import parser as date_parser

from ..registry import codelist


@attrs.frozen
class Reading:
    """The result of reading a cell: a value, or the reason there is none."""

    value: Any = None
    problem: str | None = None
    currencies: tuple[str, ...] = ()
    """For amounts: the currencies the cell named (one code, or the candidates of a symbol)."""
    symbol: str | None = None
    """For amounts: the currency symbol or code as written in the cell."""


def _rows(package: str, name: str) -> list[dict[str, str]]:
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def currency_symbols() -> Mapping[str, tuple[str, ...]]:
    """Currency symbols (``£``, ``US$``, ``$``) and the codes each can stand for."""
    found: dict[str, tuple[str, ...]] = {}
    for row in _rows(__package__ or "indigo_standard.publishing", "currency_symbols.csv"):
        found[row["symbol"]] = (*found.get(row["symbol"], ()), row["code"])
    return found


@cache
def currency_codes() -> frozenset[str]:
    """ISO 4217 codes: the bundled list when there is one, plus those the symbols name."""
    codes = {code for codes in currency_symbols().values() for code in codes}
    with contextlib.suppress(ModuleNotFoundError, FileNotFoundError):
        codes |= {row["code"] for row in _rows("indigo_standard.data", "currencies.csv")}
    return frozenset(codes)


# ---------------------------------------------------------------- amounts

_SCALES: Mapping[str, int] = {
    "k": 10**3,
    "thousand": 10**3,
    "m": 10**6,
    "mn": 10**6,
    "mm": 10**6,
    "mil": 10**6,
    "million": 10**6,
    "millions": 10**6,
    "b": 10**9,
    "bn": 10**9,
    "billion": 10**9,
    "billions": 10**9,
}
_NUMBER = re.compile(
    r"^(?P<sign>-)?(?P<digits>[0-9]{1,3}(?:(?P<sep>[, ])[0-9]{3})(?:(?P=sep)[0-9]{3})*|[0-9]+)"
    r"(?P<fraction>\.[0-9]+)?$"
)


def _split_currency(text: str) -> tuple[str, str | None]:
    """The text without a leading or trailing currency code or symbol, and that code or symbol."""
    symbols = sorted(currency_symbols(), key=len, reverse=True)
    for symbol in symbols:
        if text.startswith(symbol) and (not symbol[-1].isalpha() or text[len(symbol) :][:1] in " 0123456789"):
            return text[len(symbol) :].strip(), symbol
    match = re.match(r"^([A-Za-z]{3})\s*(?=[0-9])", text) or re.search(
        r"(?<=[0-9a-zA-Z])\s*([A-Za-z]{3})$", text
    )
    if match and match.group(1).upper() in currency_codes():
        rest = text[: match.start()] + text[match.end() :]
        return rest.strip(), match.group(1).upper()
    for symbol in symbols:
        if not symbol[0].isalpha() and text.endswith(symbol):
            return text[: -len(symbol)].strip(), symbol
    return text, None


def read_amount(text: str) -> Reading:
    """Read an amount such as "250,000", "$250000", "250k", "GBP 1.2m" or "1.2 million"."""
    rest, currency = _split_currency(text.strip())
    scale = 1
    match = re.match(r"^(.*?[0-9.])\s*([A-Za-z]+)$", rest)
    if match and match.group(2).lower() in _SCALES:
        rest, scale = match.group(1).strip(), _SCALES[match.group(2).lower()]
    number = _NUMBER.match(rest)
    if not number:
        return Reading(problem="not an amount this tool can read")
    fraction = number.group("fraction") or ""
    if scale == 1 and not number.group("sep") and len(fraction) == 4 and number.group("digits") != "0":
        whole = number.group("digits")
        small = Decimal(whole + fraction).normalize()
        return Reading(
            problem=f"could be {small:f} or {whole}{fraction[1:]} (a dot between thousands); "
            "write amounts without thousands separators"
        )
    digits = number.group("digits").replace(",", "").replace(" ", "")
    try:
        amount = Decimal(f"{number.group('sign') or ''}{digits}{number.group('fraction') or ''}") * scale
    except InvalidOperation:
        return Reading(problem="not an amount this tool can read")
    value: int | float = int(amount) if amount == amount.to_integral_value() else float(amount)
    if currency is None:
        return Reading(value)
    codes = currency_symbols().get(currency, (currency,) if currency in currency_codes() else ())
    return Reading(value, currencies=codes, symbol=currency)


# ---------------------------------------------------------------- dates

_ISO_LIKE = re.compile(r"^([0-9]{4})[-/.]([0-9]{1,2})(?:[-/.]([0-9]{1,2}))?$")
_DAY_MONTH_YEAR = re.compile(r"^([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})$")
_MONTH_NAMES = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b", re.IGNORECASE
)
_DEFAULTS = (datetime.datetime(1904, 1, 1), datetime.datetime(1908, 2, 2))


def _date(year: int, month: int, day: int | None) -> str | None:
    try:
        datetime.date(year, month, day or 1)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")


def read_date(text: str, order: str | None = None) -> Reading:
    """Read a date as YYYY, YYYY-MM or YYYY-MM-DD.

    ``order`` is "dayfirst" or "monthfirst" for numeric dates such as 01/03/2019; without
    it such dates are not read. Dates with a month name are read by python-dateutil.
    """
    cleaned = " ".join(text.split())
    iso = _ISO_LIKE.match(cleaned)
    if iso:
        day = int(iso.group(3)) if iso.group(3) else None
        found = _date(int(iso.group(1)), int(iso.group(2)), day)
        return Reading(found) if found else Reading(problem="not a real date")
    numeric = _DAY_MONTH_YEAR.match(cleaned)
    if numeric:
        if order is None:
            return Reading(problem="day and month could be either way round; say --dayfirst or --monthfirst")
        first, second, year = int(numeric.group(1)), int(numeric.group(2)), int(numeric.group(3))
        day, month = (first, second) if order == "dayfirst" else (second, first)
        found = _date(year, month, day)
        return Reading(found) if found else Reading(problem=f"not a real date when read {order}")
    if not _MONTH_NAMES.search(cleaned) or not re.search(r"[0-9]{4}", cleaned):
        return Reading(problem="not a date this tool can read")
    try:
        early = date_parser.parse(cleaned, default=_DEFAULTS[0], dayfirst=order != "monthfirst")
        late = date_parser.parse(cleaned, default=_DEFAULTS[1], dayfirst=order != "monthfirst")
    except (ValueError, OverflowError):
        return Reading(problem="not a date this tool can read")
    if early.year != late.year or early.month != late.month or early.time() != datetime.time():
        return Reading(problem="not a date this tool can read")
    day = early.day if early.day == late.day else None
    return Reading(_date(early.year, early.month, day))


# ---------------------------------------------------------------- countries


def name_key(text: str) -> str:
    """A country name reduced for comparison: no accents, case, punctuation or leading "the"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c if c.isascii() else "" if unicodedata.combining(c) else " " for c in decomposed)
    words = re.sub(r"[^a-z0-9]+", " ", plain.casefold()).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


@cache
def country_names(version: str, name: str = "countries.csv") -> Mapping[str, str]:
    """Country names (codelist titles and common alternatives) keyed by :func:`name_key`."""
    found = {name_key(row["title"]): row["code"] for row in codelist(version, name)}
    for row in _rows(__package__ or "indigo_standard.publishing", "country_names.csv"):
        found.setdefault(name_key(row["name"]), row["code"])
    return found


def read_country(text: str, version: str, name: str = "countries.csv") -> Reading:
    """The ISO code for a country name; the codes themselves are matched by letter case elsewhere."""
    code = country_names(version, name).get(name_key(text))
    return Reading(code) if code else Reading(problem="not a country name this tool knows")

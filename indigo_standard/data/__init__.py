"""Bundled ISO code lists (countries, currencies), written by tools/build_iso_lists.py."""

from __future__ import annotations

import csv
from functools import cache
from importlib.resources import files


@cache
def _codes(name: str) -> frozenset[str]:
    text = files(__name__).joinpath(name).read_text(encoding="utf-8")
    return frozenset(row["code"] for row in csv.DictReader(text.splitlines()))


def country_codes() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 country codes bundled with the package."""
    return _codes("countries.csv")


def currency_codes() -> frozenset[str]:
    """The ISO 4217 currency codes bundled with the package."""
    return _codes("currencies.csv")

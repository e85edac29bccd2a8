"""Checks that currencies and countries are ISO codes where the schema accepts any text.

The standard asks for ISO 4217 currency codes (``GBP``) and ISO 3166-1 alpha-2 country
codes (``GB``), but its schemas let some fields hold any text, so ``Japanese Yen``,
``GBP `` (with a space) or ``United Kingdom`` pass them. The typed model cannot hold such
values as codes; these checks warn about them, so that ``validate`` reports every value
``load`` keeps as invalid. A field whose schema lists its codes (an enum) is left to the
schema, which reports it as ``schema.enum``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import Any

from ..data import country_codes, currency_codes
from ..fields import fields
from ..validation.schema_issues import show
from .context import Finding, RecordContext, RecordFunc

CODES: Mapping[str, str] = {"currency": "amount.currency-not-iso", "country": "country.not-iso"}
"""The issue code of each kind of code these checks look at."""

_LISTS: Mapping[str, Callable[[], frozenset[str]]] = {"currency": currency_codes, "country": country_codes}


def code_params(kind: str, value: Any) -> dict[str, Any]:
    """The message details of a value that is not an ISO code of ``kind`` (currency or country)."""
    hint = ""
    if isinstance(value, str):
        trimmed = value.strip().upper()
        if trimmed != value and trimmed in _LISTS[kind]():
            hint = f" (did you mean {trimmed}?)"
    return {"value": show(value), "hint": hint}


@cache
def currency_fields(version: str, entity: str) -> frozenset[str]:
    """Schema paths of the currency values that the schema does not limit to a list of codes."""
    return frozenset(
        f.path for f in fields(version, entity) if f.path.endswith("/currency/value") and not f.enum
    )


@cache
def country_fields(version: str, entity: str) -> frozenset[str]:
    """Schema paths of the country values (on the countries codelist) that the schema does not enumerate."""
    return frozenset(f.path for f in fields(version, entity) if f.codelist == "countries.csv" and not f.enum)


def _not_codes(ctx: RecordContext, kind: str, paths: frozenset[str]) -> Iterator[Finding]:
    if not paths:
        return
    codes = _LISTS[kind]()
    for node in ctx.selected(paths):
        if isinstance(node.value, str) and node.value not in codes:
            yield Finding(node.pointer, code_params(kind, node.value))


def currency_code(ctx: RecordContext) -> Iterator[Finding]:
    """Currencies are ISO 4217 codes."""
    yield from _not_codes(ctx, "currency", currency_fields(ctx.version, ctx.entity))


def country_code(ctx: RecordContext) -> Iterator[Finding]:
    """Countries on the countries codelist are ISO 3166-1 alpha-2 codes."""
    yield from _not_codes(ctx, "country", country_fields(ctx.version, ctx.entity))


CHECKS: Mapping[str, RecordFunc] = {CODES["currency"]: currency_code, CODES["country"]: country_code}

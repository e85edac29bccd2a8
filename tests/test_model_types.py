"""Converters: partial dates, exact decimals, checked codes and id lists."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from indigo_standard.model import Country, Currency, IdList, PartialDate, country_codes, currency_codes
from indigo_standard.model.convert import structure_decimal, unstructure_decimal
from indigo_standard.model.types import id_list_text


@pytest.mark.parametrize("text", ["2020", "2020-06", "2020-06-01", "0999-12-31"])
def test_partial_date_text_goes_in_and_out_unchanged(text: str) -> None:
    assert str(PartialDate.parse(text)) == text


def test_partial_date_precision_and_ordering() -> None:
    year, month = PartialDate.parse("2020"), PartialDate.parse("2020-06")
    day = PartialDate.parse("2020-06-01")
    assert (year.precision, month.precision, day.precision) == ("year", "month", "day")
    assert year < PartialDate(2020, 1) < PartialDate(2020, 1, 1) < day < PartialDate(2021)
    assert year < month < day and not day < year
    assert year != PartialDate(2020, 1, 1)
    eve = PartialDate(2019, 12, 31)
    assert sorted([day, eve, year, month]) == [eve, year, month, day]
    assert year.contains(day) and month.contains(datetime.date(2020, 6, 30)) and not day.contains(month)
    assert (month.start(), month.end()) == (datetime.date(2020, 6, 1), datetime.date(2020, 6, 30))
    assert PartialDate(2024, 2).end() == datetime.date(2024, 2, 29)


def test_partial_date_accepts_what_the_pattern_allows_but_says_so() -> None:
    odd = PartialDate.parse("2018-13")
    assert str(odd) == "2018-13" and not odd.is_calendar_date
    with pytest.raises(ValueError):
        odd.start()
    for bad in ("2018/01", "18", "March 2019", "2018-1"):
        with pytest.raises(ValueError):
            PartialDate.parse(bad)


def test_lenient_parsing_keeps_only_the_given_parts() -> None:
    assert PartialDate.parse("March 2019", lenient=True) == PartialDate(2019, 3)
    assert PartialDate.parse("5 March 2019", lenient=True) == PartialDate(2019, 3, 5)
    assert PartialDate.parse("2019", lenient=True) == PartialDate(2019)
    with pytest.raises(ValueError):
        PartialDate.parse("sometime soon", lenient=True)
    with pytest.raises(ValueError, match="no year"):
        PartialDate.parse("March", lenient=True)


def test_decimals_survive_exactly() -> None:
    assert structure_decimal(1234567.89) == Decimal("1234567.89")
    assert structure_decimal(Decimal("1234567.89")) == Decimal("1234567.89")
    assert structure_decimal(1e21) == Decimal("1E+21")
    assert structure_decimal(10**30) == Decimal(10**30)
    assert unstructure_decimal(Decimal("36")) == 36 and isinstance(unstructure_decimal(Decimal(36)), int)
    # a number read as a float goes back as that float; a Decimal stays a Decimal
    for number in (1234567.89, 1e21, 7.1867215151325416e16, 0.1):
        back = unstructure_decimal(structure_decimal(number))
        assert back == number and type(back) is float
    assert repr(structure_decimal(0.1)) == "Decimal('0.1')"
    for text in ("1234567.89", "1.50", "0.1000000000000000000001", "1E+2"):
        exact = Decimal(text)
        assert unstructure_decimal(exact) is exact
    assert type(unstructure_decimal(Decimal(2**64 + 1))) is int
    for bad in (True, "12", float("nan"), None):
        with pytest.raises((TypeError, ValueError)):
            structure_decimal(bad)


def test_codes_come_from_the_bundled_iso_lists() -> None:
    assert len(country_codes()) == 249 and {"GB", "AR", "US"} <= country_codes()
    assert {"GBP", "USD", "EUR", "ARS"} <= currency_codes()
    assert Country("GB") == "GB" and Currency("GBP") == "GBP"
    for bad in ("UK", "gb", "United Kingdom", ""):
        with pytest.raises(ValueError, match="ISO 3166-1"):
            Country(bad)
    with pytest.raises(ValueError, match="ISO 4217"):
        Currency("Russian Ruble")


def test_id_lists() -> None:
    ids = IdList.parse("source1, source2,,source3 ")
    assert ids == ("source1", "source2", "source3")
    assert id_list_text(ids) == "source1, source2,,source3 "
    assert id_list_text(("a", "b")) == "a,b"
    assert id_list_text(IdList(["x"], text="y")) == "x"

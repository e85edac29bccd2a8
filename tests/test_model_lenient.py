"""Lenient loading keeps any JSON exactly; construction in code is checked; countries and currencies."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import indigo_standard as indigo
from indigo_standard import strategies
from indigo_standard.checks import iso_codes
from indigo_standard.fields import Field
from indigo_standard.jsontext import loads as exact_loads
from indigo_standard.model import (
    Country,
    FieldError,
    Invalid,
    Jurisdiction,
    Money,
    Project,
    ProjectDates,
    ProjectDocument,
    Status,
    Value,
)
from indigo_standard.model.convert import Miss, issue_details

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),  # well beyond 2**53
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False).filter(lambda d: d.as_tuple().exponent != 0),
    st.sampled_from(["TBD", "$", "C$4,000,000", "current", "Japanese Yen", "GBP ", "UK", "public", ""]),
    st.text(max_size=5),
)
JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6,
)


def _places(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place inside a JSON value (object keys and list items)."""
    found = [path] if path else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _places(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _places(value, (*path, index))
    return found


def _replace(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(strategies.projects(), st.data())
def test_any_json_anywhere_loads_and_dumps_back_as_the_same_text(
    project: Project, data: st.DataObject
) -> None:
    """Replace values anywhere in a valid record by any JSON: the record still loads, every value
    that cannot be typed is Invalid with its problem listed, and the dump is the same JSON text."""
    record = indigo.dump(project)
    places = _places(record)
    for _ in range(data.draw(st.integers(1, 4))):
        _replace(record, data.draw(st.sampled_from(places)), data.draw(JSON))
        places = _places(record)
    text = indigo.dumps(record)
    loaded = indigo.load(exact_loads(text), entity="project", schema_version="4.1")
    assert indigo.dumps(loaded) == text
    loaded_as_floats = indigo.load(json.loads(text), entity="project", schema_version="4.1")
    assert json.dumps(indigo.dump(loaded_as_floats)) == json.dumps(json.loads(text))
    report = indigo.validate(json.loads(text), schema_version="4.1", entity="project")
    reported = {(issue.code, issue.path) for issue in report.issues}
    assert {(p.code, p.path) for p in loaded.problems} <= reported


def test_big_integers_and_decimals_not_exact_in_binary_keep_their_digits() -> None:
    text = (
        '{"id": "INDIGO-POJ-0001", "overall_project_finance": {"total_investment_commitment": '
        '{"amount": {"exact": {"value": 9007199254740993}, '
        '"max": {"value": 0.1000000000000000055511151231257827}},'
        ' "amount_usd": {"exact": {"value": 1.10}, "min": {"value": 0.1}}}}}'
    )
    record = indigo.load(text)
    assert isinstance(record, Project)
    assert indigo.dumps(record) == text
    amount = record.overall_project_finance.total_investment_commitment.amount  # type: ignore[union-attr]
    assert amount.exact.value == Decimal(2**53 + 1)  # type: ignore[union-attr]
    dumped = indigo.dump(record)["overall_project_finance"]["total_investment_commitment"]
    assert type(dumped["amount"]["exact"]["value"]) is int
    assert (
        type(dumped["amount"]["max"]["value"]) is Decimal
        and type(dumped["amount_usd"]["min"]["value"]) is float
    )
    assert json.dumps(indigo.dump(indigo.load(json.loads(text)))) == json.dumps(json.loads(text))


def test_structural_problems_are_kept_at_the_smallest_place() -> None:
    data = {
        "id": "INDIGO-POJ-0001",
        "name": "a bare string",
        "dates": [],
        "investments": [{"id": "i1"}, "not an object", None],
        "outcome_metrics": {"id": "m1"},
        "jurisdiction": {"jurisdiction": {"value": ["GB"]}},
    }
    project = indigo.load(data)
    assert isinstance(project, Project)
    assert project.name == Invalid("a bare string", project.problems[0])
    assert isinstance(project.dates, Invalid) and project.dates.raw == []
    assert isinstance(project.investments, list) and project.investments[0].id == "i1"  # type: ignore[union-attr]
    assert [type(item).__name__ for item in project.investments] == ["Investment", "Invalid", "Invalid"]
    assert [(p.code, p.path) for p in project.problems] == [
        ("schema.type", "/name"),
        ("schema.type", "/dates"),
        ("schema.type", "/investments/1"),
        ("schema.not-set", "/investments/2"),
        ("schema.type", "/outcome_metrics"),
        ("schema.type", "/jurisdiction/jurisdiction/value"),
    ]
    assert project.problems[0].message == 'expected an object, found text "a bare string"'
    assert json.dumps(indigo.dump(project)) == json.dumps(data)
    with pytest.raises(indigo.StructureError, match="6 problems"):
        indigo.load(data, strict=True)


def test_not_a_record_at_all_is_an_input_error() -> None:
    with pytest.raises(indigo.InputError, match="one record"):
        indigo.load("[1, 2]")
    with pytest.raises(indigo.InputError, match="record type"):
        indigo.load({"id": 5})


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Project(name="a string"), "Project.name: expected a Value wrapping text"),  # type: ignore[arg-type]
        (
            lambda: Jurisdiction(jurisdiction=Value("UK")),
            "Jurisdiction.jurisdiction.value: expected an ISO 3166-1",
        ),
        (
            lambda: ProjectDocument(status="public"),
            "ProjectDocument.status: expected one of PUBLIC, PRIVATE, DISPUTED",
        ),
        (lambda: Value("x", status="public"), "Value.status: expected one of PUBLIC, SANDBOX"),
        (lambda: Money(amount=Value("TBD")), "Money.amount.value: expected a finite number"),
        (lambda: Money(currency=Value("Japanese Yen")), "Money.currency.value: expected an ISO 4217"),
        (lambda: Project(investments=[Money()]), r"Project.investments\[0\]: expected Investment"),  # type: ignore[list-item]
        (lambda: Project(dates=Money()), "Project.dates: expected ProjectDates"),  # type: ignore[arg-type]
        (lambda: Value({"a": 1}), "Value.value: expected a single value"),
        (lambda: ProjectDates(outcomes_contract_signed=Value("March 2019")), "expected a PartialDate"),
    ],
)
def test_construction_in_code_refuses_a_wrong_type_naming_the_attribute(build: Any, message: str) -> None:
    with pytest.raises(FieldError, match=message) as caught:
        build()
    assert isinstance(caught.value, TypeError) and isinstance(caught.value, ValueError)
    assert isinstance(caught.value, indigo.IndigoError)


def test_construction_converts_where_that_is_unambiguous() -> None:
    where = Jurisdiction(jurisdiction=Value("GB"))
    assert type(where.jurisdiction.value) is Country  # type: ignore[union-attr]
    assert ProjectDocument(status="PUBLIC").status is Status.PUBLIC  # type: ignore[arg-type]
    money = Money(amount=Value(5), amount_usd=Value(0.1))
    assert money.amount.value == Decimal(5) and money.amount_usd.value == Decimal("0.1")  # type: ignore[union-attr]
    signed = ProjectDates(outcomes_contract_signed=Value(datetime.date(2020, 6, 1)), source_ids="s1, s2")  # type: ignore[arg-type]
    assert str(signed.outcomes_contract_signed.value) == "2020-06-01"  # type: ignore[union-attr]
    assert signed.source_ids == ("s1", "s2") and indigo.dump(signed)["source_ids"] == "s1, s2"
    assert indigo.dump(money) == {"amount": {"value": 5}, "amount_usd": {"value": 0.1}}


def test_assignment_is_checked_too() -> None:
    project = Project(id="INDIGO-POJ-0001")
    with pytest.raises(FieldError, match=r"Project\.name"):
        project.name = "x"  # type: ignore[assignment]
    project.name = Value("x")
    assert indigo.dump(project) == {"id": "INDIGO-POJ-0001", "name": {"value": "x"}}


def test_loading_skips_the_construction_checks_but_keeps_the_problems() -> None:
    project = indigo.load({"id": "INDIGO-POJ-0001", "jurisdiction": {"jurisdiction": {"value": "UK"}}})
    assert isinstance(project, Project) and isinstance(project.jurisdiction, Jurisdiction)
    invalid = project.jurisdiction.jurisdiction.value  # type: ignore[union-attr]
    assert isinstance(invalid, Invalid) and invalid.raw == "UK" and invalid.code == "schema.enum"
    assert project.problems == (invalid.issue,)


def test_a_currency_name_warns_in_validate_and_is_invalid_in_load() -> None:
    data = {
        "id": "INDIGO-POJ-0001",
        "overall_project_finance": {
            "total_investment_commitment": {
                "currency": {"value": "Japanese Yen"},
                "amount": {"exact": {"value": 5}},
            }
        },
    }
    report = indigo.validate(data, schema_version="4.1")
    warned = [issue for issue in report.issues if issue.code == "amount.currency-not-iso"]
    assert report.valid and [i.path for i in warned] == [
        "/overall_project_finance/total_investment_commitment/currency/value"
    ]
    project = indigo.load(data)
    assert project.problems == tuple(warned)


def test_a_country_that_the_schema_does_not_enumerate_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled schemas list every country code (so ``schema.enum`` reports ``UK``); where a
    schema does not (as the official 4.1 schema does not), country.not-iso warns instead."""
    data = {"id": "INDIGO-POJ-0001", "jurisdiction": {"jurisdiction": {"value": "United Kingdom"}}}
    only = ["country.not-iso"]
    assert indigo.validate(data, schema_version="4.1", only=only).issues == ()
    monkeypatch.setattr(
        iso_codes, "country_fields", lambda version, entity: frozenset({"/jurisdiction/jurisdiction/value"})
    )
    found = indigo.validate(data, schema_version="4.1", only=only).issues
    assert [(i.code, i.severity, i.path) for i in found] == [
        ("country.not-iso", "warning", "/jurisdiction/jurisdiction/value")
    ]
    assert found[0].message == '"United Kingdom" is not an ISO 3166-1 alpha-2 country code, such as GB or US'
    unenumerated = Field(
        "project", "/jurisdiction/jurisdiction/value", "string", "", "", codelist="countries.csv"
    )
    assert issue_details(Miss("country", "string"), "United Kingdom", unenumerated) == (
        "country.not-iso",
        {"value": '"United Kingdom"', "hint": ""},
    )
    assert issue_details(Miss("country", "string"), " gb", unenumerated)[1]["hint"] == " (did you mean GB?)"

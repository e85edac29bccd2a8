"""One focused test per check: a record that breaks it and a near-identical one that does not."""

from __future__ import annotations

import copy
from typing import Any

import pytest

import indigo_standard as indigo
from indigo_standard.checks import builtin_checks, compare_partial_dates, parse_partial_date
from indigo_standard.checks.registry import CheckError

V = {"value": None}


def val(value: Any) -> dict[str, Any]:
    return {"value": value}


def project(**fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"id": "INDIGO-POJ-0001", "name": val("A project")}
    record.update(fields)
    return record


def money(amount: Any = None, currency: str | None = "GBP", usd: Any = None) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if currency is not None:
        data["currency"] = val(currency)
    if amount is not None:
        data["amount"] = amount
    if usd is not None:
        data["amount_usd"] = usd
    return data


SOURCES = [{"id": "s1", "name": val("Contract")}]

# code -> (failing record, passing record, path of the issue, entity)
CASES: dict[str, tuple[Any, Any, str, str]] = {
    "reference.unknown-source": (
        project(stage_development={"value": "Complete", "source_ids": "s1,s9"}, sources=SOURCES),
        project(stage_development={"value": "Complete", "source_ids": "s1"}, sources=SOURCES),
        "/stage_development/source_ids",
        "project",
    ),
    "reference.unused-source": (
        project(stage_development={"value": "Complete"}, sources=SOURCES),
        project(stage_development={"value": "Complete", "source_ids": " s1 "}, sources=SOURCES),
        "/sources/0/id",
        "project",
    ),
    "reference.unknown-outcome-metric": (
        project(outcome_metrics=[{"id": "m1"}], results=[{"outcome_metric_id": val("m2")}]),
        project(outcome_metrics=[{"id": "m1"}], results=[{"outcome_metric_id": val("m1")}]),
        "/results/0/outcome_metric_id/value",
        "project",
    ),
    "reference.unknown-investment": (
        project(investments=[{"id": "i1"}], transactions=[{"investment_id": val("i2")}]),
        project(investments=[{"id": "i1"}], transactions=[{"investment_id": val("i1")}]),
        "/transactions/0/investment_id/value",
        "project",
    ),
    "reference.unknown-outcome-payment-plan": (
        project(
            outcome_payment_plans=[{"id": "p1"}], outcome_payments=[{"outcome_payment_plan_id": val("x")}]
        ),
        project(
            outcome_payment_plans=[{"id": "p1"}], outcome_payments=[{"outcome_payment_plan_id": val("p1")}]
        ),
        "/outcome_payments/0/outcome_payment_plan_id/value",
        "project",
    ),
    "reference.unknown-technical-assistance": (
        project(
            technical_assistances=[{"id": "t1"}],
            technical_assistance_details=[{"technical_assistance_id": val("t2")}],
        ),
        project(
            technical_assistances=[{"id": "t1"}],
            technical_assistance_details=[{"technical_assistance_id": val("t1")}],
        ),
        "/technical_assistance_details/0/technical_assistance_id/value",
        "project",
    ),
    "reference.unknown-service-provision": (
        project(
            service_provisions=[{"id": "sp1"}], delivery_locations=[{"service_provision_id": val("dl1")}]
        ),
        project(
            service_provisions=[{"id": "sp1"}], delivery_locations=[{"service_provision_id": val("sp1")}]
        ),
        "/delivery_locations/0/service_provision_id/value",
        "project",
    ),
    "record.duplicate-id": (
        project(investments=[{"id": "i1"}, {"id": "i2"}, {"id": "i1"}]),
        project(investments=[{"id": "i1"}, {"id": "i2"}, {"id": "i3"}]),
        "/investments/2/id",
        "project",
    ),
    "record.id-prefix": (
        {"id": "INDIGO-ORG-0001", "name": val("x")},
        {"id": "INDIGO-POJ-0001", "name": val("x")},
        "/id",
        "project",
    ),
    "date.impossible": (
        project(dates={"outcomes_contract_signed": val("2019-02-29")}),
        project(dates={"outcomes_contract_signed": val("2020-02-29")}),
        "/dates/outcomes_contract_signed/value",
        "project",
    ),
    "date.order": (
        project(
            dates={
                "outcomes_contract_signed": val("2019-05"),
                "start_date_of_service_provision": val("2019-04"),
                "actual_end_date_of_service_provision": val("2021"),
            }
        ),
        project(
            dates={
                "outcomes_contract_signed": val("2019-05"),
                "start_date_of_service_provision": val("2019"),
                "actual_end_date_of_service_provision": val("2021"),
            }
        ),
        "/dates/start_date_of_service_provision/value",
        "project",
    ),
    "date.period": (
        project(results=[{"period": {"start_date": val("2020-03-02"), "end_date": val("2020-03-01")}}]),
        project(results=[{"period": {"start_date": val("2020-03-02"), "end_date": val("2020-03")}}]),
        "/results/0/period/end_date/value",
        "project",
    ),
    "amount.range": (
        project(
            investments=[
                {
                    "id": "i1",
                    "investment_commitment": money({"min": val(10), "exact": val(5), "max": val(20)}),
                }
            ]
        ),
        project(
            investments=[
                {"id": "i1", "investment_commitment": money({"min": val(5), "exact": val(5), "max": val(20)})}
            ]
        ),
        "/investments/0/investment_commitment/amount/exact/value",
        "project",
    ),
    "amount.missing-currency": (
        project(
            overall_project_finance={"maximum_potential_outcome_payment_v2": money(val(100), currency=None)}
        ),
        project(overall_project_finance={"maximum_potential_outcome_payment_v2": money(val(100))}),
        "/overall_project_finance/maximum_potential_outcome_payment_v2/amount/value",
        "project",
    ),
    "amount.negative": (
        project(service_and_beneficiaries={"targeted_number_service_users_or_beneficiaries_total": val(-3)}),
        project(
            service_and_beneficiaries={"targeted_number_service_users_or_beneficiaries_total": val(0)},
            delivery_locations=[{"lat_lng": {"lat": val(-34.5), "lng": val(-58.4)}}],
        ),
        "/service_and_beneficiaries/targeted_number_service_users_or_beneficiaries_total/value",
        "project",
    ),
    "amount.usd-without-original": (
        project(overall_project_finance={"total_outcome_payments_made": money(usd=val(100))}),
        project(overall_project_finance={"total_outcome_payments_made": money(val(80), usd=val(100))}),
        "/overall_project_finance/total_outcome_payments_made/amount_usd",
        "project",
    ),
    "sdg.goal": (
        project(purpose_and_classifications={"primary_sdg_goal": val("18")}),
        project(
            purpose_and_classifications={"primary_sdg_goal": val("17"), "secondary_sdg_goals": val("4, 8")}
        ),
        "/purpose_and_classifications/primary_sdg_goal/value",
        "project",
    ),
    "sdg.target": (
        project(purpose_and_classifications={"primary_sdg_goal": val("8"), "primary_sdg_target": val("4.1")}),
        project(
            purpose_and_classifications={
                "primary_sdg_goal": val("4"),
                "primary_sdg_target": val("4.1"),
                "secondary_sdg_goals": val("8"),
                "secondary_sdg_targets": val("8.5, 4.a"),
            }
        ),
        "/purpose_and_classifications/primary_sdg_target/value",
        "project",
    ),
    "organisation.org-id": (
        {"id": "INDIGO-ORG-0001", "org-ids": {"primary": val("09506232")}},
        {
            "id": "INDIGO-ORG-0001",
            "org-ids": {
                "primary": val("GB-COH-09506232"),
                "secondary": [{"organisation_id": val("XI-IATI-ABC")}],
            },
        },
        "/org-ids/primary/value",
        "organisation",
    ),
    "finance.implausible-irr": (
        project(investment_details={"internal_rate_of_return": {"target": val("3.5")}}),
        project(
            investment_details={"internal_rate_of_return": {"target": val("0.035"), "latest": val("-12%")}}
        ),
        "/investment_details/internal_rate_of_return/target/value",
        "project",
    ),
    "amount.currency-not-iso": (
        project(overall_project_finance={"total_investment_commitment": money(val(5), currency="GBP ")}),
        project(overall_project_finance={"total_investment_commitment": money(val(5), currency="GBP")}),
        "/overall_project_finance/total_investment_commitment/currency/value",
        "project",
    ),
    "result.positive-exceeds-engaged": (
        project(
            results=[
                {"number_engaged_in_impact_bond": val(10), "number_with_positive_social_outcomes": val(11)}
            ]
        ),
        project(
            results=[
                {"number_engaged_in_impact_bond": val(10), "number_with_positive_social_outcomes": val(10)}
            ]
        ),
        "/results/0/number_with_positive_social_outcomes/value",
        "project",
    ),
}

SCHEMA_DEPENDENT = {"country.not-iso"}
"""Checks that no record can fail against the bundled 4.1 schemas: tested in test_iso_codes.py."""

RECORD_CODES = sorted(
    c.code for c in builtin_checks() if c.record is not None and c.code not in SCHEMA_DEPENDENT
)


def issues(data: Any, code: str, entity: str) -> list[indigo.Issue]:
    report = indigo.validate(copy.deepcopy(data), schema_version="4.1", entity=entity, only=[code])
    return list(report.issues)


def test_every_record_check_has_a_case() -> None:
    assert sorted(CASES) == RECORD_CODES


@pytest.mark.parametrize("code", RECORD_CODES)
def test_record_check_fails_then_passes(code: str) -> None:
    bad, good, path, entity = CASES[code]
    found = issues(bad, code, entity)
    assert [(i.code, i.path) for i in found] == [(code, path)], [i.message for i in found]
    assert found[0].message and "{" not in found[0].message
    assert issues(good, code, entity) == []


def test_messages_say_what_is_wrong() -> None:
    by_code = {code: issues(CASES[code][0], code, CASES[code][3])[0] for code in CASES}
    assert by_code["sdg.target"].message == "'4.1' belongs to goal 4, not to the primary goal (8)"
    assert (
        by_code["reference.unknown-source"].message == "source id 's9' names no item of this record's sources"
    )
    assert "Start date of service provision" in by_code["date.order"].message
    assert "(2019-04)" in by_code["date.order"].message and "(2019-05)" in by_code["date.order"].message
    assert by_code["amount.range"].message == "min (10) is greater than exact (5)"
    assert by_code["amount.currency-not-iso"].message == (
        '"GBP " is not an ISO 4217 currency code, such as GBP or USD (did you mean GBP?)'
    )
    assert by_code["amount.currency-not-iso"].severity == "warning"
    assert by_code["finance.implausible-irr"].message.startswith("an internal rate of return of 3.5 (350%)")
    assert by_code["date.order"].title == "Dates - Start date of service provision - (Value)"
    assert by_code["result.positive-exceeds-engaged"].severity == "error"
    assert by_code["reference.unused-source"].severity == "warning"


def test_date_order_compares_anticipated_and_actual_ends_separately() -> None:
    dates = {
        "start_date_of_service_provision": val("2020-06"),
        "anticipated_end_date_of_service_provision": val("2020-05"),
        "actual_end_date_of_service_provision": val("2021"),
    }
    found = issues(project(dates=dates), "date.order", "project")
    assert [i.path for i in found] == ["/dates/anticipated_end_date_of_service_provision/value"]


def test_fund_dates_are_in_order() -> None:
    fund = {
        "id": "INDIGO-FUND-0001",
        "dates": {"launch_date": val("2020"), "actual_end_date": val("2019-12")},
    }
    assert [i.path for i in issues(fund, "date.order", "fund")] == ["/dates/actual_end_date/value"]


def test_checks_survive_malformed_records() -> None:
    weird = project(
        sources="nope",
        dates=[1],
        results=[None, {"period": "x"}],
        investments={"id": 1},
        purpose_and_classifications={"primary_sdg_goal": val(None), "primary_sdg_target": val(41)},
    )
    report = indigo.validate(weird, schema_version="4.1", entity="project")
    assert not report.valid  # schema errors, and no crash in any check


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("2018", "2018-12", 0),
        ("2018-11", "2018-12-01", -1),
        ("2019", "2018-12-31", 1),
        ("2018-12-02", "2018-12-01", 1),
        ("2018-12", "2018-12", 0),
        ("March", "2018", None),
    ],
)
def test_partial_dates_compare_only_as_far_as_both_are_known(
    first: str, second: str, expected: int | None
) -> None:
    assert compare_partial_dates(first, second) == expected


def test_partial_date_parsing() -> None:
    assert parse_partial_date("2018-03-04") == (2018, 3, 4)
    assert parse_partial_date("2018") == (2018,)
    assert parse_partial_date("18-03") is None and parse_partial_date(2018) is None


def test_skip_and_only_select_checks() -> None:
    bad = CASES["record.duplicate-id"][0]
    everything = indigo.validate(bad, schema_version="4.1", entity="project")
    assert "record.duplicate-id" in everything.by_code
    skipped = indigo.validate(bad, schema_version="4.1", entity="project", skip=["record.duplicate-id"])
    assert "record.duplicate-id" not in skipped.by_code
    with pytest.raises(CheckError, match=r"--only no\.such: no such issue code"):
        indigo.validate(bad, schema_version="4.1", only=["no.such"])


def test_wrapped_payment_plan_ids_are_recognised() -> None:
    """In 4.x an outcome payment plan's id is a value wrapper, unlike other list ids."""
    plans = [{"id": val("plan1")}, {"id": val("plan1")}]
    good = project(
        outcome_payment_plans=plans[:1], outcome_payments=[{"outcome_payment_plan_id": val("plan1")}]
    )
    assert issues(good, "reference.unknown-outcome-payment-plan", "project") == []
    bad = project(
        outcome_payment_plans=plans[:1], outcome_payments=[{"outcome_payment_plan_id": val("plan2")}]
    )
    found = issues(bad, "reference.unknown-outcome-payment-plan", "project")
    assert [i.path for i in found] == ["/outcome_payments/0/outcome_payment_plan_id/value"]
    duplicated = issues(project(outcome_payment_plans=plans), "record.duplicate-id", "project")
    assert [i.path for i in duplicated] == ["/outcome_payment_plans/1/id"]


def test_sdg_goals_written_with_unusual_digits_are_reported_not_crashed_on() -> None:
    fund = {"id": "INDIGO-FUND-0001", "purpose_and_classifications": {"primary_sdg_goal": val("¹")}}
    found = issues(fund, "sdg.goal", "fund")
    assert [i.path for i in found] == ["/purpose_and_classifications/primary_sdg_goal/value"]

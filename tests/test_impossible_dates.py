"""Dates in the right form that are not on the calendar: reported, and left out of date comparisons."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, run_cli

import indigo_standard as indigo
from indigo_standard.checks import compare_partial_dates, parse_partial_date
from indigo_standard.flat.sources import read_flat


def issues(data: Any, *codes: str) -> list[tuple[str, str, str]]:
    report = indigo.validate(data, schema_version="4.1")
    return [(i.code, i.path, i.message) for i in report.issues if i.code in codes]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("2019-02-30", "February 2019 has 28 days"),
        ("2019-13-45", "there is no month 13"),
        ("2019-00", "there is no month 00"),
        ("2019-04-31", "April 2019 has 30 days"),
        ("2019-01-00", "there is no day 00"),
        ("2100-02-29", "February 2100 has 28 days"),
        ("0000", "there is no year 0000"),
    ],
)
def test_a_date_that_does_not_exist_is_an_error(value: str, problem: str) -> None:
    record = {"id": "INDIGO-POJ-9001", "dates": {"outcomes_contract_signed": {"value": value}}}
    assert issues(record, "date.impossible", "schema.partial-date") == [
        (
            "date.impossible",
            "/dates/outcomes_contract_signed/value",
            f"{value!r} is not a real date: {problem}",
        )
    ]
    assert parse_partial_date(value) is None


@pytest.mark.parametrize("value", ["2020-02-29", "2000-02-29", "2019-12-31", "2019-12", "2019", "0001"])
def test_real_dates_pass(value: str) -> None:
    record = {"id": "INDIGO-POJ-9001", "dates": {"outcomes_contract_signed": {"value": value}}}
    assert issues(record, "date.impossible", "schema.partial-date") == []
    assert parse_partial_date(value) is not None


def test_other_forms_are_left_to_the_schema() -> None:
    record = {"id": "INDIGO-POJ-9001", "dates": {"outcomes_contract_signed": {"value": " 2019-02-30"}}}
    found = issues(record, "date.impossible", "schema.partial-date")
    assert [code for code, _, _ in found] == ["schema.partial-date"]


def test_the_real_export_has_months_13_to_16() -> None:
    """INDIGO-POJ-0001's results count their periods' months on past December."""
    record = next(
        item.data
        for item in read_flat(FIXTURES / "golab-indigo-export", schema_version="4.1")
        if item.entity == "project" and item.data.get("id") == "INDIGO-POJ-0001"
    )
    found = issues(record, "date.impossible", "date.period")
    assert found == [
        (
            "date.impossible",
            f"/results/{n}/period/start_date/value",
            f"'2018-{12 + n}' is not a real date: there is no month {12 + n}",
        )
        for n in range(1, 5)
    ]


def test_date_order_leaves_an_impossible_date_out() -> None:
    """2019-13-45 is not read as later than 2019-06; the dates around it are still compared."""
    dates = {
        "outcomes_contract_signed": {"value": "2019-04"},
        "start_date_of_service_provision": {"value": "2019-13-45"},
        "anticipated_end_date_of_service_provision": {"value": "2019-06"},
    }
    record = {"id": "INDIGO-POJ-9001", "dates": dates}
    found = issues(record, "date.impossible", "date.order")
    assert [code for code, _, _ in found] == ["date.impossible"]
    dates["anticipated_end_date_of_service_provision"] = {"value": "2018-01"}
    found = issues(record, "date.order")
    assert found == [
        (
            "date.order",
            "/dates/anticipated_end_date_of_service_provision/value",
            "Dates - Anticipated end date of service provision (2018-01) is before "
            "Dates - Date outcomes contract signed (2019-04)",
        )
    ]
    assert compare_partial_dates("2019-13-45", "2019-06") is None


def test_date_period_skips_a_period_with_an_impossible_date() -> None:
    period = {"start_date": {"value": "2019-02-30"}, "end_date": {"value": "2019-02-01"}}
    record = {"id": "INDIGO-POJ-9001", "results": [{"id": "r1", "period": period}]}
    found = issues(record, "date.impossible", "date.period")
    assert [(code, path) for code, path, _ in found] == [
        ("date.impossible", "/results/0/period/start_date/value")
    ]


def test_cli_reports_the_impossible_date(tmp_path: Path) -> None:
    record = {"id": "INDIGO-FUND-9001", "dates": {"launch_date": {"value": "2019-02-30"}}}
    path = tmp_path / "fund.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    run = run_cli("validate", str(path), "--schema-version", "4.1", "--format", "json")
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)
    assert report["counts"]["by_code"] == {"date.impossible": 1}
    assert '"path": "/dates/launch_date/value"' in run.stdout
    assert "'2019-02-30' is not a real date: February 2019 has 28 days" in run.stdout

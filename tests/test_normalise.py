"""The normaliser: every mistake the issue lists is fixed or reported, never guessed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import indigo_standard as indigo
from indigo_standard.publishing.cells import read_amount, read_date

AMOUNT = "/overall_project_finance/maximum_potential_outcome_payment_v2"


def project(**parts: Any) -> dict[str, Any]:
    return {"id": "INDIGO-POJ-0001", **parts}


def run(data: Any, **options: Any) -> tuple[Any, indigo.NormaliseReport]:
    report = indigo.NormaliseReport()
    return indigo.normalise(data, report=report, **options), report


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("250,000", 250000),
        ("$250000", 250000),
        ("250k", 250000),
        ("GBP 1.2m", 1200000),
        ("1.2 million", 1200000),
        ("£1,500.50", 1500.5),
        ("2.5bn", 2500000000),
        ("250 000", 250000),
        ("36", 36),
    ],
)
def test_amounts(text: str, value: float) -> None:
    assert read_amount(text).value == value


@pytest.mark.parametrize("text", ["12,34", "about 3", "1.2.3", "lots", "CHF 290.000", "1.500"])
def test_amounts_not_read(text: str) -> None:
    assert read_amount(text).problem


def test_a_dot_before_three_digits_is_ambiguous_and_says_both_readings() -> None:
    assert read_amount("CHF 290.000").problem == (
        "could be 290 or 290000 (a dot between thousands); write amounts without thousands separators"
    )
    assert read_amount("0.125").value == 0.125
    assert read_amount("1.200m").value == 1200000


@pytest.mark.parametrize(
    ("text", "order", "value"),
    [
        ("March 2019", None, "2019-03"),
        ("2019-3-1", None, "2019-03-01"),
        ("1st March 2019", None, "2019-03-01"),
        ("01/03/2019", "dayfirst", "2019-03-01"),
        ("01/03/2019", "monthfirst", "2019-01-03"),
        ("2019/3", None, "2019-03"),
    ],
)
def test_dates(text: str, order: Any, value: str) -> None:
    assert read_date(text, order).value == value


@pytest.mark.parametrize(
    ("text", "order"),
    [
        ("01/03/2019", None),
        ("31/02/2019", "dayfirst"),
        ("March", None),
        ("Q1 2019", None),
        ("2019-13-01", None),
        ("2019-2020", None),
    ],
)
def test_dates_not_read(text: str, order: Any) -> None:
    assert read_date(text, order).problem


def test_record_changes_are_reported_and_input_untouched() -> None:
    data = project(
        status="public",
        stage_development={"value": "  service  delivery COMPLETE "},
        dates={
            "outcomes_contract_signed": {"value": "March 2019"},
            "actual_completion_date": {"value": "soon"},
        },
        jurisdiction={"jurisdiction": {"value": "United Kingdom"}},
        delivery_locations=[
            {"location_country": {"value": "gb"}},
            {"location_country": {"value": "Atlantis"}},
        ],
        overall_project_finance={"maximum_potential_outcome_payment_v2": {"amount": {"value": "GBP 1.2m"}}},
        outcome_pricings=[
            {"currency": {"value": "£"}, "price_per_unit": {"amount": {"value": "1.2 million"}}}
        ],
    )
    before = json.dumps(data)
    out, report = run(data)
    assert json.dumps(data) == before
    assert out["status"] == "PUBLIC"
    assert out["stage_development"]["value"] == "Service delivery complete"
    assert out["dates"]["outcomes_contract_signed"]["value"] == "2019-03"
    assert out["dates"]["actual_completion_date"]["value"] == "soon"
    assert out["jurisdiction"]["jurisdiction"]["value"] == "GB"
    assert [d["location_country"]["value"] for d in out["delivery_locations"]] == ["GB", "Atlantis"]
    assert out["overall_project_finance"]["maximum_potential_outcome_payment_v2"] == {
        "amount": {"value": 1200000},
        "currency": {"value": "GBP"},
    }
    assert out["outcome_pricings"][0] == {
        "currency": {"value": "GBP"},
        "price_per_unit": {"amount": {"value": 1200000}},
    }
    left = {c.path: c for c in report.left}
    assert set(left) == {
        "/dates/actual_completion_date/value",
        "/delivery_locations/1/location_country/value",
    }
    fixed = {c.path: (c.before, c.after) for c in report.fixed}
    assert fixed[f"{AMOUNT}/currency/value"] == (None, "GBP")
    assert fixed["/jurisdiction/jurisdiction/value"] == ("United Kingdom", "GB")
    assert all(c.record == "INDIGO-POJ-0001" for c in report.changes)


@pytest.mark.parametrize("status", ["PUBLIC", "PRIVATE", " public "])
def test_a_currency_read_from_an_amount_has_the_amount_status_so_publish_keeps_them_together(
    status: str, tmp_path: Path
) -> None:
    data = project(
        status="PUBLIC",
        name={"value": "P"},
        overall_project_finance={
            "maximum_potential_outcome_payment_v2": {"amount": {"value": "GBP 1.2m", "status": status}}
        },
    )
    out, report = run(data)
    code = status.strip().upper()  # normalise also puts a status in its codelist's spelling
    assert out["overall_project_finance"]["maximum_potential_outcome_payment_v2"] == {
        "amount": {"value": 1200000, "status": code},
        "currency": {"value": "GBP", "status": code},
    }
    fixed = {c.path: (c.before, c.after) for c in report.fixed}
    assert fixed[f"{AMOUNT}/currency/status"] == (None, code)
    public = indigo.publish(out)
    assert public is not None
    shown = {"amount": {"value": 1200000}, "currency": {"value": "GBP"}}
    expected = {"maximum_potential_outcome_payment_v2": shown} if status != "PRIVATE" else None
    assert public.get("overall_project_finance") == expected
    # the same through the command line: normalise, then publish
    source, normalised, published = tmp_path / "in.json", tmp_path / "norm.json", tmp_path / "public.json"
    source.write_text(json.dumps([data]), encoding="utf-8")
    for args in (
        ["normalise", str(source), "-o", str(normalised)],
        ["publish", str(normalised), "-o", str(published)],
    ):
        command = [sys.executable, "-m", "indigo_standard", *args]
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
        assert done.returncode == 0, done.stderr
    assert json.loads(published.read_text(encoding="utf-8"))[0].get("overall_project_finance") == expected


def test_a_currency_that_has_a_status_keeps_it() -> None:
    data = project(
        overall_project_finance={
            "maximum_potential_outcome_payment_v2": {
                "currency": {"status": "PRIVATE"},
                "amount": {"value": "GBP 1.2m", "status": "PUBLIC"},
            }
        }
    )
    out, _ = run(data)
    assert out["overall_project_finance"]["maximum_potential_outcome_payment_v2"]["currency"] == {
        "status": "PRIVATE",
        "value": "GBP",
    }


def test_currency_conflicts_and_ambiguous_symbols() -> None:
    conflict = project(
        overall_project_finance={
            "maximum_potential_outcome_payment_v2": {
                "currency": {"value": "EUR"},
                "amount": {"value": "£250,000"},
            }
        }
    )
    out, report = run(conflict)
    assert out == conflict and "currency is EUR" in (report.left[0].problem or "")
    dollars = project(
        overall_project_finance={"maximum_potential_outcome_payment_v2": {"amount": {"value": "$250000"}}}
    )
    out, report = run(dollars)
    assert out["overall_project_finance"]["maximum_potential_outcome_payment_v2"] == {
        "amount": {"value": 250000}
    }
    assert [c.path for c in report.left] == [f"{AMOUNT}/currency/value"]
    same = project(
        overall_project_finance={
            "maximum_potential_outcome_payment_v2": {
                "currency": {"value": "USD"},
                "amount": {"value": "$250000"},
            }
        }
    )
    _, report = run(same)
    assert not report.left


def test_dates_need_an_order() -> None:
    data = project(dates={"outcomes_contract_signed": {"value": "01/03/2019"}})
    out, report = run(data)
    assert out == data and "--dayfirst" in (report.left[0].problem or "")
    out, _ = run(data, order="monthfirst")
    assert out["dates"]["outcomes_contract_signed"]["value"] == "2019-01-03"


def test_command(tmp_path: Path) -> None:
    data = {
        "schema_version": "4.1",
        "projects": [
            project(
                jurisdiction={"jurisdiction": {"value": "France"}},
                dates={"outcomes_contract_signed": {"value": "2/3/2019"}},
            )
        ],
    }
    (tmp_path / "in.json").write_text(json.dumps(data))
    args = [sys.executable, "-m", "indigo_standard", "normalise", "in.json", "-o", "out.json"]
    done = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "left 1 for you to check" in done.stdout
    done = subprocess.run(
        [*args, "--dayfirst", "--format", "json"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["fixed"] == 2
    out = json.loads((tmp_path / "out.json").read_text())
    assert out["projects"][0]["dates"]["outcomes_contract_signed"]["value"] == "2019-03-02"
    assert out["projects"][0]["jurisdiction"]["jurisdiction"]["value"] == "FR"

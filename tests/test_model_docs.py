"""Every Python block of docs/model.md runs, in order, from the repository root; its figures are right."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import warnings
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from conftest import FIXTURES, ROOT

import indigo_standard as indigo

BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


@pytest.fixture(scope="module")
def guide() -> tuple[dict[str, Any], str]:
    """The namespace the guide's blocks leave behind, and what they print."""
    text = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    blocks = BLOCK.findall(text)
    assert len(blocks) >= 8
    namespace: dict[str, Any] = {}
    output = io.StringIO()
    before = os.getcwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(output), warnings.catch_warnings():
            warnings.simplefilter("ignore", indigo.InputWarning)
            for number, block in enumerate(blocks, 1):
                exec(compile(block, f"docs/model.md block {number}", "exec"), namespace)
    finally:
        os.chdir(before)
    return namespace, output.getvalue()


def test_model_guide_code_runs(guide: tuple[dict[str, Any], str]) -> None:
    printed = guide[1]
    assert "2018 year" in printed and "Decimal('1245496.654657746')" in printed
    assert "('source2', 'source4')" in printed and "{'x-reviewed': True}" in printed
    assert "2020-06-30" in printed and "2019-03" in printed
    assert "12345678901234567.891" in printed and "9007199254740993" in printed
    assert "Project.name: expected a Value wrapping text" in printed
    assert "expected an ISO 3166-1 alpha-2 country code, such as GB, got the text 'UK'" in printed
    assert "Invalid('a bare string': expected an object" in printed and "TBD schema.type" in printed
    assert "cannot load Project INDIGO-POJ-0997: 3 problems:" in printed
    assert "2232 {'GB': '3,957,287.40', 'KH': '3,125,000.00'} {}" in printed


def _usd_by_country_from_the_csv() -> tuple[dict[str, Decimal], int]:
    """The same totals, read straight from the export's CSV files without the library."""
    with (FIXTURES / "golab-indigo-export" / "projects_delivery_locations.csv").open(
        encoding="utf-8"
    ) as handle:
        first: dict[str, str] = {}
        for row in csv.DictReader(handle):
            first.setdefault(row["Project ID"], row["Location - Country - (Value)"] or "unknown")
    totals: dict[str, Decimal] = defaultdict(Decimal)
    count = 0
    with (FIXTURES / "golab-indigo-export" / "projects_outcome_payments.csv").open(
        encoding="utf-8"
    ) as handle:
        for row in csv.DictReader(handle):
            count += 1
            if row["Payments - Amount USD - (Value)"]:
                totals[first.get(row["Project ID"], "unknown")] += Decimal(
                    row["Payments - Amount USD - (Value)"]
                )
    return totals, count


def test_the_per_country_total_counts_every_payment(guide: tuple[dict[str, Any], str]) -> None:
    namespace = guide[0]
    expected, rows = _usd_by_country_from_the_csv()
    assert rows == 2232 and namespace["count"] == rows
    assert dict(namespace["totals"]) == dict(expected) and sum(expected.values()) > 0


def test_the_per_country_total_shows_invalid_amounts(guide: tuple[dict[str, Any], str]) -> None:
    payments_by_country = guide[0]["payments_by_country"]
    project = {
        "id": "INDIGO-POJ-0990",
        "delivery_locations": [{"location_country": {"value": "KE"}}],
        "outcome_payments": [
            {"money": {"currency": {"value": "KES"}, "amount": {"value": 10}, "amount_usd": {"value": "$"}}},
            {"money": {"amount_usd": {"value": 2.5}}},
            "a payment that is not an object",
            {"money": {"amount_usd": {"value": 1}}},
        ],
    }
    totals, invalid, count = payments_by_country([indigo.load(project)])
    assert count == 4 and totals == {"KE": Decimal("3.5")}
    assert [value.raw for value in invalid["KE"]] == ["$", "a payment that is not an object"]

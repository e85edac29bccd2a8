"""The checks on generated records (no errors) and on the real GO Lab export (a reviewed snapshot)."""

from __future__ import annotations

import json
from typing import Any

from conftest import FIXTURES
from hypothesis import HealthCheck, Phase, given, settings

import indigo_standard as indigo
from indigo_standard import strategies
from indigo_standard.checks import builtin_checks

CHECK_CODES = [check.code for check in builtin_checks() if check.record is not None]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # a failure is shown as found: shrinking is slow
)
@given(record=strategies.records())
def test_generated_records_pass_every_record_check(record: Any) -> None:
    data = json.loads(indigo.dumps(record))
    report = indigo.validate(data, schema_version="4.1", only=CHECK_CODES)
    assert [i for i in report.issues if i.severity == "error"] == [], [i.message for i in report.issues]


def test_check_counts_on_the_golab_export_match_the_reviewed_snapshot() -> None:
    """Counts reviewed by hand on 2025-05-20 data; a change here needs a new review."""
    snapshot = json.loads((FIXTURES / "golab-check-counts.json").read_text(encoding="utf-8"))
    report = indigo.validate(FIXTURES / "golab-indigo-export")
    codes = {check.code for check in builtin_checks()}
    assert report.records == snapshot["records"]
    assert {c: n for c, n in sorted(report.by_code.items()) if c in codes} == snapshot["check_counts"]

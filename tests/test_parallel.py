"""``validate --jobs N`` gives the report one process gives, byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import EXAMPLES, FIXTURES, run_cli

from indigo_standard.report.json_writer import render_json
from indigo_standard.validation.parallel import validate_parallel
from indigo_standard.validation.validate import validate_paths

EXPORT = FIXTURES / "golab-indigo-export"


@pytest.mark.parametrize("extra", [[], ["--max-issues", "150"]])
def test_jobs_2_report_is_identical_on_the_real_csv_export(extra: list[str]) -> None:
    one = run_cli("validate", "--format", "json", *extra, str(EXPORT))
    two = run_cli("validate", "--jobs", "2", "--format", "json", *extra, str(EXPORT))
    assert one.returncode == two.returncode == 1, two.stderr
    assert two.stdout == one.stdout
    report = json.loads(two.stdout)
    assert report["records"] == 2021
    # dataset checks saw every record, and name the CSV cell of what they report
    if not extra:
        codes = {group["code"] for group in report["issues"]}
        assert any(code.startswith("dataset.") for code in codes)


def test_jobs_text_report_is_identical(tmp_path: Path) -> None:
    records = []
    for name in ("project", "organisation", "fund", "pipeline"):
        records.append(json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8")))
    broken = dict(records[0], id="INDIGO-POJ-9999", name={"value": 5})
    path = tmp_path / "list.json"
    path.write_text(json.dumps([*records, broken] * 30), encoding="utf-8")
    one = run_cli("validate", str(path), str(EXAMPLES))
    two = run_cli("validate", "--jobs", "3", str(path), str(EXAMPLES))
    assert one.returncode == two.returncode == 1
    assert two.stdout == one.stdout


@pytest.mark.parametrize("batch", [5, 1000])
def test_small_batches_keep_the_order_of_every_issue(batch: int) -> None:
    inputs = [EXAMPLES, EXPORT / ".." / "golab-indigo-export"]
    expected = validate_paths(inputs, max_issues=500)
    found = validate_parallel(inputs, 2, batch=batch, max_issues=500)
    assert found == expected
    assert render_json(found) == render_json(expected)


def test_jobs_must_be_a_positive_whole_number() -> None:
    result = run_cli("validate", "--jobs", "0", str(EXAMPLES))
    assert result.returncode == 2 and "expected a whole number of at least 1" in result.stderr


def test_a_broken_file_gives_the_same_one_line_error_with_jobs(tmp_path: Path) -> None:
    record = json.loads((EXAMPLES / "organisation.json").read_text(encoding="utf-8"))
    text = json.dumps([dict(record, id=f"INDIGO-ORG-{n:04}") for n in range(700)])
    broken = tmp_path / "broken.json"
    broken.write_text(text[: len(text) * 3 // 4], encoding="utf-8")  # cut off in the middle of a record
    one = run_cli("validate", str(broken))
    two = run_cli("validate", "--jobs", "2", str(broken))
    assert one.returncode == two.returncode == 2
    assert two.stderr == one.stderr and len(two.stderr.strip().splitlines()) == 1
    assert "Traceback" not in two.stderr and two.stdout == one.stdout == ""


def test_a_worker_that_dies_is_reported_not_waited_for() -> None:
    import os

    from indigo_standard.catalogue import CodeInfo
    from indigo_standard.checks import Check
    from indigo_standard.errors import IndigoError

    def dies(ctx: object) -> list[object]:
        os._exit(7)

    info = CodeInfo(code="test.dies", severity="error", title="Dies", description="Stops the process.",
                    message="never", applies_to={"types": ["project"]}, scope="record")
    with pytest.raises(IndigoError, match=r"stopped unexpectedly \(exit code 7\)"):
        validate_parallel([EXAMPLES], 2, checks=[Check(info=info, record=dies)])

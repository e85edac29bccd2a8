"""``validate --jobs N`` gives the report one process gives, byte for byte."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from indigo_standard.validation.parallel import validate_parallel
from indigo_standard.validation.validate import validate_paths

ROOT = Path(__file__).resolve().parent.parent
EXPORT = ROOT / "tests" / "fixtures" / "golab-indigo-export"
EXAMPLES = ROOT / "examples"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "indigo_standard", *args], capture_output=True, text=True)


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
    assert found.to_json() == expected.to_json()


def test_jobs_must_be_a_positive_whole_number() -> None:
    result = run_cli("validate", "--jobs", "0", str(EXAMPLES))
    assert result.returncode == 2 and "expected a whole number of at least 1" in result.stderr

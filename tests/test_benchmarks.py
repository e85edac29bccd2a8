"""The benchmark harness runs end to end and prints every figure and ratio (a smoke run)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.benchmark_smoke
def test_benchmark_harness_runs_at_scale_1(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--scale",
            "1",
            "--rounds",
            "2",
            "--sample",
            "20",
            "--work",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for label in (
        "json.loads (floor)",
        "typed load, a user's loop",
        "typed dump, every record",
        "flat CSV read",
        "flat CSV write",
        "json.load process (floor)",
        "validate JSON list",
        "validate CSV folder",
        "validate XLSX workbook",
        "jsonschema, record by record",
        "convert CSV folder to JSON Lines",
    ):
        line = next(line for line in out.splitlines() if line.startswith(label))
        assert re.search(r"\d+\.\d{3}\s+\d+\.\d{2}", line), line
    for target, wanted in (
        ("validate (every check) / json.load process", "≤ 2.5"),
        ("jsonschema record by record / validate", "≥ 6.5"),
        ("validate CSV folder / JSON list", "≤ 1.3"),
        ("validate XLSX / CSV folder", "≤ 2"),
        ("typed load (a user's loop) / json.loads", "≤ 5"),
    ):
        found = re.search(
            re.escape(target)
            + r"\s+(\d+\.\d{2})\s+\((\d+\.\d{2})-(\d+\.\d{2})\)\s+target "
            + re.escape(wanted)
            + r"\s+(met|NOT MET)",
            out,
        )
        assert found, target
        middle, low, high = (float(found.group(i)) for i in (1, 2, 3))
        assert low <= middle <= high
    assert out.count("round ") >= 2  # the rounds ran, each reporting the load
    # each whole process has its own peak RSS (not the harness's, which a child inherits)
    peaks = {int(m) for m in re.findall(r"^(?:validate|convert|json\.load)[^\n]*\s(\d+)$", out, re.MULTILINE)}
    assert len(peaks) > 1 and min(peaks) > 5, out
    # the corpus is real: unique ids in every form
    assert (tmp_path / "x1" / "corpus.jsonl").stat().st_size > 10_000


@pytest.mark.benchmark_smoke
def test_the_profile_names_every_part(tmp_path: Path) -> None:
    sample = tmp_path / "sample.json"
    sample.write_text((ROOT / "examples" / "package.json").read_text(encoding="utf-8"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "parts.py"), str(sample)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    for part in (
        "start-up and imports",
        "streaming parse",
        "schema: valid?",
        "guided prefetch walk",
        "record checks",
        "dataset index and checks",
        "issue store and spool",
        "report",
        "total",
    ):
        assert re.search(r"^" + re.escape(part) + r".*\d+\.\d{2}", result.stdout, re.MULTILINE), part

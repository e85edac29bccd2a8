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
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--scale", "1", "--repeat", "1",
         "--sample", "20", "--work", str(tmp_path)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for label in ("json.loads (floor)", "typed load, every record", "typed dump, every record",
                  "flat CSV read", "flat CSV write", "json.load process (floor)", "validate JSON list",
                  "validate CSV folder", "jsonschema, record by record", "convert CSV folder to JSON Lines"):
        line = next(line for line in out.splitlines() if line.startswith(label))
        assert re.search(r"\d+\.\d{3}\s+\d+\.\d{2}", line), line
    for target in ("validate / json.load process", "jsonschema alternative / validate",
                   "typed load / json.loads", "speed-up of --jobs 2"):
        assert re.search(re.escape(target) + r"\s+\d+\.\d{2}", out), target
    # each whole process has its own peak RSS (not the harness's, which a child inherits)
    peaks = {int(m) for m in re.findall(r"^(?:validate|convert|json\.load)[^\n]*\s(\d+)$", out, re.MULTILINE)}
    assert len(peaks) > 1 and min(peaks) > 5, out
    # the corpus is real: unique ids in every form
    assert (tmp_path / "x1" / "corpus.jsonl").stat().st_size > 10_000

"""Shared test helpers: paths and a runner for the real command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "examples"
REAL_COUNTS = json.loads((FIXTURES / "real-data-issues.json").read_text(encoding="utf-8"))
"""The reviewed snapshot of what validate reports on the real export: records, errors,
warnings and issues by code (checked against a fresh run by test_flat_corpus)."""
REAL_ERRORS, REAL_WARNINGS = REAL_COUNTS["errors"], REAL_COUNTS["warnings"]


def run_cli(
    *args: str, cwd: Path | None = None, timeout: float = 300, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m indigo_standard ARGS`` in a real subprocess and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "indigo_standard", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        env=env,
        check=False,
    )


@pytest.fixture
def cli() -> object:
    """The CLI runner, as a fixture."""
    return run_cli

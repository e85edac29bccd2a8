"""The typed usage file passes mypy --strict, and its type: ignore comments are all needed."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_typed_usage_passes_mypy_strict() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--warn-unused-ignores",
            "--no-incremental",
            str(ROOT / "tests" / "typed_usage.py"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success" in result.stdout

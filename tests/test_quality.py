"""The package stays typed and lint-clean: mypy --strict and ruff, as CI runs them."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_mypy_strict_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "indigo_standard"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "indigo_standard", "tests", "tools"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_ruff_format_is_clean() -> None:
    """The whole tree is as ``ruff format`` writes it."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "."],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_issue_code_docs_are_current() -> None:
    from indigo_standard.catalogue import render_docs

    assert (ROOT / "docs" / "issue-codes.md").read_text(encoding="utf-8") == render_docs()

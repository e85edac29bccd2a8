"""The package stays typed and lint-clean: mypy --strict and ruff, as CI runs them."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_mypy_strict_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "indigo_standard"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "indigo_standard", "tests", "tools"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_issue_code_docs_are_current() -> None:
    from indigo_standard.catalogue import render_docs

    assert (ROOT / "docs" / "issue-codes.md").read_text(encoding="utf-8") == render_docs()


EAGER = frozenset({"any", "all", "sum", "min", "max", "next", "sorted", "tuple", "list", "set", "frozenset",
                   "dict", "join", "fromkeys"})
"""Calls that read a whole generator at once anyway (or stop early): a list in its place changes nothing."""


def test_compiled_modules_pass_no_generator_expression_to_a_lazy_call() -> None:
    """mypyc compiles a generator expression passed to a call as a list, all of it in memory: where
    a stream matters (the issues of a report), the compiled modules use generator functions."""
    import ast

    sys.path.insert(0, str(ROOT / "build_support"))
    import compiled

    found = []
    for module in compiled.MODULES:
        tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            lazy = [arg for arg in node.args if isinstance(arg, ast.GeneratorExp)]
            if lazy and name not in EAGER:
                found.append(f"{module}:{node.lineno} {name}(...)")
    assert compiled.MODULES and found == []

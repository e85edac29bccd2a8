"""The README's promises: its Python block runs, and CI runs exactly its test command."""

from __future__ import annotations

import os
import re

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_python_block_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README, re.S)
    assert blocks
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        for block in blocks:
            exec(compile(block, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)


def test_ci_runs_the_readme_test_command() -> None:
    commands = re.findall(r"```sh\n(.*?)\n```", README, re.S)
    test_command = next(c for c in commands if "pytest" in c)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci
    # and a plain (not editable) install whose command line runs from the repository root
    plain = [line for line in ci.splitlines() if 'pip" install' in line and " -e " not in line]
    assert plain, ci
    assert "-m indigo_standard validate examples/" in ci
    run_command = next(c for c in commands if "validate examples/" in c)
    assert "pip install" in run_command

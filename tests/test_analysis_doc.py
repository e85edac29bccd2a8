"""docs/analysis.md: each worked example runs on the real export and prints what the page shows."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT
from test_publishing_guide import check_lines

GUIDE = ROOT / "docs" / "analysis.md"
BLOCK = re.compile(r"```(sh|python|text)\n(.*?)```", re.DOTALL)


def examples() -> list[tuple[str, str, list[str]]]:
    """(kind, code, expected output lines) for each sh or python block followed by a text block."""
    found: list[tuple[str, str, list[str]]] = []
    pending: tuple[str, str] | None = None
    for kind, body in BLOCK.findall(GUIDE.read_text(encoding="utf-8")):
        if kind == "text" and pending is not None:
            found.append((*pending, body.rstrip("\n").splitlines()))
            pending = None
        elif kind != "text":
            pending = (kind, body)
    return found


def _sqlite3_shell(words: list[str], cwd: Path) -> str:
    """What ``sqlite3 -header -separator S DB SQL`` prints; without the shell, the same through Python."""
    if shutil.which("sqlite3"):
        done = subprocess.run(words, cwd=cwd, capture_output=True, text=True, check=True)
        return done.stdout
    assert words[1:3] == ["-header", "-separator"], words
    separator, database, sql = words[3], words[4], words[5]
    with sqlite3.connect(cwd / database) as connection:
        cursor = connection.execute(sql)
        rows = [[name for name, *_ in cursor.description], *cursor.fetchall()]
    shown = [
        [f"{v:.15g}" if isinstance(v, float) else "" if v is None else str(v) for v in row] for row in rows
    ]
    return "".join(separator.join(row) + "\n" for row in shown)


def run(kind: str, code: str, cwd: Path) -> str:
    """Run one example in ``cwd``; its stdout and stderr."""
    if kind == "python":
        out = io.StringIO()
        here = os.getcwd()
        os.chdir(cwd)
        try:
            with contextlib.redirect_stdout(out):
                exec(compile(code, str(GUIDE), "exec"), {})
        finally:
            os.chdir(here)
        return out.getvalue()
    words = shlex.split(code, comments=True)
    if words[0] == "sqlite3":
        return _sqlite3_shell(words, cwd)
    programs = {
        "indigo-standard": [sys.executable, "-m", "indigo_standard"],
        "datasette": [sys.executable, "-m", "datasette"],
    }
    done = subprocess.run(
        [*programs[words[0]], *words[1:]], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, f"{code}\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def compare(expected: list[str], output: str) -> None:
    """Exactly the lines shown (but for spaces at their ends), unless the page elides some with "..."."""
    if any(line.strip() == "..." or line.endswith("...") for line in expected):
        check_lines(expected, output)
    else:
        assert [line.rstrip() for line in output.rstrip("\n").splitlines()] == [
            line.rstrip() for line in expected
        ], output


def _section(kinds: set[str], first_word: str | None = None) -> list[tuple[str, str, list[str]]]:
    return [e for e in examples() if e[0] in kinds and (first_word is None or e[1].split()[0] == first_word)]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[list[str], str]]]:
    """A folder holding the real export where the page's set-up commands ran, and what each printed."""
    work = tmp_path_factory.mktemp("analysis")
    (work / "golab-indigo-export").symlink_to(FIXTURES / "golab-indigo-export")
    printed = [
        (expected, run(kind, code, work)) for kind, code, expected in _section({"sh"}, "indigo-standard")
    ]
    return work, printed


def test_the_set_up_commands_run_as_written(workspace: tuple[Path, list[tuple[list[str], str]]]) -> None:
    work, printed = workspace
    assert len(printed) >= 2
    for expected, output in printed:
        compare(expected, output)
    assert (work / "indigo.sqlite").is_file() and (work / "export" / "datapackage.json").is_file()


def test_the_sql_examples_print_what_the_page_shows(
    workspace: tuple[Path, list[tuple[list[str], str]]],
) -> None:
    steps = _section({"sh"}, "sqlite3")
    assert len(steps) >= 3
    for kind, code, expected in steps:
        compare(expected, run(kind, code, workspace[0]))


def test_the_pandas_examples_print_what_the_page_shows(
    workspace: tuple[Path, list[tuple[list[str], str]]],
) -> None:
    pytest.importorskip("pandas", reason="pip install -e '.[test]' installs pandas")
    steps = _section({"python"})
    assert len(steps) >= 2
    for kind, code, expected in steps:
        compare(expected, run(kind, code, workspace[0]))


def test_the_datasette_example_prints_what_the_page_shows(
    workspace: tuple[Path, list[tuple[list[str], str]]],
) -> None:
    if importlib.util.find_spec("datasette") is None:
        pytest.skip("Datasette is an option, not a dependency: pip install datasette")
    steps = _section({"sh"}, "datasette")
    assert len(steps) == 1
    for kind, code, expected in steps:
        compare(expected, run(kind, code, workspace[0]))

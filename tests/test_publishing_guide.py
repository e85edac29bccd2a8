"""docs/publishing.md: every command of the guide runs as written and prints what it shows."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "publishing.md"
SAMPLE = ROOT / "tests" / "fixtures" / "publishing" / "golab-sample.json"
BLOCK = re.compile(r"```(sh|text)\n(.*?)```", re.DOTALL)
EXIT = re.compile(r"#\s*exits (\d+)")


def steps() -> list[tuple[str, list[str]]]:
    """(command, expected output lines) for each sh block; the text block after it is the output."""
    found: list[tuple[str, list[str]]] = []
    for kind, body in BLOCK.findall(GUIDE.read_text(encoding="utf-8")):
        if kind == "sh":
            found.append((body.strip(), []))
        elif found and not found[-1][1]:
            found[-1] = (found[-1][0], body.rstrip("\n").splitlines())
    return found


def check_lines(expected: list[str], output: str) -> None:
    """Each shown line appears in order; "..." skips lines, and a line ending in "..." is a prefix."""
    lines = output.splitlines()
    position = 0
    for want in expected:
        if want.strip() == "...":
            continue
        prefix = want.endswith("...")
        target = want[:-3] if prefix else want
        for index in range(position, len(lines)):
            if lines[index].startswith(target) if prefix else lines[index] == target:
                position = index + 1
                break
        else:
            raise AssertionError(f"line not printed: {want!r}\n--- output ---\n{output}")


def test_guide_commands_run_as_written(tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / "golab-sample.json")
    found = steps()
    assert len(found) >= 5
    for command, expected in found:
        words = shlex.split(command, comments=True)
        assert words[0] == "indigo-standard", command
        match = EXIT.search(command)
        code = int(match.group(1)) if match else 0
        done = subprocess.run(
            [sys.executable, "-m", "indigo_standard", *words[1:]],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == code, f"{command}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
        check_lines(expected, done.stdout + done.stderr)
    public = (tmp_path / "public.json").read_text(encoding="utf-8")
    assert "not for publication" not in public and "source-term-sheet" not in public
    assert '"status"' not in public and "latam-review" not in public
    assert "INDIGO-PL-0039" not in public
    sandbox = (tmp_path / "latam-review.json").read_text(encoding="utf-8")
    assert "not for publication" not in sandbox and '"sandboxes"' not in sandbox
    assert sorted(p.name for p in (tmp_path / "by-type").iterdir()) == [
        "funds.json",
        "organisations.json",
        "projects.json",
    ]

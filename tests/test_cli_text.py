"""The text report as a person meets it: on a terminal (a real pseudo-terminal), piped, or in a file."""

from __future__ import annotations

import fcntl
import json
import os
import re
import select
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, FIXTURES, REAL_ERRORS, REAL_WARNINGS, run_cli

EXPORT = FIXTURES / "golab-indigo-export"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
HEADER = re.compile(r"^(ERROR|WARNING) (\S+)(?: \((\d+) issues\))?$")


def _environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    env.update(extra)
    return env


def run_in_terminal(
    *args: str,
    columns: int = 72,
    terminal: str = "stdout",
    stdin: Sequence[tuple[float, bytes]] = (),
    env: dict[str, str] | None = None,
) -> tuple[int, str, str]:
    """Run the CLI with ``terminal`` ("stdout" or "stderr") on a pseudo-terminal ``columns`` wide.

    Returns the exit code, what the terminal showed (line ends as ``\\n``) and what the other
    stream wrote to its pipe. ``stdin`` gives chunks to write after waiting the seconds given.
    """
    main, secondary = os.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    streams: dict[str, Any] = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    streams[terminal] = secondary
    process = subprocess.Popen(
        [sys.executable, "-m", "indigo_standard", *args],
        stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
        env=env if env is not None else _environment(),
        **streams,
    )
    os.close(secondary)

    def feed() -> None:
        assert process.stdin is not None
        for pause, chunk in stdin:
            time.sleep(pause)
            process.stdin.write(chunk)
            process.stdin.flush()
        process.stdin.close()

    feeder = threading.Thread(target=feed)
    if stdin:
        feeder.start()
    other = process.stderr if terminal == "stdout" else process.stdout
    assert other is not None
    piped: list[bytes] = []
    reader = threading.Thread(target=lambda: piped.append(other.read()))
    reader.start()
    shown = bytearray()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(main, 1 << 16)
            except OSError:  # the other end closed
                break
            if not chunk:
                break
            shown += chunk
        elif process.poll() is not None:
            break
    os.close(main)
    code = process.wait(timeout=60)
    reader.join()
    if stdin:
        feeder.join()
    return code, shown.decode("utf-8").replace("\r\n", "\n"), b"".join(piped).decode("utf-8")


@pytest.fixture(scope="module")
def piped() -> str:
    """The text report of the real export, piped."""
    result = run_cli("validate", str(EXPORT))
    assert result.returncode == 1, result.stderr
    return result.stdout


def test_a_terminal_gets_lines_wrapped_to_its_width_and_coloured(piped: str) -> None:
    code, shown, errors = run_in_terminal("validate", str(EXPORT), columns=72)
    assert code == 1 and errors == ""
    lines = ANSI.sub("", shown).splitlines()
    assert len(lines) > len(piped.splitlines())  # wrapped: more lines than the piped report
    assert max(len(line) for line in lines) <= 72
    assert max(len(line) for line in lines) >= 65
    assert "\x1b[1;31mERROR\x1b[0m reference.unknown-source" in shown
    assert "\x1b[1;33mWARNING\x1b[0m reference.unused-source" in shown
    assert "\x1b[1;31mInvalid\x1b[0m: 2021 records checked" in shown
    assert "".join(ANSI.sub("", shown).split()) == "".join(piped.split())  # the same text, only laid out


def test_no_color_turns_colour_off_on_a_terminal() -> None:
    code, shown, _ = run_in_terminal("validate", str(EXPORT), env=_environment(NO_COLOR="1"))
    assert code == 1 and "\x1b[" not in shown and "ERROR reference.unknown-source" in shown
    code, shown, _ = run_in_terminal("validate", str(EXPORT), env=_environment(NO_COLOR=""))
    assert "\x1b[1;31m" in shown  # an empty NO_COLOR does not count


def test_piped_output_is_neither_wrapped_nor_coloured(piped: str) -> None:
    assert "\x1b[" not in piped
    locations = [line for line in piped.splitlines() if line.startswith("    - ")]
    assert len(locations) == REAL_ERRORS + REAL_WARNINGS
    whole = re.compile(
        r"^    - \S+\.csv, row \d+, column .+: (project|organisation|fund|pipeline) INDIGO-\S+ at /\S+$"
    )
    assert len([line for line in locations if whole.match(line)]) > 3000
    assert max(len(line) for line in piped.splitlines()) > 200


def test_groups_come_by_severity_then_count(piped: str) -> None:
    headers = [HEADER.match(line) for line in piped.splitlines() if line.startswith(("ERROR ", "WARNING "))]
    assert headers and all(headers)
    groups = [(m.group(1), m.group(2), int(m.group(3) or 1)) for m in headers if m]
    severities = [severity for severity, _, _ in groups]
    assert severities == sorted(severities, key=lambda s: s != "ERROR")
    codes: list[str] = []
    for _, code, _ in groups:
        if not codes or codes[-1] != code:
            assert code not in codes, f"{code} is in two places"
            codes.append(code)
    totals = json.loads(run_cli("validate", "--format", "json", str(EXPORT)).stdout)["counts"]["by_code"]
    for severity in ("ERROR", "WARNING"):
        in_order = [totals[code] for code in dict.fromkeys(c for s, c, _ in groups if s == severity)]
        assert in_order == sorted(in_order, reverse=True)
    for code in codes:
        counts = [count for _, c, count in groups if c == code]
        assert counts == sorted(counts, reverse=True) and sum(counts) == totals[code]


def test_max_issues_keeps_errors_before_warnings() -> None:
    result = run_cli("validate", "--max-issues", "3", str(EXPORT))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert [line for line in lines if line.startswith("WARNING")] == []
    assert len([line for line in lines if line.startswith("    - ")]) == 3
    assert (
        f"Partial report: showing 3 of {REAL_ERRORS + REAL_WARNINGS} issues (errors first, --max-issues 3);"
        " the counts cover them all." in lines
    )
    full = json.loads(run_cli("validate", "--format", "json", str(EXPORT)).stdout)["issues"]
    limit = str(REAL_ERRORS + 4)
    cut = json.loads(run_cli("validate", "--format", "json", "--max-issues", limit, str(EXPORT)).stdout)
    kept = cut["issues"]
    assert [i["severity"] for i in kept].count("error") == REAL_ERRORS and len(kept) == REAL_ERRORS + 4
    first_warnings = [i for i in full if i["severity"] == "warning"][:4]
    expected = [i for i in full if i["severity"] == "error" or i in first_warnings]
    assert json.dumps(kept) == json.dumps(expected)  # in the order found
    assert cut["partial"] is True and cut["warnings"] == REAL_WARNINGS


def test_quiet_prints_only_the_summary_line() -> None:
    result = run_cli("validate", "--quiet", str(EXPORT))
    assert result.returncode == 1
    assert result.stdout == (
        f"Invalid: 2021 records checked against INDIGO 4.1; {REAL_ERRORS} errors, {REAL_WARNINGS} warnings.\n"
    )
    code, shown, _ = run_in_terminal("validate", "-q", str(EXAMPLES / "package.json"))
    assert code == 0
    assert shown == "\x1b[1;32mValid\x1b[0m: 10 records checked against INDIGO 4.1; 0 errors, 1 warning.\n"


@pytest.mark.parametrize("form", ["text", "json"])
def test_output_file_holds_the_report(tmp_path: Path, form: str) -> None:
    expected = run_cli("validate", "--format", form, str(EXPORT)).stdout
    out = tmp_path / f"report.{form}"
    result = run_cli("validate", "--format", form, "-o", str(out), str(EXPORT))
    assert result.returncode == 1 and result.stdout == "" and result.stderr == ""
    assert out.read_text(encoding="utf-8") == expected and expected
    quiet = run_cli("validate", "--format", form, "-q", "-o", str(out), str(EXAMPLES / "package.json"))
    assert (
        quiet.returncode == 0
        and quiet.stdout.startswith("Valid: 10 records")
        and quiet.stdout.count("\n") == 1
    )
    assert out.read_text(encoding="utf-8") != expected


def test_output_file_on_a_terminal_is_plain(tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    code, shown, _ = run_in_terminal("validate", "-o", str(out), str(EXPORT), columns=60)
    assert code == 1 and shown == ""
    text = out.read_text(encoding="utf-8")
    assert "\x1b[" not in text and max(len(line) for line in text.splitlines()) > 60


def test_a_failed_run_keeps_the_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    out.write_text("previous\n", encoding="utf-8")
    result = run_cli("validate", "-o", str(out), str(tmp_path / "missing.json"))
    assert result.returncode == 2 and "missing.json: no such file or directory" in result.stderr
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


def _stdin_run(text: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "indigo_standard", "validate", *args, "-"],
        input=text,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_dash_reads_standard_input() -> None:
    package = (EXAMPLES / "package.json").read_text(encoding="utf-8")
    from_file = json.loads(run_cli("validate", "--format", "json", str(EXAMPLES / "package.json")).stdout)
    from_stdin = json.loads(_stdin_run(package, "--format", "json").stdout)
    assert from_stdin["records"] == from_file["records"] == 10
    assert {i["source"]["file"] for i in from_stdin["issues"]} == {"<stdin>"}
    assert [i["message"] for i in from_stdin["issues"]] == [i["message"] for i in from_file["issues"]]
    records = [r for key in ("projects", "organisations") for r in json.loads(package)[key]]
    as_lines = _stdin_run(
        "\n".join(json.dumps(r) for r in records) + "\n",
        "--format",
        "json",
        "--schema-version",
        "4.1",
    )
    as_list = _stdin_run(json.dumps(records, indent=1), "--format", "json", "--schema-version", "4.1")
    assert json.loads(as_lines.stdout)["records"] == json.loads(as_list.stdout)["records"] == 8
    assert as_lines.returncode == as_list.returncode == 0, as_lines.stderr


def test_broken_standard_input_gets_one_line() -> None:
    result = _stdin_run('{"id": "INDIGO-POJ-1"}\n{"id": \n')
    assert result.returncode == 2 and result.stdout == ""
    assert (
        result.stderr
        == "indigo-standard: error: <stdin>: malformed JSON at line 3, column 1: Expecting value\n"
    )
    empty = _stdin_run("")
    assert empty.returncode == 2 and empty.stderr == "indigo-standard: error: <stdin>: the file is empty\n"


def test_one_record_and_a_warning_without_a_place() -> None:
    result = run_cli("validate", str(EXAMPLES / "project.json"))
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[-2] == "Valid: 1 record checked against INDIGO 4.1; 0 errors, 2 warnings."
    assert "    -" not in lines
    assert "    - no schema version declared or given; validated against 4.1, the latest" in result.stdout


def test_a_progress_bar_on_a_terminal_for_a_long_run() -> None:
    record = json.loads((EXAMPLES / "organisation.json").read_text(encoding="utf-8"))
    lines = [json.dumps(dict(record, id=f"INDIGO-ORG-{n:04}")).encode() + b"\n" for n in range(40)]
    slowly = [(0.0, b"".join(lines[:20])), (2.5, b"".join(lines[20:]))]
    code, shown, report = run_in_terminal(
        "validate", "--schema-version", "4.1", "-", terminal="stderr", stdin=slowly
    )
    assert code == 0 and report.startswith("Valid: 40 records checked")
    # the bar appears once the run has taken a second, counting the records read so far
    progress = re.search(r"validate: (\d+) records \[00:0[1-9]", shown)
    assert progress and 10 <= int(progress.group(1)) <= 20, shown
    assert "\x1b[" not in report and "records/s" not in report
    piped = subprocess.run(
        [sys.executable, "-m", "indigo_standard", "validate", "--schema-version", "4.1", "-"],
        input=b"".join(lines),
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert piped.returncode == 0 and piped.stderr == b""

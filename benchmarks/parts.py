"""Where the time of one ``validate`` run goes: a table of its parts, from a profile.

Usage: ``python benchmarks/parts.py FILE [ARGS...]`` profiles ``indigo-standard validate
--format json ARGS... FILE`` in this process (the report goes to /dev/null) and prints the
table; ``benchmarks/run.py --profile`` runs it on the corpus.

Start-up (imports) is timed without the profiler. The rest comes from cProfile's cumulative
times of the functions that begin each part, less the parts they call: the profiler slows
Python code down more than C code, so the seconds are profiled CPU seconds, and the last
column scales them to the unprofiled time of the same command run as a process (less the
start-up).
"""

from __future__ import annotations

import contextlib
import cProfile
import importlib.util
import io
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

Key = tuple[str, str]
"""A function: the end of its file's path and its name."""

PARTS: list[tuple[str, str]] = [
    ("streaming parse", "reading the records (jsonstream, reading/, flat readers)"),
    ("record type", "telling each record's type"),
    ("schema: valid?", "jsonschema-rs on every record"),
    ("schema: explaining invalid records", "issues from jsonschema-rs errors (or pruning, jsonschema)"),
    ("guided prefetch walk", "one pass per record finding the fields the checks read"),
    ("record checks", "the checks of each record, and making their issues"),
    ("dataset index and checks", "ids and references across records, then the dataset checks"),
    ("issue store and spool", "counting, grouping and spooling issues"),
    ("report", "writing the JSON report (reading the spool back)"),
    ("other", "locating issues in their files, the run's own loop"),
]


def _cumulative(stats: pstats.Stats) -> Callable[[str, str], float]:
    table: dict[Key, float] = {}
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    for (file, _line, name), (_cc, _nc, _tt, ct, _callers) in raw.items():
        key = (file.replace(os.sep, "/"), name)
        table[key] = table.get(key, 0.0) + ct

    def cum(file_end: str, name: str) -> float:
        return sum(ct for (file, func), ct in table.items() if func == name and file.endswith(file_end))

    return cum


def _tottime(stats: pstats.Stats, name_part: str) -> float:
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    return sum(tt for (_file, _line, name), (_cc, _nc, tt, _ct, _c) in raw.items() if name_part in name)


def measure(path: str, extra: list[str]) -> dict[str, Any]:
    """Start-up seconds, the unprofiled and profiled run, and the seconds of each part."""
    start = time.perf_counter()
    from indigo_standard.cli import command_module, main, quiet_collector

    command_module("validate")
    import indigo_standard.checks
    import indigo_standard.report.json_writer
    import indigo_standard.validation.validate  # noqa: F401

    startup = time.perf_counter() - start
    args = ["validate", "--format", "json", *extra, path]
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "indigo_standard", *args],
        stdout=subprocess.DEVNULL,
        check=False,
        cwd=tempfile.gettempdir(),
    )  # not the checkout, whose package would shadow an installed one
    plain = time.perf_counter() - start - startup

    def run() -> None:
        with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
            main(args)

    quiet_collector()  # as the command-line process does
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.runcall(run)
    profiled = time.perf_counter() - start
    stats = pstats.Stats(profiler, stream=io.StringIO())
    cum = _cumulative(stats)
    total = cum("cli/__init__.py", "main")
    walk = cum("checks/walk.py", "select_into") + cum("checks/walk.py", "select")
    collect = cum("checks/dataset.py", "collect")
    dataset_checks = cum("checks/runner.py", "dataset_issues")
    explain = (
        cum("validation/engine.py", "_explain")
        + cum("validation/fast.py", "error_paths")
        + cum("validation/pruning.py", "pruned")
        + cum("validation/fast.py", "explain")
    )
    schema = cum("validation/engine.py", "issues") - explain
    store = cum("validation/issue_store.py", "extend") - dataset_checks
    parts = {
        "streaming parse": cum("cli/inputs.py", "iter_inputs"),
        "record type": cum("validation/validate.py", "_detect"),
        "schema: valid?": schema,
        "schema: explaining invalid records": explain,
        "guided prefetch walk": walk,
        "record checks": cum("checks/runner.py", "record_issues") - walk - collect,
        "dataset index and checks": collect + dataset_checks,
        "issue store and spool": store,
        "report": cum("cli/validate_cmd.py", "write_report"),
    }
    parts["other"] = max(total - sum(parts.values()), 0.0)
    gc_seconds = _tottime(stats, "gc.collect")
    return {
        "startup": startup,
        "plain": plain,
        "profiled": profiled,
        "total": total,
        "parts": parts,
        "gc": gc_seconds,
    }


def print_table(found: dict[str, Any], out: Any = sys.stdout) -> None:
    """The table of parts: profiled seconds, share, and seconds scaled to the unprofiled run."""
    total = found["total"]
    scale = found["plain"] / total if total else 0.0
    print(f"{'part':<38}{'profiled s':>11}{'share':>8}{'≈ s':>8}  what", file=out)
    print(
        f"{'start-up and imports (unprofiled)':<38}{'':>11}{'':>8}{found['startup']:>8.2f}  "
        "importing the CLI and the validate command",
        file=out,
    )
    for name, what in PARTS:
        seconds = found["parts"][name]
        print(f"{name:<38}{seconds:>11.2f}{seconds / total:>8.0%}{seconds * scale:>8.2f}  {what}", file=out)
    print(f"{'total (run after start-up)':<38}{total:>11.2f}{1:>8.0%}{found['plain']:>8.2f}", file=out)


def main() -> None:
    """Profile one run and print its table (or, with --json, the figures as JSON)."""
    args = sys.argv[1:]
    as_json = "--json" in args
    args = [arg for arg in args if arg != "--json"]
    if not args:
        raise SystemExit(__doc__)
    if importlib.util.find_spec("indigo_standard") is None:
        sys.path.insert(0, str(ROOT))
    found = measure(args[0], args[1:])
    if as_json:
        print(json.dumps(found))
    else:
        print_table(found)


if __name__ == "__main__":
    main()

"""Benchmarks: validation, reading and the typed model, timed against plain JSON parsing.

Usage: ``python benchmarks/run.py [--scale N] [--rounds R] [--memory M] [--profile] [--work DIR]``.

It builds a corpus from the real GO Lab export in ``tests/fixtures/golab-indigo-export``:
``N`` copies of every record, each copy with fresh, unique ids and every reference
rewritten to match, written as a JSON list, a JSON package, JSON Lines, a CSV folder and an
XLSX workbook. Then, on that one corpus, it times whole processes (wall time and the peak
RSS of each) and in-process operations, in ``R`` rounds: each round runs every measurement
once, round-robin, so that a machine whose speed drifts affects every measurement of a
round alike. Every ratio is worked out within each round, and the medians of those
per-round ratios are printed with their targets (docs/performance.md). The floor is
``json.loads`` of the same bytes, or ``python -c "import json; json.load(open(F))"`` for
processes.

``--memory M`` also builds a corpus ``M`` times the export and compares the peak RSS of
``validate`` and ``convert`` on it with their peak RSS on x1 (the streaming bound).
``--profile`` prints where the time of one ``validate`` of the JSON list goes
(``benchmarks/parts.py``).

The package measured is the one this interpreter imports (an installed one when there is
one; else this checkout's). Processes run from the work folder, so that a checkout's own
package does not shadow an installed one.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "golab-indigo-export"
if importlib.util.find_spec("indigo_standard") is None:
    sys.path.insert(0, str(ROOT))

from indigo_standard.flat import read_flat, write_csv_folder, write_xlsx  # noqa: E402
from indigo_standard.reading.records import NOTICES_ONLY  # noqa: E402

LISTS = {"project": "projects", "organisation": "organisations", "fund": "funds", "pipeline": "pipelines"}

JSONSCHEMA_ALTERNATIVE = """
import json, sys
from jsonschema import Draft202012Validator
from indigo_standard.registry import registry, schema
from indigo_standard.detect import detect_entity
version = sys.argv[2]
errors = 0
for record in json.load(open(sys.argv[1], encoding="utf-8")):
    entity = detect_entity(record)
    validator = Draft202012Validator(dict(schema(version, entity)), registry=registry(version))
    errors += sum(1 for _ in validator.iter_errors(record))
print(errors)
"""
"""The obvious alternative: a fresh jsonschema validator for every record, as the data store does."""

FLOOR = "import json, sys; json.load(open(sys.argv[1], encoding='utf-8'))"


# -- the corpus -----------------------------------------------------------------------------------


def export_records(sample: int = 0) -> tuple[list[tuple[str, dict[str, Any]]], str]:
    """The records of the real export (every ``sample``-th one, when given), with their types,
    and the version its columns map to."""
    records: list[tuple[str, dict[str, Any]]] = []
    version = ""
    for item in read_flat(FIXTURE):
        version = version or (item.mapping_version or "")
        if item.entity != NOTICES_ONLY and isinstance(item.data, dict) and item.entity:
            records.append((item.entity, item.data))
    return (records[::sample] if sample > 1 else records), version


def _rewrite(value: Any, ids: set[str], suffix: str) -> Any:
    if isinstance(value, str):
        if value in ids:
            return value + suffix
        if "," in value:
            parts = value.split(",")
            if all(part.strip() in ids for part in parts if part.strip()):
                return ",".join(
                    part.replace(part.strip(), part.strip() + suffix) if part.strip() else part
                    for part in parts
                )
        return value
    if isinstance(value, dict):
        return {key: _rewrite(item, ids, suffix) for key, item in value.items()}
    if isinstance(value, list):
        return [_rewrite(item, ids, suffix) for item in value]
    return value


def scaled(records: list[tuple[str, dict[str, Any]]], scale: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """``scale`` copies of the records; copy 0 is the export itself, copy k has ids ending ``-k``."""
    ids = {data["id"] for _, data in records if isinstance(data.get("id"), str)}
    for copy in range(scale):
        for entity, data in records:
            yield entity, data if copy == 0 else _rewrite(data, ids, f"-{copy}")


def build_corpus(folder: Path, scale: int, sample: int = 0, *, xlsx: bool = False) -> dict[str, Path]:
    """Write the corpus x``scale`` in every form (XLSX only when asked); returns the path of each form."""
    records, version = export_records(sample)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "list": folder / "corpus.json",
        "package": folder / "package.json",
        "jsonl": folder / "corpus.jsonl",
        "csv": folder / "csv",
    }
    with (
        paths["list"].open("w", encoding="utf-8") as out_list,
        paths["jsonl"].open("w", encoding="utf-8") as out_lines,
    ):
        out_list.write("[")
        for number, (_entity, data) in enumerate(scaled(records, scale)):
            text = json.dumps(data, ensure_ascii=False)
            out_list.write((",\n" if number else "\n") + text)
            out_lines.write(text + "\n")
        out_list.write("\n]\n")
    with paths["package"].open("w", encoding="utf-8") as out:
        out.write(json.dumps({"schema_version": version})[:-1])
        for entity, key in LISTS.items():
            out.write(f', "{key}": [')
            chosen = (data for kind, data in scaled(records, scale) if kind == entity)
            out.write(",\n".join(json.dumps(data, ensure_ascii=False) for data in chosen))
            out.write("]")
        out.write("}\n")
    write_csv_folder((data for _, data in scaled(records, scale)), paths["csv"], version)
    if xlsx:
        paths["xlsx"] = folder / "corpus.xlsx"
        write_xlsx((data for _, data in scaled(records, scale)), paths["xlsx"], version)
    (folder / "version").write_text(version)
    return paths


# -- measuring ------------------------------------------------------------------------------------


MEASURE = """
import json, os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
error = child.stderr.read().decode()
_, status, usage = os.wait4(child.pid, 0)
print(json.dumps({"seconds": time.perf_counter() - start, "rss_kib": usage.ru_maxrss,
                  "code": os.waitstatus_to_exitcode(status), "stderr": error}))
"""
"""Runs one process and reports its wall time and peak RSS.

A small interpreter of its own starts the measured process, because on Linux a child's
``ru_maxrss`` starts from the RSS of the process that forked it: measured straight from
this (large) harness, every figure would be at least the harness's own size.
"""


def run_process(args: list[str], cwd: Path | None = None) -> tuple[float, int, int]:
    """Run a process to the end: wall seconds, peak RSS in MiB, exit code."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *args], capture_output=True, text=True, check=True, cwd=cwd
    )
    result = json.loads(done.stdout)
    if result["code"] not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed ({result['code']}): {result['stderr'].strip()}")
    return result["seconds"], result["rss_kib"] // 1024, result["code"]


def cli(*args: str) -> list[str]:
    """The command line of an ``indigo-standard`` command run as a fresh process."""
    return [sys.executable, "-m", "indigo_standard", *args]


def timed(func: Callable[[], Any]) -> float:
    """Seconds of one call."""
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def load_average() -> str:
    """The machine's load average over 1, 5 and 15 minutes, as ``uptime`` prints it."""
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


# -- the measurements -----------------------------------------------------------------------------


def schema_codes() -> str:
    """Every issue code of the schema itself (no checks beyond it), for ``--only``."""
    from indigo_standard.catalogue import catalogue
    from indigo_standard.checks import all_checks

    checks = {check.code for check in all_checks()}
    return ",".join(
        code
        for code in catalogue()
        if code.split(".")[0] in ("schema", "record", "version") and code not in checks
    )


def process_commands(paths: dict[str, Path], version: str, work: Path) -> dict[str, list[str]]:
    """The whole processes measured in every round, by name."""
    listed = str(paths["list"])
    commands = {
        "json.load process (floor)": [sys.executable, "-c", FLOOR, listed],
        "validate JSON list": cli("validate", "--format", "json", listed),
        "validate JSON list, schema only": cli(
            "validate", "--format", "json", "--only", schema_codes(), listed
        ),
        "validate JSON package": cli("validate", "--format", "json", str(paths["package"])),
        "validate JSON Lines": cli("validate", "--format", "json", str(paths["jsonl"])),
        "validate CSV folder": cli("validate", "--format", "json", str(paths["csv"])),
    }
    if "xlsx" in paths:
        commands["validate XLSX workbook"] = cli("validate", "--format", "json", str(paths["xlsx"]))
    converted = str(work / "converted.jsonl")
    commands["convert CSV folder to JSON Lines"] = cli("convert", str(paths["csv"]), converted)
    commands["jsonschema, record by record"] = [sys.executable, "-c", JSONSCHEMA_ALTERNATIVE, listed, version]
    return commands


def in_process_operations(paths: dict[str, Path], version: str, work: Path) -> dict[str, Callable[[], Any]]:
    """The operations timed inside this process in every round, by name."""
    import indigo_standard as indigo
    from indigo_standard import model
    from indigo_standard.validation.validate import validate_paths

    raw = paths["list"].read_bytes()
    records = json.loads(raw)
    loaded = [model.load(record, schema_version=version) for record in records]
    kept = sum(1 for record in loaded if record.problems)
    print(
        f"(typed load: {len(loaded)} of {len(records)} records load; {kept} keep values that cannot be "
        "typed as Invalid)"
    )

    def load_loop() -> None:
        """What a user's loop does: load each record, use it, let it go."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for record in records:
                model.load(record, schema_version=version)

    def read_loop() -> None:
        """Typed records streamed from the file (parsing included)."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for _ in indigo.read(paths["list"]):
                pass

    return {
        "json.loads (floor)": lambda: json.loads(raw),
        "validate_paths (in process)": lambda: validate_paths([paths["list"]]),
        "typed load, a user's loop": load_loop,
        "typed read(path), streamed": read_loop,
        "typed dump, every record": lambda: [model.dump(obj) for obj in loaded],
        "flat CSV read": lambda: sum(1 for _ in read_flat(paths["csv"])),
        "flat CSV write": lambda: write_csv_folder(records, work / "written-csv", version),
    }


Runs = dict[str, list[float]]


def measure_rounds(
    commands: dict[str, list[str]], operations: dict[str, Callable[[], Any]], rounds: int, work: Path
) -> tuple[Runs, Runs, dict[str, int]]:
    """Seconds of every process and operation in each round (round-robin, the order turned each
    round), and the largest peak RSS of each process."""
    seconds: Runs = {name: [] for name in commands}
    inner: Runs = {name: [] for name in operations}
    peaks: dict[str, int] = dict.fromkeys(commands, 0)
    names = list(commands)
    for number in range(rounds):
        turned = names[number % len(names) :] + names[: number % len(names)]
        for name in turned:
            took, peak, _ = run_process(commands[name], cwd=work)
            seconds[name].append(took)
            peaks[name] = max(peaks[name], peak)
        for name, operation in operations.items():
            inner[name].append(timed(operation))
        print(f"  round {number + 1} of {rounds} done (load average {load_average()})", flush=True)
    return seconds, inner, peaks


def ratios(runs: Runs, top: str, bottom: str) -> list[float]:
    """The ratio ``top / bottom`` in each round."""
    return [a / b for a, b in zip(runs[top], runs[bottom], strict=True)]


Target = tuple[str, list[float], str, Callable[[float], bool]]
"""A target: what is compared, its per-round ratios, the target as printed, and whether a median meets it."""


def targets(outer: Runs, inner: Runs) -> list[Target]:
    """Every ratio the issue sets a target for, per round."""
    floor = "json.load process (floor)"
    listed, csv, xlsx = "validate JSON list", "validate CSV folder", "validate XLSX workbook"
    full = listed
    found: list[Target] = [
        (
            "validate (every check) / json.load process",
            ratios(outer, full, floor),
            "≤ 2.5",
            lambda r: r <= 2.5,
        ),
        (
            "validate (schema only) / json.load process",
            ratios(outer, f"{listed}, schema only", floor),
            "≤ 1.5",
            lambda r: r <= 1.5,
        ),
        (
            "jsonschema record by record / validate",
            ratios(outer, "jsonschema, record by record", full),
            "≥ 6.5",
            lambda r: r >= 6.5,
        ),
        ("validate CSV folder / JSON list", ratios(outer, csv, listed), "≤ 1.3", lambda r: r <= 1.3),
    ]
    if xlsx in outer:
        found.append(("validate XLSX / CSV folder", ratios(outer, xlsx, csv), "≤ 2", lambda r: r <= 2))
    found += [
        (
            "validate JSON package / JSON list",
            ratios(outer, "validate JSON package", listed),
            "≤ 1.1",
            lambda r: r <= 1.1,
        ),
        (
            "validate JSON Lines / JSON list",
            ratios(outer, "validate JSON Lines", listed),
            "≤ 1.1",
            lambda r: r <= 1.1,
        ),
        (
            "typed load (a user's loop) / json.loads",
            ratios(inner, "typed load, a user's loop", "json.loads (floor)"),
            "≤ 5",
            lambda r: r <= 5,
        ),
    ]
    return found


def memory(scale: int, work: Path) -> list[tuple[str, int, int]]:
    """Peak RSS (MiB) of validate and convert on x1 and x``scale``."""
    small = build_corpus(work / "memory-x1", 1)
    large = build_corpus(work / f"memory-x{scale}", scale)
    rows = []
    for name, form in (
        ("validate JSON list", "list"),
        ("validate JSON package", "package"),
        ("validate JSON Lines", "jsonl"),
        ("validate CSV folder", "csv"),
    ):
        peaks = [
            run_process(cli("validate", "--format", "json", str(paths[form])), cwd=work)[1]
            for paths in (small, large)
        ]
        rows.append((name, peaks[0], peaks[1]))
    for name, form, target in (
        ("convert CSV folder to JSON Lines", "csv", "out.jsonl"),
        ("convert JSON list to CSV folder", "list", "out-csv"),
    ):
        peaks = [
            run_process(cli("convert", str(paths[form]), str(work / target)), cwd=work)[1]
            for paths in (small, large)
        ]
        rows.append((name, peaks[0], peaks[1]))
    return rows


def print_profile(path: Path, work: Path) -> None:
    """The table of ``benchmarks/parts.py`` for one ``validate`` of ``path``, run in a fresh process."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("parts.py")), str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=work,
    )
    print(done.stdout, end="")


def main(argv: list[str] | None = None) -> None:
    """Build the corpus, measure in rounds, print the tables and every ratio with its target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10, help="copies of the export (default 10)")
    parser.add_argument(
        "--rounds",
        "--repeat",
        type=int,
        default=3,
        dest="rounds",
        help="rounds of measurements, each running every one once (default 3)",
    )
    parser.add_argument(
        "--memory",
        type=int,
        default=0,
        metavar="M",
        help="also compare peak RSS of validate and convert on xM with x1",
    )
    parser.add_argument("--profile", action="store_true", help="also print where the time of validate goes")
    parser.add_argument(
        "--no-xlsx", action="store_true", help="leave the XLSX workbook out (it is slow to build and to read)"
    )
    parser.add_argument(
        "--sample",
        type=int,
        default=0,
        metavar="K",
        help="use every K-th record of the export only (for a quick smoke run)",
    )
    parser.add_argument("--work", type=Path, help="where to write the corpus (default: a temporary folder)")
    args = parser.parse_args(argv)
    work = (args.work or Path(tempfile.mkdtemp(prefix="indigo-bench-"))).resolve()
    try:
        import indigo_standard

        # as an installed package has them, even where PYTHONDONTWRITEBYTECODE is set
        compileall.compile_dir(str(Path(indigo_standard.__file__).parent), quiet=1)
        start = time.perf_counter()
        paths = build_corpus(work / f"x{args.scale}", args.scale, args.sample, xlsx=not args.no_xlsx)
        version = (work / f"x{args.scale}" / "version").read_text()
        size = paths["list"].stat().st_size
        print(
            f"corpus: real export x{args.scale}, {size / 1e6:.1f} MB as a JSON list, schema {version}, "
            f"built in {time.perf_counter() - start:.1f} s; {os.cpu_count()} CPUs; {args.rounds} rounds; "
            f"Python {sys.version.split()[0]}"
        )
        print(f"load average at the start: {load_average()}")
        commands = process_commands(paths, version, work)
        operations = in_process_operations(paths, version, work)
        outer, inner, peaks = measure_rounds(commands, operations, args.rounds, work)
        print()
        print(f"{'in-process operation':<40}{'median s':>10}{'x json.loads':>15}")
        floor = "json.loads (floor)"
        for name in operations:
            share = statistics.median(ratios(inner, name, floor))
            print(f"{name:<40}{statistics.median(inner[name]):>10.3f}{share:>15.2f}")
        print()
        print(f"{'whole process':<40}{'median s':>10}{'x json.load':>15}{'peak RSS MiB':>15}")
        base = "json.load process (floor)"
        for name in commands:
            share = statistics.median(ratios(outer, name, base))
            print(f"{name:<40}{statistics.median(outer[name]):>10.3f}{share:>15.2f}{peaks[name]:>15}")
        print()
        print("targets (median of the per-round ratios; lowest and highest round in brackets):")
        for name, found, wanted, met in targets(outer, inner):
            middle = statistics.median(found)
            verdict = "met" if met(middle) else "NOT MET"
            spread = f"({min(found):.2f}-{max(found):.2f})"
            print(f"  {name:<46}{middle:>6.2f}  {spread:<13} target {wanted:<6} {verdict}")
        if args.memory:
            print()
            print(f"{'peak RSS MiB':<40}{'x1':>10}{f'x{args.memory}':>10}{'ratio':>10}  (target ≤ 1.5)")
            for name, small, large in memory(args.memory, work):
                print(f"{name:<40}{small:>10}{large:>10}{large / small:>10.2f}")
        if args.profile:
            print()
            print("where the time of one validate of the JSON list goes (benchmarks/parts.py):")
            print_profile(paths["list"], work)
        print()
        print(f"load average at the end: {load_average()}")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

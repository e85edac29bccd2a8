"""Benchmarks: validation, reading and the typed model, timed against plain JSON parsing.

Usage: ``python benchmarks/run.py [--scale N] [--repeat R] [--memory M] [--work DIR]``.

It builds a corpus from the real GO Lab export in ``tests/fixtures/golab-indigo-export``:
``N`` copies of every record, each copy with fresh, unique ids and every reference
rewritten to match, written as a JSON list, a JSON package, JSON Lines and a CSV folder.
Then, on that one corpus, it times whole processes (the median wall time of ``R`` runs
and the peak RSS of each) and in-process operations (the median of ``R`` runs), and
prints every figure with its ratio to the floor: ``json.loads`` of the same bytes, or
``python -c "import json; json.load(open(F))"`` for processes.

``--memory M`` also builds a corpus ``M`` times the export and compares the peak RSS of
``validate`` and ``convert`` on it with their peak RSS on x1 (the streaming bound).
"""

from __future__ import annotations

import argparse
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
sys.path.insert(0, str(ROOT))

from indigo_standard.flat import read_flat, write_csv_folder  # noqa: E402
from indigo_standard.reading import NOTICES_ONLY  # noqa: E402

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
                return ",".join(part.replace(part.strip(), part.strip() + suffix) if part.strip() else part
                                for part in parts)
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


def build_corpus(folder: Path, scale: int, sample: int = 0) -> dict[str, Path]:
    """Write the corpus x``scale`` in every form; returns the path of each form."""
    records, version = export_records(sample)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "list": folder / "corpus.json",
        "package": folder / "package.json",
        "jsonl": folder / "corpus.jsonl",
        "csv": folder / "csv",
    }
    with paths["list"].open("w", encoding="utf-8") as out_list, \
            paths["jsonl"].open("w", encoding="utf-8") as out_lines:
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


def run_process(args: list[str]) -> tuple[float, int, int]:
    """Run a process to the end: wall seconds, peak RSS in MiB, exit code."""
    done = subprocess.run([sys.executable, "-c", MEASURE, *args], capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    if result["code"] not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed ({result['code']}): {result['stderr'].strip()}")
    return result["seconds"], result["rss_kib"] // 1024, result["code"]


def time_process(args: list[str], repeat: int) -> tuple[float, int]:
    """Median wall seconds and largest peak RSS (MiB) over ``repeat`` runs."""
    runs = [run_process(args) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def time_call(func: Callable[[], Any], repeat: int) -> float:
    """Median seconds of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cli(*args: str) -> list[str]:
    """The command line of an ``indigo-standard`` command run as a fresh process."""
    return [sys.executable, "-m", "indigo_standard", *args]


# -- the run --------------------------------------------------------------------------------------


def in_process(paths: dict[str, Path], version: str, repeat: int, work: Path) -> dict[str, float]:
    """Median seconds of the operations timed inside one process."""
    from indigo_standard import model
    from indigo_standard.validation.validate import validate_paths

    raw = paths["list"].read_bytes()
    records = json.loads(raw)
    results: dict[str, float] = {"json.loads (floor)": time_call(lambda: json.loads(raw), repeat)}
    results["validate_paths (in process)"] = time_call(lambda: validate_paths([paths["list"]]), repeat)

    def load_all() -> list[Any]:
        """Every record, loaded leniently: values that cannot be typed are kept as Invalid."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return [model.load(record, schema_version=version) for record in records]

    loaded = load_all()
    kept = sum(1 for record in loaded if record.problems)
    print(f"(typed load: {len(loaded)} of {len(records)} records load; {kept} keep values that cannot be "
          "typed as Invalid)")
    results["typed load, every record"] = time_call(load_all, repeat)
    results["typed dump, every record"] = time_call(lambda: [model.dump(obj) for obj in loaded], repeat)

    def read_csv() -> int:
        return sum(1 for _ in read_flat(paths["csv"]))

    results["flat CSV read"] = time_call(read_csv, repeat)
    out = work / "written-csv"
    results["flat CSV write"] = time_call(lambda: write_csv_folder(records, out, version), repeat)
    return results


def schema_codes() -> str:
    """Every issue code of the schema itself (no checks beyond it), for ``--only``."""
    from indigo_standard.catalogue import catalogue
    from indigo_standard.checks import all_checks

    checks = {check.code for check in all_checks()}
    return ",".join(code for code in catalogue() if code.split(".")[0] in ("schema", "record", "version")
                    and code not in checks)


def processes(paths: dict[str, Path], version: str, repeat: int, work: Path) -> dict[str, tuple[float, int]]:
    """Median wall seconds and peak RSS of whole processes."""
    listed = str(paths["list"])
    results = {
        "json.load process (floor)": time_process([sys.executable, "-c", FLOOR, listed], repeat),
        "validate JSON list": time_process(cli("validate", "--format", "json", listed), repeat),
        "validate JSON list, schema only": time_process(
            cli("validate", "--format", "json", "--only", schema_codes(), listed), repeat
        ),
        "validate JSON package": time_process(
            cli("validate", "--format", "json", str(paths["package"])), repeat
        ),
        "validate JSON Lines": time_process(cli("validate", "--format", "json", str(paths["jsonl"])), repeat),
        "validate CSV folder": time_process(cli("validate", "--format", "json", str(paths["csv"])), repeat),
        "validate JSON list --jobs 2": time_process(
            cli("validate", "--jobs", "2", "--format", "json", listed), repeat
        ),
        "convert CSV folder to JSON Lines": time_process(
            cli("convert", str(paths["csv"]), str(work / "converted.jsonl")), repeat
        ),
        "jsonschema, record by record": time_process(
            [sys.executable, "-c", JSONSCHEMA_ALTERNATIVE, listed, version], max(1, min(repeat, 2))
        ),
    }
    return results


def memory(scale: int, work: Path) -> list[tuple[str, int, int]]:
    """Peak RSS (MiB) of validate and convert on x1 and x``scale``."""
    small = build_corpus(work / "memory-x1", 1)
    large = build_corpus(work / f"memory-x{scale}", scale)
    rows = []
    for name, form in (("validate JSON list", "list"), ("validate JSON package", "package"),
                       ("validate JSON Lines", "jsonl"), ("validate CSV folder", "csv")):
        peaks = [run_process(cli("validate", "--format", "json", str(paths[form])))[1]
                 for paths in (small, large)]
        rows.append((name, peaks[0], peaks[1]))
    for name, form, target in (("convert CSV folder to JSON Lines", "csv", "out.jsonl"),
                               ("convert JSON list to CSV folder", "list", "out-csv")):
        peaks = [run_process(cli("convert", str(paths[form]), str(work / target)))[1]
                 for paths in (small, large)]
        rows.append((name, peaks[0], peaks[1]))
    return rows


def main(argv: list[str] | None = None) -> None:
    """Build the corpus, measure, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10, help="copies of the export (default 10)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (default 5)")
    parser.add_argument("--memory", type=int, default=0, metavar="M",
                        help="also compare peak RSS of validate and convert on xM with x1")
    parser.add_argument("--sample", type=int, default=0, metavar="K",
                        help="use every K-th record of the export only (for a quick smoke run)")
    parser.add_argument("--work", type=Path, help="where to write the corpus (default: a temporary folder)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="indigo-bench-"))
    try:
        start = time.perf_counter()
        paths = build_corpus(work / f"x{args.scale}", args.scale, args.sample)
        version = (work / f"x{args.scale}" / "version").read_text()
        size = paths["list"].stat().st_size
        print(f"corpus: real export x{args.scale}, {size / 1e6:.1f} MB as a JSON list, schema {version}, "
              f"built in {time.perf_counter() - start:.1f} s; {os.cpu_count()} CPUs; median of {args.repeat}")
        print()
        print(f"{'in-process operation':<36}{'seconds':>10}{'x json.loads':>15}")
        inner = in_process(paths, version, args.repeat, work)
        floor = inner["json.loads (floor)"]
        for name, seconds in inner.items():
            print(f"{name:<36}{seconds:>10.3f}{seconds / floor:>15.2f}")
        print()
        print(f"{'whole process':<36}{'seconds':>10}{'x json.load':>15}{'peak RSS MiB':>15}")
        outer = processes(paths, version, args.repeat, work)
        base = outer["json.load process (floor)"][0]
        for name, (seconds, peak) in outer.items():
            print(f"{name:<36}{seconds:>10.3f}{seconds / base:>15.2f}{peak:>15}")
        validate = outer["validate JSON list"][0]
        alternative = outer["jsonschema, record by record"][0]
        parallel = outer["validate JSON list --jobs 2"][0]
        print()
        print("targets:")
        print(f"  validate / json.load process       {validate / base:6.2f}  (target ≤ 3)")
        print(f"  jsonschema alternative / validate  {alternative / validate:6.2f}  (target ≥ 10)")
        schema_only = outer["validate JSON list, schema only"][0]
        print(f"  jsonschema alternative / validate, schema only  {alternative / schema_only:6.2f}")
        typed = inner["typed load, every record"] / floor
        print(f"  typed load / json.loads            {typed:6.2f}  (target ≤ 5)")
        print(f"  speed-up of --jobs 2               {validate / parallel:6.2f}")
        if args.memory:
            print()
            print(f"{'peak RSS MiB':<36}{'x1':>10}{f'x{args.memory}':>10}{'ratio':>10}  (target ≤ 1.5)")
            for name, small, large in memory(args.memory, work):
                print(f"{name:<36}{small:>10}{large:>10}{large / small:>10.2f}")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

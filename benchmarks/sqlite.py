"""Benchmark: converting to SQLite against converting the same data to a CSV folder, on x1 and xN.

Usage: ``python benchmarks/sqlite.py [--scale N] [--repeat R] [--sample K] [--work DIR]``.

It builds the corpus of ``benchmarks/run.py`` (the real export, with fresh ids in each
copy) at x1 and at x``N`` (default 50, about 100,000 records), then runs
``indigo-standard convert corpus.json out.sqlite`` and ``indigo-standard convert corpus.json
out/`` as whole processes, ``R`` times each, interleaved (x1 SQLite, x1 CSV, xN SQLite, xN
CSV, then again), so that a machine whose speed drifts affects both alike. It prints the
median wall time and the largest peak RSS of each, and the ratios the issue sets targets
for: peak RSS of SQLite on xN against x1 (target at most 1.5) and the time of SQLite
against CSV on the same corpus (target at most 2).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import build_corpus, cli, run_process

TARGETS = {"sqlite": "out.sqlite", "csv": "out-csv"}


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def measure(
    corpora: dict[int, Path], repeat: int, work: Path
) -> dict[tuple[int, str], list[tuple[float, int]]]:
    """(seconds, peak RSS MiB) of every run, by (scale, output form), the runs interleaved."""
    runs: dict[tuple[int, str], list[tuple[float, int]]] = {}
    for _ in range(repeat):
        for scale, source in corpora.items():
            for form, name in TARGETS.items():
                target = work / f"x{scale}-{name}"
                _remove(target)
                seconds, peak, code = run_process(cli("convert", str(source), str(target)))
                assert code == 0, f"convert to {form} failed"
                runs.setdefault((scale, form), []).append((seconds, peak))
                _remove(target)
    return runs


def main(argv: list[str] | None = None) -> None:
    """Build the corpora, measure, print the table and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=50, help="copies of the export in the large corpus")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each conversion (default 3)")
    parser.add_argument(
        "--sample",
        type=int,
        default=0,
        metavar="K",
        help="use every K-th record of the export only (for a quick smoke run)",
    )
    parser.add_argument("--work", type=Path, help="where to write the corpora (default: a temporary folder)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="indigo-bench-sqlite-"))
    try:
        start = time.perf_counter()
        corpora = {
            scale: build_corpus(work / f"x{scale}", scale, args.sample)["list"]
            for scale in sorted({1, args.scale})
        }
        sizes = ", ".join(f"x{scale} {path.stat().st_size / 1e6:.1f} MB" for scale, path in corpora.items())
        print(
            f"corpus: real export as a JSON list, {sizes}; built in {time.perf_counter() - start:.0f} s; "
            f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}; "
            f"{args.repeat} interleaved runs each"
        )
        runs = measure(corpora, args.repeat, work)
        print()
        columns = f"{'scale':>6}{'median s':>10}{'min s':>8}{'max s':>8}{'peak RSS MiB':>14}"
        print(f"{'convert JSON list to':<24}{columns}")
        seconds: dict[tuple[int, str], float] = {}
        peaks: dict[tuple[int, str], int] = {}
        for (scale, form), found in sorted(runs.items()):
            times = [s for s, _ in found]
            seconds[scale, form] = statistics.median(times)
            peaks[scale, form] = max(p for _, p in found)
            print(
                f"{form:<24}{'x' + str(scale):>6}{seconds[scale, form]:>10.2f}{min(times):>8.2f}"
                f"{max(times):>8.2f}{peaks[scale, form]:>14}"
            )
        large = args.scale
        print()
        print("targets:")
        print(
            f"  peak RSS, SQLite x{large} / x1           {peaks[large, 'sqlite'] / peaks[1, 'sqlite']:6.2f}"
            "  (target ≤ 1.5)"
        )
        print(f"  peak RSS, CSV folder x{large} / x1       {peaks[large, 'csv'] / peaks[1, 'csv']:6.2f}")
        for scale in sorted(corpora):
            ratio = seconds[scale, "sqlite"] / seconds[scale, "csv"]
            print(f"  time, SQLite / CSV folder, x{scale:<8}{ratio:6.2f}  (target ≤ 2)")
        print(f"(load average at the end: {os.getloadavg()[0]:.1f})")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""How fast the Hypothesis strategies generate records, and how that compares with an older version.

Usage: ``python benchmarks/strategies.py [--examples N] [--runs R] [--against REV]``.

For each strategy (projects, organisations, funds, pipelines and, where the module has
them, dataset packages) it runs a Hypothesis test with ``N`` examples in the generate
phase only (no shrinking, no example database, no deadline), as a downstream test would,
and prints the records generated per second. Each strategy runs ``R`` times (3) and the
fastest run counts: this machine is shared, and the slower runs are the noise. With
``--against``, runs of the old and the new strategies take turns.

``--against REV`` also loads ``indigo_standard/strategies.py`` as it was at git revision
``REV`` (for example ``734fc32``, before the speed-up), times it the same way in the same
process against the same model, and prints the ratio new / old for each strategy.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

from indigo_standard import strategies  # noqa: E402

NAMES = ("projects", "organisations", "funds", "pipelines", "packages")


def baseline(revision: str) -> ModuleType:
    """``indigo_standard/strategies.py`` as it was at ``revision``, imported beside today's package."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{revision}:indigo_standard/strategies.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    folder = Path(tempfile.mkdtemp(prefix="strategies-baseline-"))
    path = folder / "strategies.py"
    path.write_text(source, encoding="utf-8")
    name = "indigo_standard._strategies_baseline"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def once(make: Callable[[], Any], examples: int) -> float:
    """Examples per second of one generate-only Hypothesis run of ``make()``."""
    count = 0

    @settings(
        max_examples=examples,
        phases=[Phase.generate],
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(make())
    def draw(example: Any) -> None:
        nonlocal count
        count += 1

    start = time.perf_counter()
    draw()
    return count / (time.perf_counter() - start)


def rates(makers: list[Callable[[], Any]], examples: int, runs: int = 3) -> list[float]:
    """The best rate of each strategy over ``runs`` rounds, taking turns so that a burst of load
    on this shared machine slows all of them alike."""
    best = [0.0] * len(makers)
    for _ in range(runs):
        for index, make in enumerate(makers):
            best[index] = max(best[index], once(make, examples))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=50, help="examples per run (default 50)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each strategy, best counts (default 3)")
    parser.add_argument("--against", metavar="REV", help="also time the strategies of this git revision")
    args = parser.parse_args()
    old = baseline(args.against) if args.against else None
    header = f"{'strategy':<16}{'per second':>12}"
    if old is not None:
        header += f"{'at ' + args.against:>16}{'ratio':>8}"
    print(header)
    for name in NAMES:
        if not hasattr(strategies, name):
            continue
        makers = [getattr(strategies, name)]
        if old is not None and hasattr(old, name):
            makers.append(getattr(old, name))
        found = rates(makers, args.examples, args.runs)
        line = f"{name + '()':<16}{found[0]:>12.1f}"
        if len(found) == 2:
            line += f"{found[1]:>16.1f}{found[0] / found[1]:>8.2f}"
        elif old is not None:
            line += f"{'(none)':>16}"
        print(line, flush=True)


if __name__ == "__main__":
    main()

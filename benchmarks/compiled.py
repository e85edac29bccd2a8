"""The compiled form of indigo-standard against pure Python: ``validate`` on the corpus, interleaved.

Usage: ``python benchmarks/compiled.py --compiled PYTHON [--pure PYTHON] [--scale N] [--rounds R]``.

``--compiled`` is the interpreter of a virtual environment with a plain install, which mypyc
compiles where a C compiler is (``pip install '.[fast]'``); ``--pure`` is one whose package
is pure Python (default: this interpreter; an editable install is always pure, and so is
``INDIGO_PURE_PYTHON=1 pip install .``). Each round runs ``validate --format json`` on the
JSON list and on the CSV folder of the corpus of ``benchmarks/run.py``, once with each form,
one after the other, from the work folder (so that no checkout shadows an installed
package). It prints the median seconds of each and the median of the per-round ratios
compiled / pure: docs/performance.md keeps mypyc only if it saves at least 15%.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import build_corpus, run_process

FORM = "import indigo_standard.checks.walk as w; print('compiled' if w.__file__.endswith('.so') else 'pure')"


def form_of(python: str, work: Path) -> str:
    """Whether ``python`` imports the compiled or the pure form."""
    done = subprocess.run([python, "-c", FORM], capture_output=True, text=True, check=True, cwd=work)
    return done.stdout.strip()


def main(argv: list[str] | None = None) -> None:
    """Build the corpus, run both forms in rounds, print the medians and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compiled", required=True, metavar="PYTHON",
                        help="interpreter of the compiled form")
    parser.add_argument("--pure", default=sys.executable, metavar="PYTHON", help="interpreter of pure Python")
    parser.add_argument("--scale", type=int, default=10, help="copies of the export (default 10)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--work", type=Path, help="where to write the corpus (default: a temporary folder)")
    args = parser.parse_args(argv)
    work = (args.work or Path(tempfile.mkdtemp(prefix="indigo-compiled-"))).resolve()
    try:
        paths = build_corpus(work / f"x{args.scale}", args.scale)
        forms = {"pure": args.pure, "compiled": args.compiled}
        for name, python in forms.items():
            found = form_of(python, work)
            if found != name:
                raise SystemExit(f"{python} imports the {found} form, not the {name} one")
        seconds: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.rounds):
            for source in ("list", "csv"):
                for name, python in forms.items():
                    command = [python, "-m", "indigo_standard", "validate", "--format", "json",
                               str(paths[source])]
                    seconds.setdefault((source, name), []).append(run_process(command, cwd=work)[0])
        print(f"x{args.scale}, {args.rounds} rounds: median seconds, and compiled / pure per round")
        for source in ("list", "csv"):
            pure, built = seconds[(source, "pure")], seconds[(source, "compiled")]
            ratios = [b / a for a, b in zip(pure, built, strict=True)]
            print(f"  validate {source:<5} pure {statistics.median(pure):6.3f}  compiled "
                  f"{statistics.median(built):6.3f}  ratio {statistics.median(ratios):.2f} "
                  f"({min(ratios):.2f}-{max(ratios):.2f})")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

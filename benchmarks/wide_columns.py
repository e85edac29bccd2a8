"""Writing flat output is linear in the number of columns: time per cell as unknown columns grow.

For 500 rows with 500, 1,000 and 2,000 columns kept under ``extra_columns``, times
``write_csv_folder`` (and with ``--xlsx`` also ``write_xlsx``) against the obvious
alternative, ``csv.writer`` writing the same cells to one file, and prints each time, its
ratio to the alternative, and the time per cell, which stays flat when writing is linear
(before issue 17 the CSV writer took 5.7, 16.7 and 57.9 s: quadratic).

    python benchmarks/wide_columns.py [--rows 500] [--xlsx]
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from indigo_standard.flat import write_csv_folder, write_xlsx


def records(rows: int, columns: int) -> list[dict[str, Any]]:
    """Organisations with ``columns`` unknown columns each."""
    return [
        {
            "id": f"INDIGO-ORG-{n:05d}",
            "name": {"value": f"Organisation {n}"},
            "extra_columns": {f"Column {c}": f"value {n}.{c}" for c in range(columns)},
        }
        for n in range(rows)
    ]


def plain_csv(data: list[dict[str, Any]], path: Path) -> None:
    """The alternative: the same cells through ``csv.writer``, no layout, no spooling."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        header = list(data[0]["extra_columns"])
        writer.writerow(["ID", "Name", *header])
        for record in data:
            writer.writerow([record["id"], record["name"]["value"], *record["extra_columns"].values()])


def seconds(call: Callable[[], None]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--xlsx", action="store_true", help="also time write_xlsx (slow: openpyxl, per cell)")
    args = parser.parse_args()
    print(f"{'columns':>8} {'writer':>12} {'seconds':>9} {'csv.writer':>11} {'ratio':>7} {'us/cell':>8}")
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        for columns in (500, 1000, 2000):
            data = records(args.rows, columns)
            cells = args.rows * (columns + 2)
            floor = seconds(lambda: plain_csv(data, folder / "plain.csv"))  # noqa: B023 (called at once)
            writers: list[tuple[str, Callable[[], None]]] = [
                ("CSV folder", lambda: write_csv_folder(data, folder / f"csv{columns}", "4.1")),  # noqa: B023
            ]
            if args.xlsx:
                writers.append(("XLSX", lambda: write_xlsx(data, folder / f"book{columns}.xlsx", "4.1")))  # noqa: B023
            for name, call in writers:
                took = seconds(call)
                print(
                    f"{columns:>8} {name:>12} {took:>9.3f} {floor:>11.3f} {took / floor:>7.2f} "
                    f"{took / cells * 1e6:>8.2f}"
                )


if __name__ == "__main__":
    main()

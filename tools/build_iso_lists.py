"""Write ``indigo_standard/data/countries.csv`` and ``currencies.csv`` from pycountry (run once per update).

The package reads the committed CSV files; pycountry is needed only to run this script.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pycountry

DATA = Path(__file__).resolve().parent.parent / "indigo_standard" / "data"


def main() -> None:
    rows = {
        "countries.csv": sorted((c.alpha_2, c.name) for c in pycountry.countries),
        "currencies.csv": sorted((c.alpha_3, c.name) for c in pycountry.currencies),
    }
    for name, codes in rows.items():
        with (DATA / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["code", "name"])
            writer.writerows(codes)


if __name__ == "__main__":
    main()

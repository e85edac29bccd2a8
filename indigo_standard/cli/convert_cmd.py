"""``indigo-standard convert``: between JSON, JSON Lines, CSV folders, zips, XLSX workbooks and SQLite."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..catalogue import code_info
from ..flat.convert import FORMATS, Summary, convert
from ..versions import LATEST_VERSION, normalise_version


def register(commands: Any) -> None:
    """Add the ``convert`` command."""
    parser = commands.add_parser(
        "convert",
        help="convert between JSON, JSON Lines, CSV export folders, zips, XLSX and SQLite",
        description="Read IN (a JSON record, list or dataset package, JSON Lines, a folder of the "
        "INDIGO CSV export, a zip of one, an XLSX workbook, or a database this command wrote) and "
        "write OUT in the form its name asks for: .json, .jsonl, .zip, .xlsx, .sqlite (a typed, "
        "linked database for analysis), or anything else for a folder of CSVs. A CSV folder or zip "
        "gets a datapackage.json describing its files. The output is written atomically; rows "
        "that belong to no record stop the conversion (exit 1).",
    )
    parser.add_argument("source", metavar="IN", help="the input file or folder")
    parser.add_argument("target", metavar="OUT", help="the output file or folder")
    parser.add_argument("--to", choices=FORMATS, help="the output format, when OUT's name does not say")
    parser.add_argument("--schema-version", metavar="V",
                        help="the version whose titles name the columns (default: the input's own)")
    parser.add_argument("--json-form", choices=("package", "list"), default="package",
                        help="JSON output as a dataset package (default) or a plain list of records")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Convert, streaming, printing what the reader noticed on stderr once the input is read."""

    def accept(summary: Summary) -> bool:
        errors = 0
        for notice in summary.notices:
            info = code_info(notice.code)
            errors += info.severity == "error"
            cell = notice.cell
            print(f"{info.severity}: {cell.file}, row {cell.row}, column {cell.column!r}: "
                  f"{info.message.format(**notice.params)} [{notice.code}]", file=sys.stderr)
        if errors:
            print(f"indigo-standard: error: {errors} row(s) belong to no record; nothing was written",
                  file=sys.stderr)
        return not errors

    summary = convert(args.source, args.target, fmt=args.to, schema_version=args.schema_version,
                      json_form=args.json_form, accept=accept)
    if not summary.written:
        return 1
    given = args.schema_version
    version = normalise_version(given) if given else (summary.version or LATEST_VERSION)
    print(f"wrote {summary.records} record(s) to {args.target} (INDIGO {version})", file=sys.stderr)
    return 0

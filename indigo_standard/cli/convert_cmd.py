"""``indigo-standard convert``: between JSON, JSON Lines, CSV folders, zips, XLSX workbooks and SQLite."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..catalogue import code_info
from ..flat.sheets import sheet_title
from ..flat.sqlite_design import sql_name
from ..versions import LATEST_VERSION, normalise_version
from ..writing.convert import Summary, convert
from ..writing.targets import FORMATS, check_output_name, format_for


def register(commands: Any) -> None:
    """Add the ``convert`` command."""
    parser = commands.add_parser(
        "convert",
        help="convert between JSON, JSON Lines, CSV export folders, zips, XLSX and SQLite",
        description="Read IN (a JSON record, list or dataset package, JSON Lines, a folder of the "
        "INDIGO CSV export, a zip of one, an XLSX workbook, or a database this command wrote) and "
        "write OUT in the form its name asks for: .json, .jsonl, .zip, .xlsx, .sqlite (a typed, "
        "linked database for analysis), or a name without an extension for a folder of CSVs "
        "(--to names the format for any other name). A CSV folder or zip gets a datapackage.json "
        "describing its files. The output is written atomically; rows that belong to no record "
        "stop the conversion (exit 1). Flat output gives back every value: one its layout has no "
        "column for (an unknown key, a value of another kind than its column holds) goes to a "
        "column of its own, headed by its JSON pointer, and is named in a warning.",
    )
    parser.add_argument("source", metavar="IN", help="the input file or folder")
    parser.add_argument("target", metavar="OUT", help="the output file or folder")
    parser.add_argument("--to", choices=FORMATS, help="the output format, when OUT's name does not say")
    parser.add_argument(
        "--schema-version",
        metavar="V",
        help="the version whose titles name the columns (default: the input's own)",
    )
    parser.add_argument(
        "--json-form",
        choices=("package", "list"),
        default="package",
        help="JSON output as a dataset package (default) or a plain list of records",
    )
    parser.set_defaults(run=run)


def accept_notices(summary: Summary) -> bool:
    """Print what the reader noticed in the input on stderr; False (write nothing) when any is an error."""
    errors = orphans = 0
    for notice in summary.notices:
        info = code_info(notice.code)
        errors += info.severity == "error"
        orphans += notice.code == "flat.orphan-row"
        cell = notice.cell
        print(
            f"{info.severity}: {cell.file}, row {cell.row}, column {cell.column!r}: "
            f"{info.message.format(**notice.params)} [{notice.code}]",
            file=sys.stderr,
        )
    if errors:
        found = [f"{orphans} row(s) belong to no record"] if orphans else []
        if errors > orphans:
            found.append(f"{errors - orphans} other error(s) in the input")
        print(f"indigo-standard: error: {' and '.join(found)}; nothing was written", file=sys.stderr)
    return not errors


def _file_of(target: str, fmt: str, sheet: str) -> str:
    """How a warning names one sheet of the flat output: its CSV file, sheet or table."""
    if fmt == "xlsx":
        return f"{target}/{sheet_title(sheet)}"
    if fmt == "sqlite":
        return f"{target}/{sql_name(sheet)}"
    return f"{target}/{sheet}.csv"


def report_kept(summary: Summary, target: str, fmt: str) -> None:
    """Print a warning for each kept column the flat output got (see docs/flat-formats.md), and for a
    package envelope that CSV files and workbooks cannot give back."""
    for column in summary.kept:
        print(f"warning: {column.describe(_file_of(target, fmt, column.sheet))}", file=sys.stderr)
    envelope = [key for key in summary.envelope if key != "schema_version"]
    if envelope and fmt in ("csv", "zip", "xlsx"):
        described = "; datapackage.json describes its licence and publisher" if fmt != "xlsx" else ""
        print(
            f"warning: {target}: CSV files and workbooks hold records only, so the package envelope "
            f"({', '.join(envelope)}) is not read back from them{described}; convert to JSON or "
            "SQLite to keep it",
            file=sys.stderr,
        )


def run(args: argparse.Namespace) -> int:
    """Convert, streaming, printing what the reader noticed on stderr once the input is read."""
    check_output_name(args.target, args.to)
    summary = convert(
        args.source,
        args.target,
        fmt=args.to,
        schema_version=args.schema_version,
        json_form=args.json_form,
        accept=accept_notices,
    )
    if not summary.written:
        return 1
    report_kept(summary, args.target, args.to or format_for(Path(args.target)))
    given = args.schema_version
    version = normalise_version(given) if given else (summary.version or LATEST_VERSION)
    print(f"wrote {summary.records} record(s) to {args.target} (INDIGO {version})", file=sys.stderr)
    return 0

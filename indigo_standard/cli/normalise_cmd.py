"""``indigo-standard normalise``: fix common formatting mistakes and report every change."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..publishing.normalise import NormaliseReport, normalise, normalise_sourced
from ..publishing.packages import collect
from ..writing.convert import convert
from ..writing.json_files import is_single_json, read_whole_json, records_in, write_result
from ..writing.targets import check_output, check_output_name, format_for
from .convert_cmd import accept_notices, report_kept

FLAT_SUFFIXES = (".csv", ".zip", ".xlsx", ".xlsm")
FLAT_FORMATS = ("csv", "zip", "xlsx")


def register(commands: Any) -> None:
    """Add the ``normalise`` command."""
    parser = commands.add_parser(
        "normalise",
        help="fix amounts, currencies, dates, country names and codelist values written the wrong way",
        description="Rewrite values publishers commonly get wrong (amounts such as '250k' or 'GBP 1.2m', "
        "dates such as 'March 2019', country names, codelist values in the wrong letter case) into the "
        "standard's form, and list every change. Values that cannot be read are left as they are and "
        "listed; the exit code is then 1. Spreadsheets (a CSV export folder or zip, an XLSX workbook) "
        "are written back in the form OUT's name asks for, usually the same, and each change names "
        "its file, row and column.",
    )
    parser.add_argument(
        "input",
        metavar="IN",
        help="a record, list, package or JSON Lines file, a CSV export folder or zip, an XLSX workbook, "
        "or a folder of such files",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        required=True,
        help="the file or folder to write: .json, .jsonl, .xlsx, .zip, or a folder name for CSV files",
    )
    order = parser.add_mutually_exclusive_group()
    order.add_argument(
        "--dayfirst",
        action="store_const",
        const="dayfirst",
        dest="order",
        help="read numeric dates such as 01/03/2019 as day/month/year",
    )
    order.add_argument(
        "--monthfirst",
        action="store_const",
        const="monthfirst",
        dest="order",
        help="read numeric dates such as 03/01/2019 as month/day/year",
    )
    parser.add_argument(
        "--schema-version", metavar="V", help="the version of the records (default: as declared, else latest)"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="how to print the report")
    parser.set_defaults(run=run, order=None)


def _is_flat(path: Path) -> bool:
    from ..flat.sources import is_flat_folder

    return is_flat_folder(path) if path.is_dir() else path.suffix.lower() in FLAT_SUFFIXES


def run(args: argparse.Namespace) -> int:
    """Normalise, write the output and print the report; exit 1 if any value was left unread."""
    source = Path(args.input)
    report = NormaliseReport()
    options: dict[str, Any] = {"schema_version": args.schema_version, "order": args.order, "report": report}
    check_output_name(args.output, None)
    if _is_flat(source) or format_for(Path(args.output)) in FLAT_FORMATS:
        target = Path(args.output)
        summary = convert(
            source,
            target,
            schema_version=args.schema_version,
            accept=accept_notices,
            transform=lambda item: normalise_sourced(item, **options),
        )
        if not summary.written:
            return 1
        report_kept(summary, args.output, format_for(target))
    else:
        target = check_output(args.output)
        if is_single_json(source):
            result = normalise(read_whole_json(source), **options)
        else:
            packages, loose = collect([source])
            result = [r for _, package in packages for r in records_in(normalise(package, **options))]
            result += [normalise(record, **options) for record, _ in loose]
        write_result(result, target)
    if args.format == "json":
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
    else:
        for change in report.changes:
            sys.stdout.write(change.describe() + "\n")
        sys.stdout.write(
            f"fixed {len(report.fixed)} values, left {len(report.left)} for you to check; wrote {target}\n"
        )
    return 1 if report.left else 0

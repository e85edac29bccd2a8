"""``indigo-standard validate``: check files against the schema and report."""

from __future__ import annotations

import argparse
import sys
from typing import IO, Any

from ..checks.registry import parse_codes
from ..detect import RECORD_TYPES
from ..report.json_writer import report_body, write_json
from ..report.text import PLAIN, TextStyle, summary_line, write_text
from ..validation.issue_store import StreamedReport
from ..validation.validate import Validation
from ..writing.atomic import output_file
from ..writing.targets import checked_output
from .inputs import iter_inputs
from .progress import progress


def register(commands: Any) -> None:
    """Add the ``validate`` command."""
    parser = commands.add_parser(
        "validate",
        help="validate INDIGO data and report every problem",
        description="Validate records, lists of records, dataset packages, JSON Lines files, CSV "
        "export folders or zips and XLSX workbooks (or folders of them); - reads JSON from standard "
        "input. Exit 0: no errors; 1: the data has errors; 2: could not run.",
    )
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="files or folders to validate (- for JSON on standard input)"
    )
    parser.add_argument("--schema-version", metavar="V", help="the version to validate against, e.g. 4.1")
    parser.add_argument("--type", choices=RECORD_TYPES, help="the record type, when ids do not tell")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="report format")
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the report to FILE instead of standard output (nothing is printed)",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print only the summary line (the report still goes to -o FILE)",
    )
    add_selection_arguments(parser)
    parser.set_defaults(run=run)


def positive_int(text: str) -> int:
    """A whole number of at least 1, for --max-issues."""
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, found {text!r}")
    return int(text)


def add_selection_arguments(parser: argparse.ArgumentParser) -> None:
    """Add --skip, --only and --max-issues (shared with the report command)."""
    parser.add_argument(
        "--skip",
        action="append",
        metavar="CODE",
        help="leave out issues with this code (repeat, or separate codes with commas)",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="CODE",
        help="report only issues with this code (repeat, or separate codes with commas)",
    )
    parser.add_argument(
        "--max-issues",
        type=positive_int,
        metavar="N",
        help="keep at most N issues; the report says when it is partial",
    )


def selection_options(args: argparse.Namespace) -> dict[str, Any]:
    """The Validation options that --skip, --only and --max-issues ask for."""
    return {
        "skip": parse_codes(args.skip),
        "only": parse_codes(args.only),
        "max_issues": args.max_issues,
    }


def run(args: argparse.Namespace) -> int:
    """Validate and print (or write) the report; the exit code says whether errors were found.

    The report is written from the run's issue store while it is read back, so that
    however many issues there are, few are in memory at once.
    """
    target = checked_output(args.output) if args.output else None
    settings = {"schema_version": args.schema_version, "entity": args.type, **selection_options(args)}
    with Validation(**settings) as validation:
        with progress(lambda: validation.records, "validate"):
            for item in iter_inputs(args.paths, args.schema_version):
                validation.add(item)
            report = validation.finish()
        if target is not None:
            with output_file(target) as out:
                write_report(report, args.format, out, PLAIN)
        if args.quiet:
            style = TextStyle.for_stream(sys.stdout)
            verdict = "Valid" if report.valid else "Invalid"
            sys.stdout.write(style.paint(summary_line(report), verdict, verdict) + "\n")
        elif target is None:
            write_report(report, args.format, sys.stdout, TextStyle.for_stream(sys.stdout))
    return 0 if report.valid else 1


def write_report(report: StreamedReport, form: str, out: IO[str], style: TextStyle) -> None:
    """Write the report as JSON or as text laid out in ``style``."""
    if form == "json":
        write_json(report_body(report), out)
        out.write("\n")
    else:
        write_text(report, out, style)

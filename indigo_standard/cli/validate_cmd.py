"""``indigo-standard validate``: check files against the schema and report."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..checks.registry import parse_codes
from ..detect import RECORD_TYPES
from ..reading import iter_paths
from ..validation.parallel import check_parallel
from ..validation.report_stream import report_body, write_json, write_text
from ..validation.validate import Validation


def register(commands: Any) -> None:
    """Add the ``validate`` command."""
    parser = commands.add_parser(
        "validate",
        help="validate INDIGO data and report every problem",
        description="Validate records, lists of records, dataset packages or JSON Lines files "
        "(or folders of them). Exit 0: no errors; 1: the data has errors; 2: could not run.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to validate")
    parser.add_argument("--schema-version", metavar="V", help="the version to validate against, e.g. 4.1")
    parser.add_argument("--type", choices=RECORD_TYPES, help="the record type, when ids do not tell")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="report format")
    parser.add_argument("--jobs", type=positive_int, default=1, metavar="N",
                        help="check records in N processes (the report is the same; default 1)")
    add_selection_arguments(parser)
    parser.set_defaults(run=run)


def positive_int(text: str) -> int:
    """A whole number of at least 1, for --max-issues and --jobs."""
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, found {text!r}")
    return int(text)


def add_selection_arguments(parser: argparse.ArgumentParser) -> None:
    """Add --skip, --only and --max-issues (shared with the report command)."""
    parser.add_argument("--skip", action="append", metavar="CODE",
                        help="leave out issues with this code (repeat, or separate codes with commas)")
    parser.add_argument("--only", action="append", metavar="CODE",
                        help="report only issues with this code (repeat, or separate codes with commas)")
    parser.add_argument("--max-issues", type=positive_int, metavar="N",
                        help="keep at most N issues; the report says when it is partial")


def selection_options(args: argparse.Namespace) -> dict[str, Any]:
    """The Validation options that --skip, --only and --max-issues ask for."""
    return {
        "skip": parse_codes(args.skip),
        "only": parse_codes(args.only),
        "max_issues": args.max_issues,
    }


def run(args: argparse.Namespace) -> int:
    """Validate and print the report; the exit code says whether errors were found.

    The report is written from the run's issue store while it is read back, so that
    however many issues there are, few are in memory at once.
    """
    settings = {"schema_version": args.schema_version, "entity": args.type, **selection_options(args)}
    with Validation(**settings) as validation:
        if args.jobs > 1:
            check_parallel(validation, args.paths, args.jobs, settings)
        else:
            for item in iter_paths(args.paths, args.schema_version):
                validation.add(item)
        report = validation.finish()
        if args.format == "json":
            write_json(report_body(report), sys.stdout)
            sys.stdout.write("\n")
        else:
            write_text(report, sys.stdout)
    return 0 if report.valid else 1

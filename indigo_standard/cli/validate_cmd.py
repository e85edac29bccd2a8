"""``indigo-standard validate``: check files against the schema and report."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..checks.registry import parse_codes
from ..detect import RECORD_TYPES
from ..validation.parallel import validate_parallel
from ..validation.report import render_text
from ..validation.validate import validate_paths


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
    """Validate and print the report; the exit code says whether errors were found."""
    options = selection_options(args)
    if args.jobs > 1:
        report = validate_parallel(
            args.paths, args.jobs, schema_version=args.schema_version, entity=args.type, **options
        )
    else:
        report = validate_paths(args.paths, schema_version=args.schema_version, entity=args.type, **options)
    if args.format == "json":
        sys.stdout.write(report.to_json() + "\n")
    else:
        sys.stdout.write(render_text(report))
    return 0 if report.valid else 1

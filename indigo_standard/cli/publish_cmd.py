"""``indigo-standard publish``: keep only what the public, or one sandbox, may see."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..publishing.filter import MISSING_STATUS_CHOICES, FilterSummary, publish
from ..publishing.output import check_output, is_single_json, read_whole_json, records_in, write_result
from ..publishing.packages import collect


def register(commands: Any) -> None:
    """Add the ``publish`` command."""
    parser = commands.add_parser(
        "publish",
        help="keep only the values whose status makes them public (or visible in one sandbox)",
        description="Write the public view of INDIGO data: values, list items and records whose status "
        "is not PUBLIC are removed (SANDBOX ones are kept for the sandbox named with --sandbox), "
        "status and sandbox fields are dropped, and sources nothing refers to any more are removed. "
        "See docs/publishing.md for the rule.",
    )
    parser.add_argument("input", metavar="IN", help="a record, list, package, JSON Lines file or folder")
    parser.add_argument(
        "-o", "--output", metavar="OUT", required=True, help="the .json or .jsonl file to write"
    )
    parser.add_argument("--sandbox", metavar="NAME", help="also keep SANDBOX values listed for this sandbox")
    parser.add_argument(
        "--missing-status",
        choices=MISSING_STATUS_CHOICES,
        default="private",
        help="how to treat a record with no status at all (default: private, so it is left out); "
        "use 'public' for data that was filtered before, such as the public GO Lab export",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Filter the input and write the result; exit 0 (the filter itself cannot find errors)."""
    source = Path(args.input)
    target = check_output(args.output)
    summary = FilterSummary()
    if is_single_json(source):
        result = publish(
            read_whole_json(source), args.sandbox, missing_status=args.missing_status, summary=summary
        )
    else:
        packages, loose = collect([source])
        records = [r for _, package in packages for r in records_in(package)] + [r for r, _ in loose]
        result = publish(records, args.sandbox, missing_status=args.missing_status, summary=summary)
    write_result(result, target)
    print_summary(summary, target, args.sandbox)
    return 0


def print_summary(summary: FilterSummary, target: Path, sandbox: str | None) -> None:
    """Say what was kept and removed, and warn about statuses that are not codes."""
    total = summary.records_kept + summary.records_removed
    view = f"sandbox {sandbox!r}" if sandbox else "public"
    sys.stdout.write(
        f"{view} view: kept {summary.records_kept} of {total} records; removed "
        f"{summary.records_removed} records, {summary.values_removed} values and items, "
        f"{summary.sources_removed} unreferenced sources\n"
    )
    for status, count in sorted(summary.unknown_statuses.items()):
        sys.stdout.write(
            f"warning: {count} with status {status}, which is not a code of the standard; "
            "treated as private (run normalise to fix letter case)\n"
        )
    sys.stdout.write(f"wrote {target}\n")

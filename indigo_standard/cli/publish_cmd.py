"""``indigo-standard publish``: keep only what the public, or one sandbox, may see."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any

from ..jsonstream import open_stream
from ..publishing.filter import MISSING_STATUS_CHOICES, PACKAGE_WITHHELD, FilterSummary, publish_items
from ..reading.inputs import iter_path
from ..reading.records import NOTICES_ONLY, SourcedRecord
from ..versions import SUPPORTED_VERSIONS
from ..writing.convert import write_json_lines, write_json_list, write_package
from ..writing.json_files import is_json_lines, is_single_json, write_json
from ..writing.targets import check_output

EXIT_NOTHING_KEPT = 1
"""The exit code when no record may be published: nothing is written (see docs/publishing.md)."""


def register(commands: Any) -> None:
    """Add the ``publish`` command."""
    parser = commands.add_parser(
        "publish",
        help="keep only the values whose status makes them public (or visible in one sandbox)",
        description="Write the public view of INDIGO data: records, values and list items whose "
        "status is not PUBLIC are withheld (SANDBOX ones are kept for the sandbox named with "
        "--sandbox), as is anything the schema does not define there; status and sandbox fields, "
        "list items' source ids and sources only withheld values cite are removed. Exits 1 and "
        "writes nothing when no record may be published. See docs/publishing.md for the rules.",
    )
    parser.add_argument(
        "input",
        metavar="IN",
        help="a record, list, package, JSON Lines file, CSV folder, "
        "zip, XLSX workbook or a folder of such files",
    )
    parser.add_argument(
        "-o", "--output", metavar="OUT", required=True, help="the .json or .jsonl file to write"
    )
    parser.add_argument("--sandbox", metavar="NAME", help="also keep SANDBOX values listed for this sandbox")
    parser.add_argument(
        "--missing-status",
        choices=MISSING_STATUS_CHOICES,
        default="private",
        help="how to treat a record, value or list item that has no status where the schema gives "
        "it one (default: private, so it is withheld); 'public' publishes them at every level: use "
        "it for data that carries no statuses, such as the public GO Lab export",
    )
    parser.add_argument(
        "--schema-version",
        metavar="V",
        choices=SUPPORTED_VERSIONS,
        help="the version the records follow when no package declares one (default: the version "
        "each record shows, else the latest)",
    )
    parser.set_defaults(run=run)


class _NothingKept(Exception):
    """Raised through a writer so that it abandons its output."""


def _top_level(path: Path) -> str:
    """The first character of a JSON file: ``[`` for a list, ``{`` for a record or a package."""
    with path.open("rb") as handle:
        return open_stream(handle, str(path)).peek()


def run(args: argparse.Namespace) -> int:
    """Filter the input as it streams and write the result; when no record is kept, write nothing, exit 1."""
    source = Path(args.input)
    target = check_output(args.output)
    sandbox = args.sandbox.strip() if args.sandbox else None
    summary = FilterSummary()
    notices = [0]
    envelopes: list[SourcedRecord] = []

    def records() -> Iterator[SourcedRecord]:
        read = _counting(iter_path(source, args.schema_version), notices)
        for item in publish_items(
            read,
            sandbox,
            missing_status=args.missing_status,
            schema_version=args.schema_version,
            summary=summary,
        ):
            if item.entity == "package":
                envelopes.append(item)
                continue
            yield item
        if summary.records_kept == 0:
            raise _NothingKept

    shape = _top_level(source) if is_single_json(source) else "["
    try:
        if is_json_lines(target):
            write_json_lines(records(), target)
        elif shape == "[":
            write_json_list(records(), target)
        else:  # one record or a package: the envelope, if any, comes before the first record
            stream = records()
            first = next(stream)
            if envelopes:
                write_package(chain([first], stream), target, lambda: envelopes[-1].data)
            else:
                write_json(first.data, target)
    except _NothingKept:
        print_summary(summary, None, sandbox, args.missing_status, notices[0])
        print(nothing_kept(summary, args.missing_status), file=sys.stderr)
        return EXIT_NOTHING_KEPT
    print_summary(summary, target, sandbox, args.missing_status, notices[0])
    return 0


def _counting(items: Iterable[SourcedRecord], notices: list[int]) -> Iterator[SourcedRecord]:
    for item in items:
        notices[0] += len(item.notices)
        if item.entity != NOTICES_ONLY:
            yield item


def nothing_kept(summary: FilterSummary, missing_status: str) -> str:
    """The message for a run that keeps no record: why, most likely, and what to do."""
    total = summary.records_kept + summary.records_removed
    lead = "indigo-standard: error: no record may be published, so nothing was written"
    if total == 0:
        return f"{lead}: the input holds no records"
    if any(place.startswith(PACKAGE_WITHHELD) for place in summary.withheld):
        return f"{lead}: the package's own status is not PUBLIC, so all of it is withheld"
    if summary.records_without_status == total and missing_status != "public":
        return (
            f"{lead}: none of the {total} records has a status. If the data carries no statuses "
            "and may all be seen (as the public GO Lab export), run again with --missing-status public"
        )
    return (
        f"{lead}: none of the {total} records has the status PUBLIC ({summary.records_without_status} "
        "have none). Mark the records to publish PUBLIC, or use --missing-status public if the "
        "data carries no statuses"
    )


def print_summary(
    summary: FilterSummary, target: Path | None, sandbox: str | None, missing_status: str, notices: int
) -> None:
    """Say what was kept and withheld, what could not be classified, and which statuses were respelled."""
    total = summary.records_kept + summary.records_removed
    view = f"sandbox {sandbox!r}" if sandbox else "public"
    out = sys.stdout
    out.write(
        f"{view} view: kept {summary.records_kept} of {total} records; withheld "
        f"{summary.records_removed} records, {summary.values_removed} values and items, "
        f"{summary.sources_removed} sources only withheld values cite\n"
    )
    if missing_status == "public":
        out.write(
            f"--missing-status public: {summary.missing_made_public} records, values and items "
            "without a status were published as public\n"
        )
    if summary.item_source_ids_removed:
        out.write(
            f"removed the source ids of {summary.item_source_ids_removed} list items "
            "(list items never publish their own)\n"
        )
    if summary.legacy_fields_removed:
        out.write(
            f"removed {summary.legacy_fields_removed} legacy organisation id fields "
            "(org-ids company, charity, other)\n"
        )
    for place, tally in sorted(summary.withheld.items()):
        out.write(f"withheld {place} ({_times(tally.count)}, first at {tally.first})\n")
    for status, count in sorted(summary.unknown_statuses.items()):
        out.write(
            f"warning: status {status} is not a code of the standard; withheld as private ({_times(count)})\n"
        )
    for place, tally in sorted(summary.respelled_statuses.items()):
        out.write(
            f"warning: status {place} ({_times(tally.count)}, first at {tally.first}); "
            "normalise writes the code\n"
        )
    if notices:
        out.write(
            f"note: the reader found {notices} problem(s) in the input itself; run validate to see them\n"
        )
    if target is not None:
        out.write(f"wrote {target}\n")


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"

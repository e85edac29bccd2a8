"""``indigo-standard report``: data quality (issues, priorities, completeness) as text, JSON or HTML."""

from __future__ import annotations

import argparse
import sys
from typing import IO, Any

from ..detect import RECORD_TYPES, detect_entity
from ..errors import InputError
from ..publishing.filter import MISSING_STATUS_CHOICES, publish
from ..reading.records import SourcedRecord
from ..report.html_page import HtmlPage
from ..report.json_writer import LazyObject, report_body, write_json
from ..report.quality import LEVELS, PriorityCounts
from ..report.stats import DatasetStats
from ..report.text import PLAIN, TextStyle, write_dataset_text, write_text
from ..validation.issue_store import StreamedReport
from ..validation.validate import Validation
from ..versions import LATEST_VERSION, normalise_version
from ..writing.atomic import output_file
from ..writing.targets import checked_output
from .inputs import iter_inputs
from .progress import progress
from .validate_cmd import add_selection_arguments, selection_options


def register(commands: Any) -> None:
    """Add the ``report`` command."""
    parser = commands.add_parser(
        "report",
        help="data-quality report: issues, errors by priority per record, completeness",
        description="Report on a dataset: every issue found (grouped), errors by priority for each "
        "record (0: data that breaks the standard; 1 to 3: values not set, by the priority of their "
        "field) with the records that have the most, how many records of each type, the share of "
        "records that fill in each field, field group and list, and how often notes and sources "
        "are given. Exit 0 when the report was made, 2 when it could not be.",
    )
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="DATA",
        help="files or folders to report on (- for JSON on standard input)",
    )
    parser.add_argument("--schema-version", metavar="V", help="the version of the data, e.g. 4.1")
    parser.add_argument("--type", choices=RECORD_TYPES, help="the record type, when ids do not tell")
    parser.add_argument("--format", choices=("text", "json", "html"), default="text", help="report format")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report here (default: stdout)")
    parser.add_argument(
        "--priority",
        type=int,
        choices=LEVELS,
        default=0,
        metavar="P",
        help="rank records by their errors at this priority, 0 to 3 (default 0)",
    )
    parser.add_argument(
        "--public",
        action="store_true",
        help="count the statistics on the public view of each record only (what "
        "`publish` keeps; records without a status are not public, unless --missing-status "
        "public); issues still cover all the data",
    )
    parser.add_argument(
        "--missing-status",
        choices=MISSING_STATUS_CHOICES,
        help="with --public, as for publish: how to treat a record, value or list item that has no "
        "status where the schema gives it one (default: private, so it is left out); 'public' "
        "counts them at every level: use it for data that carries no statuses, such as the public "
        "GO Lab export",
    )
    add_selection_arguments(parser)
    parser.set_defaults(run=run)


def _version(item: SourcedRecord, given: str | None) -> str:
    if item.declared_version is not None:
        return normalise_version(item.declared_version)
    if given:
        return normalise_version(given)
    mapped = getattr(item, "mapping_version", None)
    return str(mapped) if mapped else LATEST_VERSION


def count_record(stats: DatasetStats, item: SourcedRecord, args: argparse.Namespace) -> None:
    """Add one record read to the statistics (its public view with ``--public``)."""
    if item.entity == "package" or not isinstance(item.data, dict):
        return
    entity = detect_entity(item.data, given=args.type, context=item.entity)
    if entity not in RECORD_TYPES:
        return
    data = publish(item.data, missing_status=args.missing_status or "private") if args.public else item.data
    if data is not None:
        stats.add(_version(item, args.schema_version), entity, data)


def run(args: argparse.Namespace) -> int:
    """Read every record once, validating it and counting what it fills in; print or write the report."""
    if args.missing_status is not None and not args.public:
        raise InputError("--missing-status says how --public treats values without a status; add --public")
    target = checked_output(args.output) if args.output else None
    stats = DatasetStats()
    quality = PriorityCounts()
    with Validation(schema_version=args.schema_version, entity=args.type, **selection_options(args)) as check:
        check.issues.observers.append(quality.add)
        with progress(lambda: check.records, "report"):
            for item in iter_inputs(args.paths, args.schema_version):
                check.add(item)
                count_record(stats, item, args)
            report = check.finish()
        if target is not None:
            with output_file(target) as out:
                write_report(args, report, stats, quality, out, PLAIN)
        else:
            write_report(args, report, stats, quality, sys.stdout, TextStyle.for_stream(sys.stdout))
    return 0


def write_report(
    args: argparse.Namespace,
    report: StreamedReport,
    stats: DatasetStats,
    quality: PriorityCounts,
    out: IO[str],
    style: TextStyle,
) -> None:
    """Write the report in the format asked for."""
    if args.format == "json":
        body = LazyObject(
            {
                **stats.to_dict(),
                "public_only": args.public,
                "missing_status": (args.missing_status or "private") if args.public else None,
                "priorities": quality.to_dict(args.priority),
                "validation": report_body(report),
            }
        )
        write_json(body, out)
        out.write("\n")
    elif args.format == "html":
        HtmlPage(report, stats, quality, rank_at=args.priority, public_only=args.public).write(out)
    else:
        write_dataset_text(stats, quality, out, style, rank_at=args.priority, public_only=args.public)
        write_text(report, out, style)

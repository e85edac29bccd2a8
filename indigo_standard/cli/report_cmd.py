"""``indigo-standard report``: dataset statistics and grouped issues, as text, JSON or HTML."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path
from typing import Any

from ..detect import RECORD_TYPES, detect_entity
from ..errors import InputError
from ..flat.atomic import write_text
from ..reading import SourcedRecord, iter_paths
from ..report_html import render_html
from ..report_stats import PRIORITY_LABELS, DatasetStats, mean_share
from ..validation.report import Report, render_text
from ..validation.validate import Validation
from ..versions import LATEST_VERSION, normalise_version
from .validate_cmd import add_selection_arguments, selection_options

WIDTH = 80


def register(commands: Any) -> None:
    """Add the ``report`` command."""
    parser = commands.add_parser(
        "report",
        help="dataset statistics: completeness by priority, records per type, grouped issues",
        description="Report on a dataset: how many records of each type, the share of records that "
        "give a value for each field (grouped by the standard's priority levels), and every issue "
        "found, grouped. Exit 0 when the report was made, 2 when it could not be.",
    )
    parser.add_argument("paths", nargs="+", metavar="DATA", help="files or folders to report on")
    parser.add_argument("--schema-version", metavar="V", help="the version of the data, e.g. 4.1")
    parser.add_argument("--type", choices=RECORD_TYPES, help="the record type, when ids do not tell")
    parser.add_argument("--format", choices=("text", "json", "html"), default="text", help="report format")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report here (default: stdout)")
    add_selection_arguments(parser)
    parser.set_defaults(run=run)


def _version(item: SourcedRecord, given: str | None) -> str:
    if item.declared_version is not None:
        return normalise_version(item.declared_version)
    if given:
        return normalise_version(given)
    mapped = getattr(item, "mapping_version", None)
    return str(mapped) if mapped else LATEST_VERSION


def collect(args: argparse.Namespace) -> tuple[DatasetStats, Report]:
    """Read every record once, validating it and counting what it fills in."""
    stats = DatasetStats()
    with Validation(schema_version=args.schema_version, entity=args.type, **selection_options(args)) as run:
        for item in iter_paths(args.paths):
            run.add(item)
            if item.entity == "package" or not isinstance(item.data, dict):
                continue
            entity = detect_entity(item.data, given=args.type, context=item.entity)
            if entity in RECORD_TYPES:
                stats.add(_version(item, args.schema_version), entity, item.data)
        return stats, run.report()


def render_text_report(stats: DatasetStats, report: Report) -> str:
    """The report for an 80-column terminal."""
    lines = ["Records", ""]
    lines += [f"  {entity:<14}{count:>8}" for entity, count in sorted(stats.records.items())]
    for entity in sorted(stats.records):
        lines += ["", f"Completeness of {entity} records ({stats.records[entity]})", ""]
        for level, shares in stats.by_priority(entity).items():
            label = PRIORITY_LABELS.get(level, level)
            lines.append(f"  {label}: {len(shares)} fields, {mean_share(shares):.0%} filled on average")
            if level == "none":
                continue
            for share in sorted(shares, key=lambda s: (-s.share, s.path)):
                lines.extend(
                    textwrap.wrap(
                        f"{share.share:>5.0%}  {share.title or share.path}",
                        WIDTH,
                        initial_indent="    ",
                        subsequent_indent=" " * 11,
                        break_on_hyphens=False,
                    )
                )
    lines += ["", "Issues", ""]
    return "\n".join(lines) + "\n" + render_text(report)


def write_atomically(path: str, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, so a failure never leaves half a file."""
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{target}: is a directory")
    try:
        write_text(target, text)
    except OSError as error:
        raise InputError(f"{target}: cannot be written ({error.strerror})") from None


def run(args: argparse.Namespace) -> int:
    """Make the report and print or write it."""
    stats, report = collect(args)
    if args.format == "json":
        text = json.dumps({**stats.to_dict(), "validation": report.to_dict()}, indent=2, ensure_ascii=False)
        text += "\n"
    elif args.format == "html":
        text = render_html(stats, report)
    else:
        text = render_text_report(stats, report)
    if args.output:
        write_atomically(args.output, text)
    else:
        sys.stdout.write(text)
    return 0

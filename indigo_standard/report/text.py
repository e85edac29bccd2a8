"""The plain-text report: grouped issues and a summary, for a terminal, a pipe or a file.

On a terminal, lines are wrapped to its width and severities are coloured (unless
``NO_COLOR`` is set); anywhere else each line is written whole and plain, so that tools
such as ``grep`` see every location on one line.
"""

from __future__ import annotations

import io
import os
import shutil
import textwrap
from collections.abc import Mapping
from typing import IO

import attrs

from ..validation.issue_store import StreamedReport, streamed
from ..validation.result import Issue, Report, ReportSummary
from .grouping import ordered_groups
from .quality import LEVELS, PriorityCounts
from .stats import PRIORITY_LABELS, UNRANKED, DatasetStats, FieldShare, mean_share

_WHITESPACE = str.maketrans("\t\n\x0b\x0c\r", "     ")
"""What textwrap turns into spaces, so that a line is one line whether wrapped or not."""

_PAINT = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "Invalid": "\x1b[1;31m", "Valid": "\x1b[1;32m"}
_RESET = "\x1b[0m"


@attrs.frozen
class TextStyle:
    """How text is laid out: wrapped to ``width`` columns (None: never) and coloured or not."""

    width: int | None = None
    colour: bool = False

    @classmethod
    def for_stream(cls, stream: IO[str], environ: Mapping[str, str] = os.environ) -> TextStyle:
        """Wrapping and colour for a terminal; neither for a pipe or a file.

        Colour is left out when ``NO_COLOR`` is set to anything but the empty string.
        """
        try:
            terminal = stream.isatty()
        except (AttributeError, ValueError):
            terminal = False
        if not terminal:
            return cls()
        return cls(width=max(shutil.get_terminal_size().columns, 20), colour=not environ.get("NO_COLOR"))

    def paint(self, line: str, word: str, key: str) -> str:
        """``line`` with its leading ``word`` coloured as ``key`` (when colour is on)."""
        if not self.colour or not line.startswith(word):
            return line
        return _PAINT[key] + word + _RESET + line[len(word) :]


PLAIN = TextStyle()


def plural(count: int, word: str) -> str:
    """``1 record``, ``2 records``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def wrapped(text: str, indent: str, width: int | None, *, hanging: str = "  ") -> list[str]:
    """``text`` after ``indent``, wrapped to ``width`` with ``hanging`` more indent after the first line.

    With no width the text stays on one line (tabs and line breaks become spaces).
    """
    if width is None:
        return [indent + text.translate(_WHITESPACE)] if text else []
    if len(indent) + len(text) <= width and text.isprintable() and text.strip(" ") == text and text:
        return [indent + text]  # what textwrap gives a line that fits, without its cost
    return textwrap.wrap(
        text,
        width,
        initial_indent=indent,
        subsequent_indent=indent + hanging,
        break_long_words=True,
        break_on_hyphens=False,
    )


def location(issue: Issue) -> str:
    """Where an issue is, in words: file, row and column, record, and pointer."""
    parts = []
    if issue.source is not None:
        where = issue.source.file
        if issue.source.row is not None:
            where += f", row {issue.source.row}"
        if issue.source.column:
            where += f", column {issue.source.column!r}"
        parts.append(where)
    if issue.record:
        parts.append(f"{issue.entity or 'record'} {issue.record}")
    elif issue.entity:
        parts.append(issue.entity)
    where = ": ".join(parts)
    if issue.path:
        where = f"{where} at {issue.path}" if where else issue.path
    return where


def summary_line(report: ReportSummary) -> str:
    """The one line that says whether the data is valid, and how many records and issues."""
    return (
        f"{'Valid' if report.valid else 'Invalid'}: {plural(report.records, 'record')} checked "
        f"against INDIGO {report.schema_version}; {plural(report.errors, 'error')}, "
        f"{plural(report.warnings, 'warning')}."
    )


def write_text(report: Report | StreamedReport, out: IO[str], style: TextStyle = PLAIN) -> None:
    """The plain-text report: every group of issues with its locations, then the summary."""
    report = streamed(report)
    store, width = report.issues, style.width
    for group in ordered_groups(store.groups()):
        severity = group.severity.upper()
        times = f" ({plural(group.count, 'issue')})" if group.count > 1 else ""
        lines = wrapped(f"{severity} {group.code}{times}", "", width)
        lines[0] = style.paint(lines[0], severity, group.severity)
        field = group.title or group.field
        if group.title and group.field:
            field = f"{group.title} ({group.field})"
        if field:
            lines.extend(wrapped(f"Field: {field}", "    ", width))
        _write_lines(out, lines)
        for issue in store.members(group):
            where = location(issue)
            if where:
                _write_lines(
                    out, [*wrapped(f"- {where}", "    ", width), *wrapped(issue.message, "      ", width)]
                )
            else:
                _write_lines(out, wrapped(f"- {issue.message}", "    ", width))
        out.write("\n")
    lines = wrapped(summary_line(report), "", width, hanging="")
    lines[0] = style.paint(
        lines[0], "Invalid" if not report.valid else "Valid", "Invalid" if not report.valid else "Valid"
    )
    if report.partial:
        found = report.errors + report.warnings
        kept = "errors first, " if report.errors and report.warnings else ""
        lines.extend(
            wrapped(
                f"Partial report: showing {len(store)} of {found} issues ({kept}--max-issues "
                f"{report.max_issues}); the counts cover them all.",
                "",
                width,
                hanging="",
            )
        )
    if report.by_code:
        by_code = ", ".join(f"{code} {count}" for code, count in sorted(report.by_code.items()))
        lines.extend(wrapped(f"By code: {by_code}", "", width, hanging=""))
    _write_lines(out, lines)


def render_text(report: Report | StreamedReport, style: TextStyle = PLAIN) -> str:
    """The plain-text report as a string (see :func:`write_text`)."""
    out = io.StringIO()
    write_text(report, out, style)
    return out.getvalue()


def _write_lines(out: IO[str], lines: list[str]) -> None:
    if lines:
        out.write("\n".join(lines) + "\n")


PRIORITY_MEANINGS = {
    0: "data that breaks the standard",
    1: "values not set in priority 1 fields",
    2: "values not set in priority 2 fields",
    3: "values not set in priority 3 or unranked fields",
}
TOP_RECORDS = 10


def write_dataset_text(
    stats: DatasetStats,
    quality: PriorityCounts,
    out: IO[str],
    style: TextStyle = PLAIN,
    *,
    rank_at: int = 0,
    public_only: bool = False,
) -> None:
    """The statistics of ``indigo-standard report``: records, errors by priority, completeness."""
    width = style.width
    lines = ["Public records (the publication filter's view)" if public_only else "Records", ""]
    lines += [f"  {entity:<14}{count:>8}" for entity, count in sorted(stats.records.items())]
    if public_only and not stats.records:
        lines.append(
            "  None: no record is public (a record without a status is not; for data that "
            "has no statuses, add --missing-status public)."
        )
    lines += ["", "Errors by priority", ""]
    lines += [f"  {level}  {PRIORITY_MEANINGS[level]:<48}{quality.totals[level]:>8}" for level in LEVELS]
    ranked = quality.ranking(rank_at)
    lines += [
        "",
        f"Records with the most priority {rank_at} errors"
        + (f" (top {TOP_RECORDS} of {len(ranked)})" if len(ranked) > TOP_RECORDS else ""),
        "",
    ]
    if not ranked:
        lines.append(f"  No record has errors at priority {rank_at}.")
    for item in ranked[:TOP_RECORDS]:
        others = ", ".join(f"P{level} {item.counts[level]}" for level in LEVELS if level != rank_at)
        lines.append(f"  {item.counts[rank_at]:>6}  {item.record} ({item.entity or 'record'}; {others})")
    for entity in sorted(stats.records):
        total = stats.records[entity]
        lines += ["", f"Completeness of {entity} records ({total})", ""]
        for level, shares in stats.by_priority(entity).items():
            label = PRIORITY_LABELS.get(level, level)
            lines.append(
                f"  {label}: {plural(len(shares), 'field')}, {mean_share(shares):.0%} filled on average"
            )
            if level == UNRANKED:
                continue
            for share in sorted(shares, key=lambda s: (-s.share, s.path)):
                lines.extend(
                    wrapped(
                        f"{share.share:>5.0%}  {share.title or share.path}", "    ", width, hanging=" " * 7
                    )
                )
        lists = stats.list_shares(entity)
        lines += _share_lines("Lists: records with at least one item", lists, total, width, titles=True)
        notes = stats.annotation_shares(entity)
        lines += _share_lines(
            "Notes and sources: records that fill them in", notes, total, width, titles=False
        )
    lines += ["", "Issues", ""]
    _write_lines(out, lines)


def _share_lines(
    heading: str, shares: list[FieldShare], total: int, width: int | None, *, titles: bool
) -> list[str]:
    """A heading, then each share with its count of records, most filled first."""
    if not shares:
        return []
    lines = ["", f"  {heading}"]
    for share in sorted(shares, key=lambda s: (-s.share, s.path)):
        name = share.title or share.path if titles else share.path
        text = f"{share.share:>5.0%}  {name} ({share.with_value} of {total})"
        lines.extend(wrapped(text, "    ", width, hanging=" " * 7))
    return lines

"""The data quality report as one self-contained HTML page: no scripts, fonts or images from
the network; the bar chart is inline SVG."""

from __future__ import annotations

from html import escape
from typing import Any

from .report_stats import PRIORITY_LABELS, DatasetStats, mean_share
from .validation.grouping import group_issues
from .validation.report import Report

STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:72em}
h1{font-size:1.6em}h2{font-size:1.3em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0 1.5em}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
code{word-break:break-all}table.completeness td:nth-child(3){max-width:28em}
th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums}
.bar{display:inline-block;height:.8em;background:#3a6ea5}
.error{color:#a00}.warning{color:#8a5a00}
"""

COLOURS = {"1": "#1f5f99", "2": "#3a8fd6", "3": "#8cc1ec", "none": "#b8b8b8"}


def _pct(share: float) -> str:
    return f"{share * 100:.0f}%"


def bar_chart(stats: DatasetStats) -> str:
    """An inline SVG bar chart: mean completeness per priority level of each record type."""
    rows: list[tuple[str, str, float]] = []
    for entity in sorted(stats.records):
        for level, shares in stats.by_priority(entity).items():
            rows.append((entity, level, mean_share(shares)))
    bar_h, gap, left, width = 22, 6, 230, 400
    height = len(rows) * (bar_h + gap) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{left + width + 60}" height="{height}" '
        f'aria-label="Mean share of records with a value, by record type and priority">'
    ]
    for index, (entity, level, share) in enumerate(rows):
        y = 10 + index * (bar_h + gap)
        label = f"{entity}, {PRIORITY_LABELS.get(level, level)}"
        parts.append(
            f'<text x="{left - 8}" y="{y + bar_h * 0.7:.0f}" text-anchor="end" font-size="13">'
            f"{escape(label)}</text>"
        )
        parts.append(f'<rect x="{left}" y="{y}" width="{width}" height="{bar_h}" fill="#eee"/>')
        parts.append(
            f'<rect class="bar-{escape(level)}" x="{left}" y="{y}" width="{share * width:.1f}" '
            f'height="{bar_h}" '
            f'fill="{COLOURS.get(level, "#888")}"/>'
        )
        parts.append(
            f'<text x="{left + width + 6}" y="{y + bar_h * 0.7:.0f}" font-size="13">{_pct(share)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _records_table(stats: DatasetStats) -> str:
    rows = "".join(
        f"<tr><td>{escape(entity)}</td><td class=num>{count}</td></tr>"
        for entity, count in sorted(stats.records.items())
    )
    return f"<table><tr><th>Record type</th><th>Records</th></tr>{rows}</table>"


def _completeness_tables(stats: DatasetStats) -> str:
    out = []
    for entity in sorted(stats.records):
        out.append(f"<h3>{escape(entity.capitalize())} ({stats.records[entity]} records)</h3>")
        out.append(
            '<table class="completeness"><tr><th>Priority</th><th>Field</th><th>Path</th>'
            "<th>Records with a value</th><th>Share</th></tr>"
        )
        for level, shares in stats.by_priority(entity).items():
            for share in sorted(shares, key=lambda s: (-s.share, s.path)):
                out.append(
                    f"<tr><td>{escape(PRIORITY_LABELS.get(level, level))}</td><td>{escape(share.title)}</td>"
                    f"<td><code>{escape(share.path)}</code></td><td class=num>{share.with_value}</td>"
                    f'<td class=num><span class="bar" style="width:{share.share * 6:.2f}em"></span> '
                    f"{_pct(share.share)}</td></tr>"
                )
        out.append("</table>")
    return "".join(out)


def _issues_table(report: Report) -> str:
    groups = group_issues(report.issues)
    if not groups:
        return "<p>No issues found.</p>"
    rows = "".join(
        f'<tr><td class="{escape(g.severity)}">{escape(g.severity)}</td>'
        f"<td><code>{escape(g.code)}</code></td>"
        f"<td>{escape(g.entity or '')}</td><td>{escape(g.title or g.field)}</td><td class=num>{g.count}</td>"
        f"<td>{escape(g.issues[0].message)}</td></tr>"
        for g in groups
    )
    head = (
        "<tr><th>Severity</th><th>Code</th><th>Type</th><th>Field</th><th>Count</th><th>For example</th></tr>"
    )
    note = (
        f"<p><strong>Partial:</strong> only the first {len(report.issues)} issues are listed "
        f"(--max-issues {report.max_issues}).</p>"
        if report.partial
        else ""
    )
    return f"{note}<table class=issues>{head}{rows}</table>"


def render_html(stats: DatasetStats, report: Report, title: str = "INDIGO data quality report") -> str:
    """The whole report as one HTML document."""
    summary = (
        f"{report.records} records checked against INDIGO {escape(report.schema_version)}: "
        f"{report.errors} errors, {report.warnings} warnings."
    )
    body: list[Any] = [
        f"<h1>{escape(title)}</h1><p>{summary}</p>",
        "<h2>Records</h2>",
        _records_table(stats),
        "<h2>Completeness by priority</h2>",
        "<p>Average share of records that give a value, over the fields of each priority level.</p>",
        bar_chart(stats),
        "<h2>Completeness of each field</h2>",
        _completeness_tables(stats),
        "<h2>Issues</h2>",
        _issues_table(report),
    ]
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        + "".join(body)
        + "</body></html>\n"
    )

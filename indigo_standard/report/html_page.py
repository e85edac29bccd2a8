"""The data-quality report as one self-contained HTML page: a triage tool for publishers.

The page opens from disk and loads nothing (a Content-Security-Policy forbids it): its
style and its little script are inline. It reads top to bottom:

1. the summary: the verdict, issues by severity, by code and by file, errors by
   priority, and the records with the most errors at the chosen priority;
2. every issue, grouped by severity, then code, then field, each with its file, row and
   column (for flat input), record, pointer and message;
3. completeness: bars per field group and per list, fill rates of notes and sources, and
   (folded) every field.

With scripts on, a filter form narrows the issues by severity, code, file, record and
text; its state lives in the address's fragment (``#code=schema.enum&file=...``), so a
link from the summary, or a bookmark, opens the page filtered. With scripts off every
issue is listed. The issues are read from the run's store group by group while the page is
written, so the page of a report of any size is written in bounded memory.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from html import escape
from typing import IO
from urllib.parse import quote

import attrs

from ..catalogue import catalogue
from ..validation.issue_store import IssueStore, StreamedReport
from ..validation.result import Issue
from .grouping import ordered_groups
from .quality import LEVELS, PriorityCounts
from .stats import PRIORITY_LABELS, DatasetStats, FieldShare, mean_share
from .text import plural, summary_line

TITLE = "INDIGO data quality report"
TOP_RECORDS = 20
"""Records listed in the summary's ranking."""
RECORD_SUGGESTIONS = 5_000
"""Record ids offered by the record filter (any id can still be typed)."""

POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"

STYLE = """
:root{--error:#a40000;--warning:#7a5200;--line:#d0d0d0;--head:#f2f2f2;--bar:#3a6ea5}
body{font:15px/1.45 system-ui,sans-serif;margin:1.5em auto;color:#1d1d1d;max-width:96em;padding:0 1em}
h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.35em;margin-top:1.8em;border-bottom:2px solid #ddd}
h3{font-size:1.15em;margin:1.4em 0 .4em}h4{font-size:1em;margin:1.2em 0 .3em}
.verdict{font-size:1.2em;font-weight:600}.verdict.invalid{color:var(--error)}.verdict.valid{color:#1b6e20}
nav a{margin-right:1em}
table{border-collapse:collapse;margin:.4em 0 1.2em}
th,td{border:1px solid var(--line);padding:.2em .5em;text-align:left;vertical-align:top}
th{background:var(--head)}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
code,.code{white-space:nowrap;font-family:ui-monospace,monospace;font-size:.92em}
code.ptr{white-space:normal}
.error{color:var(--error)}.warning{color:var(--warning)}
.summary{display:flex;flex-wrap:wrap;gap:0 2em;align-items:flex-start}.summary table{font-size:.9em}
table.issues{width:100%;table-layout:fixed}
table.issues th:nth-child(1){width:17%}table.issues th:nth-child(2){width:4.5em}
table.issues th:nth-child(3){width:14%}table.issues th:nth-child(4){width:10em}
table.issues th:nth-child(5){width:18%}
table.issues td{overflow-wrap:break-word}
form#filters{position:sticky;top:0;background:#fff;padding:.6em 0;border-bottom:1px solid var(--line);
display:flex;flex-wrap:wrap;gap:.4em 1em;align-items:end;z-index:1}
form#filters label{display:flex;flex-direction:column;font-size:.85em}
form#filters select,form#filters input{font:inherit;max-width:22em}
#shown{font-weight:600}
table.chart td.track{width:24em}
.bar{display:block;height:.9em;background:var(--bar)}
.track>span{display:block;background:#e6e6e6}
caption{text-align:left;padding:.3em 0;font-weight:600}
details summary{cursor:pointer;margin:.6em 0}
"""

SCRIPT = """
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }  // no issues, nothing to filter
  var shown = document.getElementById("shown");
  var keys = ["severity", "code", "file", "record", "q"];
  var rows = [];
  document.querySelectorAll("section.by-code").forEach(function (section) {
    var severity = section.getAttribute("data-severity"), code = section.getAttribute("data-code");
    section.querySelectorAll("tbody tr").forEach(function (tr) {
      rows.push({tr: tr, severity: severity, code: code, file: tr.cells[0].textContent,
                 record: tr.cells[3].textContent, text: null});
    });
  });
  function wanted() {
    var want = {};
    keys.forEach(function (key) { want[key] = form.elements[key].value.trim(); });
    return want;
  }
  function hideEmpty(selector, inner) {
    document.querySelectorAll(selector).forEach(function (element) {
      var hide = !element.querySelector(inner);
      if (element.hidden !== hide) { element.hidden = hide; }
    });
  }
  function say(count) {
    shown.textContent = count === rows.length ? "Showing all " + rows.length + " issues"
                                              : "Showing " + count + " of " + rows.length + " issues";
  }
  function apply() {
    var want = wanted(), query = want.q.toLowerCase(), count = 0;
    rows.forEach(function (row) {
      var ok = (!want.severity || row.severity === want.severity) && (!want.code || row.code === want.code) &&
               (!want.file || row.file === want.file) && (!want.record || row.record === want.record);
      if (ok && query) {
        if (row.text === null) { row.text = row.tr.textContent.toLowerCase(); }
        ok = row.text.indexOf(query) !== -1;
      }
      if (row.tr.hidden === ok) { row.tr.hidden = !ok; }
      if (ok) { count += 1; }
    });
    hideEmpty("section.by-code table.issues", "tbody tr:not([hidden])");
    hideEmpty("section.by-code", "table.issues:not([hidden])");
    hideEmpty("section.severity", "section.by-code:not([hidden])");
    say(count);
    return want;
  }
  function remember(want) {
    var params = new URLSearchParams();
    keys.forEach(function (key) { if (want[key]) { params.set(key, want[key]); } });
    var text = params.toString();
    try {
      history.replaceState(null, "", text ? "#" + text : location.pathname + location.search);
    } catch (error) { /* some browsers refuse this on file: pages; the filter still works */ }
  }
  function fromAddress() {
    var fragment = location.hash.slice(1);
    if (fragment.indexOf("=") === -1) { return false; }
    var params = new URLSearchParams(fragment);
    keys.forEach(function (key) { form.elements[key].value = params.get(key) || ""; });
    apply();
    return true;
  }
  form.hidden = false;
  form.addEventListener("input", function () { remember(apply()); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { setTimeout(function () { remember(apply()); }, 0); });
  window.addEventListener("hashchange", function () {
    if (fromAddress()) { document.getElementById("issues").scrollIntoView(); }
  });
  if (!fromAddress()) { say(rows.length); }
})();
"""


@attrs.define
class IssueIndex:
    """What the summary and the filters need from every issue: counts by file, and the records."""

    files: dict[str, list[int]] = attrs.field(factory=dict)
    """For each file (``""`` for issues without one), its errors and warnings."""
    records: dict[str, None] = attrs.field(factory=dict)
    """The ids of records with issues, in order of first appearance."""
    total: int = 0
    folder: str = ""
    """The folder every file with issues is in (its longest common one), "" when there is none."""

    @classmethod
    def of(cls, issues: Iterable[Issue]) -> IssueIndex:
        """Count the issues (one pass)."""
        index = cls()
        for issue in issues:
            index.total += 1
            counts = index.files.setdefault(issue.source.file if issue.source else "", [0, 0])
            counts[0 if issue.severity == "error" else 1] += 1
            if issue.record is not None and len(index.records) < RECORD_SUGGESTIONS:
                index.records[issue.record] = None
        folders = {os.path.dirname(file) for file in index.files if file}
        try:
            index.folder = os.path.commonpath(folders) if folders else ""
        except ValueError:  # absolute and relative paths, or different drives
            index.folder = ""
        return index

    def short(self, file: str) -> str:
        """``file`` relative to the common folder."""
        if self.folder and file.startswith(self.folder + os.sep):
            return file[len(self.folder) + 1 :]
        return file


def _pct(share: float) -> str:
    return f"{share * 100:.0f}%"


def _breakable(text: str) -> str:
    """Escaped text that may wrap after each ``/`` (paths and pointers) and nowhere else."""
    return "/<wbr>".join(escape(part) for part in text.split("/"))


def _fragment(**params: str) -> str:
    return "#" + "&amp;".join(f"{key}={quote(value, safe='')}" for key, value in params.items())


def _table(head: list[str], rows: Iterable[str], numeric: Iterable[int] = ()) -> str:
    right = set(numeric)
    cells = "".join(f"<th{' class=n' if i in right else ''}>{escape(h)}</th>" for i, h in enumerate(head))
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


class HtmlPage:
    """Writes the page for one report: see the module's description for what it holds."""

    def __init__(
        self,
        report: StreamedReport,
        stats: DatasetStats,
        quality: PriorityCounts,
        *,
        rank_at: int = 0,
        public_only: bool = False,
        title: str = TITLE,
    ) -> None:
        self.report = report
        self.stats = stats
        self.quality = quality
        self.rank_at = rank_at
        self.public_only = public_only
        self.title = title
        self.index = IssueIndex.of(report.issues)

    def write(self, out: IO[str]) -> None:
        """Write the whole page to ``out``."""
        out.write(
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(self.title)}</title><style>{STYLE}</style></head><body>\n"
        )
        out.write(self._summary())
        self._write_issues(out)
        out.write(self._completeness())
        out.write(f"<script>{SCRIPT}</script></body></html>\n")

    # -- summary --------------------------------------------------------------------------------

    def _summary(self) -> str:
        report = self.report
        verdict = "valid" if report.valid else "invalid"
        parts = [
            f"<h1>{escape(self.title)}</h1>",
            f'<p class="verdict {verdict}">{escape(summary_line(report))}</p>',
            '<nav><a href="#summary">Summary</a><a href="#issues">Issues</a>'
            '<a href="#completeness">Completeness</a></nav>',
            '<section id="summary"><h2>Summary</h2>',
        ]
        if report.partial:
            parts.append(
                f"<p><strong>Partial report:</strong> {len(report.issues)} of "
                f"{report.errors + report.warnings} issues are listed (errors first, --max-issues "
                f"{report.max_issues}); the counts cover every issue.</p>"
            )
        if self.index.folder:
            parts.append(
                f"<p>Files are named relative to the folder <code class=ptr>"
                f"{_breakable(self.index.folder + os.sep)}</code>.</p>"
            )
        parts.append('<div class="summary">')
        parts.append(self._by_severity())
        parts.append(self._by_priority())
        parts.append(self._records_by_type())
        parts.append(self._by_code())
        parts.append(self._by_file())
        parts.append(self._ranking())
        parts.append("</div></section>")
        return "".join(parts) + "\n"

    def _by_severity(self) -> str:
        rows = [
            f'<tr><td><a class="{kind}" href="#{kind}s">{label}</a></td><td class=n>{count}</td></tr>'
            for kind, label, count in (
                ("error", "Errors", self.report.errors),
                ("warning", "Warnings", self.report.warnings),
            )
        ]
        return "<div><h3>Issues by severity</h3>" + _table(["Severity", "Issues"], rows, [1]) + "</div>"

    def _by_priority(self) -> str:
        meaning = {
            0: "data that breaks the standard",
            1: "values not set, priority 1 fields",
            2: "values not set, priority 2 fields",
            3: "values not set, priority 3 or unranked fields",
        }
        rows = [
            f"<tr><td>{level}</td><td>{meaning[level]}</td><td class=n>{self.quality.totals[level]}</td></tr>"
            for level in LEVELS
        ]
        return (
            "<div><h3>Errors by priority</h3>"
            + _table(["Priority", "Meaning", "Errors"], rows, [2])
            + "</div>"
        )

    def _records_by_type(self) -> str:
        rows = [
            f"<tr><td>{escape(entity)}</td><td class=n>{count}</td></tr>"
            for entity, count in sorted(self.stats.records.items())
        ]
        heading = "Public records by type" if self.public_only else "Records by type"
        return f"<div><h3>{heading}</h3>" + _table(["Type", "Records"], rows, [1]) + "</div>"

    def _by_code(self) -> str:
        known = catalogue()
        rows = []
        for code, count in sorted(self.report.by_code.items(), key=lambda item: self._code_order(*item)):
            info = known.get(code)
            severity = info.severity if info else ""
            title = info.title if info else ""
            rows.append(
                f'<tr><td class="{severity}">{severity}</td><td><a class=code href="#code-{escape(code)}">'
                f"{escape(code)}</a></td><td>{escape(title)}</td><td class=n>{count}</td></tr>"
            )
        return (
            "<div><h3>Issues by code</h3>"
            + _table(["Severity", "Code", "Problem", "Issues"], rows, [3])
            + "</div>"
        )

    def _code_order(self, code: str, count: int) -> tuple[int, int, str]:
        info = catalogue().get(code)
        return (0 if info is not None and info.severity == "error" else 1, -count, code)

    def _by_file(self) -> str:
        rows = []
        for file, (errors, warnings) in sorted(
            self.index.files.items(), key=lambda item: (-item[1][0], -item[1][1], item[0])
        ):
            short = self.index.short(file)
            name = (
                f'<a href="{_fragment(file=short)}">{_breakable(short)}</a>'
                if file
                else "<em>no file (the input as a whole)</em>"
            )
            rows.append(f"<tr><td>{name}</td><td class=n>{errors}</td><td class=n>{warnings}</td></tr>")
        if not rows:
            return ""
        return (
            "<div><h3>Issues by file</h3>" + _table(["File", "Errors", "Warnings"], rows, [1, 2]) + "</div>"
        )

    def _ranking(self) -> str:
        level = self.rank_at
        ranked = self.quality.ranking(level)
        heading = f"<div><h3>Records with the most priority {level} errors</h3>"
        if not ranked:
            return heading + f"<p>No record has errors at priority {level}.</p></div>"
        rows = [
            f"<tr><td class=n>{number}</td>"
            f'<td><a href="{_fragment(record=item.record)}">{escape(item.record)}</a></td>'
            f"<td>{escape(item.entity or '')}</td>"
            + "".join(f"<td class=n>{count}</td>" for count in item.counts)
            + "</tr>"
            for number, item in enumerate(ranked[:TOP_RECORDS], start=1)
        ]
        more = (
            f"<p>{len(ranked) - TOP_RECORDS} more records have errors at priority {level}; "
            "the JSON report lists them all.</p>"
            if len(ranked) > TOP_RECORDS
            else ""
        )
        head = ["#", "Record", "Type", *(f"Priority {each}" for each in LEVELS)]
        return heading + _table(head, rows, [0, 3, 4, 5, 6]) + more + "</div>"

    # -- issues ---------------------------------------------------------------------------------

    def _filters(self, store: IssueStore) -> str:
        codes = sorted({group.code for group in store.groups()})
        code_options = "".join(f'<option value="{escape(c)}">{escape(c)}</option>' for c in codes)
        shorts = sorted(self.index.short(file) for file in self.index.files if file)
        file_options = "".join(f'<option value="{escape(f)}">{escape(f)}</option>' for f in shorts)
        records = "".join(f'<option value="{escape(r)}">' for r in self.index.records)
        return (
            '<form id="filters" hidden role="search">'
            '<label>Severity<select name="severity"><option value="">all</option>'
            '<option value="error">errors</option><option value="warning">warnings</option></select></label>'
            f'<label>Code<select name="code"><option value="">all</option>{code_options}</select></label>'
            f'<label>File<select name="file"><option value="">all</option>{file_options}</select></label>'
            '<label>Record<input name="record" list="records" placeholder="any record" autocomplete="off">'
            f'</label><datalist id="records">{records}</datalist>'
            '<label>Text<input name="q" type="search" placeholder="search messages, columns, ..."></label>'
            '<button type="reset">Clear</button><span id="shown" role="status"></span></form>'
            "<noscript><p>The filters need JavaScript; every issue is listed below.</p></noscript>\n"
        )

    def _write_issues(self, out: IO[str]) -> None:
        store = self.report.issues
        out.write('<section id="issues"><h2>Issues</h2>')
        if not len(store):
            out.write("<p>No issues found.</p></section>\n")
            return
        out.write(self._filters(store))
        known = catalogue()
        severity = code = None
        for group in ordered_groups(store.groups()):
            if group.code != code:
                if code is not None:
                    out.write("</section>")
                if group.severity != severity:
                    if severity is not None:
                        out.write("</section>")
                    severity = group.severity
                    count = self.report.by_severity.get(severity, 0)
                    label = "Errors" if severity == "error" else "Warnings"
                    out.write(
                        f'<section class="severity" id="{escape(severity)}s">'
                        f'<h3 class="{escape(severity)}">{label} ({count})</h3>'
                    )
                code = group.code
                info = known.get(code)
                title = f" {escape(info.title)}" if info else ""
                total = self.report.by_code.get(code, 0)
                out.write(
                    f'<section class="by-code" id="code-{escape(code)}" '
                    f'data-severity="{escape(group.severity)}" data-code="{escape(code)}">'
                    f"<h4><code>{escape(code)}</code>{title} ({plural(total, 'issue')})</h4>"
                )
            field = escape(group.title or group.field or "the record as a whole")
            if group.title and group.field:
                field += f" <code class=ptr>{_breakable(group.field)}</code>"
            entity = f" · {escape(group.entity)}" if group.entity else ""
            out.write(
                f"<table class=issues><caption>Field: {field}{entity} · {plural(group.count, 'issue')}"
                "</caption><thead><tr><th>File</th><th class=n>Row</th><th>Column</th><th>Record</th>"
                "<th>Pointer</th><th>Message</th></tr></thead><tbody>\n"
            )
            out.write("".join(self._issue_row(issue) for issue in store.members(group)))
            out.write("</tbody></table>\n")
        out.write("</section></section></section>\n")

    def _issue_row(self, issue: Issue) -> str:
        source = issue.source
        file = _breakable(self.index.short(source.file)) if source else ""
        row = str(source.row) if source and source.row is not None else ""
        column = escape(source.column) if source and source.column else ""
        return (
            f"<tr><td>{file}</td><td class=n>{row}</td><td>{column}</td><td>{escape(issue.record or '')}</td>"
            f"<td><code class=ptr>{_breakable(issue.path)}</code></td><td>{escape(issue.message)}</td></tr>\n"
        )

    # -- completeness ---------------------------------------------------------------------------

    def _completeness(self) -> str:
        stats = self.stats
        parts = ['<section id="completeness"><h2>Completeness</h2>']
        if self.public_only:
            parts.append(
                "<p>Counted on the public view of each record (what the publication filter "
                "keeps); records that are not public are left out.</p>"
            )
        if not stats.records:
            parts.append("<p>No records.</p>")
        for entity in sorted(stats.records):
            total = stats.records[entity]
            parts.append(f"<h3>{escape(entity.capitalize())} records ({total})</h3>")
            groups = sorted(stats.group_shares(entity), key=lambda g: (-g.share, g.title))
            parts.append(
                _chart(
                    f"Field groups: mean share of {entity} records that fill in the group's fields",
                    [(g.title, plural(g.fields, "field"), g.share) for g in groups],
                )
            )
            lists = sorted(stats.list_shares(entity), key=lambda s: (-s.share, s.title))
            parts.append(
                _chart(
                    f"Lists: {entity} records with at least one item",
                    [(s.title or s.path, f"{s.with_value} of {total}", s.share) for s in lists],
                )
            )
            notes = sorted(stats.annotation_shares(entity), key=lambda s: (-s.share, s.path))
            parts.append(
                _chart(
                    f"Notes and sources: {entity} records that fill them in",
                    [(s.path, f"{s.with_value} of {total}", s.share) for s in notes],
                    code_labels=True,
                )
            )
            parts.append(_field_table(stats, entity))
        parts.append("</section>")
        return "".join(parts) + "\n"


def _chart(caption: str, bars: list[tuple[str, str, float]], *, code_labels: bool = False) -> str:
    if not bars:
        return ""
    rows = []
    for label, detail, share in bars:
        shown = f"<code class=ptr>{_breakable(label)}</code>" if code_labels else escape(label)
        rows.append(
            f'<tr><td>{shown}</td><td class="track"><span><span class="bar" style="width:{share * 100:.1f}%">'
            f"</span></span></td><td class=n>{_pct(share)}</td><td class=n>{escape(detail)}</td></tr>"
        )
    return f'<table class="chart"><caption>{escape(caption)}</caption><tbody>{"".join(rows)}</tbody></table>'


def _field_table(stats: DatasetStats, entity: str) -> str:
    levels = stats.by_priority(entity)
    means = ", ".join(
        f"{PRIORITY_LABELS.get(level, level)} {_pct(mean_share(shares))}" for level, shares in levels.items()
    )
    rows: list[str] = []
    for level, shares in levels.items():
        ordered: list[FieldShare] = sorted(shares, key=lambda s: (-s.share, s.path))
        rows.extend(
            f"<tr><td>{escape(PRIORITY_LABELS.get(level, level))}</td><td>{escape(s.title)}</td>"
            f"<td><code class=ptr>{_breakable(s.path)}</code></td><td class=n>{s.with_value}</td>"
            f"<td class=n>{_pct(s.share)}</td></tr>"
            for s in ordered
        )
    count = sum(len(shares) for shares in levels.values())
    return (
        f"<details><summary>Every field ({count}); mean share filled by priority: {escape(means)}</summary>"
        + _table(["Priority", "Field", "Path", "Records with a value", "Share"], rows, [3, 4])
        + "</details>"
    )


def render_html(
    report: StreamedReport,
    stats: DatasetStats,
    quality: PriorityCounts,
    *,
    rank_at: int = 0,
    public_only: bool = False,
) -> str:
    """The whole page as a string (see :class:`HtmlPage`)."""
    out = io.StringIO()
    HtmlPage(report, stats, quality, rank_at=rank_at, public_only=public_only).write(out)
    return out.getvalue()

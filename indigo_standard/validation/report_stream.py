"""Writing a report as its issues are read back, in the exact bytes of the in-memory report.

The text and JSON reports list issues grouped (errors first, then in order of first
appearance) after counts that cover every issue. :class:`StreamedReport` holds the counts
and an :class:`IssueStore`, which may keep most issues in its spool on disk; the writers
here read the issues back one group at a time, so a report of any size is written in
bounded memory. :func:`write_json` lays out exactly what ``json.dumps(..., indent=2,
ensure_ascii=False)`` gives for :meth:`Report.to_dict`.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Iterator, Mapping
from json.encoder import encode_basestring
from typing import IO, Any

import attrs

from .grouping import IssueStore
from .report import WIDTH, Issue, Report, ReportSummary, _location, _plural, _wrapped


@attrs.frozen
class StreamedReport(ReportSummary):
    """A report whose issues are read from a store while it is written."""

    schema_version: str
    records: int
    issues: IssueStore
    partial: bool
    by_code: Mapping[str, int]
    by_severity: Mapping[str, int]
    max_issues: int | None = None


def streamed(report: Report) -> StreamedReport:
    """The streamed form of an in-memory report (its issues in a store without a spool)."""
    store = IssueStore()
    for issue in report.issues:
        store.append(issue)
    return StreamedReport(report.schema_version, report.records, store, report.partial,
                          report.by_code, report.by_severity, report.max_issues)


def write_text(report: StreamedReport, out: IO[str]) -> None:
    """The plain-text report (as :func:`render_text` gives it), written group by group."""
    store = report.issues
    for group in store.groups():
        lines: list[str] = []
        times = f" ({_plural(group.count, 'issue')})" if group.count > 1 else ""
        lines.extend(_wrapped(f"{group.severity.upper()} {group.code}{times}", ""))
        field = group.title or group.field
        if group.title and group.field:
            field = f"{group.title} ({group.field})"
        if field:
            lines.extend(_wrapped(f"Field: {field}", "    "))
        _write_lines(out, lines)
        for issue in store.members(group):
            where = _location(issue)
            if issue.path:
                where = f"{where} at {issue.path}" if where else issue.path
            _write_lines(out, [*_wrapped(f"- {where}" if where else "-", "    "),
                               *_wrapped(issue.message, "      ")])
        out.write("\n")
    summary = (
        f"{'Valid' if report.valid else 'Invalid'}: {_plural(report.records, 'record')} checked "
        f"against INDIGO {report.schema_version}; {_plural(report.errors, 'error')}, "
        f"{_plural(report.warnings, 'warning')}."
    )
    lines = textwrap.wrap(summary, WIDTH)
    if report.partial:
        found = report.errors + report.warnings
        lines.extend(textwrap.wrap(
            f"Partial report: showing the first {len(store)} of {found} issues "
            f"(--max-issues {report.max_issues}); the counts cover them all.", WIDTH))
    if report.by_code:
        by_code = ", ".join(f"{code} {count}" for code, count in sorted(report.by_code.items()))
        lines.extend(textwrap.wrap(f"By code: {by_code}", WIDTH, break_on_hyphens=False))
    _write_lines(out, lines)


def _write_lines(out: IO[str], lines: list[str]) -> None:
    if lines:
        out.write("\n".join(lines) + "\n")


class Lazy:
    """A JSON list whose items are produced while it is written."""

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items


class LazyObject(dict[str, Any]):
    """A JSON object holding :class:`Lazy` lists (directly or deeper): written member by member."""


def report_body(report: StreamedReport) -> LazyObject:
    """The report's JSON object (keys as :meth:`Report.to_dict`), its two issue lists lazy."""
    return LazyObject({
        **report.summary(),
        "issues": Lazy(IssueText(issue, location=False) for issue in report.issues),
        "groups": Lazy(_groups(report.issues)),
    })


def _groups(store: IssueStore) -> Iterator[LazyObject]:
    for group in store.groups():
        yield LazyObject({
            "code": group.code,
            "severity": group.severity,
            "entity": group.entity,
            "field": group.field,
            "title": group.title,
            "count": group.count,
            "locations": Lazy(IssueText(issue, location=True) for issue in store.members(group)),
        })


class IssueText:
    """An issue written straight as JSON text: as :meth:`Issue.to_dict` gives it in the report's
    ``issues`` list, or as a group's location (record, path, message and source)."""

    def __init__(self, issue: Issue, *, location: bool) -> None:
        self.issue = issue
        self.location = location

    def encode(self, pad: str) -> str:
        """The text ``encode_indented`` gives for the issue's dict, lines continued with ``pad``."""
        issue, inner = self.issue, pad + "  "
        if self.location:
            members = [("record", issue.record), ("path", issue.path), ("message", issue.message)]
        else:
            members = [("severity", issue.severity), ("code", issue.code), ("entity", issue.entity),
                       ("record", issue.record), ("path", issue.path), ("title", issue.title),
                       ("message", issue.message)]
        text = ",".join(f'{inner}"{key}": {_scalar(value)}' for key, value in members)
        source = issue.source
        if source is not None:
            where = [("file", source.file), ("row", source.row), ("column", source.column)]
            deeper = inner + "  "
            fields = ",".join(f'{deeper}"{key}": {_scalar(value)}' for key, value in where
                              if value is not None)
            text += f',{inner}"source": ' + ("{" + fields + inner + "}" if fields else "{}")
        return "{" + text + pad + "}"


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return encode_basestring(value)
    return "null" if value is None else encode_indented(value)


def write_json(value: Any, out: IO[str], depth: int = 0) -> None:
    """``json.dumps(value, indent=2, ensure_ascii=False)``, with :class:`Lazy` lists written as they come."""
    pad = "\n" + "  " * (depth + 1)
    if isinstance(value, IssueText):
        out.write(value.encode(pad[:-2]))
    elif isinstance(value, Lazy):
        empty = True
        for item in value.items:
            out.write(("[" if empty else ",") + pad)
            write_json(item, out, depth + 1)
            empty = False
        out.write("[]" if empty else pad[:-2] + "]")
    elif isinstance(value, LazyObject) and value:
        for number, (key, item) in enumerate(value.items()):
            out.write(("{" if number == 0 else ",") + pad + json.dumps(key, ensure_ascii=False) + ": ")
            write_json(item, out, depth + 1)
        out.write(pad[:-2] + "}")
    else:
        out.write(encode_indented(value, pad[:-2]))


def encode_indented(value: Any, pad: str = "\n") -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)`` with every line break followed by ``pad``.

    The same text, built with the standard library's C string encoder: ``json.dumps`` with
    ``indent`` encodes in pure Python, and on a large report that is most of the time spent.
    """
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        if not value:
            return "{}"
        inner = pad + "  "
        members = [
            f"{inner}{encode_basestring(key)}: {encode_indented(item, inner)}" for key, item in value.items()
        ]
        return "{" + ",".join(members) + pad + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        inner = pad + "  "
        return "[" + ",".join(inner + encode_indented(item, inner) for item in value) + pad + "]"
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", pad)

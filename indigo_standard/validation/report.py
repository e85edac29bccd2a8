"""Issues and reports: what validation found, for people (text) and programs (JSON)."""

from __future__ import annotations

import json
import textwrap
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ..catalogue import Severity, code_info


@attrs.frozen
class Source:
    """Where in a file an issue was found; row and column are set for flat (CSV/XLSX) input."""

    file: str
    row: int | None = None
    column: str | None = None


@attrs.frozen
class Issue:
    """One problem found in the data."""

    severity: Severity
    code: str
    message: str
    entity: str | None = None
    record: str | None = None
    """The id of the record the issue is in, when it has one."""
    path: str = ""
    """RFC 6901 JSON pointer inside the record."""
    title: str = ""
    """The field's title path, as the flat export names its column."""
    source: Source | None = None

    @classmethod
    def make(cls, code: str, *, params: Mapping[str, Any] | None = None, **where: Any) -> Issue:
        """An issue with the catalogue's severity and its message template filled in."""
        info = code_info(code)
        return cls(severity=info.severity, code=code, message=info.message.format(**(params or {})), **where)

    def to_dict(self) -> dict[str, Any]:
        """The issue as the JSON report contract lays it out."""
        data: dict[str, Any] = {
            "severity": self.severity,
            "code": self.code,
            "entity": self.entity,
            "record": self.record,
            "path": self.path,
            "title": self.title,
            "message": self.message,
        }
        if self.source is not None:
            data["source"] = {k: v for k, v in attrs.asdict(self.source).items() if v is not None}
        return data


@attrs.frozen
class Report:
    """The outcome of validating some input: the issues found and what was checked."""

    schema_version: str
    records: int
    issues: tuple[Issue, ...]

    @property
    def errors(self) -> int:
        """How many issues are errors."""
        return sum(1 for issue in self.issues if issue.severity == "error")

    @property
    def warnings(self) -> int:
        """How many issues are warnings."""
        return sum(1 for issue in self.issues if issue.severity == "warning")

    @property
    def valid(self) -> bool:
        """True when no issue is an error (warnings are allowed)."""
        return self.errors == 0

    def to_dict(self) -> dict[str, Any]:
        """The report in the JSON form of the CLI contract."""
        return {
            "valid": self.valid,
            "schema_version": self.schema_version,
            "records": self.records,
            "errors": self.errors,
            "warnings": self.warnings,
            "issues": [issue.to_dict() for issue in self.issues],
        }

    def to_json(self) -> str:
        """The report as one JSON object."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)


WIDTH = 80


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _location(issue: Issue) -> str:
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
    return ": ".join(parts)


def render_text(report: Report) -> str:
    """A plain-text report that reads well in an 80-column terminal."""
    lines: list[str] = []
    wrap = textwrap.TextWrapper(width=WIDTH, initial_indent="    ", subsequent_indent="    ")
    for issue in report.issues:
        head = f"{issue.severity.upper()} {issue.code}"
        where = _location(issue)
        lines.append(f"{head}  {where}" if where and len(head) + len(where) + 2 <= WIDTH else head)
        if where and len(head) + len(where) + 2 > WIDTH:
            lines.extend(wrap.wrap(where))
        field = issue.title or issue.path
        if issue.title and issue.path:
            field = f"{issue.title} ({issue.path})"
        if field:
            lines.extend(wrap.wrap(field))
        lines.extend(wrap.wrap(issue.message))
        lines.append("")
    counts = Counter(issue.code for issue in report.issues)
    summary = (
        f"{'Valid' if report.valid else 'Invalid'}: {_plural(report.records, 'record')} checked "
        f"against INDIGO {report.schema_version}; {_plural(report.errors, 'error')}, "
        f"{_plural(report.warnings, 'warning')}."
    )
    lines.extend(textwrap.wrap(summary, WIDTH))
    if counts:
        lines.extend(
            textwrap.wrap("By code: " + ", ".join(f"{c} {n}" for c, n in sorted(counts.items())), WIDTH)
        )
    return "\n".join(lines) + "\n"


def merge_versions(versions: Iterable[str]) -> str:
    """The report's schema version: the one used, or each of them when inputs differed."""
    seen = sorted(set(versions))
    return ", ".join(seen)

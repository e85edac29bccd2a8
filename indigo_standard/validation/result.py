"""What validation finds: issues, where they are, and the report of a run (the result model).

These classes hold data only. The report package (:mod:`indigo_standard.report`) writes
them as text, JSON or HTML.
"""

from __future__ import annotations

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


def _code_counts(report: Report) -> dict[str, int]:
    return dict(Counter(issue.code for issue in report.issues))


def _severity_counts(report: Report) -> dict[str, int]:
    return dict(Counter(issue.severity for issue in report.issues))


class ReportSummary:
    """What a report says from its counts (the in-memory report and the streamed one)."""

    __slots__ = ()
    schema_version: str
    records: int
    partial: bool
    by_code: Mapping[str, int]
    by_severity: Mapping[str, int]
    max_issues: int | None

    @property
    def errors(self) -> int:
        """How many issues are errors (all found, kept or not)."""
        return self.by_severity.get("error", 0)

    @property
    def warnings(self) -> int:
        """How many issues are warnings (all found, kept or not)."""
        return self.by_severity.get("warning", 0)

    @property
    def valid(self) -> bool:
        """True when no issue is an error (warnings are allowed)."""
        return self.errors == 0

    def summary(self) -> dict[str, Any]:
        """The keys of the JSON report that come before its issues, in the contract's order."""
        return {
            "valid": self.valid,
            "schema_version": self.schema_version,
            "records": self.records,
            "errors": self.errors,
            "warnings": self.warnings,
            "partial": self.partial,
            "max_issues": self.max_issues,
            "counts": {
                "by_severity": {"error": self.errors, "warning": self.warnings},
                "by_code": dict(sorted(self.by_code.items())),
            },
        }


@attrs.frozen
class Report(ReportSummary):
    """The outcome of validating some input: the issues found and what was checked.

    ``issues`` holds the issues kept; when a limit cut the list short, ``partial`` is true
    and ``by_code`` and ``by_severity`` still count every issue found.
    """

    schema_version: str
    records: int
    issues: tuple[Issue, ...]
    partial: bool = False
    by_code: Mapping[str, int] = attrs.field(default=attrs.Factory(_code_counts, takes_self=True))
    """How many issues were found with each code."""
    by_severity: Mapping[str, int] = attrs.field(default=attrs.Factory(_severity_counts, takes_self=True))
    """How many issues were found of each severity."""
    max_issues: int | None = None


def merge_versions(versions: Iterable[str]) -> str:
    """The report's schema version: the one used, or each of them when inputs differed."""
    seen = sorted(set(versions))
    return ", ".join(seen)

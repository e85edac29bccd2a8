"""Grouping repeated issues (same code and field) and collecting issues up to a limit."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from .report import Issue

_INDEX = re.compile(r"/[0-9]+(?=/|$)")


def field_of(path: str) -> str:
    """The field a JSON pointer lands on, with list indexes written as ``[]``."""
    return _INDEX.sub("[]", path)


@attrs.frozen
class IssueGroup:
    """Every issue with the same code on the same field of the same record type."""

    code: str
    severity: str
    entity: str | None
    field: str
    """The field's path with ``[]`` for list items (``/results[]/outcome_metric_id/value``)."""
    title: str
    issues: tuple[Issue, ...]

    @property
    def count(self) -> int:
        """How many issues the group holds."""
        return len(self.issues)

    def to_dict(self) -> dict[str, Any]:
        """The group in the JSON report: its key, its count and every location."""
        locations = []
        for issue in self.issues:
            location: dict[str, Any] = {"record": issue.record, "path": issue.path, "message": issue.message}
            if issue.source is not None:
                location["source"] = issue.to_dict()["source"]
            locations.append(location)
        return {
            "code": self.code,
            "severity": self.severity,
            "entity": self.entity,
            "field": self.field,
            "title": self.title,
            "count": self.count,
            "locations": locations,
        }


def group_issues(issues: Iterable[Issue]) -> list[IssueGroup]:
    """Issues grouped by code, record type and field, errors first, in order of first appearance."""
    groups: dict[tuple[str, str | None, str], list[Issue]] = {}
    for issue in issues:
        groups.setdefault((issue.code, issue.entity, field_of(issue.path)), []).append(issue)
    found = [
        IssueGroup(code, members[0].severity, entity, field, members[0].title, tuple(members))
        for (code, entity, field), members in groups.items()
    ]
    return sorted(found, key=lambda group: group.severity != "error")


class IssueCollector:
    """Collects a run's issues: drops unselected codes, keeps at most ``max_issues``, counts all."""

    def __init__(
        self, *, skip: Sequence[str] = (), only: Sequence[str] = (), max_issues: int | None = None
    ) -> None:
        self.skip = frozenset(skip)
        self.only = frozenset(only)
        self.max_issues = max_issues
        self.kept: list[Issue] = []
        self.by_code: Counter[str] = Counter()
        self.by_severity: Counter[str] = Counter()

    def wanted(self, code: str) -> bool:
        """True when issues with ``code`` are to be reported."""
        return code not in self.skip and (not self.only or code in self.only)

    @property
    def partial(self) -> bool:
        """True once more issues were found than are kept."""
        return sum(self.by_code.values()) > len(self.kept)

    def append(self, issue: Issue) -> None:
        """Count the issue and keep it while under the limit (unless its code is not selected)."""
        if not self.wanted(issue.code):
            return
        self.by_code[issue.code] += 1
        self.by_severity[issue.severity] += 1
        if self.max_issues is None or len(self.kept) < self.max_issues:
            self.kept.append(issue)

    def extend(self, issues: Iterable[Issue]) -> None:
        """Append each issue in turn."""
        for issue in issues:
            self.append(issue)

    def __iter__(self) -> Any:
        return iter(self.kept)

    def __len__(self) -> int:
        return len(self.kept)

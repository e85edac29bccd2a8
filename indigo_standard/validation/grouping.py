"""Grouping repeated issues (same code and field) and collecting issues up to a limit."""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from operator import itemgetter
from typing import Any

import attrs

from .report import Issue, Source
from .spool import Spool

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


SPILL_AT = 2_000
"""How many issues a store holds in memory before it moves them to its spool."""

GroupKey = tuple[str, "str | None", str]

Row = tuple[Any, ...]
"""An issue as plain values: severity, code, message, entity, record, path, title, file, row, column."""


@attrs.define
class GroupHead:
    """What a report says of a group before its locations: key, first severity and title, count."""

    number: int
    """The order in which the group first appeared."""
    code: str
    severity: str
    entity: str | None
    field: str
    title: str
    count: int = 0


def _row(issue: Issue) -> Row:
    source = issue.source
    where = (source.file, source.row, source.column) if source else (None, None, None)
    return (issue.severity, issue.code, issue.message, issue.entity, issue.record, issue.path, issue.title,
            *where)


def _issue(row: Row) -> Issue:
    severity, code, message, entity, record, path, title, file, line, column = row
    source = Source(file, line, column) if file is not None else None
    return Issue(severity, code, message, entity, record, path, title, source)


class IssueStore:
    """The issues of a run, in order and grouped as they come; spooled to disk past a threshold.

    Up to ``spill_at`` issues are held in memory. With a ``spool``, more are written to it
    as one chunk per group each time the threshold is reached, and only the head of each
    group (key, count, first appearance) and where its chunks are stay in memory. Reading
    gives back the same issues in the same order, as a whole or group by group.
    """

    def __init__(self, spool: Spool | None = None, spill_at: int = SPILL_AT) -> None:
        self.spool = spool
        self.spill_at = spill_at
        self.heads: dict[GroupKey, GroupHead] = {}
        self._held: dict[int, list[tuple[int, Issue]]] = {}
        """For each group, its issues held in memory with their sequence numbers."""
        self._held_count = 0
        self._chunks: dict[int, list[int]] = {}
        """For each group, the offsets of its chunks in the spool."""
        self._count = 0

    def __len__(self) -> int:
        return self._count

    @property
    def spilled(self) -> bool:
        """True once some issues were moved to the spool."""
        return bool(self._chunks)

    def append(self, issue: Issue) -> None:
        """Add an issue at the end, counting it in its group."""
        key = (issue.code, issue.entity, field_of(issue.path))
        head = self.heads.get(key)
        if head is None:
            head = GroupHead(len(self.heads), issue.code, issue.severity, issue.entity, key[2], issue.title)
            self.heads[key] = head
        head.count += 1
        held = self._held.get(head.number)
        if held is None:
            held = self._held[head.number] = []
        held.append((self._count, issue))
        self._count += 1
        self._held_count += 1
        if self.spool is not None and self._held_count >= self.spill_at:
            self._spill()

    def _spill(self) -> None:
        assert self.spool is not None, "only a store with a spool spills"
        chunks = self.spool.chunks("issues")
        for group, held in self._held.items():
            offset = chunks.append([(number, _row(issue)) for number, issue in held])
            self._chunks.setdefault(group, []).append(offset)
        self._held = {}
        self._held_count = 0

    def _numbered(self, group: int) -> Iterator[tuple[int, Issue]]:
        """The issues of one group with their sequence numbers, in order."""
        if self.spool is not None:
            for offset in self._chunks.get(group, ()):
                for number, row in self.spool.chunks("issues").read(offset):
                    yield number, _issue(row)
        yield from self._held.get(group, ())

    def __iter__(self) -> Iterator[Issue]:
        """Every issue, in the order added."""
        streams = [self._numbered(head.number) for head in self.heads.values()]
        for _, issue in heapq.merge(*streams, key=itemgetter(0)):
            yield issue

    def groups(self) -> list[GroupHead]:
        """The groups, errors first, each in order of first appearance."""
        return sorted(self.heads.values(), key=lambda head: head.severity != "error")

    def members(self, head: GroupHead) -> Iterator[Issue]:
        """The issues of one group, in the order added."""
        for _, issue in self._numbered(head.number):
            yield issue


class IssueCollector:
    """Collects a run's issues: drops unselected codes, keeps at most ``max_issues``, counts all."""

    def __init__(
        self,
        *,
        skip: Sequence[str] = (),
        only: Sequence[str] = (),
        max_issues: int | None = None,
        spool: Spool | None = None,
    ) -> None:
        self.skip = frozenset(skip)
        self.only = frozenset(only)
        self.max_issues = max_issues
        self.kept = IssueStore(spool)
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

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.kept)

    def __len__(self) -> int:
        return len(self.kept)

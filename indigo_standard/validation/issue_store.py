"""The issues of a validation run: kept in order, grouped as they come, spooled to disk when many.

Issues are grouped by code, record type and field (the field's path with ``[]`` for list
indexes). The report writers in :mod:`indigo_standard.report` read a store back one group
at a time, so a report of any size is written in bounded memory.
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from operator import itemgetter
from typing import Any

import attrs

from .result import Issue, Report, ReportSummary, Source
from .spool import Spool

_INDEX = re.compile(r"/[0-9]+(?=/|$)")


def field_of(path: str) -> str:
    """The field a JSON pointer lands on, with list indexes written as ``[]``."""
    return _INDEX.sub("[]", path)


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
    """The field's path with ``[]`` for list items (``/results[]/outcome_metric_id/value``)."""
    title: str
    count: int = 0


def _row(issue: Issue) -> Row:
    source = issue.source
    where = (source.file, source.row, source.column) if source else (None, None, None)
    return (
        issue.severity,
        issue.code,
        issue.message,
        issue.entity,
        issue.record,
        issue.path,
        issue.title,
        *where,
    )


def _issue(row: Row) -> Issue:
    severity, code, message, entity, record, path, title, file, line, column = row
    source = Source(file, line, column) if file is not None else None
    return Issue(severity, code, message, entity, record, path, title, source)


class IssueStore:
    """Issues in order and grouped as they come; spooled to disk past a threshold.

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

    def append(self, issue: Issue, number: int | None = None) -> None:
        """Add an issue at the end, counting it in its group.

        ``number`` orders it among the issues of stores read together (see
        :meth:`numbered`); by default it is the issue's place in this store.
        """
        key = (issue.code, issue.entity, field_of(issue.path))
        head = self.heads.get(key)
        if head is None:
            head = GroupHead(len(self.heads), issue.code, issue.severity, issue.entity, key[2], issue.title)
            self.heads[key] = head
        head.count += 1
        held = self._held.get(head.number)
        if held is None:
            held = self._held[head.number] = []
        held.append((self._count if number is None else number, issue))
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

    def numbered(self) -> Iterator[tuple[int, Issue]]:
        """Every issue with its sequence number, in order."""
        streams = [self._numbered(head.number) for head in self.heads.values()]
        return heapq.merge(*streams, key=itemgetter(0))

    def __iter__(self) -> Iterator[Issue]:
        """Every issue, in the order added."""
        for _, issue in self.numbered():
            yield issue

    def groups(self) -> list[GroupHead]:
        """The groups, in order of first appearance."""
        return list(self.heads.values())

    def members(self, head: GroupHead) -> Iterator[Issue]:
        """The issues of one group, in the order added."""
        for _, issue in self._numbered(head.number):
            yield issue


class IssueCollector:
    """Collects a run's issues: drops unselected codes, counts all, keeps at most ``max_issues``.

    Under a limit, errors are kept before warnings: up to ``max_issues`` of each are held
    while the run goes on, and :meth:`store` keeps every error held and as many warnings as
    there is room for, in the order they were found.
    """

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
        self.spool = spool
        self.kept = IssueStore(spool)
        """Every issue kept; under a limit, the errors kept."""
        self.warnings = IssueStore(spool)
        """Under a limit, the warnings kept while there may be room for them."""
        self.by_code: Counter[str] = Counter()
        self.by_severity: Counter[str] = Counter()
        self.observers: list[Callable[[Issue], None]] = []
        """Called with every issue counted, kept or not (for counts a report adds, such as priorities)."""
        self._found = itertools.count()

    def wanted(self, code: str) -> bool:
        """True when issues with ``code`` are to be reported."""
        return code not in self.skip and (not self.only or code in self.only)

    def _room_for_warnings(self) -> int:
        return 0 if self.max_issues is None else max(self.max_issues - len(self.kept), 0)

    @property
    def partial(self) -> bool:
        """True when more issues were found than are kept."""
        kept = len(self.kept) + min(len(self.warnings), self._room_for_warnings())
        return sum(self.by_code.values()) > kept

    def append(self, issue: Issue) -> None:
        """Count the issue and keep it while under the limit (unless its code is not selected)."""
        if not self.wanted(issue.code):
            return
        self.by_code[issue.code] += 1
        self.by_severity[issue.severity] += 1
        for observer in self.observers:
            observer(issue)
        number = next(self._found)
        if self.max_issues is None:
            self.kept.append(issue, number)
        elif issue.severity == "error":
            if len(self.kept) < self.max_issues:
                self.kept.append(issue, number)
        elif len(self.warnings) < self._room_for_warnings():
            self.warnings.append(issue, number)

    def extend(self, issues: Iterable[Issue]) -> None:
        """Append each issue in turn."""
        for issue in issues:
            self.append(issue)

    def store(self) -> IssueStore:
        """The issues kept, in the order found: errors first to fill the limit, then warnings."""
        if not self.warnings:
            return self.kept
        merged = IssueStore(self.spool, self.kept.spill_at)
        warnings = itertools.islice(self.warnings.numbered(), self._room_for_warnings())
        for number, issue in heapq.merge(self.kept.numbered(), warnings, key=itemgetter(0)):
            merged.append(issue, number)
        return merged


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


def streamed(report: Report | StreamedReport) -> StreamedReport:
    """The streamed form of a report (an in-memory report's issues put in a store without a spool)."""
    if isinstance(report, StreamedReport):
        return report
    store = IssueStore()
    for issue in report.issues:
        store.append(issue)
    return StreamedReport(
        report.schema_version,
        report.records,
        store,
        report.partial,
        report.by_code,
        report.by_severity,
        report.max_issues,
    )

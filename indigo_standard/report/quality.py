"""Errors counted by priority, per record, as the GO Lab data store's data-quality report counts them.

Priority 0 is data that breaks the standard: every error except a value that is not set.
A value that is not set (a field stored as null, ``schema.not-set``) counts at the
priority of its field, 1 to 3; a field the standard gives no priority counts as 3.
Warnings are not errors and are not counted. Only records with errors are held, with four
counters each.

The standard's versions agree on the priority of every field they share, so a field's
priority is looked up in all of them together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

import attrs

from ..registry import priorities
from ..validation.issue_store import field_of
from ..validation.result import Issue
from ..versions import SUPPORTED_VERSIONS

LEVELS = (0, 1, 2, 3)
UNRANKED_LEVEL = 3
"""The priority of a field the standard gives none, as the data store counts it."""
AT_FIELD_PRIORITY = frozenset({"schema.not-set"})
"""Codes counted at the priority of their field rather than at 0."""


@cache
def ranked_fields(entity: str) -> Mapping[str, int]:
    """The priority of every ranked field of a record type, in any version."""
    ranked: dict[str, int] = {}
    for version in SUPPORTED_VERSIONS:
        ranked.update(priorities(version).get(entity, {}))
    return ranked


def field_priority(entity: str | None, path: str) -> int:
    """The priority of the field at JSON pointer ``path`` (its nearest ranked parent's; else 3)."""
    ranked = ranked_fields(entity or "")
    field = field_of(path)
    while field:
        level = ranked.get(field)
        if level is not None:
            return int(level)
        field = field[:-2] if field.endswith("[]") else field.rpartition("/")[0]
    return UNRANKED_LEVEL


def issue_priority(issue: Issue) -> int | None:
    """The priority an error counts at, or None for a warning."""
    if issue.severity != "error":
        return None
    if issue.code in AT_FIELD_PRIORITY:
        return field_priority(issue.entity, issue.path)
    return 0


@attrs.frozen
class RecordErrors:
    """One record's errors by priority."""

    record: str
    entity: str | None
    counts: tuple[int, int, int, int]

    def to_dict(self) -> dict[str, Any]:
        """The record's counts as the JSON report gives them."""
        return {
            "record": self.record,
            "entity": self.entity,
            "errors_by_priority": {str(level): self.counts[level] for level in LEVELS},
        }


@attrs.define
class PriorityCounts:
    """Errors by priority: in total, and for each record that has any."""

    totals: list[int] = attrs.field(factory=lambda: [0] * len(LEVELS))
    records: dict[tuple[str, str | None], list[int]] = attrs.field(factory=dict)

    def add(self, issue: Issue) -> None:
        """Count one issue (warnings are left out)."""
        level = issue_priority(issue)
        if level is None:
            return
        self.totals[level] += 1
        if issue.record is not None:
            counts = self.records.get((issue.record, issue.entity))
            if counts is None:
                counts = self.records[(issue.record, issue.entity)] = [0] * len(LEVELS)
            counts[level] += 1

    def extend(self, issues: Iterable[Issue]) -> None:
        """Count each issue in turn."""
        for issue in issues:
            self.add(issue)

    def ranking(self, level: int, limit: int | None = None) -> list[RecordErrors]:
        """The records with errors at ``level``, most first (then by id), at most ``limit`` of them."""
        found = [
            RecordErrors(record, entity, (counts[0], counts[1], counts[2], counts[3]))
            for (record, entity), counts in self.records.items()
            if counts[level]
        ]
        found.sort(key=lambda item: (-item.counts[level], item.record, item.entity or ""))
        return found if limit is None else found[:limit]

    def to_dict(self, level: int) -> dict[str, Any]:
        """The counts as the JSON report gives them, records ranked at ``level``."""
        return {
            "errors_by_priority": {str(each): self.totals[each] for each in LEVELS},
            "ranked_at": level,
            "records": [item.to_dict() for item in self.ranking(level)],
        }

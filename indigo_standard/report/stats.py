"""Completeness statistics: records per type, and how many records fill in each field.

Counted per record type: for every data field, the records that give it a value (grouped
by the standard's priority levels); for every list, the records with at least one item;
for every ``notes`` and ``source_ids`` field outside lists (such as ``/dates/source_ids``),
the records that fill it in. Only counters are kept (one per field), so statistics of any
number of records take constant memory. Priorities come from each schema version's
``priorities.json``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

import attrs

from ..checks.walk import has_value, walk
from ..fields import Field, fields
from ..registry import priorities

ANNOTATIONS = frozenset({"notes", "source_ids"})
"""Fields that say where a value comes from or comment on it, rather than hold data."""
NOT_DATA = ANNOTATIONS | {"status"}
UNRANKED = "none"
PRIORITY_LABELS: Mapping[str, str] = {
    "1": "Priority 1",
    "2": "Priority 2",
    "3": "Priority 3",
    UNRANKED: "No priority",
}


def priority_of(version: str, field: Field) -> str:
    """The field's priority level ("1" to "3"), or ``UNRANKED``."""
    level = priorities(version).get(field.entity, {}).get(field.path)
    return UNRANKED if level is None else str(level)


def _last_key(field: Field) -> str:
    return field.path.rsplit("/", 1)[-1]


@cache
def data_fields(version: str, entity: str) -> tuple[Field, ...]:
    """The fields that hold data (leaves, other than status, notes and source ids)."""
    return tuple(
        f
        for f in fields(version, entity)
        if f.type not in ("object", "array") and _last_key(f) not in NOT_DATA
    )


@cache
def list_fields(version: str, entity: str) -> tuple[Field, ...]:
    """The fields that are lists (of sources, outcome metrics, investments, ...)."""
    return tuple(f for f in fields(version, entity) if f.type == "array")


@cache
def annotation_fields(version: str, entity: str) -> tuple[Field, ...]:
    """The ``notes`` and ``source_ids`` fields that are not inside a list."""
    return tuple(f for f in fields(version, entity) if _last_key(f) in ANNOTATIONS and "[]" not in f.path)


@cache
def group_titles(version: str, entity: str) -> Mapping[str, str]:
    """The title of each top-level field of a record type, by its key."""
    return {f.path[1:]: f.title_path for f in fields(version, entity) if f.path.count("/") == 1}


@attrs.frozen
class FieldShare:
    """How many records of a type fill in one field (for a list: have at least one item)."""

    path: str
    title: str
    priority: str
    with_value: int
    records: int

    @property
    def share(self) -> float:
        """The fraction of records with a value (0 when there are no records)."""
        return self.with_value / self.records if self.records else 0.0

    def to_dict(self) -> dict[str, Any]:
        """The share as the JSON report gives it."""
        return {
            "path": self.path,
            "title": self.title,
            "priority": self.priority,
            "with_value": self.with_value,
            "share": round(self.share, 4),
        }


@attrs.frozen
class GroupShare:
    """A top-level group of fields (``dates``, ``overall_project_finance``, ...) and how full it is."""

    key: str
    title: str
    fields: int
    share: float
    """The mean share of records with a value, over the group's data fields."""


@attrs.define
class DatasetStats:
    """Counters gathered record by record."""

    records: Counter[str] = attrs.field(factory=Counter)
    """Records per record type."""
    filled: dict[tuple[str, str], Counter[str]] = attrs.field(factory=dict)
    """For each (version, record type): records with a value, per field path."""

    def add(self, version: str, entity: str, data: Any) -> None:
        """Count one record."""
        self.records[entity] += 1
        counter = self.filled.setdefault((version, entity), Counter())
        counter.update({node.schema_path for node in walk(data) if has_value(node.value)})

    def _shares(self, entity: str, chosen: Callable[[str, str], tuple[Field, ...]]) -> list[FieldShare]:
        found: dict[str, FieldShare] = {}
        total = self.records[entity]
        for (version, kind), counter in sorted(self.filled.items()):
            if kind != entity:
                continue
            for f in chosen(version, entity):
                earlier = found.get(f.path)
                count = counter.get(f.path, 0) + (earlier.with_value if earlier else 0)
                found[f.path] = FieldShare(f.path, f.title_path, priority_of(version, f), count, total)
        return list(found.values())

    def shares(self, entity: str) -> list[FieldShare]:
        """Every data field of ``entity`` (of each version seen) with its share of records."""
        return self._shares(entity, data_fields)

    def list_shares(self, entity: str) -> list[FieldShare]:
        """Every list of ``entity`` with the records that have at least one item in it."""
        return self._shares(entity, list_fields)

    def annotation_shares(self, entity: str) -> list[FieldShare]:
        """Every ``notes`` and ``source_ids`` field outside lists, with the records that fill it in."""
        return self._shares(entity, annotation_fields)

    def by_priority(self, entity: str) -> dict[str, list[FieldShare]]:
        """The field shares of ``entity`` grouped by priority level, most wanted first."""
        groups: dict[str, list[FieldShare]] = {level: [] for level in PRIORITY_LABELS}
        for share in self.shares(entity):
            groups.setdefault(share.priority, []).append(share)
        return {level: items for level, items in groups.items() if items}

    def group_shares(self, entity: str) -> list[GroupShare]:
        """The top-level groups of fields of ``entity`` outside lists, with their mean share."""
        members: dict[str, list[FieldShare]] = {}
        for share in self.shares(entity):
            if "[]" not in share.path:
                members.setdefault(share.path.split("/")[1], []).append(share)
        titles: dict[str, str] = {}
        for version, kind in self.filled:
            if kind == entity:
                titles.update(group_titles(version, entity))
        return [
            GroupShare(key, titles.get(key, key), len(shares), mean_share(shares))
            for key, shares in members.items()
        ]

    def to_dict(self) -> dict[str, Any]:
        """The statistics as the JSON report shows them."""
        completeness: dict[str, Any] = {}
        lists: dict[str, Any] = {}
        annotations: dict[str, Any] = {}
        for entity in sorted(self.records):
            levels = []
            for level, shares in self.by_priority(entity).items():
                levels.append(
                    {
                        "priority": level,
                        "label": PRIORITY_LABELS.get(level, f"Priority {level}"),
                        "mean_share": round(mean_share(shares), 4),
                        "fields": [
                            {
                                "path": s.path,
                                "title": s.title,
                                "with_value": s.with_value,
                                "share": round(s.share, 4),
                            }
                            for s in shares
                        ],
                    }
                )
            completeness[entity] = {"records": self.records[entity], "priorities": levels}
            lists[entity] = [share.to_dict() for share in self.list_shares(entity)]
            annotations[entity] = [share.to_dict() for share in self.annotation_shares(entity)]
        return {
            "records": dict(sorted(self.records.items())),
            "completeness": completeness,
            "lists": lists,
            "notes_and_sources": annotations,
        }


def mean_share(shares: list[FieldShare]) -> float:
    """The average share of records with a value across some fields."""
    return sum(s.share for s in shares) / len(shares) if shares else 0.0

"""Dataset statistics for the data quality report: records per type, and per field the share
of records with a value, grouped by the standard's priority levels.

Only counters are kept (one per field), so statistics of any number of records take
constant memory. Priorities come from each schema version's ``priorities.json``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from functools import cache
from typing import Any

import attrs

from .checks.walk import has_value, walk
from .fields import Field, fields
from .registry import priorities

NOT_DATA = frozenset({"status", "notes", "source_ids"})
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


@cache
def data_fields(version: str, entity: str) -> tuple[Field, ...]:
    """The fields that hold data (leaves, other than status, notes and source ids)."""
    return tuple(
        f
        for f in fields(version, entity)
        if f.type not in ("object", "array") and f.path.rsplit("/", 1)[-1] not in NOT_DATA
    )


@attrs.frozen
class FieldShare:
    """How many records of a type give a value for one field."""

    path: str
    title: str
    priority: str
    with_value: int
    records: int

    @property
    def share(self) -> float:
        """The fraction of records with a value (0 when there are no records)."""
        return self.with_value / self.records if self.records else 0.0


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

    def shares(self, entity: str) -> list[FieldShare]:
        """Every data field of ``entity`` (of each version seen) with its share of records."""
        found: dict[str, FieldShare] = {}
        total = self.records[entity]
        for (version, kind), counter in sorted(self.filled.items()):
            if kind != entity:
                continue
            for f in data_fields(version, entity):
                earlier = found.get(f.path)
                count = counter.get(f.path, 0) + (earlier.with_value if earlier else 0)
                found[f.path] = FieldShare(f.path, f.title_path, priority_of(version, f), count, total)
        return list(found.values())

    def by_priority(self, entity: str) -> dict[str, list[FieldShare]]:
        """The field shares of ``entity`` grouped by priority level, most wanted first."""
        groups: dict[str, list[FieldShare]] = {level: [] for level in PRIORITY_LABELS}
        for share in self.shares(entity):
            groups.setdefault(share.priority, []).append(share)
        return {level: items for level, items in groups.items() if items}

    def to_dict(self) -> dict[str, Any]:
        """The statistics as the JSON report shows them."""
        completeness: dict[str, Any] = {}
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
        return {"records": dict(sorted(self.records.items())), "completeness": completeness}


def mean_share(shares: list[FieldShare]) -> float:
    """The average share of records with a value across some fields."""
    return sum(s.share for s in shares) / len(shares) if shares else 0.0

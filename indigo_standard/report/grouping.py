"""The order of issue groups, shared by the text, JSON and HTML reports.

Errors come before warnings. Within a severity, codes come by how many issues they have
(most first, then by name), so that every group of one code is together; within a code,
fields come by how many issues they have, then in the order they were first seen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..validation.issue_store import GroupHead

SEVERITY_RANK = {"error": 0, "warning": 1}


def severity_rank(severity: str) -> int:
    """Where a severity comes in a report: errors first."""
    return SEVERITY_RANK.get(severity, len(SEVERITY_RANK))


def ordered_groups(heads: Iterable[GroupHead]) -> list[GroupHead]:
    """The groups by severity, then by their code's count, then by their own count."""
    groups = list(heads)
    per_code: Counter[str] = Counter()
    for head in groups:
        per_code[head.code] += head.count
    return sorted(
        groups,
        key=lambda head: (
            severity_rank(head.severity),
            -per_code[head.code],
            head.code,
            -head.count,
            head.number,
        ),
    )

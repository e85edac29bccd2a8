"""The publication filter: keep only what the public (or one sandbox) may see.

The rule, applied to every object in a record that has a ``status`` (the record itself,
list items, value wrappers):

- ``PUBLIC`` is kept.
- ``SANDBOX`` is kept only when a sandbox is named and it is listed in the object's own
  ``sandboxes`` field or, when the object has none, in that of the nearest enclosing
  object that has one. Names are compared exactly, after trimming spaces around commas.
- Anything else (``PRIVATE``, ``DISPUTED``, ``null``, an empty or misspelt status such as
  ``"Public"``) is removed together with everything inside it.
- An object without a ``status`` inherits the decision of its nearest enclosing object.
  A record without a status has nothing to inherit: it is private unless the caller says
  that missing statuses are public (``missing_status="public"``), as for data that was
  already filtered, such as the public GO Lab export.

The ``status`` and ``sandboxes`` fields are removed from what is kept. Then removal's
leftovers are cleaned up: sources that were referenced in the input but are no longer
referenced by anything kept are removed (sources never referenced are kept); ids of
removed sources are taken out of ``source_ids``; objects and lists that removal left
empty are removed. References to other records are left as they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

import attrs

from ..reading import PACKAGE_LISTS, is_package

PUBLIC = "PUBLIC"
SANDBOX = "SANDBOX"
KNOWN_STATUSES = ("PUBLIC", "SANDBOX", "PRIVATE", "DISPUTED")
STATUS_KEY = "status"
SANDBOXES_KEY = "sandboxes"
SOURCE_IDS_KEY = "source_ids"
SOURCES_KEY = "sources"

MissingStatus = Literal["private", "public"]
MISSING_STATUS_CHOICES: tuple[MissingStatus, ...] = ("private", "public")


@attrs.define
class FilterSummary:
    """What the filter removed, for a person to check."""

    records_kept: int = 0
    records_removed: int = 0
    values_removed: int = 0
    """Objects below the record level (list items, value wrappers) removed for their status."""
    sources_removed: int = 0
    """Sources removed because nothing kept refers to them any more."""
    unknown_statuses: dict[str, int] = attrs.field(factory=dict)
    """Status values that are not codes of the standard (treated as private), with counts."""

    def add(self, other: FilterSummary) -> None:
        """Add another summary's counts to this one."""
        self.records_kept += other.records_kept
        self.records_removed += other.records_removed
        self.values_removed += other.values_removed
        self.sources_removed += other.sources_removed
        for status, count in other.unknown_statuses.items():
            self.unknown_statuses[status] = self.unknown_statuses.get(status, 0) + count


def split_ids(text: Any) -> list[str]:
    """The items of a comma-separated list, trimmed; anything but text gives none."""
    if not isinstance(text, str):
        return []
    return [part.strip() for part in text.split(",") if part.strip()]


def _visible(
    node: dict[str, Any], inherited: tuple[str, ...], sandbox: str | None, summary: FilterSummary
) -> bool:
    """Whether an object with a status may be seen; ``inherited`` is the enclosing sandbox list."""
    status = node[STATUS_KEY]
    if status == PUBLIC:
        return True
    if status == SANDBOX:
        listed = split_ids(node[SANDBOXES_KEY]) if SANDBOXES_KEY in node else list(inherited)
        return sandbox is not None and sandbox in listed
    if status not in KNOWN_STATUSES:
        shown = repr(status)
        summary.unknown_statuses[shown] = summary.unknown_statuses.get(shown, 0) + 1
    return False


class _Filter:
    """One pass over one record."""

    def __init__(self, sandbox: str | None, summary: FilterSummary) -> None:
        self.sandbox = sandbox
        self.summary = summary

    def node(self, value: Any, inherited: tuple[str, ...]) -> Any:
        """The visible part of ``value``, or ``_GONE`` when nothing of it may be seen."""
        if isinstance(value, dict):
            return self.obj(value, inherited)
        if isinstance(value, list):
            kept = []
            for item in value:
                result = self.node(item, inherited)
                if result is not _GONE:
                    kept.append(result)
            return kept if kept or not value else _GONE
        return value

    def obj(self, value: dict[str, Any], inherited: tuple[str, ...]) -> Any:
        if STATUS_KEY in value and not _visible(value, inherited, self.sandbox, self.summary):
            self.summary.values_removed += 1
            return _GONE
        if SANDBOXES_KEY in value:
            inherited = tuple(split_ids(value[SANDBOXES_KEY]))
        kept: dict[str, Any] = {}
        for key, child in value.items():
            if key in (STATUS_KEY, SANDBOXES_KEY):
                continue
            result = self.node(child, inherited)
            if result is not _GONE:
                kept[key] = result
        return kept if kept or not value else _GONE


_GONE: Any = object()


def _walk_source_ids(value: Any, skip_sources: bool = True) -> Iterator[str]:
    """Every id named in a ``source_ids`` field, outside the record's own sources list."""
    if isinstance(value, dict):
        for key, child in value.items():
            if key == SOURCE_IDS_KEY:
                yield from split_ids(child)
            elif not (skip_sources and key == SOURCES_KEY):
                yield from _walk_source_ids(child, False)
    elif isinstance(value, list):
        for item in value:
            yield from _walk_source_ids(item, False)


def _source_list_ids(record: Any) -> set[str]:
    sources = record.get(SOURCES_KEY) if isinstance(record, dict) else None
    if not isinstance(sources, list):
        return set()
    return {str(item["id"]) for item in sources if isinstance(item, dict) and "id" in item}


def _rewrite_source_ids(value: Any, removed: set[str]) -> Any:
    """``value`` without the removed ids in its ``source_ids``; ``_GONE`` when left empty."""
    if isinstance(value, dict):
        kept: dict[str, Any] = {}
        for key, child in value.items():
            if key == SOURCE_IDS_KEY and isinstance(child, str):
                ids = split_ids(child)
                remaining = [i for i in ids if i not in removed]
                if len(remaining) == len(ids):
                    kept[key] = child
                elif remaining:
                    kept[key] = ",".join(remaining)
                continue
            result = _rewrite_source_ids(child, removed)
            if result is not _GONE:
                kept[key] = result
        return kept if kept or not value else _GONE
    if isinstance(value, list):
        items = [r for r in (_rewrite_source_ids(i, removed) for i in value) if r is not _GONE]
        return items if items or not value else _GONE
    return value


def _clean_sources(original: dict[str, Any], kept: dict[str, Any], summary: FilterSummary) -> dict[str, Any]:
    """Drop sources orphaned by the filter and the ids of every removed source."""
    referenced_before = set(_walk_source_ids(original))
    referenced_after = set(_walk_source_ids(kept))
    sources = kept.get(SOURCES_KEY)
    if isinstance(sources, list):
        remaining = []
        for item in sources:
            sid = str(item["id"]) if isinstance(item, dict) and "id" in item else None
            if sid is not None and sid in referenced_before and sid not in referenced_after:
                summary.sources_removed += 1
                continue
            remaining.append(item)
        if remaining:
            kept[SOURCES_KEY] = remaining
        else:
            del kept[SOURCES_KEY]
    removed = _source_list_ids(original) - _source_list_ids(kept)
    if not removed:
        return kept
    result = _rewrite_source_ids(kept, removed)
    return result if result is not _GONE else {}


def publish_record(
    record: Any,
    sandbox: str | None = None,
    missing_status: MissingStatus = "private",
    summary: FilterSummary | None = None,
) -> Any:
    """The public (or sandbox) view of one record, or None when the record may not be seen."""
    summary = summary if summary is not None else FilterSummary()
    if not isinstance(record, dict):
        summary.records_removed += 1
        return None
    if STATUS_KEY not in record and missing_status != "public":
        summary.records_removed += 1
        return None
    values_before = summary.values_removed
    kept = _Filter(sandbox, summary).obj(record, ())
    if kept is _GONE:
        summary.values_removed = values_before
        summary.records_removed += 1
        return None
    kept = _clean_sources(record, kept, summary)
    summary.records_kept += 1
    return kept


def publish(
    data: Any,
    sandbox: str | None = None,
    *,
    missing_status: MissingStatus = "private",
    summary: FilterSummary | None = None,
) -> Any:
    """The part of ``data`` (a record, a list of records or a dataset package) that may be seen.

    A record becomes None when it may not be seen; lists and packages lose such records.
    ``sandbox`` names the sandbox whose SANDBOX values are kept; ``missing_status`` says
    whether a record without any status is private (the default) or public.
    """
    if missing_status not in MISSING_STATUS_CHOICES:
        raise ValueError(f"missing_status must be one of {', '.join(MISSING_STATUS_CHOICES)}")
    summary = summary if summary is not None else FilterSummary()
    if is_package(data):
        out = {}
        for key, value in data.items():
            if key in PACKAGE_LISTS and isinstance(value, list):
                out[key] = _publish_list(value, sandbox, missing_status, summary)
            else:
                out[key] = value
        return out
    if isinstance(data, list):
        return _publish_list(data, sandbox, missing_status, summary)
    return publish_record(data, sandbox, missing_status, summary)


def _publish_list(
    records: list[Any], sandbox: str | None, missing_status: MissingStatus, summary: FilterSummary
) -> list[Any]:
    kept = (publish_record(r, sandbox, missing_status, summary) for r in records)
    return [r for r in kept if r is not None]

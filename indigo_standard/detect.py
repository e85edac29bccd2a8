"""Telling which record type a record is."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

RECORD_TYPES: tuple[str, ...] = ("project", "organisation", "fund", "pipeline")

ID_PREFIXES: Mapping[str, str] = {
    "project": "INDIGO-POJ-",
    "organisation": "INDIGO-ORG-",
    "fund": "INDIGO-FUND-",
    "pipeline": "INDIGO-PL-",
}
"""The prefix INDIGO gives the ids of each record type."""


def entity_from_id(record_id: Any) -> str | None:
    """The record type an id's prefix names, or None."""
    if isinstance(record_id, str):
        for entity, prefix in ID_PREFIXES.items():
            if record_id.upper().startswith(prefix):
                return entity
    return None


def detect_entity(data: Any, *, given: str | None = None, context: str | None = None) -> str | None:
    """The record type: as given by the user, else from its place in a package, else from its id."""
    if given:
        return given
    if context:
        return context
    if isinstance(data, dict):
        return entity_from_id(data.get("id"))
    return None


def record_id(data: Any) -> str | None:
    """The record's id as text, when it has one."""
    if isinstance(data, dict) and data.get("id") is not None:
        return str(data["id"])
    return None

"""Telling which record type a record is: from what the input says, its id prefix and its fields.

A record's type can come from the user (``--type``), from where it sits (a package's list or
a flat file), from its id's prefix (``INDIGO-POJ-`` ...) and from its top-level fields. The
first two decide when given. Otherwise the prefix decides only when the fields allow it:
the fields are the stronger evidence, so a record whose fields are a project's is read as a
project whatever its id says, and a record whose fields fit several types but not the one
its prefix names has no type that can be trusted. :func:`detect` says which type, and
whether (and how) the evidence disagrees, so that validation can report it.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import attrs

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
        upper = record_id.upper()
        for entity, prefix in ID_PREFIXES.items():
            if upper.startswith(prefix):
                return entity
    return None


ARTICLES: Mapping[str, str] = {
    "project": "a project",
    "organisation": "an organisation",
    "fund": "a fund",
    "pipeline": "a pipeline project",
}
"""How each record type reads in a message."""

PLURALS: Mapping[str, str] = {
    "project": "projects",
    "organisation": "organisations",
    "fund": "funds",
    "pipeline": "pipeline projects",
}


@cache
def record_keys() -> Mapping[str, frozenset[str]]:
    """The top-level keys each record type has in any supported version (``id`` left out)."""
    from .registry import schema
    from .versions import SUPPORTED_VERSIONS

    return {
        entity: frozenset(
            key for version in SUPPORTED_VERSIONS for key in schema(version, entity)["properties"]
        )
        - {"id"}
        for entity in RECORD_TYPES
    }


@cache
def _any_record_keys() -> frozenset[str]:
    """The top-level keys of every record type together."""
    return frozenset().union(*record_keys().values())


def _known(data: Any) -> set[str]:
    """The record's top-level keys that some record type has."""
    if not isinstance(data, Mapping):
        return set()
    return set(_any_record_keys().intersection(data))


def entities_from_fields(data: Any) -> tuple[str, ...]:
    """The record types a record's top-level fields point to, in :data:`RECORD_TYPES` order.

    Those that have every field of the record that some type has; when none has them all,
    those that have the most of them. Keys no type has are left out, and a record with none
    of the others points to no type (an empty tuple).
    """
    return _owners(_known(data))


def _owners(known: set[str]) -> tuple[str, ...]:
    """:func:`entities_from_fields` of a record whose known top-level keys are ``known``."""
    if not known:
        return ()
    keys = record_keys()
    owners = tuple(entity for entity in RECORD_TYPES if known <= keys[entity])
    if owners:
        return owners
    score = {entity: len(known & keys[entity]) for entity in RECORD_TYPES}
    best = max(score.values())
    return tuple(entity for entity in RECORD_TYPES if score[entity] == best)


OVERRULE = 2
"""How many of a record's fields a record type must lack before the fields overrule a type its
id or the input names: one unknown key may be a slip or an extension, not a different type."""


def contradicting(entity: str, data: Any) -> tuple[str, ...]:
    """The types a record's fields point to when they overrule ``entity``, else ().

    They do when some other type fits the fields better (see :func:`entities_from_fields`)
    and ``entity`` lacks at least :data:`OVERRULE` of them.
    """
    return _overruling(entity, _known(data))


def _overruling(entity: str, known: set[str]) -> tuple[str, ...]:
    """:func:`contradicting` for a record whose known top-level keys are ``known``."""
    found = _owners(known)
    if not found or entity in found or len(known - record_keys()[entity]) < OVERRULE:
        return ()
    return found


@attrs.frozen
class Detection:
    """Which record type a record is, and what evidence disagreed."""

    entity: str | None
    """The type to validate the record as; None when it cannot be told."""
    fields: tuple[str, ...] = ()
    """The types its fields point to (see :func:`entities_from_fields`)."""
    prefix: str | None = None
    """The type its id's prefix names, if any."""
    claimed_by: str | None = None
    """What named a type that the fields overrule: "given" (the user), "context" (its place in
    the input) or "prefix" (its id); None when the fields overrule nothing."""


def detect(data: Any, *, given: str | None = None, context: str | None = None) -> Detection:
    """The record type of ``data``, with any disagreement between the evidence for it.

    The user's ``given`` type, else ``context`` (a package list or flat file), decides. Else
    the id prefix, unless the fields overrule it (see :func:`contradicting`): then the one
    type they point to, or None when they point to several. Without a known prefix, the one
    type the fields point to, or None.
    """
    known = _known(data)
    found = _owners(known)
    prefix = entity_from_id(data.get("id")) if isinstance(data, Mapping) else None
    claimed = given or context
    if claimed:
        if claimed == "package" or not _overruling(claimed, known):
            return Detection(claimed, found, prefix)
        return Detection(claimed, found, prefix, "given" if given else "context")
    if prefix is not None and not _overruling(prefix, known):
        return Detection(prefix, found, prefix)
    entity = found[0] if len(found) == 1 else None
    return Detection(entity, found, prefix, "prefix" if prefix is not None else None)


def detect_entity(data: Any, *, given: str | None = None, context: str | None = None) -> str | None:
    """The record type: as given by the user, else from its place in a package, else from its
    id prefix and its fields (see :func:`detect`); None when it cannot be told."""
    return detect(data, given=given, context=context).entity


def record_id(data: Any) -> str | None:
    """The record's id as text, when it has one."""
    if isinstance(data, dict) and data.get("id") is not None:
        return str(data["id"])
    return None

"""The building blocks every generated class uses: :class:`Node`, :class:`Value` and :class:`Status`."""

from __future__ import annotations

from enum import Enum
from typing import Any, Generic, TypeVar

import attrs

T = TypeVar("T")


class Status(str, Enum):
    """Who may see a value. Most fields allow PUBLIC, PRIVATE and DISPUTED; a few allow SANDBOX."""

    PUBLIC = "PUBLIC"
    SANDBOX = "SANDBOX"
    PRIVATE = "PRIVATE"
    DISPUTED = "DISPUTED"


@attrs.define
class Node:
    """Base of every model object.

    ``extra`` holds the keys the schema does not define (extensions, unknown fields), in
    their JSON form; ``dump`` writes them back in the object they came from.
    ``key_order`` remembers the order of the keys read, so that ``dump`` can keep it.
    """

    extra: dict[str, Any] = attrs.field(factory=dict, kw_only=True, repr=False)
    key_order: tuple[str, ...] = attrs.field(default=(), kw_only=True, eq=False, repr=False)


@attrs.define
class Value(Node, Generic[T]):
    """One fact with its publication status, the ids of the sources behind it and notes.

    ``Value[Decimal]``, ``Value[PartialDate]``, ``Value[Country]``, ``Value[PolicySector]``...
    Which of ``status``, ``source_ids``, ``notes`` and ``sandboxes`` a field defines is in
    its attrs metadata (``"keys"``); the others are still read and written back if present.
    """

    value: T | None = None
    status: Status | None = None
    source_ids: tuple[str, ...] | None = None
    notes: str | None = None
    sandboxes: tuple[str, ...] | None = None


def field(key: str, **meta: Any) -> Any:
    """An optional model attribute with its JSON ``key`` and schema facts kept as metadata.

    Metadata keys: ``key`` (the JSON key), ``keys`` (for value wrappers: the keys the schema
    defines), ``status`` (allowed status codes), ``references`` (what the ids name:
    ``organisation``, ``project`` or a list of the record such as ``/sources``), ``title``.
    """
    return attrs.field(default=None, metadata={"key": key, **meta})

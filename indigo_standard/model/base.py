"""The building blocks every generated class uses: :class:`Node`, :class:`Value`, :class:`Status`
and :class:`Invalid`, the form of a value that could not be typed."""

from __future__ import annotations

from enum import Enum
from typing import Any, ClassVar, Generic, TypeVar

import attrs

from ..validation.result import Issue

T = TypeVar("T")


class Status(str, Enum):
    """Who may see a value. Most fields allow PUBLIC, PRIVATE and DISPUTED; a few allow SANDBOX."""

    PUBLIC = "PUBLIC"
    SANDBOX = "SANDBOX"
    PRIVATE = "PRIVATE"
    DISPUTED = "DISPUTED"


@attrs.frozen(repr=False)
class Invalid:
    """A JSON value that ``load`` could not type, kept exactly as it was read.

    ``raw`` is the value (text, number, list, object or null) and ``issue`` the problem,
    the same :class:`~indigo_standard.validation.result.Issue` that ``validate`` reports
    for it (code, JSON pointer, message). ``dump`` writes ``raw`` back unchanged. Two
    Invalid values are equal when their raw values are.
    """

    raw: Any
    issue: Issue = attrs.field(eq=False)

    @property
    def code(self) -> str:
        """The issue code, such as ``schema.type`` or ``amount.currency-not-iso``."""
        return self.issue.code

    @property
    def message(self) -> str:
        """What is wrong with the value, in words."""
        return self.issue.message

    def __repr__(self) -> str:
        return f"Invalid({self.raw!r}: {self.issue.message})"


def _checked(value: Any, instance: Any, attribute: attrs.Attribute[Any]) -> Any:
    """Check (or convert, where that is unambiguous) a value given to a model attribute in code."""
    if value is None:
        return None
    from .checking import checker

    return checker(type(instance), attribute.name)(value)


CHECKED = attrs.Converter(_checked, takes_self=True, takes_field=True)
"""The converter of every generated attribute: runs when an object is built or an attribute set in
code. ``load`` builds objects without it: it has typed (or kept as :class:`Invalid`) every value."""


def _own(name: str, value: Any) -> Any:
    """Check a value given in code to one of the attributes every node or wrapper has."""
    if value is None:
        return None
    from .checking import own_check

    return own_check(name)(value)


def _given_extra(value: dict[str, Any] | None) -> dict[str, Any] | None:
    checked: dict[str, Any] | None = _own("extra", value)
    return checked


def _given_key_order(value: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    checked: tuple[str, ...] = _own("key_order", value)
    return checked


def _given_problems(value: tuple[Issue, ...] | list[Issue]) -> tuple[Issue, ...]:
    checked: tuple[Issue, ...] = _own("problems", value)
    return checked


def _given_status(value: Status | str | Invalid | None) -> Status | Invalid | None:
    checked: Status | Invalid | None = _own("status", value)
    return checked


def _given_ids(value: tuple[str, ...] | list[str] | str | Invalid | None) -> tuple[str, ...] | Invalid | None:
    checked: tuple[str, ...] | Invalid | None = _own("source_ids", value)
    return checked


def _given_sandboxes(
    value: tuple[str, ...] | list[str] | str | Invalid | None,
) -> tuple[str, ...] | Invalid | None:
    checked: tuple[str, ...] | Invalid | None = _own("sandboxes", value)
    return checked


def _given_notes(value: str | Invalid | None) -> str | Invalid | None:
    checked: str | Invalid | None = _own("notes", value)
    return checked


def _given_value(_: Any, __: attrs.Attribute[Any], value: Any) -> None:
    _own("value", value)


def _same_extra(first: dict[str, Any] | None, second: dict[str, Any] | None) -> bool:
    return (first or {}) == (second or {})


@attrs.define
class Node:
    """Base of every model object.

    ``extra`` holds the keys the schema does not define (extensions, unknown fields), in
    their JSON form; ``dump`` writes them back in the object they came from.
    ``key_order`` remembers the order of the keys read, so that ``dump`` can keep it.
    """

    _extra: dict[str, Any] | None = attrs.field(
        default=None,
        alias="extra",
        kw_only=True,
        repr=False,
        eq=attrs.cmp_using(eq=_same_extra, require_same_type=False),
        converter=_given_extra,
    )
    key_order: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, eq=False, repr=False, converter=_given_key_order
    )

    @property
    def extra(self) -> dict[str, Any]:
        """The keys the schema does not define, with their JSON values (made on first use when empty)."""
        found = self._extra
        if found is None:
            found = {}
            object.__setattr__(self, "_extra", found)
        return found

    @extra.setter
    def extra(self, value: dict[str, Any]) -> None:
        self._extra = value


@attrs.define
class RecordNode(Node):
    """Base of the four record classes: a node that also carries what ``load`` found wrong.

    ``problems`` lists, in document order, the issue of every value that was kept as
    :class:`Invalid` when the record was loaded (empty for a record built in code). It is
    not updated when the record changes, and plays no part in equality.
    """

    ENTITY: ClassVar[str] = ""
    """The record type: ``project``, ``organisation``, ``fund`` or ``pipeline``."""

    problems: tuple[Issue, ...] = attrs.field(
        default=(), kw_only=True, eq=False, repr=False, converter=_given_problems
    )


@attrs.define
class Value(Node, Generic[T]):
    """One fact with its publication status, the ids of the sources behind it and notes.

    ``Value[Decimal | Invalid]``, ``Value[PartialDate | Invalid]``, ``Value[Country | Invalid]``...
    Which of ``status``, ``source_ids``, ``notes`` and ``sandboxes`` a field defines is in
    its attrs metadata (``"keys"``); ``load`` keeps the others, like any key the schema does
    not define, in ``extra``, and ``dump`` writes them back in place.
    """

    value: T | None = attrs.field(default=None, validator=_given_value)
    status: Status | Invalid | None = attrs.field(default=None, converter=_given_status)
    source_ids: tuple[str, ...] | Invalid | None = attrs.field(default=None, converter=_given_ids)
    notes: str | Invalid | None = attrs.field(default=None, converter=_given_notes)
    sandboxes: tuple[str, ...] | Invalid | None = attrs.field(default=None, converter=_given_sandboxes)


def field(key: str, **meta: Any) -> Any:
    """An optional model attribute with its JSON ``key`` and schema facts kept as metadata.

    Metadata keys: ``key`` (the JSON key), ``keys`` (for value wrappers: the keys the schema
    defines), ``status`` (allowed status codes), ``references`` (what the ids name:
    ``organisation``, ``project`` or a list of the record such as ``/sources``), ``title``.
    """
    return attrs.field(default=None, metadata={"key": key, **meta}, converter=CHECKED)

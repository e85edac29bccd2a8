"""Checks on model objects built in code: a wrong type is refused, naming the attribute.

``Project(name="a string")``, ``Jurisdiction(jurisdiction=Value("UK"))`` and
``Document(status="public")`` raise :class:`~indigo_standard.model.FieldError`. Where a
conversion is unambiguous it is made instead: ``"GB"`` becomes ``Country("GB")`` inside a
country wrapper, ``"PUBLIC"`` becomes ``Status.PUBLIC``, ``5`` and ``0.5`` become
``Decimal`` in an amount, ``"2020-06"`` becomes a :class:`PartialDate`, ``"s1, s2"`` or a
list of ids becomes a tuple of ids, and a tuple of list items becomes a list.
:class:`Invalid` is accepted everywhere: it is how a value that could not be typed is kept.
"""

from __future__ import annotations

import datetime
import math
import types
from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import Enum
from typing import Any, Union, get_args, get_origin

from .base import Invalid, Node, Status, Value
from .errors import FieldError
from .slots import Slot, slot_of
from .types import Country, Currency, FloatDecimal, IdList, PartialDate

Check = Callable[[Any], Any]


def _describe(value: Any) -> str:
    from .convert import describe

    return describe(value)


class _Refused(Exception):
    """A value a scalar check refuses; the message says what was expected."""


def _text(value: Any) -> str:
    if isinstance(value, str) and not isinstance(value, Enum):
        return value
    raise _Refused("text")


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise _Refused("true or false")


def _decimal(value: Any) -> Decimal:
    if isinstance(value, Decimal) and value.is_finite():
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, float) and math.isfinite(value):
        return FloatDecimal(repr(value))
    raise _Refused("a finite number (a Decimal, int or float)")


_DATE = "a PartialDate, a datetime.date or a date as text YYYY, YYYY-MM or YYYY-MM-DD"


def _partial_date(value: Any) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, datetime.datetime):
        raise _Refused(_DATE)
    if isinstance(value, datetime.date):
        return PartialDate.from_date(value)
    if isinstance(value, str):
        try:
            return PartialDate.parse(value)
        except ValueError:
            pass
    raise _Refused(_DATE)


def _code(cls: type[Country] | type[Currency], expected: str) -> Check:
    def check(value: Any) -> Any:
        if isinstance(value, cls):
            return value
        try:
            return cls(value)
        except ValueError:
            raise _Refused(expected) from None

    return check


def _ids(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return IdList.parse(value)
    if isinstance(value, tuple | list) and all(isinstance(item, str) for item in value):
        return value if isinstance(value, tuple) else tuple(value)
    raise _Refused("ids: a tuple of texts, or one text of comma-separated ids")


def _enum(cls: type[Enum], allowed: tuple[str, ...] | None = None) -> Check:
    codes = allowed or tuple(member.value for member in cls)

    def check(value: Any) -> Enum:
        member = value if isinstance(value, cls) else None
        if member is None and isinstance(value, str):
            member = cls._value2member_map_.get(value)
        if member is None or member.value not in codes:
            shown = ", ".join(codes)
            raise _Refused(f"one of {shown}")
        return member

    return check


_SCALARS: Mapping[Any, Check] = {
    str: _text,
    bool: _boolean,
    Decimal: _decimal,
    PartialDate: _partial_date,
    Country: _code(Country, "an ISO 3166-1 alpha-2 country code, such as GB"),
    Currency: _code(Currency, "an ISO 4217 currency code, such as GBP"),
}


def scalar_check(tp: Any, allowed: tuple[str, ...] | None = None) -> Check:
    """The check of a scalar of type ``tp`` (``allowed`` narrows the codes of a Status)."""
    if tp in _SCALARS:
        return _SCALARS[tp]
    if get_origin(tp) is tuple:
        return _ids
    if isinstance(tp, type) and issubclass(tp, Enum):
        return _enum(tp, allowed)
    # What follows is met only in model classes written by hand: a union is checked member by
    # member, and any other class (or generic such as list[...]) by isinstance.
    if get_origin(tp) in (Union, types.UnionType):
        return _any_of([scalar_check(arg, allowed) for arg in get_args(tp) if arg is not type(None)])
    base = get_origin(tp) or tp
    if isinstance(base, type):
        return _instance_of(base)
    raise TypeError(f"no check for {tp!r}")


def _any_of(checks: list[Check]) -> Check:
    def check(value: Any) -> Any:
        refusals = []
        for one in checks:
            try:
                return one(value)
            except _Refused as refused:
                refusals.append(str(refused))
        raise _Refused(" or ".join(refusals))

    return check


def _instance_of(cls: type) -> Check:
    def check(value: Any) -> Any:
        if isinstance(value, cls):
            return value
        raise _Refused(f"a {cls.__name__}")

    return check


def _lax_scalar(value: Any) -> Any:
    """What a bare :class:`Value` may wrap before it is placed in a typed attribute."""
    if isinstance(value, Node | Mapping | list | set):
        raise _Refused("a single value (text, a number, a date, a code or ids)")
    return value


def _where(cls: type, name: str) -> str:
    return f"{cls.__name__}.{name}"


def _refuse(cls: type, name: str, expected: str, value: Any) -> FieldError:
    return FieldError(_where(cls, name), f"expected {expected}, got {_describe(value)}", value)


_WORDS: Mapping[Any, str] = {
    str: "text",
    bool: "true or false",
    Decimal: "a Decimal",
    PartialDate: "a PartialDate",
    Country: "a Country code",
    Currency: "a Currency code",
}


def _value_check(cls: type, slot: Slot) -> Check:
    inner = scalar_check(slot.tp)
    statuses = slot.meta.get("status")
    status = _enum(Status, tuple(statuses)) if statuses else None
    shown = _WORDS.get(slot.tp) or (f"{slot.tp.__name__} codes" if isinstance(slot.tp, type) else "ids")

    def check(value: Any) -> Any:
        if isinstance(value, Invalid):
            return value
        if not isinstance(value, Value):
            raise _refuse(cls, slot.name, f"a Value wrapping {shown}, such as Value(...)", value)
        wrapped = value.value
        if wrapped is not None and not isinstance(wrapped, Invalid):
            try:
                converted = inner(wrapped)
            except _Refused as refused:
                raise FieldError(
                    f"{_where(cls, slot.name)}.value",
                    f"expected {refused}, got {_describe(wrapped)}",
                    wrapped,
                ) from None
            if converted is not wrapped:
                object.__setattr__(value, "value", converted)
        if status is not None and isinstance(value.status, Status):
            try:
                status(value.status)
            except _Refused as refused:
                raise FieldError(
                    f"{_where(cls, slot.name)}.status",
                    f"expected {refused}, got {value.status.value!r}",
                    value.status,
                ) from None
        return value

    return check


def _list_check(cls: type, slot: Slot) -> Check:
    item_class = slot.tp

    def check(value: Any) -> Any:
        if isinstance(value, Invalid):
            return value
        if not isinstance(value, list | tuple):
            raise _refuse(cls, slot.name, f"a list of {item_class.__name__}", value)
        for index, item in enumerate(value):
            if not isinstance(item, item_class | Invalid):
                raise _refuse(cls, f"{slot.name}[{index}]", item_class.__name__, item)
        return value if isinstance(value, list) else list(value)

    return check


def _node_check(cls: type, slot: Slot) -> Check:
    node_class = slot.tp

    def check(value: Any) -> Any:
        if isinstance(value, node_class | Invalid):
            return value
        raise _refuse(cls, slot.name, node_class.__name__, value)

    return check


def _scalar_slot_check(cls: type, name: str, tp: Any, allowed: tuple[str, ...] | None = None) -> Check:
    inner = _lax_scalar if tp is None else scalar_check(tp, allowed)

    def check(value: Any) -> Any:
        if isinstance(value, Invalid):
            return value
        try:
            return inner(value)
        except _Refused as refused:
            raise _refuse(cls, name, str(refused), value) from None

    return check


def _mapping_check(cls: type, name: str) -> Check:
    def check(value: Any) -> Any:
        if not isinstance(value, dict):
            raise _refuse(cls, name, "a dict", value)
        return value

    return check


def _tuple_check(cls: type, name: str, item: type) -> Check:
    def check(value: Any) -> Any:
        if not isinstance(value, tuple | list) or not all(isinstance(x, item) for x in value):
            raise _refuse(cls, name, f"a tuple of {item.__name__}", value)
        return tuple(value)

    return check


_OWN_TYPES: Mapping[str, Any] = {
    "status": Status,
    "source_ids": tuple[str, ...],
    "notes": str,
    "sandboxes": tuple[str, ...],
    "value": None,
}


def own_check(name: str) -> Check:
    """The check of an attribute every node (``extra``, ``key_order``), record (``problems``) or
    value wrapper (``value``, ``status``, ``source_ids``, ``notes``, ``sandboxes``) has."""
    found = _OWN.get(name)
    if found is None:
        from ..validation.result import Issue

        if name == "extra":
            found = _mapping_check(Node, name)
        elif name == "key_order":
            found = _tuple_check(Node, name, str)
        elif name == "problems":
            found = _tuple_check(Node, name, Issue)
        else:
            found = _scalar_slot_check(Value, name, _OWN_TYPES[name])
        _OWN[name] = found
    return found


_OWN: dict[str, Check] = {}
_CHECKS: dict[tuple[type, str], Check] = {}


def checker(cls: type[Node], name: str) -> Check:
    """The check of generated attribute ``name`` of model class ``cls`` (built once)."""
    found = _CHECKS.get((cls, name))
    if found is not None:
        return found
    slot = slot_of(cls, name)
    if slot is None:
        raise AttributeError(f"{cls.__name__} has no attribute {name!r}")
    if slot.kind == "value":
        found = _value_check(cls, slot)
    elif slot.kind == "list":
        found = _list_check(cls, slot)
    elif slot.kind == "node":
        found = _node_check(cls, slot)
    else:
        statuses = slot.meta.get("status")
        found = _scalar_slot_check(cls, name, slot.tp, tuple(statuses) if statuses else None)
    _CHECKS[(cls, name)] = found
    return found

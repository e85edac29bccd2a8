"""What each attribute of a model class holds, worked out once per class from its annotations."""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Any, Literal, Union, get_args, get_origin

import attrs

from .base import Invalid, Node, Value

INTERNAL = ("_extra", "key_order", "problems")
"""Attributes of every node (or record) that are not JSON keys."""

Kind = Literal["value", "list", "node", "scalar"]


@attrs.frozen
class Slot:
    """One attribute of a model class: its name, JSON key, what it holds and its schema facts."""

    name: str
    key: str
    kind: Kind
    """``value`` (a :class:`Value` wrapper), ``list`` (of nodes), ``node`` or ``scalar``."""
    tp: Any
    """The wrapped type of a value, the item class of a list, the class of a node, or the scalar type."""
    meta: Mapping[str, Any]


def plain(annotation: Any) -> Any:
    """``annotation`` without ``None`` and :class:`Invalid` (``Decimal | Invalid | None`` gives Decimal)."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None) and arg is not Invalid]
        return args[0] if len(args) == 1 else Union[tuple(args)]  # noqa: UP007
    return annotation


_SLOTS: dict[type, tuple[Slot, ...]] = {}


def slots(cls: type[Node]) -> tuple[Slot, ...]:
    """The JSON attributes of ``cls``, in definition order (``extra`` and the like left out)."""
    known = _SLOTS.get(cls)
    if known is None:
        known = _SLOTS[cls] = _find_slots(cls)
    return known


def _find_slots(cls: type[Node]) -> tuple[Slot, ...]:
    attrs.resolve_types(cls)
    found = []
    for f in attrs.fields(cls):
        if f.name in INTERNAL:
            continue
        tp = plain(f.type)
        origin = get_origin(tp)
        kind: Kind
        if origin is Value:
            kind, inner = "value", plain(get_args(tp)[0])
        elif origin is list:
            kind, inner = "list", plain(get_args(tp)[0])
        elif isinstance(tp, type) and issubclass(tp, Node):
            kind, inner = "node", tp
        else:
            kind, inner = "scalar", tp
        found.append(Slot(f.name, f.metadata.get("key", f.name), kind, inner, f.metadata))
    return tuple(found)


def slot_of(cls: type[Node], name: str) -> Slot | None:
    """The slot of attribute ``name`` of ``cls``, or None for ``extra`` and the like."""
    return next((slot for slot in slots(cls) if slot.name == name), None)

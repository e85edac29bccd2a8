"""Structuring JSON data into the typed model, leniently, and back into JSON.

Each model class gets one structuring function, built once from its annotations and
metadata. It types every value it can; a value it cannot type (text in a number field, a
code outside its codelist, a list where an object belongs, null) is kept as an
:class:`~indigo_standard.model.Invalid` at the smallest place that holds it, carrying
the :class:`~indigo_standard.validation.result.Issue` that ``validate`` reports there:
the same code and JSON pointer, with the code and message taken from the schema field
at that pointer. Unknown keys go to ``extra`` and the order of keys to ``key_order``.

Objects are built without the checks that guard construction in code (see
:mod:`.checking`): every value here has been typed or kept as Invalid already.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import Enum
from functools import cache, lru_cache
from inspect import getattr_static
from typing import Any, get_origin

import attrs

from ..data import country_codes, currency_codes
from ..fields import Field, field_for_pointer, pointer, title_for_pointer
from ..validation.result import Issue
from ..versions import LATEST_VERSION
from .base import Invalid, Node, RecordNode, Status, Value
from .slots import INTERNAL, Slot, slots
from .types import Country, Currency, FloatDecimal, IdList, PartialDate, id_list_text


def describe(value: Any) -> str:
    """A short description of a JSON value for messages: ``the text 'TBD'``, ``a list``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if isinstance(value, int | float | Decimal):
        return f"the number {value}"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


class Miss(Exception):
    """A value that cannot be typed: why (``kind``), the JSON type expected and, for codes, the codes."""

    def __init__(self, kind: str, expected: str, codes: tuple[str, ...] = ()) -> None:
        self.kind = kind
        self.expected = expected
        self.codes = codes


Locate = Callable[[str], Any]
"""Gives the :class:`~indigo_standard.validation.result.Source` of a JSON pointer, or None."""


class Context:
    """One structuring run: where it is in the record and the issues found so far."""

    __slots__ = ("entity", "issues", "lenient_dates", "locate", "path", "record")

    def __init__(
        self,
        entity: str | None,
        record: str | None,
        locate: Locate | None = None,
        lenient_dates: bool = False,
    ) -> None:
        self.entity = entity
        self.record = record
        self.locate = locate
        self.lenient_dates = lenient_dates
        self.path: list[str | int] = []
        self.issues: list[Issue] = []

    def invalid(self, raw: Any, miss: Miss, key: str | None = None) -> Invalid:
        """``raw`` kept as Invalid at the current place (or at its ``key``), its issue recorded."""
        ptr = pointer(self.path if key is None else [*self.path, key])
        issue = _issue(self, raw, miss, ptr)
        self.issues.append(issue)
        return Invalid(json_copy(raw), issue)


def _issue(ctx: Context, raw: Any, miss: Miss, ptr: str) -> Issue:
    field = field_for_pointer(LATEST_VERSION, ctx.entity, ptr) if ctx.entity else None
    code, params = issue_details(miss, raw, field)
    title = title_for_pointer(LATEST_VERSION, ctx.entity, ptr) if ctx.entity else ""
    source = ctx.locate(ptr) if ctx.locate is not None else None
    return Issue.make(
        code, params=params, entity=ctx.entity, record=ctx.record, path=ptr, title=title, source=source
    )


def issue_details(miss: Miss, raw: Any, field: Field | None) -> tuple[str, dict[str, Any]]:
    """The issue code and message details ``validate`` gives for this value, from its schema field."""
    from ..checks.iso_codes import CODES, code_params
    from ..validation.schema_issues import enum_params, show, type_issue

    if miss.kind == "type":
        expected = field.type.split("|") if field is not None and field.type else miss.expected
        return type_issue(expected, raw)
    if miss.kind == "date":
        return "schema.partial-date", {"value": show(raw)}
    enum = list(field.enum) if field is not None and field.enum else None
    if miss.kind in CODES:
        if enum is not None:
            return "schema.enum", enum_params(raw, enum)
        return CODES[miss.kind], code_params(miss.kind, raw)
    return "schema.enum", enum_params(raw, enum if enum is not None else list(miss.codes))


def json_copy(value: Any) -> Any:
    """A copy of a JSON value: containers copied, scalars shared."""
    if type(value) is dict:
        return {key: json_copy(item) for key, item in value.items()}
    if type(value) is list:
        return [json_copy(item) for item in value]
    return value if isinstance(value, str | int | float | Decimal | None) else copy.deepcopy(value)


# -- scalars -------------------------------------------------------------------------------------

Structure = Callable[[Any, Context], Any]


def _text(value: Any, _: Context) -> str:
    if type(value) is str or isinstance(value, str):
        return value
    raise Miss("type", "string")


def _boolean(value: Any, _: Context) -> bool:
    if value is True or value is False:
        return value
    raise Miss("type", "boolean")


def _decimal(value: Any, _: Context) -> Decimal:
    kind = type(value)
    if kind is int:
        return Decimal(value)
    if kind is float:
        if math.isfinite(value):
            return FloatDecimal(repr(value))
    elif kind is Decimal or kind is FloatDecimal:
        if value.is_finite():
            number: Decimal = value
            return number
    elif isinstance(value, int) and not isinstance(value, bool):
        return Decimal(int(value))
    raise Miss("type", "number")


def structure_decimal(value: Any) -> Decimal:
    """A JSON number as an exact Decimal (a float through its shortest repr); TypeError otherwise."""
    try:
        return _decimal(value, Context(None, None))
    except Miss:
        raise TypeError(f"expected a finite number, got {describe(value)}") from None


@lru_cache(maxsize=8192)
def _date(text: str, lenient: bool) -> PartialDate | None:
    try:
        return PartialDate.parse(text, lenient=lenient)
    except ValueError:
        return None


def _partial_date(value: Any, ctx: Context) -> PartialDate:
    if not isinstance(value, str):
        raise Miss("type", "string")
    found = _date(value, ctx.lenient_dates)
    if found is None:
        raise Miss("date", "string")
    return found


def _coded(kind: str, cls: type[Country] | type[Currency], codes: frozenset[str]) -> Structure:
    made = {code: cls(code) for code in codes}

    def structure(value: Any, _: Context) -> Any:
        if not isinstance(value, str):
            raise Miss("type", "string")
        found = made.get(value)
        if found is None:
            raise Miss(kind, "string")
        return found

    return structure


@lru_cache(maxsize=8192)
def _parsed_ids(text: str) -> IdList:
    return IdList.parse(text)


def _ids(value: Any, _: Context) -> tuple[str, ...]:
    if isinstance(value, str):
        return _parsed_ids(value)
    raise Miss("type", "string")


def _enum(cls: type[Enum], allowed: tuple[str, ...] | None = None) -> Structure:
    members = {
        code: member for code, member in cls._value2member_map_.items() if allowed is None or code in allowed
    }
    codes = tuple(members)
    kind = "status" if cls is Status else "enum"

    def structure(value: Any, _: Context) -> Any:
        if not isinstance(value, str):
            raise Miss("type", "string")
        found = members.get(value)
        if found is None:
            raise Miss(kind, "string", codes)
        return found

    return structure


@cache
def _scalars() -> Mapping[Any, Structure]:
    return {
        str: _text,
        bool: _boolean,
        Decimal: _decimal,
        PartialDate: _partial_date,
        Country: _coded("country", Country, country_codes()),
        Currency: _coded("currency", Currency, currency_codes()),
    }


def scalar(tp: Any, allowed: tuple[str, ...] | None = None) -> Structure:
    """The structuring function of a scalar of type ``tp`` (``allowed`` narrows a Status's codes)."""
    found = _scalars().get(tp)
    if found is not None:
        return found
    if get_origin(tp) is tuple:
        return _ids
    if isinstance(tp, type) and issubclass(tp, Enum):
        return _enum(tp, allowed)
    raise TypeError(f"the model has no structuring for {tp!r}")


# -- objects and lists ---------------------------------------------------------------------------


@attrs.frozen
class _Spec:
    """How one JSON key of an object is read: into which attribute, by which function."""

    name: str
    structure: Structure
    nested: bool
    """True for objects and lists, which track the path themselves."""


def _slot_setters(cls: type[Node]) -> dict[str, Callable[[Any, Any], None]]:
    """The ``__set__`` of each slot of ``cls``: sets an attribute without the checks of :mod:`.checking`."""
    return {f.name: getattr_static(cls, f.name).__set__ for f in attrs.fields(cls)}


def _blank(cls: type[Node]) -> Callable[[], Any]:
    """A function that makes an instance of ``cls`` with every JSON attribute None."""
    setters = _slot_setters(cls)
    names = [name for name in setters if name not in INTERNAL]
    lines = ["def blank():", "    o = new(cls)"]
    lines += [f"    set_{name}(o, None)" for name in [*names, "_extra"]]
    if "problems" in setters:
        lines.append("    set_problems(o, ())")
    lines.append("    return o")
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls}
    namespace.update({f"set_{name}": setter for name, setter in setters.items()})
    exec("\n".join(lines), namespace)  # straight-line code: the quickest way to fill the slots
    blank: Callable[[], Any] = namespace["blank"]
    return blank


MAX_SHARED_ORDERS = 512
"""How many distinct key orders each class keeps one shared tuple of."""


def _object(cls: type[Node], specs: Mapping[str, _Spec]) -> Structure:
    blank = _blank(cls)
    setters = _slot_setters(cls)
    set_extra, set_order = setters["_extra"], setters["key_order"]
    # (set attribute, read value, nested) per key: tuples are the quickest to unpack
    plan = {key: (setters[spec.name], spec.structure, spec.nested) for key, spec in specs.items()}
    orders: dict[tuple[str, ...], tuple[str, ...]] = {}

    def structure(data: Any, ctx: Context) -> Any:
        if type(data) is not dict and not isinstance(data, Mapping):
            raise Miss("type", "object")
        obj = blank()
        extra: dict[str, Any] | None = None
        path = ctx.path
        for key, value in data.items():
            found = plan.get(key)
            if found is None:
                if extra is None:
                    extra = {}
                extra[key] = json_copy(value)
                continue
            put, read, nested = found
            if nested:
                path.append(key)
                try:
                    put(obj, read(value, ctx))
                except Miss as miss:
                    put(obj, ctx.invalid(value, miss))
                path.pop()
            else:
                try:
                    put(obj, read(value, ctx))
                except Miss as miss:
                    put(obj, ctx.invalid(value, miss, key))
        if extra is not None:
            set_extra(obj, extra)
        order = tuple(data)
        # Objects of a class mostly share a few key orders: keep one tuple of each (up to a bound),
        # which spares memory and the garbage collector tens of thousands of tuples.
        shared = orders.get(order)
        if shared is None and len(orders) < MAX_SHARED_ORDERS:
            shared = orders[order] = order
        set_order(obj, shared or order)
        return obj

    return structure


def _list(item: Structure) -> Structure:
    def structure(data: Any, ctx: Context) -> list[Any]:
        if type(data) is not list:
            raise Miss("type", "array")
        found = []
        path = ctx.path
        for index, value in enumerate(data):
            path.append(index)
            try:
                found.append(item(value, ctx))
            except Miss as miss:
                found.append(ctx.invalid(value, miss))
            path.pop()
        return found

    return structure


WRAPPER_TYPES: Mapping[str, Any] = {
    "status": Status,
    "source_ids": tuple[str, ...],
    "notes": str,
    "sandboxes": tuple[str, ...],
}
"""The types of a value wrapper's keys other than ``value``."""


@cache
def _wrapper(tp: Any, keys: tuple[str, ...], statuses: tuple[str, ...] | None) -> Structure:
    """The structuring of a :class:`Value` of ``tp`` whose schema defines ``keys``.

    A key the schema does not define for this field is kept in ``extra``, as any unknown key is.
    """
    specs = {"value": _Spec("value", scalar(tp), False)} if "value" in keys else {}
    for key, key_type in WRAPPER_TYPES.items():
        if key in keys:
            specs[key] = _Spec(key, scalar(key_type, statuses if key == "status" else None), False)
    return _object(Value, specs)


def _spec(slot: Slot) -> _Spec:
    statuses = tuple(slot.meta["status"]) if slot.meta.get("status") else None
    if slot.kind == "value":
        keys = tuple(slot.meta.get("keys", ("value",)))
        return _Spec(slot.name, _wrapper(slot.tp, keys, statuses), True)
    if slot.kind == "list":
        return _Spec(slot.name, _list(structuring(slot.tp)), True)
    if slot.kind == "node":
        return _Spec(slot.name, structuring(slot.tp), True)
    return _Spec(slot.name, scalar(slot.tp, statuses), False)


_STRUCTURING: dict[type, Structure] = {}


def structuring(cls: type[Node]) -> Structure:
    """The structuring function of model class ``cls`` (built once)."""
    found = _STRUCTURING.get(cls)
    if found is None:
        found = _STRUCTURING[cls] = _object(cls, {slot.key: _spec(slot) for slot in slots(cls)})
    return found


def structure(cls: type[Node], data: Any, ctx: Context) -> Any:
    """``data`` as an instance of ``cls``, or as :class:`Invalid` when it is not an object at all.

    Every value that could not be typed is in ``ctx.issues``; a record's ``problems`` hold them.
    """
    try:
        result = structuring(cls)(data, ctx)
    except Miss as miss:
        return ctx.invalid(data, miss)
    if isinstance(result, RecordNode) and ctx.issues:
        _SET_PROBLEMS(result, tuple(ctx.issues))
    return result


_SET_PROBLEMS = getattr_static(RecordNode, "problems").__set__


# -- back to JSON --------------------------------------------------------------------------------


def unstructure_decimal(number: Decimal) -> int | float | Decimal:
    """The JSON form of a Decimal: the float it was read from (a :class:`FloatDecimal`); an
    ``int`` when written without a point; else the Decimal itself, which
    :func:`~indigo_standard.dumps` writes digit for digit (``Decimal("1.50")`` stays ``1.50``)."""
    if type(number) is FloatDecimal:
        return float(number)
    if number.as_tuple().exponent == 0:
        return int(number)
    return number


def _same(value: Any) -> Any:
    return value


_DUMPERS: dict[type, Callable[[Any], Any]] = {
    str: _same,
    bool: _same,
    int: _same,
    float: _same,
    Decimal: unstructure_decimal,
    FloatDecimal: unstructure_decimal,
    PartialDate: str,
    Country: str,
    Currency: str,
    IdList: id_list_text,
    tuple: id_list_text,
}


def unstructure(value: Any) -> Any:
    """The JSON form of any model value: objects, lists, wrappers, scalars, Invalid values."""
    dumper = _DUMPERS.get(type(value))
    if dumper is None:
        dumper = _dumper(type(value))
    return dumper(value)


def _dumper(cls: type) -> Callable[[Any], Any]:
    found: Callable[[Any], Any]
    if issubclass(cls, Node):
        found = _node_dumper(cls)
    elif issubclass(cls, Enum):
        found = _enum_value
    elif cls is Invalid:
        found = _raw
    elif issubclass(cls, list):
        found = _list_dump
    elif issubclass(cls, str):
        found = str
    elif issubclass(cls, tuple):
        found = id_list_text
    elif issubclass(cls, Decimal):
        found = unstructure_decimal
    elif cls is type(None):
        found = _same
    else:
        raise TypeError(f"{cls.__name__} is not a value of the INDIGO model")
    _DUMPERS[cls] = found
    return found


def _enum_value(member: Enum) -> Any:
    return member.value


def _raw(value: Invalid) -> Any:
    return json_copy(value.raw)


def _list_dump(items: list[Any]) -> list[Any]:
    return [unstructure(item) for item in items]


def _node_dumper(cls: type[Node]) -> Callable[[Any], dict[str, Any]]:
    if cls is Value or issubclass(cls, Value):
        fields = tuple((name, name) for name in ("value", *WRAPPER_TYPES))
    else:
        fields = tuple(
            (f.name, f.metadata.get("key", f.name)) for f in attrs.fields(cls) if f.name not in INTERNAL
        )

    def dump(node: Any) -> dict[str, Any]:
        present: dict[str, Any] = {}
        for name, key in fields:
            value = getattr(node, name)
            if value is not None:
                present[key] = unstructure(value)
        extra = node._extra
        if extra:
            for key, value in extra.items():
                if key not in present:
                    present[key] = json_copy(value)
        order = node.key_order
        if not order or tuple(present) == order:
            return present
        ordered = {key: present.pop(key) for key in order if key in present}
        ordered.update(present)
        return ordered

    return dump

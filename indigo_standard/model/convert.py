"""Structuring JSON data into the typed model and back, with cattrs and the hooks it lacks.

cattrs does not keep unknown keys nor structure :class:`~decimal.Decimal`; the hooks here
add both, check country and currency codes, read partial dates and id lists, refuse
values of the wrong JSON type (no silent ``str(5)``) and collect every problem at once.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, override

from ..fields import pointer
from . import _generated
from .base import Node, Status
from .errors import Problem
from .types import Country, Currency, IdList, PartialDate, id_list_text

N = TypeVar("N", bound=Node)
INTERNAL = ("extra", "key_order")


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


def _need_text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected {what}, got {describe(value)}")
    return value


def structure_decimal(value: Any, _: Any = None) -> Decimal:
    """A JSON number as an exact Decimal; floats go through their shortest repr."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"expected a number, got {describe(value)}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"expected a finite number, got {value}")
        return Decimal(repr(value))
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"expected a finite number, got {value}")
    return number


def unstructure_decimal(number: Decimal) -> int | float | Decimal:
    """The JSON form of a Decimal: an int if written without a point, else a float if that
    is exact, else the Decimal itself (``dumps`` writes it digit for digit)."""
    exponent = number.as_tuple().exponent
    if exponent == 0:
        return int(number)
    as_float = float(number)
    if math.isfinite(as_float) and Decimal(repr(as_float)) == number:
        return as_float
    return number


def _enum_hook(cl: type[Enum]) -> Callable[[Any, Any], Enum]:
    def structure(value: Any, _: Any) -> Enum:
        text = _need_text(value, "text")
        try:
            return cl(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a code of {cl.__name__}") from None

    return structure


def _enum_value(member: Enum) -> Any:
    return member.value


def _is_node(cl: Any) -> bool:
    origin = get_origin(cl) or cl
    return isinstance(origin, type) and issubclass(origin, Node)


def _is_list(annotation: Any) -> bool:
    return any(get_origin(arg) is list for arg in (annotation, *get_args(annotation)))


def _note(exc: Exception, name: str, cl: Any) -> Exception:
    note = AttributeValidationNote(f"Structuring class {cl} @ attribute {name}", name, cl)
    exc.__notes__ = [*getattr(exc, "__notes__", []), note]  # type: ignore[attr-defined]
    return exc


def _node_factory(converter: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    def factory(cl: Any) -> Callable[[Any, Any], Any]:
        origin = get_origin(cl) or cl
        fields = [f for f in attrs.fields(origin) if f.name not in INTERNAL]
        attrs.resolve_types(origin)
        hints = {f.name: f.type for f in attrs.fields(origin)}
        keys = {f.metadata.get("key", f.name): f.name for f in fields}
        list_keys = {key for key, name in keys.items() if _is_list(hints[name])}
        overrides: dict[str, Any] = {name: override(omit=True) for name in INTERNAL}
        for key, name in keys.items():
            if key != name:
                overrides[name] = override(rename=key)
        base = make_dict_structure_fn(cl, converter, _cattrs_detailed_validation=True, **overrides)

        def structure(data: Any, _: Any) -> Any:
            if not isinstance(data, Mapping):
                raise TypeError(f"expected an object, got {describe(data)}")
            problems: list[Exception] = []
            known = {}
            for key, value in data.items():
                if key not in keys:
                    continue
                if value is None:
                    null = ValueError("null is not allowed; leave the key out")
                    problems.append(_note(null, keys[key], cl))
                elif key in list_keys and not isinstance(value, list):
                    wrong = TypeError(f"expected a list, got {describe(value)}")
                    problems.append(_note(wrong, keys[key], cl))
                else:
                    known[key] = value
            try:
                obj = base(known, cl)
            except ClassValidationError as error:
                problems.extend(error.exceptions)
            if problems:
                raise ClassValidationError(f"While structuring {origin.__name__}", problems, cl)
            obj.extra = {key: copy.deepcopy(value) for key, value in data.items() if key not in keys}
            obj.key_order = tuple(data)
            return obj

        return structure

    return factory


def unstructure_node(node: Node, converter: cattrs.Converter) -> dict[str, Any]:
    """The JSON object of a model object: its set attributes and its extra keys, in the order read."""
    present: dict[str, Any] = {}
    for f in attrs.fields(type(node)):
        if f.name in INTERNAL:
            continue
        value = getattr(node, f.name)
        if value is not None:
            present[f.metadata.get("key", f.name)] = converter.unstructure(value)
    for key, value in node.extra.items():
        present.setdefault(key, copy.deepcopy(value))
    ordered = {key: present.pop(key) for key in node.key_order if key in present}
    ordered.update(present)
    return ordered


def exact_decimal(number: Decimal) -> int | Decimal:
    """The Decimal itself, or an int when written without a point: for writing JSON text."""
    return int(number) if number.as_tuple().exponent == 0 else number


@cache
def converter(*, lenient_dates: bool = False, exact: bool = False) -> cattrs.Converter:
    """The cattrs converter of the model (one per date-parsing mode; ``exact`` keeps Decimals)."""
    conv = cattrs.Converter(detailed_validation=True)

    def text(value: Any, _: Any) -> str:
        return _need_text(value, "text")

    def boolean(value: Any, _: Any) -> bool:
        if not isinstance(value, bool):
            raise TypeError(f"expected true or false, got {describe(value)}")
        return value

    def partial_date(value: Any, _: Any) -> PartialDate:
        return PartialDate.parse(_need_text(value, "a date as text"), lenient=lenient_dates)

    conv.register_structure_hook(str, text)
    conv.register_structure_hook(bool, boolean)
    conv.register_structure_hook(Decimal, structure_decimal)
    conv.register_structure_hook(PartialDate, partial_date)
    conv.register_structure_hook(Country, lambda v, _: Country(_need_text(v, "a country code")))
    conv.register_structure_hook(Currency, lambda v, _: Currency(_need_text(v, "a currency code")))
    conv.register_structure_hook_func(
        lambda t: t == tuple[str, ...], lambda v, _: IdList.parse(_need_text(v, "ids as text"))
    )
    # Explicit hooks per enum: the str hook would otherwise win for these str-based enums.
    enums: list[type[Enum]] = [Status]
    enums += [v for v in vars(_generated).values() if isinstance(v, type) and issubclass(v, Enum)]
    for enum in enums:
        conv.register_structure_hook(enum, _enum_hook(enum))
        conv.register_unstructure_hook(enum, _enum_value)
    conv.register_structure_hook_factory(_is_node, _node_factory(conv))

    conv.register_unstructure_hook(Decimal, exact_decimal if exact else unstructure_decimal)
    conv.register_unstructure_hook(PartialDate, str)
    conv.register_unstructure_hook(Country, str)
    conv.register_unstructure_hook(Currency, str)
    conv.register_unstructure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, str) and not issubclass(t, Enum), str
    )
    conv.register_unstructure_hook_func(lambda t: isinstance(t, type) and issubclass(t, tuple), id_list_text)
    conv.register_unstructure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, Enum), lambda e: e.value
    )
    conv.register_unstructure_hook_func(_is_node, lambda node: unstructure_node(node, conv))
    return conv


def problems_of(error: BaseException, path: tuple[Any, ...] = ()) -> list[Problem]:
    """Every leaf problem inside a cattrs error group, with its JSON pointer."""
    if isinstance(error, ClassValidationError | IterableValidationError):
        found: list[Problem] = []
        origin = get_origin(error.cl) or error.cl
        keys = {}
        if attrs.has(origin):
            keys = {f.name: f.metadata.get("key", f.name) for f in attrs.fields(origin)}
        for sub in error.exceptions:
            step: Any = None
            for note in getattr(sub, "__notes__", []):
                if isinstance(note, AttributeValidationNote):
                    step = keys.get(note.name, note.name)
                elif isinstance(note, IterableValidationNote):
                    step = note.index
            found.extend(problems_of(sub, (*path, step) if step is not None else path))
        return found
    return [Problem(pointer(path), str(error))]

"""``load`` and ``dump``: between the standard's JSON form and the typed model."""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeAlias, TypeVar

from cattrs.errors import ClassValidationError

from ..detect import entity_from_id
from ..errors import InputError, InputTypeError, type_shown
from ..migrations import UpgradeWarning, upgrade_result
from ..versions import LATEST_VERSION
from ._generated import RECORD_CLASSES, Fund, Organisation, Pipeline, Project
from .base import Node
from .convert import converter, describe, problems_of
from .errors import StructureError

N = TypeVar("N", bound=Node)
Record: TypeAlias = Project | Organisation | Fund | Pipeline
"""Any of the four record types."""


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_json(text: str | bytes, origin: str = "JSON text") -> Any:
    """Parse JSON with exact decimals (``parse_float=Decimal``); NaN and Infinity are refused."""
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{origin}: not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise InputError(f"{origin}: not valid JSON: {error}") from None


def read_data(data: Any) -> tuple[Any, str]:
    """The JSON value behind a dict, JSON text, bytes or a path, and where it came from."""
    if isinstance(data, Mapping):
        return data, "record"
    if isinstance(data, bytes):
        return parse_json(data), "JSON text"
    if isinstance(data, str) and data.lstrip().startswith(("{", "[")):
        return parse_json(data), "JSON text"
    if isinstance(data, str | os.PathLike):
        path = Path(data)
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise InputError(f"{path}: cannot read: {error.strerror or error}") from None
        return parse_json(raw, str(path)), str(path)
    raise InputError(f"cannot load {describe(data)}: give a dict, JSON text or a path")


def load_as(cls: type[N], data: Any, *, lenient_dates: bool = False) -> N:
    """Structure ``data`` (dict, JSON text or path) as ``cls``: a record or any component class.

    Raises :class:`StructureError` listing every problem with its JSON pointer.
    """
    raw, origin = read_data(data)
    try:
        result: N = converter(lenient_dates=lenient_dates).structure(raw, cls)
    except ClassValidationError as error:
        what = cls.__name__
        if isinstance(raw, Mapping) and raw.get("id"):
            what = f"{what} {raw['id']}"
        if origin not in ("record", "JSON text"):
            what = f"{origin}: {what}"
        raise StructureError(what, problems_of(error)) from None
    except (TypeError, ValueError) as error:
        raise StructureError(f"{origin}: {cls.__name__}", problems_of(error)) from None
    return result


def load(
    data: Any, *, entity: str | None = None, schema_version: str | None = None, lenient_dates: bool = False
) -> Record:
    """Read one record (dict, JSON text or path) into a :class:`Project`, :class:`Organisation`,
    :class:`Fund` or :class:`Pipeline`, chosen by ``entity`` or else by the id's prefix.

    The model follows the latest version of the standard. A record of an older version
    (``schema_version``, else what its fields show) is upgraded first, with an
    :class:`~indigo_standard.migrations.UpgradeWarning` saying so and naming anything kept
    aside. ``lenient_dates=True`` also reads dates such as "March 2019" (with
    python-dateutil); they are written back in ISO form. Unknown keys are kept in each
    object's ``extra``.
    """
    raw, origin = read_data(data)
    kind = entity or (entity_from_id(raw.get("id")) if isinstance(raw, Mapping) else None)
    if kind not in RECORD_CLASSES:
        if not isinstance(raw, Mapping):
            raise InputError(f"{origin}: expected one record (a JSON object), got {describe(raw)}")
        raise InputError(
            f"{origin}: cannot tell the record type from id {raw.get('id')!r}; pass entity="
            + "/".join(RECORD_CLASSES)
        )
    raw = _upgraded(raw, kind, schema_version, origin)
    record: Record = load_as(RECORD_CLASSES[kind], raw, lenient_dates=lenient_dates)  # type: ignore[assignment]
    return record


def _upgraded(raw: Mapping[str, Any], kind: str, schema_version: str | None, origin: str) -> Any:
    """The record upgraded to the latest version, warning when that changed anything."""
    result = upgrade_result(raw, LATEST_VERSION, from_version=schema_version, entity=kind)
    for record_id, version in result.upgraded:
        warnings.warn(
            f"{origin}: record {record_id} upgraded from INDIGO {version} to {result.target}",
            UpgradeWarning,
            stacklevel=3,
        )
    for note in result.notes:
        warnings.warn(f"{origin}: {note}", UpgradeWarning, stacklevel=3)
    return result.data if result.upgraded or result.fixed else raw


def dump(obj: Node) -> dict[str, Any]:
    """The standard's JSON form of a model object, as a dict.

    Numbers come back as int when written without a decimal point, as float when a float
    holds them exactly, and otherwise as :class:`~decimal.Decimal` so that nothing is lost
    (:func:`dumps` writes those digit for digit).
    """
    if not isinstance(obj, Node):
        raise InputTypeError(f"cannot dump {type_shown(obj)}: give a typed record or component, as load() "
                             "returns")
    result: dict[str, Any] = converter().unstructure(obj)
    return result


def dumps(obj: Node | Any, *, indent: int | None = None, ensure_ascii: bool = False) -> str:
    """JSON text of a model object (or of a dumped dict), with every Decimal written exactly."""
    data = converter(exact=True).unstructure(obj) if isinstance(obj, Node) else obj
    return _encode(data, indent, 0, ensure_ascii)


def _encode(value: Any, indent: int | None, depth: int, ascii_only: bool) -> str:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} cannot be written as JSON")
        return str(value)
    if isinstance(value, Mapping):
        items = [
            f"{json.dumps(str(k), ensure_ascii=ascii_only)}: {_encode(v, indent, depth + 1, ascii_only)}"
            for k, v in value.items()
        ]
        return _join(items, "{", "}", indent, depth)
    if isinstance(value, list | tuple):
        return _join([_encode(v, indent, depth + 1, ascii_only) for v in value], "[", "]", indent, depth)
    return json.dumps(value, ensure_ascii=ascii_only, allow_nan=False)


def _join(items: list[str], left: str, right: str, indent: int | None, depth: int) -> str:
    if not items:
        return left + right
    if indent is None:
        return left + ", ".join(items) + right
    inner, outer = "\n" + " " * (indent * (depth + 1)), "\n" + " " * (indent * depth)
    return left + inner + ("," + inner).join(items) + outer + right

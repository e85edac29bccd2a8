"""``load``, ``dump`` and ``dumps``: between the standard's JSON form and the typed model."""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

import attrs

from ..detect import detect, record_id
from ..errors import InputError, InputTypeError, type_shown
from ..jsontext import dumps as exact_json
from ..jsontext import loads as exact_loads
from ..migrations import UpgradeWarning, upgrade_result
from ..reading.files import open_regular
from ..versions import LATEST_VERSION, normalise_version
from ._generated import RECORD_CLASSES, Fund, Organisation, Pipeline, Project
from .base import Invalid, Node
from .convert import Context, Locate, describe, structure, unstructure
from .errors import StructureError

if TYPE_CHECKING:
    from ..validation.result import Issue

N = TypeVar("N", bound=Node)
Record: TypeAlias = Project | Organisation | Fund | Pipeline
"""Any of the four record types."""


def parse_json(text: str | bytes, origin: str = "JSON text") -> Any:
    """Parse JSON with exact decimals (``parse_float=Decimal``); NaN and Infinity are refused."""
    try:
        return exact_loads(text)
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
        with open_regular(path) as handle:  # a named pipe or a device is refused, never waited on
            try:
                raw = handle.read()
            except OSError as error:
                raise InputError(f"{path}: cannot read: {error.strerror or error}") from None
        return parse_json(raw, str(path)), str(path)
    raise InputError(f"cannot load {describe(data)}: give a dict, JSON text or a path")


def _structured(
    cls: type[N],
    raw: Any,
    origin: str,
    entity: str | None,
    strict: bool,
    lenient_dates: bool,
    locate: Locate | None = None,
    first: Sequence[Issue] = (),
) -> N:
    rid = record_id(raw) if entity else None
    ctx = Context(entity, rid, locate, lenient_dates)
    ctx.issues.extend(first)
    result = structure(cls, raw, ctx)
    if isinstance(result, Invalid):
        raise InputError(f"{origin}: expected {cls.__name__} as a JSON object, got {describe(raw)}")
    if strict and ctx.issues:
        what = f"{cls.__name__} {raw['id']}" if isinstance(raw.get("id"), str) else cls.__name__
        raise StructureError(what if origin in ("record", "JSON text") else f"{origin}: {what}", ctx.issues)
    typed: N = result
    return typed


def load_as(cls: type[N], data: Any, *, strict: bool = False, lenient_dates: bool = False) -> N:
    """Structure ``data`` (dict, JSON text or path) as ``cls``: a record or any component class.

    Lenient like :func:`load`: a value that cannot be typed is kept as :class:`Invalid`.
    With ``strict=True``, raises :class:`StructureError` listing every such value.
    """
    raw, origin = read_data(data)
    entity = next((name for name, record_class in RECORD_CLASSES.items() if record_class is cls), None)
    return _structured(cls, raw, origin, entity, strict, lenient_dates)


def load(
    data: Any,
    *,
    entity: str | None = None,
    schema_version: str | None = None,
    strict: bool = False,
    lenient_dates: bool = False,
) -> Record:
    """Read one record (dict, JSON text or path) into a :class:`Project`, :class:`Organisation`,
    :class:`Fund` or :class:`Pipeline`: the type ``entity`` names, else the one ``validate``
    finds from the id's prefix and the fields together (see :func:`indigo_standard.detect.detect`).
    When the fields contradict the prefix (or ``entity``), the record is read as ``validate``
    reads it and the record's ``problems`` start with the same ``record.type-mismatch`` at
    ``/id``; with ``strict=True`` that is an error. A path must name a regular file: a named
    pipe or a device is refused at once, as every reader refuses it.

    Lenient by default: every value is typed where it can be; a value that cannot be (text
    in a number field, a code outside its codelist, a list where an object belongs) is kept
    exactly as read, as an :class:`Invalid` holding the raw value and its issue, and the
    record's ``problems`` list those issues: the same code and JSON pointer ``validate``
    reports. ``dump`` writes everything back unchanged. With ``strict=True``, a record
    with any such value raises :class:`StructureError` naming every one.

    The model follows the latest version of the standard. A record of an older version
    (``schema_version``, else what its fields show) is upgraded first, with an
    :class:`~indigo_standard.migrations.UpgradeWarning` saying so and naming anything kept
    aside. ``lenient_dates=True`` also reads dates such as "March 2019" (with
    python-dateutil); they are written back in ISO form. Unknown keys are kept in each
    object's ``extra``. Input that is not a record at all raises
    :class:`~indigo_standard.errors.InputError`.
    """
    raw, origin = read_data(data)
    return load_record(
        raw, origin, entity=entity, schema_version=schema_version, strict=strict, lenient_dates=lenient_dates
    )


def load_record(
    raw: Any,
    origin: str,
    *,
    entity: str | None = None,
    context: str | None = None,
    schema_version: str | None = None,
    strict: bool = False,
    lenient_dates: bool = False,
    locate: Locate | None = None,
) -> Record:
    """:func:`load` of a parsed JSON value; ``origin`` names it in errors and ``locate`` gives
    the source (file, row, column) of a JSON pointer inside it, for records read from flat files.
    ``entity`` is the type the caller gives, ``context`` the one the record's place in its
    input gives (a package's list, a flat file); the type is then told as ``validate`` tells it."""
    if not isinstance(raw, Mapping):
        raise InputError(f"{origin}: expected one record (a JSON object), got {describe(raw)}")
    found = detect(raw, given=entity, context=context)
    kind = found.entity
    typing: list[Issue] = []
    if kind is None or found.claimed_by is not None:  # the evidence disagrees, or tells nothing
        from ..validation.validate import _type_issues  # the issues validate gives for the same detection

        typing = [
            attrs.evolve(issue, source=locate(issue.path)) if locate is not None else issue
            for issue in _type_issues(found, record_id(raw))
        ]
    if kind not in RECORD_CLASSES:
        # validate's message, less its advice for the command line
        why = typing[0].message.split("; pass --type")[0] if typing else f"{kind!r} is not a record type"
        untold = "; its type cannot be told, so it was not validated"
        why = why.replace(untold, ", so its type cannot be told")
        raise InputError(f"{origin}: {why}; pass entity=" + "/".join(RECORD_CLASSES))
    version = normalise_version(schema_version) if schema_version else None
    if version != LATEST_VERSION:
        upgraded = _upgraded(raw, kind, version, origin)
        if upgraded is not raw:
            locate = None  # pointers into the upgraded record may not name the cells read
            raw = upgraded
    record: Record = _structured(
        RECORD_CLASSES[kind],
        raw,
        origin,
        kind,
        strict,
        lenient_dates,  # type: ignore[assignment]
        locate,
        typing,
    )
    return record


def _upgraded(raw: Mapping[str, Any], kind: str, schema_version: str | None, origin: str) -> Any:
    """The record upgraded to the latest version, warning when that changed anything."""
    result = upgrade_result(raw, LATEST_VERSION, from_version=schema_version, entity=kind)
    for rid, version in result.upgraded:
        warnings.warn(
            f"{origin}: record {rid} upgraded from INDIGO {version} to {result.target}",
            UpgradeWarning,
            stacklevel=4,
        )
    for note in result.notes:
        warnings.warn(f"{origin}: {note}", UpgradeWarning, stacklevel=4)
    return result.data if result.upgraded or result.fixed else raw


def dump(obj: Node) -> dict[str, Any]:
    """The standard's JSON form of a model object, as a dict.

    Values kept as :class:`Invalid` come back exactly as they were read. Numbers come back
    as ``int`` when written without a decimal point, as ``float`` when the float's shortest
    form has the same digits (every number ``json.loads`` reads as a float), and otherwise
    as :class:`~decimal.Decimal` (``1.50``, ``12345678901234567.891``), which ``json.dumps``
    cannot write: use :func:`dumps` for JSON text.
    """
    if not isinstance(obj, Node):
        raise InputTypeError(
            f"cannot dump {type_shown(obj)}: give a typed record or component, as load() returns"
        )
    result: dict[str, Any] = unstructure(obj)
    return result


def dumps(obj: Node | Any, *, indent: int | None = None, ensure_ascii: bool = False) -> str:
    """JSON text of a model object (or of any JSON value, such as a dumped dict), every number exact.

    ``dumps(record)`` is ``json.dumps(dump(record))`` with each Decimal written digit for digit.
    """
    data = unstructure(obj) if isinstance(obj, Node) else obj
    return exact_json(data, indent=indent, ensure_ascii=ensure_ascii)

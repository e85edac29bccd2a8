"""Upgrading records, lists of records and dataset packages to a newer INDIGO version."""

from __future__ import annotations

import copy
import warnings
from collections.abc import Mapping
from typing import Any, Generic, TypeVar, overload

import attrs

from ..detect import detect_entity, record_id
from ..errors import InputError
from ..reading.records import PACKAGE_LISTS, is_package
from ..versions import LATEST_VERSION, SUPPORTED_VERSIONS, normalise_version
from . import v3_1_to_4_0, v4_0_to_4_1
from .step import Step, StepContext

STEPS: tuple[Step, ...] = (v3_1_to_4_0.STEP, v4_0_to_4_1.STEP)
"""Every migration step, oldest first; each goes from one supported version to the next."""


class UpgradeWarning(UserWarning):
    """Something an upgrade did that the user should know: data kept aside, dropped or respelled,
    or data that contradicts the version it was given as."""


JSONObject = dict[str, Any]
"""A record or a dataset package in the standard's JSON form."""

D = TypeVar("D", JSONObject, list[JSONObject])


@attrs.frozen
class UpgradeResult(Generic[D]):
    """The upgraded data, what it was upgraded from, and the notes to show the user."""

    data: D
    """What was given, upgraded: a record or a package (a dict), or a list of records."""
    target: str
    upgraded: tuple[tuple[str, str], ...]
    """``(record id, version it was upgraded from)`` for each record stated to be older than the
    target, or whose fields a step moved aside; records already current are not listed."""
    notes: tuple[str, ...]
    fixed: tuple[str, ...] = ()
    """The ids of the records, not upgraded, in which old spellings of codes were corrected."""


def _values(items: Any) -> list[Any]:
    return items if isinstance(items, list) else []


def detect_version(data: Any) -> str | None:
    """The version data shows: the one a package declares, else the one a record's own fields
    give away (3.1 ``scenarios``, a 4.0 payment plan, a 4.1 pipeline field, ...).

    None when nothing tells: such a record reads the same in every supported version. For a
    list, the oldest version any of its records shows. An old spelling of a code tells
    nothing: 4.x data often still has one, and an upgrade corrects it in data of any version.
    """
    if is_package(data):
        declared = data.get("schema_version")
        return normalise_version(str(declared)) if declared is not None else None
    if isinstance(data, list):
        found = [v for v in (detect_version(item) for item in data) if v is not None]
        return min(found, key=SUPPORTED_VERSIONS.index, default=None)
    if not isinstance(data, dict):
        return None
    if "scenarios" in data or any(
        isinstance(t, dict) and "grant_id" in t for t in _values(data.get("transactions"))
    ):
        return "3.1"
    purpose = data.get("purpose_and_classifications")
    sector = purpose.get("policy_sector") if isinstance(purpose, dict) else None
    if isinstance(sector, dict) and "early_childhood_education" in sector:
        return "4.1"
    if "outcome_payment_plans" in data or any(
        isinstance(p, dict) and "outcome_payment_plan_id" in p for p in _values(data.get("outcome_payments"))
    ):
        return "4.0"
    return None


def _steps(source: str, target: str) -> list[Step]:
    start, end = SUPPORTED_VERSIONS.index(source), SUPPORTED_VERSIONS.index(target)
    if start > end:
        raise InputError(f"cannot upgrade from {source} to the older version {target}")
    return [step for step in STEPS if start <= SUPPORTED_VERSIONS.index(step.source) < end]


class _Run:
    def __init__(self, target: str, source: str | None, entity: str | None, drop_removed: bool) -> None:
        self.target = target
        self.source = source
        self.entity = entity
        self.drop_removed = drop_removed
        self.upgraded: list[tuple[str, str]] = []
        self.fixed: list[str] = []
        self.notes: list[str] = []

    def record(self, data: Any, entity: str | None, declared: str | None, where: str) -> JSONObject:
        if not isinstance(data, dict):
            raise InputError(f"{where}: expected a record (a JSON object), not {_json_type(data)}")
        kind = detect_entity(data, given=self.entity, context=entity)
        rid = record_id(data) or "(no id)"
        if kind is None:
            raise InputError(f"record {rid}: cannot tell its record type from its id; give the type")
        stated = self.source or declared
        # A detected version is only a lower bound (a 4.0 project reads the same in 4.1), so a
        # record counts as upgraded when its version was stated, or when a step moved a field.
        source = stated or detect_version(data) or SUPPORTED_VERSIONS[0]
        _steps(source, self.target)  # refuses a downgrade
        start, end = SUPPORTED_VERSIONS.index(source), SUPPORTED_VERSIONS.index(self.target)
        result: JSONObject = copy.deepcopy(data)
        moved = respelled = False
        for step in STEPS:
            if SUPPORTED_VERSIONS.index(step.target) > end:
                break
            # A step that the data is already past (by its stated version) only corrects
            # spellings, and reports what it would have moved: there the data contradicts it.
            given = source if SUPPORTED_VERSIONS.index(step.source) < start else None
            context = StepContext(kind, rid, step.source, step.target, self.drop_removed, given=given)
            result = step.apply(copy.deepcopy(result), context)
            self.notes.extend(context.notes)
            moved, respelled = moved or context.moved, respelled or context.respelled
        if (stated and stated != self.target) or moved:
            self.upgraded.append((rid, source))
        elif respelled:
            self.fixed.append(rid)
        return result

    def package(self, data: JSONObject) -> JSONObject:
        declared = data.get("schema_version")
        source = normalise_version(str(declared)) if declared is not None else None
        _steps(self.source or source or SUPPORTED_VERSIONS[0], self.target)  # refuse downgrades early
        out: JSONObject = {}
        for key, value in data.items():
            entity = PACKAGE_LISTS.get(key)
            if entity and isinstance(value, list):
                out[key] = [self.record(item, entity, source, f"{key}[{n}]") for n, item in enumerate(value)]
            else:
                out[key] = copy.deepcopy(value)
        out["schema_version"] = self.target
        return out


def _json_type(value: Any) -> str:
    """The JSON type of ``value``, for messages: ``null``, ``a number``, ``text``..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else type(value).__name__


@overload
def upgrade_result(
    data: Mapping[str, Any],
    to: str = ...,
    *,
    from_version: str | None = ...,
    entity: str | None = ...,
    drop_removed: bool = ...,
) -> UpgradeResult[JSONObject]: ...


@overload
def upgrade_result(
    data: list[Any],
    to: str = ...,
    *,
    from_version: str | None = ...,
    entity: str | None = ...,
    drop_removed: bool = ...,
) -> UpgradeResult[list[JSONObject]]: ...


def upgrade_result(
    data: Mapping[str, Any] | list[Any],
    to: str = LATEST_VERSION,
    *,
    from_version: str | None = None,
    entity: str | None = None,
    drop_removed: bool = False,
) -> UpgradeResult[JSONObject] | UpgradeResult[list[JSONObject]]:
    """Upgrade ``data`` (a record, a list of records or a dataset package) to version ``to``.

    The version upgraded from is ``from_version`` if given, else the one a package declares,
    else the one each record shows (:func:`detect_version`); a record that shows none is run
    through every step, which leaves data that is already current unchanged. The input is
    never modified. Fields the target has no place for are kept under
    :data:`~indigo_standard.migrations.EXTENSION_KEY` unless ``drop_removed``; either way a
    note says so. Where a stated version is contradicted by the data (a 3.1 ``scenarios``
    in data given as 4.0), the field is left where it is and a note says so. Old spellings
    of codes are corrected in data of any version, with a note; a record changed only that
    way is listed in ``fixed``, not ``upgraded``. InputError for anything but a record, a
    list of records (JSON objects) or a package.
    """
    target = normalise_version(to)
    source = normalise_version(from_version) if from_version else None
    run = _Run(target, source, entity, drop_removed)
    if isinstance(data, list):
        records = [run.record(item, None, None, f"item {n} of the list") for n, item in enumerate(data, 1)]
        return UpgradeResult(records, target, tuple(run.upgraded), tuple(run.notes), tuple(run.fixed))
    if isinstance(data, Mapping):
        given = dict(data)
        upgraded = run.package(given) if is_package(given) else run.record(given, None, None, "the data")
        return UpgradeResult(upgraded, target, tuple(run.upgraded), tuple(run.notes), tuple(run.fixed))
    raise InputError(f"expected a record, a list of records or a dataset package, not {_json_type(data)}")


@overload
def upgrade(
    data: Mapping[str, Any],
    to: str = ...,
    *,
    from_version: str | None = ...,
    entity: str | None = ...,
    drop_removed: bool = ...,
) -> JSONObject: ...


@overload
def upgrade(
    data: list[Any],
    to: str = ...,
    *,
    from_version: str | None = ...,
    entity: str | None = ...,
    drop_removed: bool = ...,
) -> list[JSONObject]: ...


def upgrade(
    data: Mapping[str, Any] | list[Any],
    to: str = LATEST_VERSION,
    *,
    from_version: str | None = None,
    entity: str | None = None,
    drop_removed: bool = False,
) -> JSONObject | list[JSONObject]:
    """Upgrade ``data`` to version ``to`` and return the upgraded copy: a dict (the record or
    the package) for a record or a package, a list of dicts for a list of records.

    Each note (a field kept aside or dropped, a code respelled, data that contradicts the
    version it was given as) is issued as an :class:`UpgradeWarning`. See
    :func:`upgrade_result` for the details.
    """
    result = upgrade_result(data, to, from_version=from_version, entity=entity, drop_removed=drop_removed)
    for note in result.notes:
        warnings.warn(note, UpgradeWarning, stacklevel=2)
    return result.data

"""Upgrading records, lists of records and dataset packages to a newer INDIGO version."""

from __future__ import annotations

import copy
import warnings
from collections.abc import Mapping
from typing import Any

import attrs

from ..detect import detect_entity, record_id
from ..errors import InputError
from ..reading import PACKAGE_LISTS, is_package
from ..versions import LATEST_VERSION, SUPPORTED_VERSIONS, normalise_version
from . import v3_1_to_4_0, v4_0_to_4_1
from .step import Step, StepContext

STEPS: tuple[Step, ...] = (v3_1_to_4_0.STEP, v4_0_to_4_1.STEP)
"""Every migration step, oldest first; each goes from one supported version to the next."""


class UpgradeWarning(UserWarning):
    """Something an upgrade did that the user should know: data kept aside, dropped or respelled."""


@attrs.frozen
class UpgradeResult:
    """The upgraded data, what it was upgraded from, and the notes to show the user."""

    data: Any
    target: str
    upgraded: tuple[tuple[str, str], ...]
    """``(record id, version it was upgraded from)`` for each record known to be older than the
    target, or changed by a step; records already current are not listed."""
    notes: tuple[str, ...]


def _values(items: Any) -> list[Any]:
    return items if isinstance(items, list) else []


def detect_version(data: Any) -> str | None:
    """The version data shows: the one a package declares, else the one a record's own fields
    give away (3.1 ``scenarios``, a 4.0 payment plan, a 4.1 pipeline field, ...).

    None when nothing tells: such a record reads the same in every supported version. For a
    list, the oldest version any of its records shows.
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
    entity = detect_entity(data)
    if entity == "project" and any(
        isinstance(s, dict)
        and isinstance(s.get("organisation_role_category"), dict)
        and s["organisation_role_category"].get("value") == v3_1_to_4_0.OLD_MODELLING
        for s in _values(data.get("intermediary_services"))
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
        self.notes: list[str] = []

    def record(self, data: Any, entity: str | None, declared: str | None) -> Any:
        if not isinstance(data, dict):
            return copy.deepcopy(data)
        kind = detect_entity(data, given=self.entity, context=entity)
        rid = record_id(data) or "(no id)"
        if kind is None:
            raise InputError(f"record {rid}: cannot tell its record type from its id; give the type")
        stated = self.source or declared
        # A detected version is only a lower bound (a 4.0 project reads the same in 4.1), so a
        # record counts as upgraded when its version was stated, or when a step changed it.
        source = stated or detect_version(data) or SUPPORTED_VERSIONS[0]
        result = copy.deepcopy(data)
        for step in _steps(source, self.target):
            context = StepContext(kind, rid, step.source, step.target, self.drop_removed)
            result = step.apply(copy.deepcopy(result), context)
            self.notes.extend(context.notes)
        if (stated and stated != self.target) or result != data:
            self.upgraded.append((rid, source))
        return result

    def data(self, data: Any) -> Any:
        if is_package(data):
            declared = data.get("schema_version")
            source = normalise_version(str(declared)) if declared is not None else None
            _steps(self.source or source or SUPPORTED_VERSIONS[0], self.target)  # refuse downgrades early
            out: dict[str, Any] = {}
            for key, value in data.items():
                entity = PACKAGE_LISTS.get(key)
                if entity and isinstance(value, list):
                    out[key] = [self.record(item, entity, source) for item in value]
                else:
                    out[key] = copy.deepcopy(value)
            out["schema_version"] = self.target
            return out
        if isinstance(data, list):
            return [self.record(item, None, None) for item in data]
        if isinstance(data, Mapping):
            return self.record(data, None, None)
        raise InputError(
            f"expected a record, a list of records or a dataset package, not {type(data).__name__}"
        )


def upgrade_result(
    data: Any,
    to: str = LATEST_VERSION,
    *,
    from_version: str | None = None,
    entity: str | None = None,
    drop_removed: bool = False,
) -> UpgradeResult:
    """Upgrade ``data`` (a record, a list of records or a dataset package) to version ``to``.

    The version upgraded from is ``from_version`` if given, else the one a package declares,
    else the one each record shows (:func:`detect_version`); a record that shows none is run
    through every step, which leaves data that is already current unchanged. The input is
    never modified. Fields the target has no place for are kept under
    :data:`~indigo_standard.migrations.EXTENSION_KEY` unless ``drop_removed``; either way a
    note says so.
    """
    target = normalise_version(to)
    source = normalise_version(from_version) if from_version else None
    run = _Run(target, source, entity, drop_removed)
    upgraded = run.data(data)
    return UpgradeResult(upgraded, target, tuple(run.upgraded), tuple(run.notes))


def upgrade(
    data: Any,
    to: str = LATEST_VERSION,
    *,
    from_version: str | None = None,
    entity: str | None = None,
    drop_removed: bool = False,
) -> Any:
    """Upgrade ``data`` to version ``to`` and return the upgraded copy.

    Each note (a field kept aside or dropped, a code respelled) is issued as an
    :class:`UpgradeWarning`. See :func:`upgrade_result` for the details.
    """
    result = upgrade_result(data, to, from_version=from_version, entity=entity, drop_removed=drop_removed)
    for note in result.notes:
        warnings.warn(note, UpgradeWarning, stacklevel=2)
    return result.data

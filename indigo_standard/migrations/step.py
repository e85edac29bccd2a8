"""What a migration step is, and the context it works in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from ..errors import InputError

EXTENSION_KEY = "x_indigo_removed"
"""Where an upgrade keeps what the newer version has no field for.

The key is added to the object that held the removed field, and maps each removed
field's name to its value as it was, e.g. a 3.1 project's ``scenarios`` end up in
``project["x_indigo_removed"]["scenarios"]`` and a transaction's ``grant_id`` in
``transaction["x_indigo_removed"]["grant_id"]``. The schemas allow extra keys, so the
upgraded record stays valid; ``--drop-removed`` (``drop_removed=True``) discards them.
"""


@attrs.define
class StepContext:
    """What a step needs besides the record: the options, and where its notes go."""

    entity: str
    """The record type: project, organisation, fund or pipeline."""
    record_id: str
    """The record's id (or a placeholder) for messages."""
    source: str
    target: str
    drop_removed: bool = False
    notes: list[str] = attrs.Factory(list)
    given: str | None = None
    """The version the data was given as, when that is already past this step (the data is
    said to follow ``target`` or later). Then the step moves nothing: a field it would move
    aside is left where it is, with a note saying that the data contradicts its version.
    Spelling fixes are still made."""
    moved: bool = False
    """True once the step moved a field aside or dropped it: the record's structure changed."""
    respelled: bool = False
    """True once the step corrected an old spelling of a code."""

    def note(self, message: str) -> None:
        """Record something the user should be told about this record."""
        self.notes.append(f"{self.entity} {self.record_id}: {message}")

    def remove(self, container: dict[str, Any], key: str, pointer: str) -> None:
        """Take ``key`` out of ``container``; keep it under :data:`EXTENSION_KEY` unless told to drop it."""
        if key not in container:
            return
        if self.given is not None:
            self.note(
                f"{pointer}: a field of INDIGO {self.source} that {self.target} removed, but the data was "
                f"given as INDIGO {self.given}; left where it is (upgrade from {self.source} to keep it "
                f"under {EXTENSION_KEY})"
            )
            return
        value = container.pop(key)
        self.moved = True
        if self.drop_removed:
            self.note(f"{pointer} has no place in INDIGO {self.target}; dropped as asked (--drop-removed)")
            return
        kept = container.setdefault(EXTENSION_KEY, {})
        if not isinstance(kept, dict):
            raise InputError(f"{self.entity} {self.record_id}: {EXTENSION_KEY} must be an object")
        if key in kept:
            raise InputError(
                f"{self.entity} {self.record_id}: cannot keep {pointer}: "
                f"{EXTENSION_KEY}/{key} is already there"
            )
        kept[key] = value
        parent = pointer.rpartition("/")[0]
        self.note(
            f"{pointer} has no place in INDIGO {self.target}; kept under {parent}/{EXTENSION_KEY}/{key}"
        )

    def rename_code(self, wrapper: Any, old: str, new: str, pointer: str, since: str | None = None) -> None:
        """Correct code ``old`` to its new spelling ``new`` in a value wrapper.

        A spelling fix, made whatever version the data was given as: ``since`` names the
        version that introduced the new spelling, for the note.
        """
        if isinstance(wrapper, dict) and wrapper.get("value") == old:
            wrapper["value"] = new
            self.respelled = True
            when = f" (the spelling since INDIGO {since})" if since else ""
            self.note(f"{pointer}/value: old spelling {old!r} corrected to {new!r}{when}")


StepFunction = Callable[[dict[str, Any], StepContext], dict[str, Any]]
"""A step: takes a deep copy of one record (its own to change) and returns the upgraded record."""


@attrs.frozen
class Step:
    """One migration from version ``source`` to the next, ``target``."""

    source: str
    target: str
    apply: StepFunction

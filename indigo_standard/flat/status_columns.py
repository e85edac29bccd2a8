"""No status may be lost on the way to flat output.

The flat layout has a column for every status and sandbox list the schema defines. A
status anywhere else (on a value the schema gives none, inside a field the layout does not
write, under a key such as ``Status``) would be dropped by a flat writer, and publishing the
converted file would then show what publishing the JSON withholds. Writers call
:func:`refuse_lost_status` on every record first, so such a conversion stops instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..detect import record_id
from ..errors import InputError
from ..fields import escape
from .layout import EXTRA_KEY, Sheet

STATUS_KEYS = ("status", "sandboxes")


def covered_paths(sheets: Iterable[Sheet]) -> frozenset[str]:
    """The schema paths (``/results[]/status``) of the status and sandbox columns of these sheets."""
    found = set()
    for sheet in sheets:
        base = "".join(f"/{key}" for key in sheet.list_keys) + "[]" if sheet.list_keys else ""
        for column in sheet.columns:
            if column.keys[-1] in STATUS_KEYS:
                found.add(base + "".join(f"/{key}" for key in column.keys))
    return frozenset(found)


def _names_status(key: Any) -> bool:
    return isinstance(key, str) and key.strip().casefold() in STATUS_KEYS


def lost_status(data: Mapping[str, Any], covered: frozenset[str]) -> str | None:
    """The JSON pointer of the first status or sandbox list in ``data`` that no column holds, or None.

    Keys are compared in any letter case, so that ``Status`` counts as a status too; empty
    values hold nothing and are passed over. The record is walked without recursion.
    """
    stack: list[tuple[Any, str, str]] = [(data, "", "")]
    while stack:
        value, path, ptr = stack.pop()
        if isinstance(value, Mapping):
            for key, child in value.items():
                if key == EXTRA_KEY:
                    continue  # written as columns of their own
                child_path, child_ptr = f"{path}/{key}", f"{ptr}/{escape(str(key))}"
                if _names_status(key) and child not in (None, "") and (
                    key not in STATUS_KEYS or child_path not in covered
                ):
                    return child_ptr
                stack.append((child, child_path, child_ptr))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[]", f"{ptr}/{index}") for index, item in enumerate(value))
    return None


def refuse_lost_status(data: Mapping[str, Any], covered: frozenset[str]) -> None:
    """Raise InputError, naming the record and field, when writing ``data`` flat would lose a status."""
    found = lost_status(data, covered)
    if found is not None:
        shown = record_id(data) or "(no id)"
        raise InputError(
            f"record {shown}: the status at {found} has no column in the flat layout, so converting "
            "would lose it; nothing was written (publish the data first, or keep statuses where the "
            "schema gives one)"
        )

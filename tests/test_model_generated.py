"""The generated classes match the schemas: regenerating changes nothing, no field is missing."""

from __future__ import annotations

import subprocess
import sys
from typing import get_args, get_origin

import attrs
import pytest
from conftest import ROOT

from indigo_standard.fields import fields
from indigo_standard.model import RECORD_CLASSES, Invalid, Node, Value, _generated
from indigo_standard.model.slots import INTERNAL, slots


def test_regenerating_changes_nothing() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_model.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def _class_paths(cls: type[Node], prefix: str) -> set[str]:
    found: set[str] = set()
    for slot in slots(cls):
        path = f"{prefix}/{slot.key}"
        found.add(path)
        if slot.kind == "list":
            found.add(f"{path}[]")
            found |= _class_paths(slot.tp, f"{path}[]")
        elif slot.kind == "value":
            found |= {f"{path}/{key}" for key in slot.meta["keys"]}
        elif slot.kind == "node":
            found |= _class_paths(slot.tp, path)
    return found


def test_every_attribute_may_hold_an_invalid_value() -> None:
    """The annotations say what lenient loading can put there: the type, Invalid, or None."""
    classes = [
        v
        for v in vars(_generated).values()
        if isinstance(v, type)
        and issubclass(v, Node)
        and v not in (Node, Value)
        and v.__module__ == _generated.__name__
    ]
    assert len(classes) > 100
    for cls in classes:
        attrs.resolve_types(cls)
        for f in attrs.fields(cls):
            if f.name in INTERNAL:
                continue
            args = get_args(f.type)
            assert Invalid in args and type(None) in args, (cls.__name__, f.name, f.type)
            inner = next(arg for arg in args if arg not in (Invalid, type(None)))
            if get_origin(inner) in (Value, list):
                assert Invalid in get_args(get_args(inner)[0]), (cls.__name__, f.name, f.type)


@pytest.mark.parametrize("entity", sorted(RECORD_CLASSES))
def test_schema_and_classes_have_the_same_fields(entity: str) -> None:
    schema_paths = {f.path for f in fields("4.1", entity)}
    assert _class_paths(RECORD_CLASSES[entity], "") == schema_paths

"""The generated classes match the schemas: regenerating changes nothing, no field is missing."""

from __future__ import annotations

import subprocess
import sys
from typing import Any, get_args, get_origin

import attrs
import pytest
from conftest import ROOT

from indigo_standard.fields import fields
from indigo_standard.model import RECORD_CLASSES, Node, Value


def test_regenerating_changes_nothing() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_model.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def _class_paths(cls: type[Node], prefix: str) -> set[str]:
    attrs.resolve_types(cls)
    found: set[str] = set()
    for f in attrs.fields(cls):
        if f.name in ("extra", "key_order"):
            continue
        tp: Any = next(a for a in get_args(f.type) if a is not type(None))
        path = f"{prefix}/{f.metadata['key']}"
        found.add(path)
        if get_origin(tp) is list:
            found.add(f"{path}[]")
            found |= _class_paths(get_args(tp)[0], f"{path}[]")
        elif get_origin(tp) is Value:
            found |= {f"{path}/{key}" for key in f.metadata["keys"]}
        elif isinstance(tp, type) and issubclass(tp, Node):
            found |= _class_paths(tp, path)
    return found


@pytest.mark.parametrize("entity", sorted(RECORD_CLASSES))
def test_schema_and_classes_have_the_same_fields(entity: str) -> None:
    schema_paths = {f.path for f in fields("4.1", entity)}
    assert _class_paths(RECORD_CLASSES[entity], "") == schema_paths

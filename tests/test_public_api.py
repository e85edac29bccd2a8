"""The top-level names stay what they are, however the package's parts get imported."""

from __future__ import annotations

import subprocess
import sys

from conftest import EXAMPLES, ROOT

CHECK = """
import inspect, json, sys
import indigo_standard as indigo
indigo.validate(sys.argv[1])
indigo.load(json.load(open(sys.argv[2], encoding="utf-8")))
import indigo_standard.fields, indigo_standard.schema, indigo_standard.registry
for name in indigo.__all__:
    value = getattr(indigo, name)
    assert not inspect.ismodule(value), f"indigo_standard.{name} is a module"
assert indigo.schema("4.1", "project")["title"]
assert indigo.fields("4.1", "project")
assert sorted(dir(indigo)) == sorted(set(dir(indigo)))
print("ok")
"""


def test_public_names_are_functions_and_classes_not_modules() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHECK, str(EXAMPLES), str(EXAMPLES / "project.json")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_validating_does_not_import_the_typed_model() -> None:
    code = (
        "import sys, indigo_standard as indigo; indigo.validate(sys.argv[1]); "
        "print('indigo_standard.model' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(EXAMPLES)], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "False"


def test_flat_names_stay_what_they_are_after_every_flat_module_loads() -> None:
    """``indigo_standard.flat`` imports its readers and writers on first use; importing a submodule
    binds its name in the package, which must not hide a function of the same name (``layout``)."""
    import importlib
    import pkgutil
    import types

    import indigo_standard.flat as flat

    for module in pkgutil.iter_modules(flat.__path__):
        importlib.import_module(f"indigo_standard.flat.{module.name}")
    names = flat.__all__
    assert names and not [name for name in names if isinstance(getattr(flat, name), types.ModuleType)]
    assert callable(flat.layout) and flat.layout("4.1").sheets

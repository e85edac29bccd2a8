"""Which modules are compiled with mypyc, and whether to compile at all (see docs/performance.md).

Shared by ``setup.py`` and the build backend (:mod:`backend`). The compiled modules are the
hot path of ``validate``: the checks and their guided walk, record-type detection, the
issue store, the JSON report writer and the flat (CSV) reader. Every other module, and every
module when nothing is compiled, is the same pure Python.
"""

from __future__ import annotations

import os
import platform
import shlex
import shutil
import sys
import sysconfig

PURE_ENV = "INDIGO_PURE_PYTHON"
"""Set to a non-empty value (``INDIGO_PURE_PYTHON=1 pip install .``) to install pure Python."""

COMPILE_ENV = "INDIGO_BUILD_COMPILED"
"""Set by the build backend, for ``setup.py``, when this build of a wheel compiles."""

MYPYC = "mypy>=1.11"
"""The build requirement that brings mypyc, asked for only when compiling."""

MODULES = (
    "indigo_standard/checks/context.py",
    "indigo_standard/checks/dataset.py",
    "indigo_standard/checks/iso_codes.py",
    "indigo_standard/checks/meaning.py",
    "indigo_standard/checks/partial_dates.py",
    "indigo_standard/checks/prefetch.py",
    "indigo_standard/checks/references.py",
    "indigo_standard/checks/runner.py",
    "indigo_standard/checks/walk.py",
    "indigo_standard/detect.py",
    "indigo_standard/flat/cells.py",
    "indigo_standard/flat/reader.py",
    "indigo_standard/flat/tables.py",
    "indigo_standard/jsonstream.py",
    "indigo_standard/reading/files.py",
    "indigo_standard/reading/inputs.py",
    "indigo_standard/reading/json_input.py",
    "indigo_standard/reading/records.py",
    "indigo_standard/report/json_writer.py",
    "indigo_standard/validation/cell_store.py",
    "indigo_standard/validation/duplicates.py",
    "indigo_standard/validation/engine.py",
    "indigo_standard/validation/fast.py",
    "indigo_standard/validation/issue_store.py",
    "indigo_standard/validation/schema_issues.py",
    "indigo_standard/validation/validate.py",
)
"""The modules mypyc compiles, as paths from the project's root."""


def compiler_found() -> bool:
    """True when the C compiler Python was built with (or ``$CC``) is on this machine."""
    command = os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc"
    words = shlex.split(command)
    return bool(words) and shutil.which(words[0]) is not None


def wanted() -> bool:
    """True when a wheel built now should hold compiled modules.

    Only on CPython (mypyc's target), not on Windows (whose compiler cannot be found this
    way), not when :data:`PURE_ENV` is set, and only when a C compiler is there.
    """
    if os.environ.get(PURE_ENV):
        return False
    if platform.python_implementation() != "CPython" or sys.platform == "win32":
        return False
    return compiler_found()

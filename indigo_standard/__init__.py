"""indigo-standard: the INDIGO open data standard for social outcomes contracts, in Python.

The public API::

    import indigo_standard as indigo

    report = indigo.validate(data)        # a record, list, package, JSON text or path
    report.valid, report.issues

See the README and ``docs/`` for the command line and the guides.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import IndigoError, InputError, SchemaReferenceError, UnknownVersionError
    from .fields import Field, fields
    from .migrations import UpgradeWarning, upgrade
    from .model import (
        Fund,
        Organisation,
        PartialDate,
        Pipeline,
        Project,
        StructureError,
        Value,
        dump,
        dumps,
        load,
    )
    from .publishing import (
        FilterSummary,
        NormaliseReport,
        build_package,
        combine_packages,
        normalise,
        publish,
        read_package,
        split_package,
        write_package,
    )
    from .reading import iter_path
    from .registry import schema
    from .validation.report import Issue, Report, Source
    from .validation.validate import validate
    from .versions import LATEST_VERSION, SUPPORTED_VERSIONS

_HOMES = {
    "IndigoError": ".errors",
    "InputError": ".errors",
    "SchemaReferenceError": ".errors",
    "UnknownVersionError": ".errors",
    "Field": ".fields",
    "fields": ".fields",
    "UpgradeWarning": ".migrations",
    "upgrade": ".migrations",
    **dict.fromkeys(
        ["Fund", "Organisation", "PartialDate", "Pipeline", "Project", "StructureError", "Value", "dump",
         "dumps", "load"],
        ".model",
    ),
    **dict.fromkeys(
        ["FilterSummary", "NormaliseReport", "build_package", "combine_packages", "normalise", "publish",
         "read_package", "split_package", "write_package"],
        ".publishing",
    ),
    "iter_path": ".reading",
    "schema": ".registry",
    "Issue": ".validation.report",
    "Report": ".validation.report",
    "Source": ".validation.report",
    "validate": ".validation.validate",
    "LATEST_VERSION": ".versions",
    "SUPPORTED_VERSIONS": ".versions",
}
"""Where each public name lives. They are imported on first use, so that a command that
needs only some of the package (``validate`` does not need the typed model) starts quickly."""


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])


__all__ = [
    "LATEST_VERSION",
    "SUPPORTED_VERSIONS",
    "Field",
    "FilterSummary",
    "Fund",
    "IndigoError",
    "InputError",
    "Issue",
    "NormaliseReport",
    "Organisation",
    "PartialDate",
    "Pipeline",
    "Project",
    "Report",
    "SchemaReferenceError",
    "Source",
    "StructureError",
    "UnknownVersionError",
    "UpgradeWarning",
    "Value",
    "build_package",
    "combine_packages",
    "dump",
    "dumps",
    "fields",
    "iter_path",
    "load",
    "normalise",
    "publish",
    "read_package",
    "schema",
    "split_package",
    "upgrade",
    "validate",
    "write_package",
]

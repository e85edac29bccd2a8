"""indigo-standard: the INDIGO open data standard for social outcomes contracts, in Python.

The public API::

    import indigo_standard as indigo

    report = indigo.validate(data)        # a record, list, package, JSON text or path
    report.valid, report.issues

See the README and ``docs/`` for the command line and the guides.
"""

from __future__ import annotations

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

"""indigo-standard: the INDIGO open data standard for social outcomes contracts, in Python.

The public API::

    import indigo_standard as indigo

    report = indigo.validate(data)        # a record, list, package, JSON text or path
    report.valid, report.issues
    indigo.__version__                    # this library's version, e.g. "0.2.0"
    record = indigo.load(data)            # a typed Project, Organisation, Fund or Pipeline
    for record in indigo.read(path):      # typed records from any supported file, streamed
        ...
    indigo.write(records, path)           # any supported form, atomically
    text = indigo.dumps(record)           # JSON text, every number exact

See the README and ``docs/`` for the command line and the guides.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# The schema files are the subpackage ``indigo_standard.schema`` once installed (``registry``
# imports it when it exists), and the field inventory is the module ``indigo_standard.fields``.
# Importing a submodule binds its name in this package, so both are imported here first, and
# the public functions of the same names bound after them.
from .errors import (
    IndigoError,
    InputError,
    InputTypeError,
    OutputError,
    SchemaReferenceError,
    UnknownEntityError,
    UnknownVersionError,
)
from .fields import Field, fields
from .lazy import lazy_names
from .registry import schema
from .versions import LATEST_VERSION, SUPPORTED_VERSIONS

if TYPE_CHECKING:
    from .about import __version__ as __version__
    from .migrations import UpgradeWarning, upgrade
    from .model import (
        FieldError,
        Fund,
        Invalid,
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
    from .model.files import InputWarning, Reader, read, write
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
    from .reading.inputs import iter_path
    from .validation.result import Issue, Report, Source
    from .validation.validate import validate

_HOMES = {
    "__version__": ".about",
    "UpgradeWarning": ".migrations",
    "upgrade": ".migrations",
    **dict.fromkeys(
        [
            "FieldError",
            "Fund",
            "Invalid",
            "Organisation",
            "PartialDate",
            "Pipeline",
            "Project",
            "StructureError",
            "Value",
            "dump",
            "dumps",
            "load",
        ],
        ".model",
    ),
    **dict.fromkeys(["InputWarning", "Reader", "read", "write"], ".model.files"),
    **dict.fromkeys(
        [
            "FilterSummary",
            "NormaliseReport",
            "build_package",
            "combine_packages",
            "normalise",
            "publish",
            "read_package",
            "split_package",
            "write_package",
        ],
        ".publishing",
    ),
    "iter_path": ".reading",
    "Issue": ".validation.result",
    "Report": ".validation.result",
    "Source": ".validation.result",
    "validate": ".validation.validate",
}
"""Where each public name not imported above lives. They are imported on first use, so that a
command that needs only part of the package (``validate`` does not need the typed model)
starts quickly."""


__getattr__, __dir__ = lazy_names(__name__, _HOMES)


__all__ = [
    "LATEST_VERSION",
    "SUPPORTED_VERSIONS",
    "Field",
    "FieldError",
    "FilterSummary",
    "Fund",
    "IndigoError",
    "InputError",
    "InputTypeError",
    "InputWarning",
    "Invalid",
    "Issue",
    "NormaliseReport",
    "Organisation",
    "OutputError",
    "PartialDate",
    "Pipeline",
    "Project",
    "Reader",
    "Report",
    "SchemaReferenceError",
    "Source",
    "StructureError",
    "UnknownEntityError",
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
    "read",
    "read_package",
    "schema",
    "split_package",
    "upgrade",
    "validate",
    "write",
    "write_package",
]

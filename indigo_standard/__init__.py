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
from .reading import iter_path
from .registry import schema
from .validation.report import Issue, Report, Source
from .validation.validate import validate
from .versions import LATEST_VERSION, SUPPORTED_VERSIONS

__all__ = [
    "LATEST_VERSION",
    "SUPPORTED_VERSIONS",
    "Field",
    "IndigoError",
    "InputError",
    "Issue",
    "Report",
    "SchemaReferenceError",
    "Source",
    "UnknownVersionError",
    "fields",
    "iter_path",
    "schema",
    "validate",
]

"""The typed INDIGO 4.1 model: attrs classes generated from the schemas, with ``load`` and ``dump``.

See ``docs/model.md``. Every class is importable from here; the record classes are
:class:`Project`, :class:`Organisation`, :class:`Fund` and :class:`Pipeline`. A value that
``load`` could not type is kept as :class:`Invalid`.
"""

from __future__ import annotations

from ..data import country_codes, currency_codes
from ._generated import *  # noqa: F403
from ._generated import RECORD_CLASSES, Fund, Organisation, Pipeline, Project
from ._generated import __all__ as _generated_all
from .base import Invalid, Node, RecordNode, Status, Value
from .errors import FieldError, StructureError
from .io import Record, dump, dumps, load, load_as
from .types import Country, Currency, IdList, PartialDate

__all__ = [
    *_generated_all,
    "RECORD_CLASSES",
    "Country",
    "Currency",
    "FieldError",
    "Fund",
    "IdList",
    "Invalid",
    "Node",
    "Organisation",
    "PartialDate",
    "Pipeline",
    "Project",
    "Record",
    "RecordNode",
    "Status",
    "StructureError",
    "Value",
    "country_codes",
    "currency_codes",
    "dump",
    "dumps",
    "load",
    "load_as",
]

"""Checks beyond the schema: within a record, across a dataset, and of meaning.

Every check has a stable code, a severity, a description and an applicability, all held in
the issue catalogue; :func:`all_checks` lists them with those of installed plug-ins.
"""

from __future__ import annotations

from .context import Check, DatasetFinding, Finding, RecordContext
from .dataset import DatasetIndex
from .partial_dates import compare_partial_dates, parse_partial_date
from .registry import ENTRY_POINT_GROUP, CheckError, all_checks, builtin_checks, plugin_checks, render_docs
from .runner import CheckRunner

__all__ = [
    "ENTRY_POINT_GROUP",
    "Check",
    "CheckError",
    "CheckRunner",
    "DatasetFinding",
    "DatasetIndex",
    "Finding",
    "RecordContext",
    "all_checks",
    "builtin_checks",
    "compare_partial_dates",
    "parse_partial_date",
    "plugin_checks",
    "render_docs",
]

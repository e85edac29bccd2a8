"""Tools for schema maintainers: load a version folder, lint it, diff two versions,
generate the data dictionary and keep released versions immutable."""

from __future__ import annotations

from .diff import Change, Diff, diff
from .docs import render_docs, write_docs
from .lint import LintIssue, lint
from .manifest import check_manifest, next_manifest
from .schemaset import SchemaSet, load_schema_set

__all__ = [
    "Change",
    "Diff",
    "LintIssue",
    "SchemaSet",
    "check_manifest",
    "diff",
    "lint",
    "load_schema_set",
    "next_manifest",
    "render_docs",
    "write_docs",
]

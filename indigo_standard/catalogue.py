"""The catalogue of issue codes: every code a report can carry, held as data in ``codes.json``.

Each entry has a stable dotted code, a severity, a title, a one-line description and a
message template. Reports, the ``checks`` listing and ``docs/issue-codes.md`` all come from it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from typing import Any, Literal

import attrs

Severity = Literal["error", "warning"]


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(item) for item in (value or ()))


@attrs.frozen
class AppliesTo:
    """Which records a check runs on: record types and schema versions (empty means all)."""

    types: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    versions: tuple[str, ...] = attrs.field(default=(), converter=_strings)

    def covers(self, entity: str, version: str) -> bool:
        """True when a record of type ``entity`` in ``version`` is in scope."""
        return (not self.types or entity in self.types) and (not self.versions or version in self.versions)


def _applies_to(value: Any) -> AppliesTo | None:
    if value is None or isinstance(value, AppliesTo):
        return value
    return AppliesTo(**value)


@attrs.frozen
class CodeInfo:
    """One entry of the catalogue."""

    code: str
    severity: Severity
    title: str
    description: str
    message: str
    """A :meth:`str.format` template filled in with the issue's details."""
    applies_to: AppliesTo | None = attrs.field(default=None, converter=_applies_to)
    """Set for the codes of checks beyond the schema: the records the check runs on."""
    scope: Literal["record", "dataset"] | None = None
    """Set for checks: whether the check looks at one record or across the dataset."""


@cache
def catalogue() -> Mapping[str, CodeInfo]:
    """Every known issue code, in catalogue order."""
    entries: list[dict[str, Any]] = json.loads(
        files("indigo_standard").joinpath("codes.json").read_text(encoding="utf-8")
    )
    return {entry["code"]: CodeInfo(**entry) for entry in entries}


def code_info(code: str) -> CodeInfo:
    """The catalogue entry for ``code``; an unknown code is a programming error."""
    return catalogue()[code]


def render_docs() -> str:
    """The Markdown table of every issue code, as committed in ``docs/issue-codes.md``."""
    lines = [
        "# Issue codes",
        "",
        "Every issue in a validation report carries one of these stable codes. This page is",
        "generated from `indigo_standard/codes.json`; a test keeps it current.",
        "",
        "| Code | Severity | Title | What it means |",
        "| --- | --- | --- | --- |",
    ]
    for info in catalogue().values():
        lines.append(f"| `{info.code}` | {info.severity} | {info.title} | {info.description} |")
    return "\n".join(lines) + "\n"

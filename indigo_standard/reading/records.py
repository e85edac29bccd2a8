"""Records as read: the record, where it came from, and what the reader noticed.

Every reader (JSON, JSON Lines, the flat formats) yields :class:`SourcedRecord` items, so
that validation can name the file, record and cell of every issue.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from ..validation.result import Issue

PACKAGE_LISTS: Mapping[str, str] = {
    "projects": "project",
    "organisations": "organisation",
    "funds": "fund",
    "pipelines": "pipeline",
}
"""The record lists of a dataset package, with the record type each holds."""


@attrs.frozen
class SourcedRecord:
    """A record as read, with the context needed to report on it."""

    data: Any
    entity: str | None = None
    """The record type when the input says so (a package list), else None."""
    file: str | None = None
    declared_version: str | None = None
    """The schema version a dataset package declares for its records."""
    cells: Mapping[str, CellRef] | None = None
    """For flat input: JSON pointer inside the record to the cell it came from; "" is the row."""
    mapping_version: str | None = None
    """For flat input: the schema version whose titles mapped the columns."""
    notices: tuple[Notice, ...] = ()
    """Problems the reader found in the input itself (unknown columns, orphan rows)."""
    position: str | None = None
    """For JSON input: where the record sits in its file, as a JSON pointer (``/projects/3``,
    ``/3``; "" for a file that is one record), after ``line N, `` in JSON Lines."""

    def locate(self, ptr: str) -> CellRef | None:
        """The cell of the longest prefix of ``ptr`` that came from a cell, else None."""
        if not self.cells:
            return None
        path = ptr
        while True:
            found = self.cells.get(path)
            if found is not None or not path:
                return found
            path = path.rpartition("/")[0]


NOTICES_ONLY = "notices"
"""The entity of a :class:`SourcedRecord` that carries only notices and no record."""


@attrs.frozen
class CellRef:
    """A cell of flat input: file, row as a spreadsheet counts it (header = 1), column header."""

    file: str
    row: int
    column: str


@attrs.frozen
class Notice:
    """Something a reader found wrong with the input itself, reported as an issue."""

    code: str
    cell: CellRef
    params: Mapping[str, str] = attrs.field(factory=dict)
    record: str | None = None
    entity: str | None = None
    path: str = ""

    def to_issue(self) -> Issue:
        """The notice as the issue a report gives, with its cell as the source."""
        from ..validation.result import Issue, Source

        cell = self.cell
        return Issue.make(
            self.code,
            params=self.params,
            entity=self.entity,
            record=self.record,
            path=self.path,
            source=Source(cell.file, cell.row, cell.column),
        )


def is_package(data: Any) -> bool:
    """True for a dataset package: an object with record lists or a schema version, and no id."""
    return (
        isinstance(data, dict)
        and "id" not in data
        and ("schema_version" in data or any(key in data for key in PACKAGE_LISTS))
    )


def type_name(value: Any) -> str:
    """How a JSON value's type reads in a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float, Decimal)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"

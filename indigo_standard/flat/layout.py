"""The flat layout of INDIGO data, derived from the schemas' titles.

The INDIGO data store exports one CSV per record type (``projects.csv``,
``organisations.csv``, ``funds.csv``, ``pipeline.csv``) and one per list inside a record
(``projects_investments.csv``, ``organisations_org-idssecondary.csv``, ...). A column's
header is the field's title path (see :attr:`~indigo_standard.fields.Field.title_path`);
in a list's file it is the title path relative to the list's own title, and the first
column holds the parent record's id. Nothing here is a hand-kept table: every sheet and
column comes from :func:`~indigo_standard.fields.fields`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import attrs

from ..detect import RECORD_TYPES
from ..fields import TITLE_SEPARATOR, Field, fields

FILE_PREFIX: Mapping[str, str] = {
    "project": "projects",
    "organisation": "organisations",
    "fund": "funds",
    "pipeline": "pipeline",
}
"""How each record type's files are named: ``projects.csv``, ``projects_<list>.csv``."""

PARENT_COLUMN: Mapping[str, str] = {
    "project": "Project ID",
    "organisation": "Organisation ID",
    "fund": "Fund ID",
    "pipeline": "Pipeline ID",
}
"""The first column of a list's file: the id of the record the row belongs to."""

ID_COLUMN = "ID"
HEADER_PREFIX: Mapping[str, str] = {"fund": "Fund - "}
"""Record types whose top-level headers carry a prefix in the export."""

EXTRA_KEY = "extra_columns"
"""Where cells of columns that the schema does not know are kept, as ``{header: text}``."""

LEAF_TYPES = ("string", "number", "integer", "boolean")


def folded_header(header: str) -> str:
    """A header as readers compare headers for repeats: spacing squeezed, letter case folded."""
    return " ".join(header.split()).casefold()


@attrs.frozen
class Column:
    """One column of a sheet: its header and the field it holds."""

    header: str
    keys: tuple[str, ...]
    """The JSON keys from the row's object (record or list item) down to the value."""
    field: Field

    @property
    def numeric(self) -> bool:
        """True when the schema types the field as a number."""
        return bool({"number", "integer"} & set(self.field.type.split("|")))


@attrs.frozen
class Sheet:
    """One CSV file (or XLSX sheet) of the layout."""

    name: str
    """The file name without ``.csv``, e.g. ``projects_investments``."""
    entity: str
    list_keys: tuple[str, ...] | None
    """The keys from the record down to the list this sheet holds; None for the record's own sheet."""
    key_column: str
    """``ID`` on a record's own sheet, else the parent id column such as ``Project ID``."""
    columns: tuple[Column, ...]

    @property
    def headers(self) -> tuple[str, ...]:
        """Every header, key column first, in schema order."""
        return (self.key_column, *(column.header for column in self.columns))


@attrs.frozen
class Layout:
    """Every sheet of every record type for one schema version."""

    version: str
    sheets: tuple[Sheet, ...]

    def sheet(self, name: str) -> Sheet | None:
        """The sheet with this file name (without ``.csv``), or None."""
        return next((s for s in self.sheets if s.name == name), None)

    def for_entity(self, entity: str) -> tuple[Sheet, ...]:
        """The record's own sheet first, then its lists' sheets."""
        return tuple(s for s in self.sheets if s.entity == entity)


def _is_leaf(field: Field) -> bool:
    return any(kind in LEAF_TYPES for kind in field.type.split("|"))


def _keys(path: str) -> tuple[str, ...]:
    return tuple(part for part in path.split("/") if part)


def _relative(title_path: str, parent_title: str) -> str:
    prefix = parent_title + TITLE_SEPARATOR
    return title_path[len(prefix) :] if parent_title and title_path.startswith(prefix) else title_path


def sheet_name(entity: str, list_path: str | None) -> str:
    """The file name (without ``.csv``) of a record type's sheet or of one of its lists."""
    prefix = FILE_PREFIX[entity]
    if list_path is None:
        return prefix
    return f"{prefix}_{list_path.replace('/', '')}"


def _entity_sheets(version: str, entity: str) -> list[Sheet]:
    all_fields = fields(version, entity)
    lists = [f for f in all_fields if f.type == "array" and "[]" not in f.path]
    top: list[Column] = []
    per_list: dict[str, list[Column]] = {f.path: [] for f in lists}
    titles = {f.path: f.title_path for f in lists}
    prefix = HEADER_PREFIX.get(entity, "")
    for field in all_fields:
        if not _is_leaf(field) or field.path == "/id":
            continue
        if "[]" not in field.path:
            top.append(Column(prefix + field.title_path, _keys(field.path), field))
            continue
        list_path, _, rest = field.path.partition("[]")
        if list_path not in per_list or "[]" in rest:
            continue  # lists inside list items have no file of their own in the export
        header = _relative(field.title_path, titles[list_path]) or rest.strip("/")
        per_list[list_path].append(Column(header, _keys(rest), field))
    sheets = [Sheet(sheet_name(entity, None), entity, None, ID_COLUMN, tuple(top))]
    for field in lists:
        sheets.append(
            Sheet(
                sheet_name(entity, field.path.lstrip("/")),
                entity,
                _keys(field.path),
                PARENT_COLUMN[entity],
                tuple(per_list[field.path]),
            )
        )
    return sheets


@cache
def layout(version: str) -> Layout:
    """The flat layout of ``version``: every record type's sheets, in a stable order."""
    sheets: list[Sheet] = []
    for entity in RECORD_TYPES:
        sheets.extend(_entity_sheets(version, entity))
    return Layout(version, tuple(sheets))

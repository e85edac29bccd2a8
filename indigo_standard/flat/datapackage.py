"""The ``datapackage.json`` written beside every CSV export: a Frictionless Data Package.

It describes each CSV file as a tabular data resource with a Table Schema: every column's
name (its header), type, title and description; the codelist values a field allows, as an
``enum`` constraint; the record id as the primary key of a record's file, and the parent id
of a list's file as a foreign key to the record's file. The licence and the publisher (as
the source) come from the input's package envelope, when it has one.

A file whose header repeats a name (the pipeline's bare ``(Source ID's)`` and ``(Notes)``)
cannot have its columns matched by name, as a Table Schema's field names are unique: its
fields take the JSON path after the header (``(Notes) [/misc2/notes]``) and the resource's
dialect reads the header row as a comment, so that columns are matched by position.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..fields import Field, field_index
from ..registry import schema
from .kept import kept_description
from .layout import ID_COLUMN, Sheet

if TYPE_CHECKING:
    from .writer import SheetHeader

PACKAGE_NAME = "indigo-data"
EXTRA_DESCRIPTION = "A column of the input that no field of INDIGO {version} has, kept as text."


def _type(field: Field) -> str:
    kinds = set(field.type.split("|"))
    if "number" in kinds:
        return "number"
    if "integer" in kinds:
        return "integer"
    return "string"


def column_description(version: str, field: Field) -> str:
    """What a column holds: a wrapper's value, status, sources or notes also get the description
    of the field they belong to ("Main public name of the impact bond ... The value itself, as text.")."""
    if not field.title.startswith("("):
        return field.description
    parent = field_index(version, field.entity).get(field.path.rsplit("/", 1)[0])
    if parent is None or not parent.description:
        return field.description
    return f"{parent.description.rstrip()} {field.description}".strip()


def _field(name: str, field: Field, version: str) -> dict[str, Any]:
    described: dict[str, Any] = {"name": name, "type": _type(field), "title": field.title_path}
    description = column_description(version, field)
    if description:
        described["description"] = description
    allowed = [value for value in field.enum or () if isinstance(value, str)]
    if allowed and len(allowed) == len(field.enum or ()):
        described["constraints"] = {"enum": allowed}
    return described


def _key_field(sheet: Sheet) -> dict[str, Any]:
    if sheet.list_keys is None:
        return {"name": sheet.key_column, "type": "string", "title": "ID", "description": "The record's id."}
    return {
        "name": sheet.key_column,
        "type": "string",
        "title": sheet.key_column,
        "description": f"The id of the {sheet.entity} this row belongs to.",
    }


def _title(version: str, sheet: Sheet) -> tuple[str, str]:
    """The resource's title and description: the record schema's, or the list field's."""
    from ..fields import fields

    if sheet.list_keys is None:
        root = schema(version, sheet.entity)
        return root.get("title", sheet.name), root.get("description", "")
    path = "/" + "/".join(sheet.list_keys)
    found = next((f for f in fields(version, sheet.entity) if f.path == path), None)
    return (found.title_path, found.description) if found else (sheet.name, "")


def resource(header: SheetHeader, version: str, parent: str | None) -> dict[str, Any]:
    """The resource describing one CSV file, ``parent`` being the file name of its record's file."""
    sheet = header.sheet
    repeated = {name for name, count in Counter(header.header).items() if count > 1}
    described = [_key_field(sheet)]
    for column in sheet.columns:
        name = f"{column.header} [{column.field.path}]" if column.header in repeated else column.header
        described.append(_field(name, column.field, version))
    for extra in header.header[len(sheet.headers) :]:
        name = f"{extra} [extra column {len(described) + 1}]" if extra in repeated else extra
        described.append(
            {
                "name": name,
                "type": "string",
                "title": extra,
                "description": kept_description(extra) or EXTRA_DESCRIPTION.format(version=version),
            }
        )
    table_schema: dict[str, Any] = {"fields": described}
    if sheet.list_keys is None:
        table_schema["primaryKey"] = [sheet.key_column]
    elif parent is not None:
        table_schema["foreignKeys"] = [
            {"fields": [sheet.key_column], "reference": {"resource": parent, "fields": [ID_COLUMN]}}
        ]
    title, description = _title(version, sheet)
    found: dict[str, Any] = {
        "name": sheet.name,
        "path": f"{sheet.name}.csv",
        "profile": "tabular-data-resource",
        "title": title,
    }
    if description:
        found["description"] = description
    found.update({"format": "csv", "mediatype": "text/csv", "encoding": "utf-8"})
    if repeated:
        found["dialect"] = {"header": False, "commentRows": [1]}
    found["schema"] = table_schema
    return found


def descriptor(
    headers: Iterable[SheetHeader], version: str, envelope: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The data package of a CSV export whose files have these final headers."""
    headers = list(headers)
    owners = {h.sheet.entity: h.sheet.name for h in headers if h.sheet.list_keys is None}
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": f"INDIGO data (schema version {version})",
    }
    envelope = envelope or {}
    licence = envelope.get("licence")
    if isinstance(licence, str) and licence.strip():
        package["licenses"] = [{"path": licence.strip()}]
    publisher = envelope.get("publisher")
    if (
        isinstance(publisher, Mapping)
        and isinstance(publisher.get("name"), str)
        and publisher["name"].strip()
    ):
        source: dict[str, str] = {"title": publisher["name"].strip()}
        if isinstance(publisher.get("url"), str) and publisher["url"].strip():
            source["path"] = publisher["url"].strip()
        package["sources"] = [source]
    package["indigo_schema_version"] = version
    package["resources"] = [
        resource(h, version, None if h.sheet.list_keys is None else owners.get(h.sheet.entity))
        for h in headers
    ]
    return package


def descriptor_bytes(
    headers: Iterable[SheetHeader], version: str, envelope: Mapping[str, Any] | None = None
) -> bytes:
    """:func:`descriptor` as indented UTF-8 JSON text."""
    package = descriptor(headers, version, envelope)
    return (json.dumps(package, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

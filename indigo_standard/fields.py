"""The field inventory: every field of a record type, flattened out of the schemas.

Flat formats, reports, docs and the maintainer tools all need the same view of a schema:
each field's JSON path (``[]`` marks list items), type, title path, enum and pattern. This
module derives it once per version and record type by walking the bundled schemas and
following their ``$ref``\\ s offline.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

import attrs
import referencing
import referencing.exceptions

from .errors import SchemaReferenceError
from .registry import resolver, schema

if TYPE_CHECKING:
    from referencing._core import Resolver

TITLE_SEPARATOR = " - "


@attrs.frozen
class Field:
    """One field of a record type, as the schema of one version defines it."""

    entity: str
    path: str
    """JSON path inside the record; ``[]`` marks an item of a list."""
    type: str
    title: str
    """The field's own title (empty when the field takes its parent's)."""
    title_path: str
    """The titles from the record down to this field, joined by " - ", as flat exports name columns."""
    description: str = ""
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    codelist: str | None = None
    references: str | None = None
    """The record type (``organisation``) or list (``/sources``) whose ids this field holds."""


def _join(parent: str, title: str) -> str:
    if not title:
        return parent
    return f"{parent}{TITLE_SEPARATOR}{title}" if parent else title


def merge_refs(
    node: Mapping[str, Any], res: Resolver[Any], where: str
) -> tuple[dict[str, Any], Resolver[Any]]:
    """``node`` with its ``$ref`` chain merged in (the node's own keywords win), and the
    resolver to use below it. ``where`` names the node in the error for a ref that fails."""
    merged = dict(node)
    while "$ref" in merged:
        ref = merged.pop("$ref")
        try:
            resolved = res.lookup(ref)
        except referencing.exceptions.Unresolvable as error:
            raise SchemaReferenceError(f"cannot resolve $ref {ref!r} at {where}: {error}") from None
        res = resolved.resolver
        merged = {**resolved.contents, **merged}
    return merged, res


def _walk(
    entity: str, node: Mapping[str, Any], res: Resolver[Any], path: str, parent_title: str
) -> Iterator[Field]:
    merged, res = merge_refs(node, res, f"{entity} {path}")
    title = merged.get("title", "")
    title_path = _join(parent_title, title) if path else ""
    kind = merged.get("type", "")
    if path:
        enum = merged.get("enum")
        yield Field(
            entity=entity,
            path=path,
            type=kind if isinstance(kind, str) else "|".join(kind),
            title=title,
            title_path=title_path,
            description=merged.get("description", ""),
            enum=tuple(enum) if enum is not None else None,
            pattern=merged.get("pattern"),
            codelist=merged.get("codelist"),
            references=merged.get("references"),
        )
    if kind == "object":
        for key, child in merged.get("properties", {}).items():
            yield from _walk(entity, child, res, f"{path}/{key}", title_path)
    elif kind == "array" and "items" in merged:
        yield from _walk(entity, merged["items"], res, f"{path}[]", title_path)


def fields_from(entity: str, root: Mapping[str, Any], res: Resolver[Any]) -> tuple[Field, ...]:
    """Every field of a record schema ``root``, resolving ``$ref``\\ s with any resolver ``res``."""
    return tuple(_walk(entity, root, res, "", ""))


@cache
def fields(version: str, entity: str) -> tuple[Field, ...]:
    """Every field of record type ``entity`` in ``version``, in schema order."""
    root = schema(version, entity)
    return fields_from(entity, root, resolver(version, root["$id"]))


@cache
def field_index(version: str, entity: str) -> Mapping[str, Field]:
    """The fields of ``entity`` keyed by their JSON path."""
    return {f.path: f for f in fields(version, entity)}


_INDEX = re.compile(r"^[0-9]+$")


def unescape(segment: str) -> str:
    """Undo RFC 6901 escaping of one JSON pointer segment."""
    return segment.replace("~1", "/").replace("~0", "~")


def escape(segment: str) -> str:
    """Escape one JSON pointer segment as RFC 6901 requires."""
    return segment.replace("~", "~0").replace("/", "~1")


def pointer(parts: Any) -> str:
    """An RFC 6901 JSON pointer built from path parts (keys and list indexes)."""
    return "".join("/" + escape(str(part)) for part in parts)


def field_for_pointer(version: str, entity: str, ptr: str) -> Field | None:
    """The field a JSON pointer inside a record lands on, or None for fields outside the schema."""
    index = field_index(version, entity)
    path = ""
    for raw in ptr.split("/")[1:]:
        segment = unescape(raw)
        path = f"{path}[]" if _INDEX.match(segment) and f"{path}[]" in index else f"{path}/{segment}"
        if path not in index:
            return None
    return index.get(path)


@lru_cache(maxsize=8192)
def title_for_pointer(version: str, entity: str, ptr: str) -> str:
    """The title path of the field a JSON pointer lands on, or "" when the schema has none."""
    found = field_for_pointer(version, entity, ptr)
    return found.title_path if found else ""

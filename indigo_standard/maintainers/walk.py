"""Walk a schema with every ``$ref`` merged in, yielding one resolved node per field."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import referencing
import referencing.exceptions

from ..errors import SchemaReferenceError

if TYPE_CHECKING:
    from referencing._core import Resolver

STRUCTURE = frozenset({"properties", "items", "$defs", "$ref", "$id", "$schema"})
"""Keywords that hold children or references rather than facts about the node itself."""


def resolve(node: Mapping[str, Any], res: Resolver[Any], where: str) -> tuple[dict[str, Any], Resolver[Any]]:
    """``node`` with its ``$ref`` chain merged in (the node's own keywords win)."""
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


def nodes(
    root: Mapping[str, Any], res: Resolver[Any], *, keep_refs: Collection[str] = (), path: str = ""
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each node under ``root`` as ``(path, keywords)``: paths as in :class:`~indigo_standard.fields.Field`.

    A ``$ref`` whose target is in ``keep_refs`` is not followed (a package's record lists
    point at whole record schemas, which are walked on their own).
    """
    if root.get("$ref") in keep_refs:
        yield path, dict(root)
        return
    merged, res = resolve(root, res, path or "/")
    yield path, {k: v for k, v in merged.items() if k not in STRUCTURE}
    kind = merged.get("type")
    if kind == "object":
        for key, child in merged.get("properties", {}).items():
            yield from nodes(child, res, keep_refs=keep_refs, path=f"{path}/{key}")
    elif kind == "array" and isinstance(merged.get("items"), Mapping):
        yield from nodes(merged["items"], res, keep_refs=keep_refs, path=f"{path}[]")

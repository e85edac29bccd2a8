"""Walk a schema with every ``$ref`` merged in, yielding one resolved node per field."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..fields import merge_refs

if TYPE_CHECKING:
    from referencing._core import Resolver

STRUCTURE = frozenset({"properties", "items", "$defs", "$ref", "$id", "$schema"})
"""Keywords that hold children or references rather than facts about the node itself."""


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
    merged, res = merge_refs(root, res, path or "/")
    yield path, {k: v for k, v in merged.items() if k not in STRUCTURE}
    kind = merged.get("type")
    if kind == "object":
        for key, child in merged.get("properties", {}).items():
            yield from nodes(child, res, keep_refs=keep_refs, path=f"{path}/{key}")
    elif kind == "array" and isinstance(merged.get("items"), Mapping):
        yield from nodes(merged["items"], res, keep_refs=keep_refs, path=f"{path}[]")

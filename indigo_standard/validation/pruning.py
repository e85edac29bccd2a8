"""Shrinking an invalid record to what its errors need, before the reference validator explains it.

The compiled validator names where a record fails (the instance path of each error). The
reference validator, which writes the report's messages, is slow on large records, so it
is given a copy without the parts that cannot hold an error: under an object whose schema
only lists ``properties`` and ``required`` (and annotations), a known, optional property
that no error lies under is left out; every other value is kept. The schemas have no
keyword that looks at two properties or two items at once, so the errors, their order and
their messages are the same as on the whole record. Items of lists are kept (their indexes
appear in the report), each shrunk the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..registry import resolver, schema

if TYPE_CHECKING:
    from referencing._core import Resolver

ANNOTATIONS = frozenset({"title", "description", "codelist", "references", "$comment", "examples"})
"""Keywords that never fail."""

OBJECT_KEYWORDS = ANNOTATIONS | {"type", "properties", "required", "$schema", "$id", "$defs"}
ARRAY_KEYWORDS = ANNOTATIONS | {"type", "items", "minItems"}
"""Every item is kept, so a list's length, and any ``minItems`` error, stays as it was."""

Tree = dict[Any, "Tree | None"]
"""Where errors lie: one level per step of an instance path. None marks an error's own
location, which is kept whole."""


def error_tree(paths: Iterable[Sequence[Any]]) -> Tree | None:
    """The :data:`Tree` of the instance paths of some errors (None when one is the root itself)."""
    root: Tree = {}
    for path in paths:
        if not path:
            return None
        node = root
        for step in path[:-1]:
            child = node.setdefault(step, {})
            if child is None:
                break
            node = child
        else:
            node[path[-1]] = None
    return root


def pruned(version: str, entity: str, data: Any, errors: Tree | None) -> Any:
    """A copy of ``data`` without the optional parts that hold none of ``errors``."""
    root = schema(version, entity)
    return _prune(data, dict(root), resolver(version, root["$id"]), errors)


def _resolved(node: Any, res: Resolver[Any]) -> tuple[Any, Resolver[Any]]:
    """Follow ``$ref`` while a schema holds nothing but a reference and annotations."""
    while isinstance(node, dict) and "$ref" in node and set(node) - {"$ref"} <= ANNOTATIONS:
        found = res.lookup(node["$ref"])
        node, res = found.contents, found.resolver
    return node, res


def _prune(value: Any, node: Any, res: Resolver[Any], errors: Tree | None) -> Any:
    if errors is None:
        return value
    node, res = _resolved(node, res)
    if not isinstance(node, dict):
        return value
    if isinstance(value, dict) and node.get("type") == "object" and set(node) <= OBJECT_KEYWORDS:
        known = node.get("properties", {})
        required = node.get("required", ())
        kept = {}
        for key, child in value.items():
            if key in errors or key not in known:
                kept[key] = _prune(child, known.get(key), res, errors.get(key))
            elif key in required:
                kept[key] = _prune(child, known[key], res, {})
        return kept
    if isinstance(value, list) and node.get("type") == "array" and set(node) <= ARRAY_KEYWORDS:
        items = node.get("items")
        return [_prune(item, items, res, errors.get(index, {})) for index, item in enumerate(value)]
    return value

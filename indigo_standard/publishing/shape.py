"""What the publication filter knows about a record's layout, taken from the schemas.

For one schema version and record type, :func:`record_shape` gives a tree of
:class:`Shape` nodes: which keys each object may hold, which objects the schema gives a
``status`` (the record, value wrappers, list items), which positions are lists and which
hold one value, and which values cite sources. The filter walks a record and its shape
together, so that anything the shape does not know can be withheld rather than passed on.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Literal

from ..fields import Field, fields
from ..reading.records import PACKAGE_LISTS

Kind = Literal["object", "list", "value"]

STATUS_KEY = "status"
SANDBOXES_KEY = "sandboxes"
SOURCE_IDS_KEY = "source_ids"
SOURCE_IDS_SUFFIX = "_source_ids"
"""A wrapper named ``..._source_ids`` (``evaluation_documents_source_ids``) holds source ids as its value."""
SOURCES_KEY = "sources"


class Shape:
    """One position in a record as the schema describes it."""

    __slots__ = ("cites", "item", "keys", "kind", "path", "status")

    def __init__(self, kind: Kind, path: str) -> None:
        self.kind = kind
        self.path = path
        """Where it is in the schema, as the field inventory writes it (``/results[]/notes``)."""
        self.keys: dict[str, Shape] = {}
        """For an object: the shape of each key the schema allows."""
        self.item: Shape | None = None
        """For a list: the shape of its items."""
        self.status = False
        """For an object: whether the schema gives it a ``status`` of its own."""
        self.cites = False
        """For a value: whether it holds ids from the record's sources list."""


def _kind(field: Field) -> Kind:
    types = field.type.split("|")
    if "object" in types:
        return "object"
    if "array" in types:
        return "list"
    return "value"


def _build(entity: str, version: str, skip: frozenset[str] = frozenset()) -> Shape:
    root = Shape("object", "")
    nodes: dict[str, Shape] = {"": root}
    for field in fields(version, entity):
        path = field.path
        if path.endswith("[]"):
            parent_path, key = path[:-2], None
        else:
            parent_path, _, key = path.rpartition("/")
        parent = nodes.get(parent_path)
        if parent is None or (parent is root and key in skip):
            continue
        node = Shape(_kind(field), path)
        if key is None:
            parent.item = node
        else:
            parent.keys[key] = node
            node.cites = node.kind == "value" and (
                key == SOURCE_IDS_KEY or (key == "value" and parent_path.endswith(SOURCE_IDS_SUFFIX))
            )
        nodes[path] = node
    for node in nodes.values():
        node.status = node.kind == "object" and STATUS_KEY in node.keys
    return root


@cache
def record_shape(version: str, entity: str) -> Shape:
    """The shape of a record of type ``entity`` in schema ``version``."""
    return _build(entity, version)


@cache
def envelope_shape(version: str) -> Shape:
    """The shape of a dataset package's envelope: its fields other than the record lists."""
    return _build("package", version, frozenset(PACKAGE_LISTS))


LEGACY_FIELDS: Mapping[str, frozenset[str]] = {
    "organisation": frozenset({"/org-ids/company", "/org-ids/charity", "/org-ids/other"}),
}
"""Organisation id fields the standard no longer has; old data may still carry them, and
they are never published (the INDIGO data store always removes them too)."""

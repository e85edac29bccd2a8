"""Walking a record together with its schema paths, and reading the standard's value wrappers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, NamedTuple

from ..fields import escape, unescape


class Node(NamedTuple):
    """One value inside a record: its JSON pointer, its schema path and the value itself.

    ``schema_path`` is the field path with ``[]`` in place of list indexes, as
    :mod:`indigo_standard.fields` names it. (A named tuple: records have many nodes, and
    tuples are the quickest to make.)
    """

    pointer: str
    schema_path: str
    value: Any


def walk(data: Any, pointer: str = "", schema_path: str = "") -> Iterator[Node]:
    """Every value inside ``data`` (the record itself excluded), parents before children."""
    found: list[Node] = []
    _collect(data, pointer, schema_path, found)
    return iter(found)


def _collect(data: Any, pointer: str, schema_path: str, found: list[Node]) -> None:
    if isinstance(data, dict):
        for key, child in data.items():
            text = str(key)
            child_pointer = f"{pointer}/{escape(text) if '~' in text or '/' in text else text}"
            child_path = f"{schema_path}/{key}"
            found.append(Node(child_pointer, child_path, child))
            if isinstance(child, (dict, list)):
                _collect(child, child_pointer, child_path, found)
    elif isinstance(data, list):
        child_path = f"{schema_path}[]"
        for index, child in enumerate(data):
            child_pointer = f"{pointer}/{index}"
            found.append(Node(child_pointer, child_path, child))
            if isinstance(child, (dict, list)):
                _collect(child, child_pointer, child_path, found)


class PathTree:
    """Schema paths compiled into a tree of steps, to find their values without a full walk.

    Each step is an object key or ``[]`` (every item of a list). A tree is built once per set
    of paths (:func:`path_tree`) and used by :func:`select` on every record.
    """

    __slots__ = ("deeper", "flat", "items", "keys", "only", "path", "segment", "slots")

    def __init__(self, segment: str = "") -> None:
        self.keys: dict[str, PathTree] = {}
        self.items: PathTree | None = None
        self.path: str | None = None
        """The schema path ending here, when it is one of the paths asked for."""
        self.slots: tuple[int, ...] = ()
        """Where a value found here goes: the numbers of the lists of :func:`select_into` (for
        :func:`path_tree`, list 0)."""
        self.segment = segment
        """This step's key as written in a JSON pointer."""
        self.deeper = False
        """True when some asked-for path goes on below this step."""
        self.only: tuple[str, PathTree] | None = None
        """The one key wanted below this step, when there is exactly one."""
        self.flat = False
        """True when every step below this one is an object key that ends a path (as the
        ``value`` and ``source_ids`` of a value wrapper are): such objects are read in place."""

    def _finish(self) -> None:
        self.deeper = bool(self.keys or self.items)
        self.only = next(iter(self.keys.items())) if len(self.keys) == 1 else None
        for sub in (*self.keys.values(), *([self.items] if self.items else [])):
            sub._finish()
        below = self.keys.values()
        self.flat = bool(below) and self.items is None and not any(sub.deeper for sub in below)


def path_steps(schema_path: str) -> list[str]:
    """The steps of a schema path: its object keys, with ``[]`` for each list item."""
    steps = []
    for segment in schema_path.split("/")[1:]:
        lists = 0
        while segment.endswith("[]"):
            segment, lists = segment[:-2], lists + 1
        steps += [segment, *["[]"] * lists]
    return steps


@cache
def path_tree(schema_paths: frozenset[str]) -> PathTree:
    """The :class:`PathTree` of a set of schema paths (built once per set)."""
    return query_tree((schema_paths,))


@cache
def query_tree(queries: tuple[frozenset[str], ...]) -> PathTree:
    """The :class:`PathTree` of several sets of schema paths (built once per tuple of sets).

    A value at a path goes to list ``i`` of :func:`select_into` for each set ``i`` holding the path.
    """
    root = PathTree()
    for number, schema_paths in enumerate(queries):
        for schema_path in schema_paths:
            node = root
            for step in path_steps(schema_path):
                if step == "[]":
                    node.items = node.items or PathTree()
                    node = node.items
                else:
                    node = node.keys.setdefault(step, PathTree(escape(step)))
            node.path = schema_path
            node.slots = (*node.slots, number)
    root._finish()
    return root


Found = list[list[Node]]
"""The lists :func:`select_into` fills, one per set of paths."""


def select(data: Any, tree: PathTree) -> list[Node]:
    """The values of ``data`` at the paths of ``tree``, in document order (as :func:`walk` gives them).

    Only the branches of the record that lead to one of those paths are visited.
    """
    found: list[Node] = []
    select_into(data, tree, [found])
    return found


def select_into(data: Any, tree: PathTree, lists: list[list[Node]]) -> None:
    """Add the values of ``data`` at the paths of ``tree`` to ``lists`` (see :func:`query_tree`),
    each list in document order: one pass over the record fills them all."""
    _visit(data, tree, "", lists)


_new = tuple.__new__
"""Makes a :class:`Node` without the call to its Python-level ``__new__`` (twice as quick)."""


def _visit(value: Any, step: PathTree, pointer: str, found: Found) -> None:
    """One value reached by ``step``: kept when a path ends there, then searched below.

    Only the branches that lead to an asked-for path are visited. An object whose wanted keys
    all end there (``step.flat``, as a value wrapper's ``value`` and ``source_ids``) is read in
    place. (One function for every step, with no call per wrapper: this runs for every value
    the checks read.)
    """
    if step.path is not None:
        node = _new(Node, (pointer, step.path, value))
        for slot in step.slots:
            found[slot].append(node)
    if isinstance(value, dict):
        if step.flat:
            only = step.only
            if only is not None:
                key, sub = only
                if key in value and sub.path is not None:
                    node = _new(Node, (f"{pointer}/{sub.segment}", sub.path, value[key]))
                    for slot in sub.slots:
                        found[slot].append(node)
                return
            wanted = step.keys
            for key, child in value.items():
                leaf = wanted.get(key)
                if leaf is not None and leaf.path is not None:
                    node = _new(Node, (f"{pointer}/{leaf.segment}", leaf.path, child))
                    for slot in leaf.slots:
                        found[slot].append(node)
        elif step.only is not None:
            key, sub = step.only
            if key in value:
                _visit(value[key], sub, f"{pointer}/{sub.segment}", found)
        elif step.keys:
            wanted = step.keys
            for key, child in value.items():
                below = wanted.get(key)
                if below is not None:
                    _visit(child, below, f"{pointer}/{below.segment}", found)
    elif isinstance(value, list):
        items = step.items
        if items is not None:
            for index, child in enumerate(value):
                _visit(child, items, f"{pointer}/{index}", found)


def get(data: Any, *keys: str) -> Any:
    """The value at ``keys`` inside nested objects, or None when any step is missing."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def wrapped(data: Any) -> Any:
    """The ``value`` of a value wrapper, or None."""
    return data.get("value") if isinstance(data, dict) else None


def has_value(value: Any) -> bool:
    """True for a value that says something (not None, not empty text, list or object)."""
    if value is None:
        return False
    if isinstance(value, (str, list, dict)):
        return bool(value.strip() if isinstance(value, str) else value)
    return True


def number(value: Any) -> Decimal | None:
    """A JSON number (or numeric text) as a Decimal, or None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            result = Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            return None
        return result if result.is_finite() else None
    return None


def split_ids(value: Any, separator: str = ",") -> list[str]:
    """The ids in a comma-separated list of ids, stripped, without empty entries."""
    if not isinstance(value, str):
        return []
    if separator not in value:
        single = value.strip()
        return [single] if single else []
    return [part.strip() for part in value.split(separator) if part.strip()]


def parent(pointer_or_path: str) -> str:
    """The pointer or schema path one step up."""
    return re.sub(r"(/[^/]*|\[\])$", "", pointer_or_path)


def resolve(data: Any, pointer: str) -> Any:
    """The value an RFC 6901 pointer names inside ``data``, or None when there is none."""
    for raw in pointer.split("/")[1:] if pointer else []:
        segment = unescape(raw)
        if isinstance(data, dict):
            data = data.get(segment)
        elif isinstance(data, list) and segment.isascii() and segment.isdigit() and int(segment) < len(data):
            data = data[int(segment)]
        else:
            return None
    return data

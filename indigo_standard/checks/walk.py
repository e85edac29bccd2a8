"""Walking a record together with its schema paths, and reading the standard's value wrappers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
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
    if isinstance(value, (int, float)):
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

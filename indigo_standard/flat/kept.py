"""Values the flat layout has no column for, kept in columns of their own so that nothing is lost.

The layout (see :mod:`.layout`) has a column for every field of the schema. A record can hold
more: a key the schema does not define (an extension such as ``x_custom``, at the top, inside
an object or in a list item), a value a column cannot give back as it was (a number in a
text field, text that reads as a number in a number field, ``null``, an empty text, ``true``,
an object or a list where one value belongs), an empty object or list, a list whose items
are not all objects, the lists of a record with no id or with an id written before, and
``extra_columns`` entries that cannot be columns of their own. Writers put each such value
in a *kept column* of the row (record or list item) it belongs to:

- Its header is the value's place as a JSON pointer (RFC 6901) from the row's object:
  ``/x_custom``, ``/name/x_note``, ``/extra_columns/~1odd``, ``/investments``. No title of the
  layout starts with ``/``; a header that does is taken exactly as written (not trimmed).
- Its cell holds the value as JSON (``5``, ``null``, ``{"a": 1}``, ``"5"``), except text that
  would not read as JSON, which is written as it is (``hello``, not ``"hello"``). Reading takes
  a cell that is JSON as that JSON and any other cell as text.

Readers put each kept cell back at its pointer. A row's keys come back in the order of their
columns; when the record's keys were in another order, the ``(Key order)`` column holds the
order to restore, as a JSON object that maps the pointer of each such object to its keys.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from ..fields import pointer, unescape
from ..jsontext import dumps as exact_json
from ..jsontext import loads as exact_loads
from ..reading.records import type_name
from .cells import parse_number, to_text
from .layout import Sheet

KEPT_PREFIX = "/"
"""How the header of a kept column starts: it is a JSON pointer."""
KEY_ORDER_HEADER = "(Key order)"
"""The column that holds, for rows whose keys the columns give back in another order, the order."""


def is_kept_header(header: str) -> bool:
    """True for the header of a kept column: a JSON pointer (``/`` then keys, ``~0`` and ``~1`` escaped)."""
    return header.startswith(KEPT_PREFIX) and kept_keys(header) is not None


def kept_header(keys: Iterable[str]) -> str:
    """The header of the kept column for the value at ``keys`` inside a row's object."""
    return pointer(keys)


def kept_keys(header: str) -> tuple[str, ...] | None:
    """The keys a kept column's header names, or None when it is not a JSON pointer."""
    if not header.startswith(KEPT_PREFIX):
        return None
    parts = header[1:].split("/")
    for part in parts:
        rest = part
        while "~" in rest:
            _, _, rest = rest.partition("~")
            if not rest or rest[0] not in "01":
                return None
    return tuple(unescape(part) for part in parts)


def clean_header(text: str) -> str:
    """A header as read: trimmed, unless it is a kept column's pointer, whose spaces are keys' own."""
    return text if text.startswith(KEPT_PREFIX) else text.strip()


_NOT_JSON = object()


def _as_json(text: str) -> Any:
    """The JSON value ``text`` holds, or ``_NOT_JSON``: text that is not JSON, or JSON that no
    file of ours could hold (NaN, a lone surrogate, nesting too deep to read)."""
    try:
        value = exact_loads(text)
        exact_json(value).encode("utf-8")
    except (ValueError, RecursionError, UnicodeEncodeError):
        return _NOT_JSON
    return value


def kept_text(value: Any) -> str:
    """The cell of a kept value: JSON, or text as it is when it would not read as JSON (or be empty)."""
    if isinstance(value, str) and value and _as_json(value) is _NOT_JSON:
        return value
    return exact_json(value)


def kept_description(header: str) -> str | None:
    """What a kept column or the key order column holds, for the data package and database; None
    for any other header."""
    if header == KEY_ORDER_HEADER:
        return (
            "The order of the keys of this row's objects where the columns give them back in "
            "another order: a JSON object mapping each object's JSON pointer to its keys."
        )
    if is_kept_header(header):
        return (
            f"The value at JSON pointer {header} inside each row's record or list item, which no "
            "column of the layout holds: JSON, or text as it is where it cannot be taken for JSON."
        )
    return None


def kept_value(text: str) -> Any:
    """The value a kept column's cell holds: the JSON it is, else the text itself."""
    value = _as_json(text)
    return text if value is _NOT_JSON else value


def fits_column(value: Any, numeric: bool) -> bool:
    """True when a column of the layout gives ``value`` back exactly: non-empty text that reads as
    text (in a number field, text that is not a number), or a number in a number field that
    reads back as the same JSON number. Anything else goes to a kept column."""
    kind = type(value)
    if kind is str:
        return value != "" and (not numeric or isinstance(parse_number(value), str))
    if not numeric:
        return False
    if kind is int:
        return True
    if kind is float or kind is Decimal:
        try:
            return exact_json(parse_number(to_text(value))) == exact_json(value)
        except ValueError:  # NaN or an infinity, which no JSON holds
            return False
    return False


def kind_of(value: Any) -> str:
    """How a message names the kind of a JSON value, saying when it is empty."""
    if isinstance(value, (str, Mapping, list)) and not value:
        return f"an empty {'text' if isinstance(value, str) else type_name(value).split()[-1]}"
    return type_name(value)


@attrs.define
class KeptColumn:
    """A kept column a writer added to a sheet, with where its first value came from (for reports)."""

    sheet: str
    """The file name without ``.csv`` (or the sheet it maps to)."""
    header: str
    record: str | None
    """The id of the first record with a value in it."""
    pointer: str
    """The first value's place inside that record (``/investments/0/x_custom``)."""
    reason: str
    """Why the first value could not go to a column of the layout."""
    count: int = 0
    """How many rows have a value in it."""

    def describe(self, file: str | None = None) -> str:
        """One line for people: the column (in ``file``, else the sheet), the first record and
        field, and why."""
        where = f"{file or self.sheet}, column {self.header!r}: record "
        where += self.record if self.record is not None else "(no id)"
        more = f" (and {self.count - 1} more row(s))" if self.count > 1 else ""
        if self.header == KEY_ORDER_HEADER:
            return (
                f"{where}{more}: keys in another order than the columns give them back; the "
                "order is kept in this column"
            )
        return (
            f"{where}, field {self.pointer}{more}: {self.reason}; kept in this column as JSON, "
            "and reading puts it back in place"
        )


@attrs.frozen
class Slot:
    """What the layout holds at one key of a row's object: a column, an object of further keys,
    or (in a record's own sheet) a list whose items go to a sheet of their own."""

    position: int | None = None
    """The column's place in the sheet's header (the key column is 0)."""
    numeric: bool = False
    children: Mapping[str, Slot] = attrs.field(factory=dict)
    list_sheet: int | None = None
    """Which of the record's list sheets (in layout order) holds the items of the list here."""


def _insert(root: dict[str, Any], keys: tuple[str, ...], leaf: Slot) -> None:
    node = root
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = leaf


def _freeze(tree: Mapping[str, Any]) -> dict[str, Slot]:
    return {
        key: node if isinstance(node, Slot) else Slot(children=_freeze(node)) for key, node in tree.items()
    }


def slots(sheet: Sheet, lists: Iterable[Sheet] = ()) -> dict[str, Slot]:
    """The keys a row of ``sheet`` may have that the layout holds: its columns' keys, and for a
    record's own sheet the keys of its lists (``lists``, in layout order)."""
    tree: dict[str, Any] = {}
    for index, column in enumerate(sheet.columns, start=1):
        _insert(tree, column.keys, Slot(position=index, numeric=column.numeric))
    for index, listed in enumerate(lists):
        _insert(tree, listed.list_keys or (), Slot(list_sheet=index))
    return _freeze(tree)


def key_order(text: str) -> dict[tuple[str, ...], list[str]] | None:
    """The key order a ``(Key order)`` cell holds, by the keys of each object; None when unreadable."""
    found = _as_json(text)
    if not isinstance(found, dict):
        return None
    order: dict[tuple[str, ...], list[str]] = {}
    for ptr, keys in found.items():
        where = () if ptr == "" else kept_keys(ptr)
        if where is None or not isinstance(keys, list) or not all(isinstance(key, str) for key in keys):
            return None
        order[where] = keys
    return order


def put_in_order(data: dict[str, Any], order: Mapping[tuple[str, ...], list[str]]) -> bool:
    """Reorder the objects inside ``data`` as ``order`` says (keys it does not name keep their
    place after those it does); False when a pointer names no object."""
    done = True
    for where, keys in order.items():
        target: Any = data
        for key in where:
            target = target.get(key) if isinstance(target, dict) else None
        if not isinstance(target, dict):
            done = False
            continue
        ordered = {key: target[key] for key in keys if key in target}
        ordered.update((key, value) for key, value in target.items() if key not in ordered)
        target.clear()
        target.update(ordered)
    return done


def order_text(order: Mapping[tuple[str, ...], list[str]]) -> str:
    """The ``(Key order)`` cell for a row: pointer to keys, as JSON."""
    return json.dumps({kept_header(where): keys for where, keys in order.items()}, ensure_ascii=False)

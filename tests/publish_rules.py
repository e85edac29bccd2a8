"""The publication rules of docs/publishing.md restated for tests, and the INDIGO data store's filter.

:func:`expected_view` is an oracle written apart from ``indigo_standard.publishing.filter``
and in another way: it lists every leaf of the input with the chain of objects above it,
decides each leaf on its own from that chain (and the sources rule), and rebuilds the
output from the leaves it keeps. It also says, for each leaf it drops, why.

:func:`datastore_view` restates what the GO Lab data store's public filter does (facts from
INDIGO-Initiative/database-app, kept as data in ``fixtures/publishing/datastore-filter.json``):
it works on a copy, sets the places it removes to null, keeps a list item only when its own
status is public, and removes ``source_ids`` from the items it keeps.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import attrs
from conftest import FIXTURES

from indigo_standard.fields import fields

SEPARATORS = re.compile(r"[\s,;]+")
LEGACY = {"organisation": {"/org-ids/company", "/org-ids/charity", "/org-ids/other"}}
DATASTORE = json.loads((FIXTURES / "publishing" / "datastore-filter.json").read_text(encoding="utf-8"))


@attrs.frozen
class Index:
    """One record type's schema, as paths: kinds, objects with a status, objects with sandbox lists."""

    kinds: dict[str, str]
    with_status: frozenset[str]
    with_sandboxes: frozenset[str]


@cache
def index(version: str, entity: str) -> Index:
    kinds = {"": "object"}
    for field in fields(version, entity):
        types = field.type.split("|")
        kinds[field.path] = "object" if "object" in types else "list" if "array" in types else "value"
    with_status = frozenset(p[: -len("/status")] for p in kinds if p.endswith("/status"))
    with_sandboxes = frozenset(p[: -len("/sandboxes")] for p in kinds if p.endswith("/sandboxes"))
    return Index(kinds, with_status, with_sandboxes)


def ids(text: Any) -> list[str]:
    return [part for part in SEPARATORS.split(text) if part] if isinstance(text, str) else []


def code(raw: Any) -> str | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    return raw.strip().upper() if isinstance(raw, str) else f"#{raw!r}"


def names_status(key: Any) -> bool:
    return isinstance(key, str) and key.strip().casefold() == "status"


def is_citation(path: str) -> bool:
    return path.endswith("/source_ids") or (
        path.endswith("/value") and path[: -len("/value")].endswith("_source_ids")
    )


@attrs.define
class Leaf:
    segments: tuple[Any, ...]
    path: str
    """The schema path (``/results[]/notes``)."""
    value: Any
    chain: list[tuple[dict[str, Any], str, bool]]
    """Every object above the leaf: (object, schema path, is a list item)."""
    valid: bool
    """Every step is one the schema has, and a single value sits where the schema has one."""
    item_key: bool
    """The leaf is a key of a list item itself."""


def leaves_of(record: dict[str, Any], idx: Index) -> list[Leaf]:
    found: list[Leaf] = []

    def visit(
        value: Any,
        segments: tuple[Any, ...],
        path: str,
        chain: list[Any],
        item: bool,
        valid: bool,
        item_key: bool,
    ) -> None:
        kind = idx.kinds.get(path)
        if isinstance(value, dict):
            here = [*chain, (value, path, item)]
            ok = valid and kind == "object"
            for key, child in value.items():
                sub = f"{path}/{key}"
                visit(child, (*segments, key), sub, here, False, ok and sub in idx.kinds, item)
        elif isinstance(value, list):
            ok = valid and kind == "list"
            for position, child in enumerate(value):
                visit(child, (*segments, position), f"{path}[]", chain, True, ok, False)
        else:
            found.append(
                Leaf(segments, path, value, chain, valid and (value is None or kind == "value"), item_key)
            )

    visit(record, (), "", [], False, True, False)
    return found


Reason = tuple[str, str]
"""Why a leaf is dropped: a kind (``missing-status``, ``not-public``, ...) and the schema path it concerns."""


def chain_reason(
    chain: list[tuple[dict[str, Any], str, bool]], idx: Index, sandbox: str | None, missing_public: bool
) -> Reason | None:
    """Why the objects above a leaf withhold it, or None when every one of them lets it be seen."""
    inherited: tuple[str, ...] = ()
    for obj, path, _item in chain:
        if any(names_status(key) and key != "status" for key in obj):
            return ("status-key-case", path)
        extra = obj.get("extra_columns")
        if isinstance(extra, dict) and any(
            isinstance(h, str) and h.rsplit(" - ", 1)[-1].strip().strip("()").strip().casefold() == "status"
            for h in extra
        ):
            return ("status-column-unknown", path)
        own = inherited
        if "sandboxes" in obj:
            raw = obj["sandboxes"]
            own = tuple(p.strip() for p in raw.split(",") if p.strip()) if isinstance(raw, str) else ()
            if path in idx.with_sandboxes:
                inherited = own
        status = code(obj.get("status"))
        if status is None:
            if path in idx.with_status and not missing_public:
                return ("missing-status", path)
        elif status == "SANDBOX":
            if path == "" or sandbox is None or sandbox not in own:
                return ("not-in-sandbox", path)
        elif status != "PUBLIC":
            return ("not-public", path)
    return None


@attrs.define
class View:
    """What the rules keep of one record: the output, and for each dropped leaf (by segments) why."""

    output: dict[str, Any] | None
    dropped: dict[tuple[Any, ...], Reason]


def _cited_anywhere(value: Any) -> set[str]:
    found: set[str] = set()
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, child in node.items():
                name = key.strip().casefold() if isinstance(key, str) else ""
                if name == "source_ids" or name.endswith("_source_ids"):
                    text = child.get("value") if isinstance(child, dict) else child
                    found.update(i.casefold() for i in ids(text))
                stack.append(child)
        elif isinstance(node, list):
            stack.extend(node)
    return found


def expected_view(
    record: dict[str, Any],
    entity: str,
    sandbox: str | None = None,
    missing_public: bool = False,
    version: str = "4.1",
) -> View:
    """The record as the rules publish it (None when the record is withheld), with why each leaf went."""
    idx = index(version, entity)
    if code(record.get("status")) is None and not missing_public:
        return View(None, {})
    if chain_reason([(record, "", False)], idx, sandbox, missing_public) is not None:
        return View(None, {})
    all_leaves = leaves_of(record, idx)
    dropped: dict[tuple[Any, ...], Reason] = {}

    def own_reason(leaf: Leaf) -> Reason | None:
        if not leaf.valid:
            if leaf.path in LEGACY.get(entity, ()) or any(
                leaf.path.startswith(p + "/") for p in LEGACY.get(entity, ())
            ):
                return ("legacy-field", leaf.path)
            return ("not-in-schema", leaf.path)
        if leaf.segments[-1] in ("status", "sandboxes"):
            return ("status-field", leaf.path)
        if leaf.segments[-1] == "source_ids" and leaf.item_key:
            return ("item-source-ids", leaf.path)
        return chain_reason(leaf.chain, idx, sandbox, missing_public)

    reasons = {leaf.segments: own_reason(leaf) for leaf in all_leaves}
    # sources: withheld when cited in the input but by nothing kept (outside list items' own source ids)
    sources = record.get("sources")
    withheld_ids: set[str] = set()
    if isinstance(sources, list) and idx.kinds.get("/sources") == "list":
        cited = _cited_anywhere(record)
        kept_cites = {
            i.casefold()
            for leaf in all_leaves
            if reasons[leaf.segments] is None and is_citation(leaf.path)
            for i in ids(leaf.value)
        }
        for position, source in enumerate(sources):
            if not isinstance(source, dict) or source.get("id") is None:
                continue
            sid = str(source["id"]).strip()
            status_ok = (
                chain_reason(
                    [(record, "", False), (source, "/sources[]", True)], idx, sandbox, missing_public
                )
                is None
            )
            by_citation = sid.casefold() in cited and sid.casefold() not in kept_cites
            if not status_ok or by_citation:
                withheld_ids.add(sid.casefold())
                for leaf in all_leaves:
                    if leaf.segments[:2] == ("sources", position) and reasons[leaf.segments] is None:
                        reasons[leaf.segments] = ("source-cited-by-withheld", "/sources[]")
    values: dict[tuple[Any, ...], Any] = {}
    for leaf in all_leaves:
        value = leaf.value
        if reasons[leaf.segments] is None and is_citation(leaf.path) and isinstance(value, str):
            listed = ids(value)
            remaining = [i for i in listed if i.casefold() not in withheld_ids]
            if not remaining and listed:
                reasons[leaf.segments] = ("cites-withheld-sources", leaf.path)
            elif len(remaining) != len(listed):
                value = ",".join(remaining)
        values[leaf.segments] = value
    output: dict[str, Any] = {}
    renumber: dict[tuple[Any, ...], int] = {}
    for leaf in all_leaves:
        why = reasons[leaf.segments]
        if why is not None:
            dropped[leaf.segments] = why
            continue
        _place(output, leaf.segments, values[leaf.segments], renumber)
    return View(output, dropped)


def _place(output: dict[str, Any], segments: tuple[Any, ...], value: Any, renumber: dict[Any, int]) -> None:
    """Put a kept leaf into the output, numbering list items afresh in the order they come."""
    node: Any = output
    for depth, segment in enumerate(segments):
        last = depth == len(segments) - 1
        following = None if last else segments[depth + 1]
        if isinstance(segment, int):
            key = (segments[:depth], segment)
            if key not in renumber:
                renumber[key] = len(node)
                node.append(None if last else ([] if isinstance(following, int) else {}))
            position = renumber[key]
            if last:
                node[position] = value
            node = node[position]
        else:
            if last:
                node[segment] = value
            else:
                node = node.setdefault(segment, [] if isinstance(following, int) else {})


# -- the data store's filter -------------------------------------------------------------------


def _resolve(data: Any, pointer: str) -> tuple[bool, Any]:
    node = data
    for part in pointer.split("/")[1:]:
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


def _set_null(data: Any, pointer: str) -> None:
    parent_pointer, _, key = pointer.rpartition("/")
    found, parent = _resolve(data, parent_pointer) if parent_pointer else (True, data)
    if found and isinstance(parent, dict):
        parent[key] = None


def _block_ok(block: Any, sandbox: str | None) -> bool:
    if not isinstance(block, dict):
        return False
    status = block.get("status", "")
    if isinstance(status, str) and status.strip().lower() == "public":
        return True
    if sandbox and isinstance(status, str) and status.strip().lower() == "sandbox":
        listed = block.get("sandboxes", "")
        names = [n.strip() for n in listed.split(",") if n.strip()] if isinstance(listed, str) else []
        return sandbox in names
    return False


def datastore_view(record: dict[str, Any], entity: str, sandbox: str | None = None) -> dict[str, Any] | None:
    """What the data store's public (or sandbox) filter makes of a record; None when it is not public."""
    status = record.get("status", "")
    if not (isinstance(status, str) and status.strip().lower() == "public"):
        return None
    rules = DATASTORE[entity]
    data = copy.deepcopy(record)
    for pointer in rules["always_remove"]:
        _set_null(data, pointer)
    for pointer in rules["keys_with_status"]:
        found, block = _resolve(data, pointer)
        if not found:
            continue
        if _block_ok(block, sandbox):
            block["status"] = None
            if block.get("sandboxes"):
                block["sandboxes"] = None
        else:
            _set_null(data, pointer)
    for pointer in rules["lists_with_item_status"]:
        found, items = _resolve(data, pointer)
        if not found or not isinstance(items, list) or not items:
            continue
        kept = []
        for item in items:
            if _block_ok(item, sandbox):
                del item["status"]
                item.pop("sandboxes", None)
                item.pop("source_ids", None)
                kept.append(item)
        data[pointer.lstrip("/")] = kept  # every such list is a key of the record itself
    return data


def tagged_leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(schema path, leaf) for every leaf that is not null."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield from tagged_leaves(child, f"{path}/{key}")
    elif isinstance(value, list):
        for child in value:
            yield from tagged_leaves(child, f"{path}[]")
    elif value is not None:
        yield path, value

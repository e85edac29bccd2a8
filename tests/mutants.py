"""Single mutations of real records, chosen deterministically, for comparing schema verdicts.

Every field of a version (each path of the compiled official schemas, and the record's
``id``) gets mutations of several kinds, the kinds taken in turn for fields of the same
shape, and a seeded generator adds more until the version's budget is spent. A mutation
replaces (or creates) the value at one path of a real record: a wrong type, an empty
list, a code with spaces around it, a value outside the codelist, a missing key, an extra
key, an impossible date, and so on.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from official_schemas import official_schema

from indigo_standard.checks.walk import path_steps
from indigo_standard.fields import Field

ENTITIES = ("project", "organisation", "fund", "pipeline")
MISSING = object()
"""The "value" of a mutation that removes the key."""


class Mutant(NamedTuple):
    """One mutated record: what was changed where, and the record itself."""

    version: str
    entity: str
    base: str
    """The id of the real record it was made from."""
    path: str
    """The field path (``[]`` for list items) that was changed."""
    kind: str
    key: str
    """The record's top-level key under which the change was made."""
    number: int
    """The position of the real record among those of its type."""
    data: dict[str, Any]


Mutation = Callable[[Field, Any], Any]
"""Given the field and its current value (or None), the value to put there (MISSING: remove it)."""


def _code(field: Field) -> str:
    """A code of the field: one written with spaces around it when the codelist has one."""
    codes = [str(code) for code in field.enum or ("x",)]
    return next((code for code in codes if code != code.strip()), codes[0])


TEXT: Mapping[str, Mutation] = {
    "number-for-text": lambda f, v: 5,
    "null": lambda f, v: None,
    "object-for-text": lambda f, v: {"value": "x"},
    "list-for-text": lambda f, v: ["x"],
    "empty-text": lambda f, v: "",
    "boolean": lambda f, v: True,
    "missing": lambda f, v: MISSING,
}
NUMBER: Mapping[str, Mutation] = {
    "text-for-number": lambda f, v: "5",
    "formatted-number": lambda f, v: "1,000",
    "null": lambda f, v: None,
    "boolean": lambda f, v: False,
    "float": lambda f, v: 2.5,
    "negative": lambda f, v: -3,
    "missing": lambda f, v: MISSING,
}
CODED: Mapping[str, Mutation] = {
    "code-respaced": lambda f, v: _code(f).strip() if _code(f) != _code(f).strip() else _code(f) + " ",
    "code-padded": lambda f, v: " " + _code(f).strip() + " ",
    "code-lowercase": lambda f, v: _code(f).lower(),
    "code-unknown": lambda f, v: "Not a code",
    "last-code": lambda f, v: (f.enum or ("x",))[-1],
    "number-for-code": lambda f, v: 1,
    "empty-code": lambda f, v: "",
}
DATE: Mapping[str, Mutation] = {
    "impossible-day": lambda f, v: "2019-02-30",
    "impossible-month": lambda f, v: "2019-13-45",
    "month-zero": lambda f, v: "2019-00",
    "year-only": lambda f, v: "2019",
    "short-month": lambda f, v: "2019-1",
    "slashes": lambda f, v: "01/02/2019",
    "number-for-date": lambda f, v: 2019,
    "date-with-space": lambda f, v: " 2019-01",
}
OBJECT: Mapping[str, Mutation] = {
    "list-for-object": lambda f, v: [],
    "text-for-object": lambda f, v: "x",
    "null": lambda f, v: None,
    "empty-object": lambda f, v: {},
    "extra-key": lambda f, v: {**(v if isinstance(v, dict) else {}), "unexpected_key": "x"},
    "missing": lambda f, v: MISSING,
}
ARRAY: Mapping[str, Mutation] = {
    "empty-list": lambda f, v: [],
    "object-for-list": lambda f, v: {},
    "text-for-list": lambda f, v: "x",
    "null": lambda f, v: None,
    "text-item": lambda f, v: ["x"],
    "empty-item": lambda f, v: [{}],
    "missing": lambda f, v: MISSING,
}
ITEM: Mapping[str, Mutation] = {
    "text-item": lambda f, v: "x",
    "null-item": lambda f, v: None,
    "empty-item": lambda f, v: {},
    "list-item": lambda f, v: [],
}


ROOT: Mapping[str, Mutation] = {
    "missing-id": lambda f, v: MISSING,
    "extra-key": lambda f, v: "x",
}
"""Mutations of the record itself: its id removed, a key no schema defines added."""


def mutations(field: Field) -> Mapping[str, Mutation]:
    """The kinds of mutation that make sense for one field."""
    if field.path == "":
        return ROOT
    if field.path.endswith("[]"):
        return (
            ITEM
            if field.type == "object"
            else {**TEXT, **{k: m for k, m in ITEM.items() if k != "empty-item"}}
        )
    if field.type == "array":
        return ARRAY
    if field.type == "object":
        return OBJECT
    if field.pattern:
        return DATE
    if field.enum is not None:
        return CODED
    if field.type in ("number", "integer"):
        return NUMBER
    return TEXT


def always(field: Field) -> list[str]:
    """The kinds every field of this shape gets, besides those taken in turn.

    Every list is emptied (lists may have a minimum length); a coded field whose codes carry
    spaces gets its code with them removed (there the spaces are part of the code).
    """
    kinds = mutations(field)
    if kinds is ARRAY:
        return ["empty-list"]
    if kinds is CODED and any(str(code) != str(code).strip() for code in field.enum or ()):
        return ["code-respaced"]
    return []


def place(
    data: dict[str, Any], path: str, mutate: Mutation, field: Field, rng: random.Random
) -> dict[str, Any]:
    """A copy of ``data`` with the mutated value at ``path``, objects and list items made on the way.

    Only the objects and lists on the path are copied; the rest is shared with ``data``.
    Where a list on the way has items, one of them is chosen with ``rng``.
    """
    steps = path_steps(path)
    top = dict(data)
    node: Any = top
    for position, step in enumerate(steps[:-1]):
        following = steps[position + 1]
        kind: type = list if following == "[]" else dict
        if step == "[]":
            if not node:
                node.append(kind())
            index = rng.randrange(len(node))
            child = node[index]
            node[index] = kind(child) if isinstance(child, kind) else kind()
            node = node[index]
        else:
            child = node.get(step)
            node[step] = kind(child) if isinstance(child, kind) else kind()
            node = node[step]
    last = steps[-1]
    if last == "[]":
        if not node:
            node.append(None)
        index = rng.randrange(len(node))
        value = mutate(field, node[index])
        if value is MISSING:
            del node[index]
        else:
            node[index] = value
        return top
    value = mutate(field, node.get(last))
    if value is MISSING:
        node.pop(last, None)
    else:
        node[last] = value
    return top


def _official_fields(entity: str, node: Mapping[str, Any], path: str = "") -> Iterator[Field]:
    if path:
        kind = node.get("type", "")
        enum = node.get("enum")
        yield Field(
            entity=entity,
            path=path,
            type=kind if isinstance(kind, str) else "|".join(kind),
            title="",
            title_path="",
            enum=tuple(enum) if enum is not None else None,
            pattern=node.get("pattern"),
        )
    for key, child in node.get("properties", {}).items():
        yield from _official_fields(entity, child, f"{path}/{key}")
    if isinstance(node.get("items"), dict):
        yield from _official_fields(entity, node["items"], f"{path}[]")


def leaves(version: str) -> list[tuple[str, Field]]:
    """Every field of every record type of ``version``: the record itself (path ""), its ``id``
    (ours alone has it), then every field of the compiled official schema, with its codes."""
    found: list[tuple[str, Field]] = []
    for entity in ENTITIES:
        found.append((entity, Field(entity=entity, path="", type="object", title="", title_path="")))
        found.append((entity, Field(entity=entity, path="/id", type="string", title="", title_path="")))
        found.extend((entity, f) for f in _official_fields(entity, official_schema(version, entity)))
    return found


def present_paths(data: Any, path: str = "", into: set[str] | None = None) -> set[str]:
    """The field paths a record has values at."""
    into = set() if into is None else into
    if isinstance(data, dict):
        for key, child in data.items():
            into.add(f"{path}/{key}")
            present_paths(child, f"{path}/{key}", into)
    elif isinstance(data, list):
        for child in data:
            into.add(f"{path}[]")
            present_paths(child, f"{path}[]", into)
    return into


def mutants(
    version: str,
    records: Mapping[str, Sequence[dict[str, Any]]],
    budget: int,
    seed: int = 14,
    rounds: int = 2,
) -> Iterator[Mutant]:
    """``budget`` mutants of ``records`` (by record type), or more when there are more fields.

    Every field gets the kinds :func:`always` names and ``rounds`` more of different kinds,
    the kinds for fields of one shape taken in turn; then ``rng`` picks further (field, kind)
    pairs until the budget is spent. A field is mutated in a record that has it when one
    does. The mutants share the parts of the records they do not change: treat them as
    read-only.
    """
    rng = random.Random(f"{seed}-{version}")
    having: dict[str, dict[str, list[int]]] = {}
    for entity, items in records.items():
        index: dict[str, list[int]] = {}
        for number, record in enumerate(items):
            for found in present_paths(record):
                index.setdefault(found, []).append(number)
        having[entity] = index
    turn: dict[tuple[str, ...], int] = {}
    chosen: list[tuple[str, Field, str]] = []
    every = leaves(version)
    for entity, field in every:
        chosen.extend((entity, field, kind) for kind in always(field))
        kinds = sorted(set(mutations(field)) - set(always(field)))
        key = tuple(kinds)
        for _ in range(min(rounds, len(kinds))):
            chosen.append((entity, field, kinds[turn.get(key, 0) % len(kinds)]))
            turn[key] = turn.get(key, 0) + 1
    while len(chosen) < budget:
        entity, field = rng.choice(every)
        chosen.append((entity, field, rng.choice(sorted(mutations(field)))))
    for entity, field, kind in chosen:
        candidates = having[entity].get(field.path) or range(len(records[entity]))
        number = rng.choice(list(candidates))
        base = records[entity][number]
        if field.path == "":
            key = "id" if kind == "missing-id" else "unexpected_key"
            data = place(base, f"/{key}", ROOT[kind], field, rng)
        else:
            key = path_steps(field.path)[0]
            data = place(base, field.path, mutations(field)[kind], field, rng)
        yield Mutant(version, entity, str(base.get("id")), field.path, kind, key, number, data)

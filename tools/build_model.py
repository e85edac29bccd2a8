"""Generate ``indigo_standard/model/_generated.py`` from the bundled INDIGO 4.1 schemas.

Run ``python tools/build_model.py`` after the schemas change; ``--check`` exits 1 when the
committed module differs from what the schemas give (the tests run this check).

Rules:

- An object whose properties are ``value`` plus some of ``status``, ``source_ids``,
  ``notes`` and ``sandboxes`` is a value wrapper: ``Value[T]``, with T from the value's
  schema (number: Decimal; partial-date pattern: PartialDate; countries codelist: Country;
  a ``currency`` wrapper: Currency; a ``..._ids`` key: tuple of ids; a codelist: an enum).
- Any other object is a class named from its key in CamelCase (list items singular).
  When one name would cover objects of different shapes, each gets its parent's class
  name as a prefix. Objects of the same name and shape share one class.
- Attribute names are the JSON keys; the two keys that are not Python names are renamed
  (``org-ids`` to ``org_ids``, ``360giving_datas`` to ``three_sixty_giving_datas``).
- Every attribute, list item and wrapped value may also be :class:`Invalid`: the form in
  which a lenient ``load`` keeps a value it could not type (``Value[Decimal | Invalid] |
  Invalid | None``). The record classes derive from ``RecordNode``, which adds ``problems``.
"""

from __future__ import annotations

import argparse
import keyword
import re
import sys
import textwrap
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import referencing

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indigo_standard.registry import resolver, schema  # noqa: E402

VERSION = "4.1"
ENTITIES = {"project": "Project", "organisation": "Organisation", "fund": "Fund", "pipeline": "Pipeline"}
OUTPUT = ROOT / "indigo_standard" / "model" / "_generated.py"
WRAPPER_KEYS = ("value", "status", "source_ids", "notes", "sandboxes")
PARTIAL_DATE = "partial-date"
ATTR_NAMES = {"org-ids": "org_ids", "360giving_datas": "three_sixty_giving_datas"}
CLASS_NAMES = {"org-ids": "OrgIds", "360giving_datas": "ThreeSixtyGivingData"}
RESERVED = {
    "Node",
    "RecordNode",
    "Value",
    "Status",
    "Invalid",
    "Country",
    "Currency",
    "PartialDate",
    "Decimal",
    *ENTITIES.values(),
}


@attrs.frozen
class Attr:
    """One attribute of a generated class."""

    key: str
    annotation: str
    meta: tuple[tuple[str, Any], ...]
    doc: str
    child: Shape | None = None


@attrs.frozen
class Shape:
    """The shape of one object: its key, parent and attributes."""

    key: str
    parent: Shape | None = attrs.field(eq=False, hash=False)
    doc: str = attrs.field(eq=False, hash=False)
    attrs_: tuple[Attr, ...] = ()
    plural: bool = False


def _resolve(node: Mapping[str, Any], res: referencing.Resolver[Any]) -> tuple[dict[str, Any], Any, bool]:
    merged, is_date = dict(node), False
    while "$ref" in merged:
        ref = merged.pop("$ref")
        is_date = is_date or ref.startswith(PARTIAL_DATE)
        found = res.lookup(ref)
        res = found.resolver
        merged = {**found.contents, **merged}
    return merged, res, is_date


def camel(key: str) -> str:
    if key in CLASS_NAMES:
        return CLASS_NAMES[key]
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[_\-\s]+", key) if part)


def singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


class Builder:
    """Walks the schemas once and collects the shapes, enums and value types."""

    def __init__(self) -> None:
        self.enums: dict[tuple[str, ...], str] = {}
        self.enum_names: dict[str, tuple[str, ...]] = {}

    def enum_for(self, codelist: str, codes: tuple[str, ...]) -> str:
        stem = codelist.removesuffix(".csv")
        if stem in ("status", "status-with-sandbox"):
            return "Status"
        if stem == "countries":
            return "Country"
        if codes in self.enums:
            return self.enums[codes]
        name, n = camel(stem), 2
        while name in self.enum_names or name in RESERVED:
            name, n = f"{camel(stem)}{n}", n + 1
        self.enums[codes], self.enum_names[name] = name, codes
        return name

    def scalar(self, key: str, node: dict[str, Any], is_date: bool, wrapper_key: str) -> str:
        kind = node.get("type")
        if kind == "number":
            return "Decimal"
        if kind == "boolean":
            return "bool"
        if kind != "string":
            raise SystemExit(f"unsupported type {kind!r} at {key}")
        if is_date or node.get("pattern", "").startswith("^[0-9][0-9][0-9][0-9]$"):
            return "PartialDate"
        if node.get("codelist") == "countries.csv":
            return "Country"  # whether or not the schema lists the codes itself
        if node.get("enum") is not None:
            return self.enum_for(node.get("codelist") or f"{wrapper_key}.csv", tuple(node["enum"]))
        if wrapper_key == "currency":
            return "Currency"
        if wrapper_key.endswith("_ids"):
            return "tuple[str, ...]"
        return "str"

    def shape(self, key: str, node: dict[str, Any], res: Any, parent: Shape | None, plural: bool) -> Shape:
        doc = _doc(node)
        shape = Shape(key, parent, doc, (), plural)
        attributes = []
        for child_key, child in node.get("properties", {}).items():
            attributes.append(self.attr(child_key, child, res, shape))
        return attrs.evolve(shape, attrs_=tuple(attributes))

    def attr(self, key: str, raw: Mapping[str, Any], res: Any, parent: Shape) -> Attr:
        node, res, is_date = _resolve(raw, res)
        doc = _doc(node)
        meta: list[tuple[str, Any]] = [("key", key)]
        kind = node.get("type")
        props = node.get("properties", {})
        if kind == "object" and "value" in props and set(props) <= set(WRAPPER_KEYS):
            value, _, value_is_date = _resolve(props["value"], res)
            inner = self.scalar(key, value, value_is_date, key)
            meta.append(("keys", tuple(props)))
            if "status" in props:
                status, _, _ = _resolve(props["status"], res)
                meta.append(("status", tuple(status["enum"])))
            refs = value.get("references")
            if refs is None and key.endswith("source_ids"):
                refs = "/sources"
            if refs:
                meta.append(("references", refs))
            return Attr(key, f"Value[{inner} | Invalid]", tuple(meta), doc)
        if kind == "object":
            child = self.shape(key, node, res, parent, False)
            return Attr(key, "", tuple(meta), doc, child)
        if kind == "array":
            items, items_res, _ = _resolve(node["items"], res)
            if items.get("type") != "object":
                raise SystemExit(f"unsupported array of {items.get('type')} at {key}")
            child = self.shape(key, items, items_res, parent, True)
            return Attr(key, "list", tuple(meta), doc, child)
        if key == "status":
            meta.append(("status", tuple(node["enum"])))
            return Attr(key, "Status", tuple(meta), doc)
        if key in ("source_ids", "sandboxes"):
            if node.get("references"):
                meta.append(("references", node["references"]))
            return Attr(key, "tuple[str, ...]", tuple(meta), doc)
        if node.get("references"):
            meta.append(("references", node["references"]))
        return Attr(key, self.scalar(key, node, is_date, key), tuple(meta), doc)


def _doc(node: Mapping[str, Any]) -> str:
    title, description = node.get("title", ""), node.get("description", "")
    return f"{title}: {description}" if title and description else title or description


def _base_name(shape: Shape) -> str:
    if shape.key in CLASS_NAMES:
        return CLASS_NAMES[shape.key]
    return camel(singular(shape.key) if shape.plural else shape.key)


class Namer:
    """Gives every shape a class name, sharing classes between equal shapes of the same name."""

    def __init__(self, roots: list[Shape], reserved: set[str]) -> None:
        self.reserved = reserved
        self.shapes_by_name: dict[str, set[Shape]] = defaultdict(set)
        for root in roots:
            for attr in root.attrs_:
                self._collect(attr)
        self.names: dict[int, str] = {}
        self.taken: dict[str, Shape] = {}
        self.order: list[tuple[str, Shape]] = []

    def _collect(self, attr: Attr) -> None:
        if attr.child is not None:
            self.shapes_by_name[_base_name(attr.child)].add(attr.child)
            for sub in attr.child.attrs_:
                self._collect(sub)

    def name(self, shape: Shape, parent_name: str) -> str:
        base = _base_name(shape)
        unique = len(self.shapes_by_name[base]) == 1 and base not in self.reserved
        name = base if unique else parent_name + base
        candidate, n = name, 2
        while candidate in self.taken and self.taken[candidate] != shape:
            candidate, n = f"{name}{n}", n + 1
        if candidate not in self.taken:
            self.taken[candidate] = shape
            self.order.append((candidate, shape))
        return candidate


def _attr_name(key: str) -> str:
    name = ATTR_NAMES.get(key, key)
    if not name.isidentifier() or keyword.iskeyword(name):
        raise SystemExit(f"key {key!r} needs an entry in ATTR_NAMES")
    return name


def _class_source(name: str, shape: Shape, namer: Namer, entity: str | None) -> str:
    base = "RecordNode" if entity else "Node"
    lines = ["@attrs.define", f"class {name}({base}):"]
    lines += _docstring(shape.doc or name, "    ")
    if entity:
        lines += ["", f'    ENTITY: ClassVar[str] = "{entity}"']
    lines.append("")
    for attr in shape.attrs_:
        annotation = attr.annotation
        if attr.child is not None:
            child_name = namer.name(attr.child, name)
            annotation = f"list[{child_name} | Invalid]" if attr.annotation == "list" else child_name
        meta = ", ".join(f"{k}={v!r}" for k, v in attr.meta[1:])
        args = f'"{attr.key}"' + (f", {meta}" if meta else "")
        line = f"    {_attr_name(attr.key)}: {annotation} | Invalid | None = field({args})"
        if len(line) > 110:
            head = f"    {_attr_name(attr.key)}: {annotation} | Invalid | None"
            line = f"{head} = field(\n        {args}\n    )"
            if len(args) > 100:
                parts = [f'"{attr.key}"'] + [f"{k}={v!r}" for k, v in attr.meta[1:]]
                inner = "".join(f"        {p},\n" for p in parts)
                line = f"    {_attr_name(attr.key)}: {annotation} | Invalid | None = field(\n{inner}    )"
        lines.append(line)
        if attr.doc:
            lines += _docstring(attr.doc, "    ")
    return "\n".join(lines)


def _docstring(text: str, indent: str) -> list[str]:
    text = text.replace("\\", "\\\\").replace('"""', "'''").strip()
    one = f'{indent}"""{text}"""'
    if len(one) <= 110:
        return [one]
    wrapped = textwrap.wrap(text, 110 - len(indent))
    return [f'{indent}"""{wrapped[0]}', *(f"{indent}{w}" for w in wrapped[1:]), f'{indent}"""']


def _enum_member(code: str, used: set[str]) -> str:
    name = re.sub(r"[^0-9A-Za-z]+", "_", code).strip("_").upper() or "EMPTY"
    if name[0].isdigit():
        name = "N" + name
    candidate, n = name, 2
    while candidate in used:
        candidate, n = f"{name}_{n}", n + 1
    used.add(candidate)
    return candidate


def render() -> str:
    builder = Builder()
    roots = []
    for entity in ENTITIES:
        root = schema(VERSION, entity)
        node, res, _ = _resolve(root, resolver(VERSION, root["$id"]))
        roots.append(builder.shape(entity, node, res, None, False))
    namer = Namer(roots, RESERVED | set(builder.enum_names))
    blocks = []
    for (entity, class_name), root in zip(ENTITIES.items(), roots, strict=True):
        blocks.append(_class_source(class_name, root, namer, entity))
    # Children are named while their parents render; render them until none is left.
    done = 0
    while done < len(namer.order):
        name, shape = namer.order[done]
        blocks.append(_class_source(name, shape, namer, None))
        done += 1
    enums = []
    for name, codes in builder.enum_names.items():
        used: set[str] = set()
        body = [f"class {name}(str, Enum):", f'    """Codes of the {name} codelist."""', ""]
        body += [f"    {_enum_member(code, used)} = {code!r}" for code in codes]
        enums.append("\n".join(body))
    classes = {entity: name for entity, name in ENTITIES.items()}
    header = f'''# ruff: noqa
"""The INDIGO {VERSION} model: generated by tools/build_model.py from the bundled schemas.

Do not edit: change the schemas or the generator, then run ``python tools/build_model.py``.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import ClassVar

import attrs

from .base import Invalid, Node, RecordNode, Status, Value, field
from .types import Country, Currency, PartialDate

__all__ = [
    "Country",
    "Currency",
    "Decimal",
    "Invalid",
    "Node",
    "PartialDate",
    "RecordNode",
    "Status",
    "Value",
'''
    exported = sorted([*builder.enum_names, *ENTITIES.values(), *(n for n, _ in namer.order)])
    header += "".join(f'    "{n}",\n' for n in exported) + "]\n"
    footer = "RECORD_CLASSES: dict[str, type[RecordNode]] = {\n"
    footer += "".join(f'    "{e}": {n},\n' for e, n in classes.items()) + "}\n"
    footer = footer.rstrip("\n") + '\n"""The class of each record type."""\n'
    return header + "\n\n" + "\n\n\n".join(enums + blocks) + "\n\n\n" + footer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the module is out of date")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT.relative_to(ROOT)} is out of date: run tools/build_model.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The official INDIGO schemas, compiled the way the standard's own release workflow compiles them.

The standard publishes its record schemas with ``$ref``\\ s into ``definitions`` and with a
``codelist`` keyword naming a CSV file instead of an ``enum``. Its workflow
(``.github/workflows/compileschemas.yml``, compiletojsonschema 0.3.0) turns each into one
self-contained schema; the GO Lab data store validates against those with Draft 7. The rule:

- a ``$ref`` is replaced by a copy of what it points at, and the keywords written beside
  the ``$ref`` (``title``, ``description``, ``type``, ...) are laid over that copy;
- this goes down ``properties`` and ``items`` (the only applicators the schemas use);
- a node with ``codelist`` (and no true ``openCodelist``) gets an ``enum`` of the first
  column of that CSV, header row left out, rows with an empty first cell skipped, codes
  kept exactly as written (spaces included).

The copies live in ``tests/fixtures/official-schemas/<tag>/`` (see the README there).
"""

from __future__ import annotations

import copy
import csv
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from conftest import FIXTURES
from jsonschema import Draft7Validator

OFFICIAL = FIXTURES / "official-schemas"
TAGS: Mapping[str, str] = {"3.1": "3.1.0", "4.0": "4.0.0", "4.1": "4.1.0"}
"""The official release tag of each version we implement."""

UNSUPPORTED = ("oneOf", "anyOf", "allOf", "not", "if", "additionalProperties", "patternProperties")
"""Applicators the compiler does not follow: the official schemas use none, and a new release
that did would need the compiler extended, so meeting one is an error."""


def _lookup(document: Mapping[str, Any], ref: str) -> Any:
    if not ref.startswith("#/"):
        raise ValueError(f"only references inside the document are expected, found {ref!r}")
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    if isinstance(node, dict) and "$ref" in node:
        raise ValueError(f"{ref!r} points at another reference; the compiler does not chain them")
    return node


def _expanded(node: Any, document: Mapping[str, Any]) -> Any:
    """A deep copy with every reference replaced by a copy of its target (keywords beside it dropped)."""
    if isinstance(node, dict):
        if "$ref" in node:
            return _expanded(_lookup(document, node["$ref"]), document)
        return {key: _expanded(value, document) for key, value in node.items()}
    if isinstance(node, list):
        return [_expanded(value, document) for value in node]
    return copy.deepcopy(node)


def codes(codelists: Path, name: str) -> list[str]:
    """The codes of one codelist CSV: its first column, exactly as written."""
    path = codelists / name
    if not path.is_file():
        raise FileNotFoundError(f"codelist {name} not found in {codelists}")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return [row[0] for row in rows[1:] if row and row[0]]


def _compile(node: Any, document: Mapping[str, Any], codelists: Path) -> Any:
    if not isinstance(node, dict):
        return copy.deepcopy(node)
    source = node
    if "$ref" in node:
        source = _lookup(document, node["$ref"])
    out = _expanded(source, document)
    if source is not node:
        out.update({key: _expanded(value, document) for key, value in node.items() if key != "$ref"})
    used = [key for key in UNSUPPORTED if key in source]
    if used:
        raise ValueError(f"the compiler does not follow {used}")
    if "properties" in source:
        for key, child in source["properties"].items():
            out["properties"][key] = _compile(child, document, codelists)
    if "items" in source:
        out["items"] = _compile(source["items"], document, codelists)
    if "codelist" in source and not source.get("openCodelist"):
        found = codes(codelists, source["codelist"])
        if found:
            out["enum"] = found
    return out


def compile_schema(path: Path, codelists: Path) -> dict[str, Any]:
    """The compiled form of one official schema file, its codelists read from ``codelists``."""
    document = json.loads(path.read_text(encoding="utf-8"))
    compiled: dict[str, Any] = _compile(document, document, codelists)
    return compiled


@cache
def official_schema(version: str, entity: str) -> dict[str, Any]:
    """The compiled official schema of one record type in one of our versions."""
    folder = OFFICIAL / TAGS[version]
    return compile_schema(folder / f"{entity}.json", folder / "codelists")


@cache
def official_validator(version: str, entity: str) -> Draft7Validator:
    """A validator for the compiled official schema, with the draft the schemas declare (7)."""
    schema = official_schema(version, entity)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)

"""``schema lint``: the checks a schema version folder must pass before it is released.

Each problem is a :class:`LintIssue` with a stable code:

- ``json.invalid``, ``json.duplicate-key``, ``json.format``: every JSON file parses, has no
  duplicate keys and is formatted as ``json.dumps(data, indent=2, ensure_ascii=False)``
  plus a final newline;
- ``field.title``, ``field.description``: every field (each property, list item, ``$defs``
  entry and schema root), with its ``$ref`` merged in, has a ``title`` key and a non-empty
  description. An empty title (``"title": ""``) is accepted on purpose: the published
  standard gives some fields no title segment of their own (list items, ``(Value)``-less
  leaves), and their columns are named by their parent's title. A missing key is an error,
  and a schema's root must have a non-empty title;
- ``codelist.mismatch``, ``codelist.missing``, ``codelist.unused``: every enum names its
  codelist CSV (``"codelist": "name.csv"``) and equals its codes, in order; every CSV is used;
- ``ref.unresolved``: every ``$ref`` resolves against the folder's own schemas, offline;
- ``defs.unused``, ``schema.unused``: every ``$defs`` entry and every schema file (other
  than the package and record schemas) is referenced from another schema;
- ``id.version``, ``release.invalid``: every ``$id`` is ``<base>/<version>/<file>`` for the
  version ``release.json`` declares, and ``release.json`` is complete;
- ``priority.unknown-field``: ``priorities.json`` only names fields that exist.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag, urljoin

import attrs
import referencing
import referencing.exceptions
from referencing.jsonschema import DRAFT202012

from ..errors import IndigoError
from ..fields import fields_from
from ..fields import merge_refs as resolve
from ..registry import RECORD_SCHEMAS
from .schemaset import BASE_ID, PRIORITIES_FILE, RELEASE_FILE, SCHEMA_SUFFIX, SchemaSet, dump_json

if TYPE_CHECKING:
    from referencing._core import Resolver

LINT_CODES: Mapping[str, str] = {
    "json.invalid": "a JSON file does not parse",
    "json.duplicate-key": "an object repeats a key",
    "json.format": "a JSON file is not in the one house formatting",
    "field.title": "a field has no title key (an empty title is allowed)",
    "field.description": "a field has no description",
    "codelist.mismatch": "an enum differs from its codelist CSV",
    "codelist.missing": "an enum has no codelist, or names a CSV that does not exist",
    "codelist.unused": "a codelist CSV no schema uses",
    "ref.unresolved": "a $ref that does not resolve against the folder's own schemas",
    "defs.unused": "a $defs entry nothing refers to",
    "schema.unused": "a schema file nothing refers to",
    "id.version": "a $id that does not match the folder's version",
    "release.invalid": "release.json is missing or incomplete",
    "priority.unknown-field": "priorities.json names a field that does not exist",
}
"""Every lint code with a one-line description."""

_RELEASE_NUMBER = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


@attrs.frozen
class LintIssue:
    """One problem in a schema folder."""

    code: str
    file: str
    pointer: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}{'#' + self.pointer if self.pointer else ''}"
        return f"{where}: {self.code}: {self.message}"


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


def _refuse(uri: str) -> referencing.Resource[Any]:
    raise referencing.exceptions.NoSuchResource(ref=uri)  # type: ignore[call-arg]


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


class _Linter:
    def __init__(self, schemas: SchemaSet) -> None:
        self.set = schemas
        self.issues: list[LintIssue] = []
        self.parsed: dict[str, Any] = {}
        self.broken: set[str] = set()
        """JSON files that did not parse: problems that follow from them are not reported twice."""
        self.version = ""

    def add(self, code: str, file: str, pointer: str, message: str) -> None:
        self.issues.append(LintIssue(code, file, pointer, message))

    def run(self) -> list[LintIssue]:
        self.parse()
        self.release()
        schemas = {n: d for n, d in self.parsed.items() if n.endswith(SCHEMA_SUFFIX) and isinstance(d, dict)}
        registry: referencing.Registry[Any] = referencing.Registry(retrieve=_refuse)  # type: ignore[call-arg]
        resources = [(d["$id"], d) for d in schemas.values() if isinstance(d.get("$id"), str)]
        # also under the $id each file should have, so that a wrong $id is reported once, not at every $ref
        resources += [(f"{BASE_ID}/{self.version}/{n}", d) for n, d in schemas.items() if self.version]
        registry = registry.with_resources((uri, DRAFT202012.create_resource(d)) for uri, d in resources)
        broken_uris = {f"{BASE_ID}/{self.version}/{n}" for n in self.broken}
        targets: set[str] = set()
        used_codelists: set[str] = set()
        unresolved = False
        for name, data in schemas.items():
            self.ids(name, data)
            base = f"{BASE_ID}/{self.version}/{name}" if self.version else str(data.get("$id", ""))
            res = registry.resolver(base_uri=base)
            for pointer, ref in _refs(data, ""):
                targets.add(urljoin(base, ref))
                try:
                    res.lookup(ref)
                except referencing.exceptions.Unresolvable:
                    unresolved = True
                    if urldefrag(urljoin(base, ref))[0] in broken_uris:
                        continue  # the target file is reported as not parsing
                    self.add(
                        "ref.unresolved", name, pointer, f"$ref {ref!r} does not resolve within this folder"
                    )
            for pointer, node in _field_nodes(data, ""):
                self.field(name, pointer, node, res, root=pointer == "")
                if "enum" in node or "codelist" in node:
                    used_codelists.add(self.codelist(name, pointer, node))
        if self.broken:
            return self.issues  # with a schema unreadable, "unused" cannot be told
        self.unused(schemas, targets)
        for csv_name in sorted(n for n in self.set.texts if n.startswith("codelists/")):
            if csv_name.removeprefix("codelists/") not in used_codelists:
                self.add("codelist.unused", csv_name, "", "no schema in this folder uses this codelist")
        if not unresolved:
            self.priorities(schemas, registry)
        return self.issues

    def parse(self) -> None:
        for name, text in sorted(self.set.texts.items()):
            if not name.endswith(".json"):
                continue
            try:
                data = json.loads(text, object_pairs_hook=_no_duplicates)
            except _DuplicateKey as error:
                self.add("json.duplicate-key", name, "", f"the key {error} appears twice in one object")
                self.broken.add(name)
                continue
            except json.JSONDecodeError as error:
                self.add(
                    "json.invalid",
                    name,
                    "",
                    f"not valid JSON: line {error.lineno}, column {error.colno}: {error.msg}",
                )
                self.broken.add(name)
                continue
            self.parsed[name] = data
            if dump_json(data) != text:
                self.add(
                    "json.format",
                    name,
                    "",
                    "not formatted as json.dumps(data, indent=2, ensure_ascii=False) with a final newline",
                )

    def release(self) -> None:
        meta = self.parsed.get(RELEASE_FILE)
        if not isinstance(meta, dict):
            if RELEASE_FILE not in self.set.texts:
                self.add("release.invalid", RELEASE_FILE, "", "the folder has no release.json")
            return
        self.version = str(meta.get("version", ""))
        number = _RELEASE_NUMBER.match(str(meta.get("standard_version", "")))
        if not re.match(r"^\d+\.\d+$", self.version):
            self.add("release.invalid", RELEASE_FILE, "/version", "version must be MAJOR.MINOR")
        elif not number or f"{number.group(1)}.{number.group(2)}" != self.version:
            self.add(
                "release.invalid",
                RELEASE_FILE,
                "/standard_version",
                f"standard_version must be {self.version}.PATCH",
            )
        if not isinstance(meta.get("date"), str) or not re.match(r"^\d{4}-\d{2}-\d{2}$", meta["date"]):
            self.add("release.invalid", RELEASE_FILE, "/date", "date must be YYYY-MM-DD")
        patches = meta.get("patches")
        if not isinstance(patches, list) or not all(
            isinstance(p, dict) and isinstance(p.get("version"), str) for p in patches
        ):
            self.add(
                "release.invalid",
                RELEASE_FILE,
                "/patches",
                "patches must be a list of objects with a version",
            )
        folder = self.set.folder.name if self.set.folder is not None else self.set.label
        if re.match(r"^\d+\.\d+$", folder) and folder != self.version:
            self.add(
                "id.version",
                RELEASE_FILE,
                "/version",
                f"the folder is {folder} but release.json declares {self.version}",
            )

    def ids(self, name: str, data: Mapping[str, Any]) -> None:
        expected = f"{BASE_ID}/{self.version}/{name}"
        if self.version and data.get("$id") != expected:
            self.add("id.version", name, "/$id", f"$id is {data.get('$id')!r}; expected {expected!r}")

    def field(self, name: str, pointer: str, node: Mapping[str, Any], res: Resolver[Any], root: bool) -> None:
        try:
            merged, _ = resolve(node, res, pointer)
        except IndigoError:
            return  # reported as ref.unresolved
        title = merged.get("title")
        if not isinstance(title, str):
            self.add("field.title", name, pointer, 'no title; give one, or "" to take the parent\'s title')
        elif root and not title:
            self.add("field.title", name, pointer, "a schema's root needs a title")
        description = merged.get("description")
        if not isinstance(description, str) or not description.strip():
            self.add("field.description", name, pointer, "no description")

    def codelist(self, name: str, pointer: str, node: Mapping[str, Any]) -> str:
        csv_name = node.get("codelist")
        if not isinstance(csv_name, str):
            self.add("codelist.missing", name, pointer, 'an enum without a "codelist" annotation')
            return ""
        if f"codelists/{csv_name}" not in self.set.texts:
            self.add("codelist.missing", name, pointer, f"codelist {csv_name} does not exist")
            return csv_name
        codes = [row.get("code") for row in self.set.codelist(csv_name)]
        enum = node.get("enum")
        if enum != codes:
            only_enum = [c for c in enum or [] if c not in codes]
            only_csv = [c for c in codes if c not in (enum or [])]
            detail = (
                "; ".join(
                    part
                    for part in (
                        f"only in the enum: {only_enum}" if only_enum else "",
                        f"only in {csv_name}: {only_csv}" if only_csv else "",
                    )
                    if part
                )
                or "same codes in a different order"
            )
            self.add("codelist.mismatch", name, pointer, f"the enum differs from {csv_name}: {detail}")
        return csv_name

    def unused(self, schemas: Mapping[str, Mapping[str, Any]], targets: set[str]) -> None:
        roots = {"package.schema.json", *RECORD_SCHEMAS.values()}
        documents = {urldefrag(t)[0] for t in targets}
        for name, data in schemas.items():
            uri = f"{BASE_ID}/{self.version}/{name}" if self.version else data.get("$id")
            if not isinstance(uri, str):
                continue
            if name not in roots and uri not in documents:
                self.add("schema.unused", name, "", "no other schema refers to this file")
            for key in data.get("$defs", {}) or {}:
                if f"{uri}#/$defs/{key}" not in targets and f"{uri}#/$defs/{_escape(key)}" not in targets:
                    self.add("defs.unused", name, f"/$defs/{_escape(key)}", f"nothing refers to $defs/{key}")

    def priorities(
        self, schemas: Mapping[str, Mapping[str, Any]], registry: referencing.Registry[Any]
    ) -> None:
        data = self.parsed.get(PRIORITIES_FILE)
        if not isinstance(data, dict):
            return
        for entity, paths in data.items():
            name = RECORD_SCHEMAS.get(entity, "")
            if name not in schemas:
                self.add(
                    "priority.unknown-field",
                    PRIORITIES_FILE,
                    f"/{_escape(entity)}",
                    f"no record type {entity!r}",
                )
                continue
            res = registry.resolver(base_uri=f"{BASE_ID}/{self.version}/{name}")
            known = {f.path for f in fields_from(entity, schemas[name], res)}
            for path in paths:
                if path not in known:
                    self.add(
                        "priority.unknown-field",
                        PRIORITIES_FILE,
                        f"/{_escape(entity)}/{_escape(path)}",
                        f"{entity} has no field {path}",
                    )


def _refs(node: Any, pointer: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield pointer, node["$ref"]
        for key, value in node.items():
            yield from _refs(value, f"{pointer}/{_escape(key)}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _refs(value, f"{pointer}/{index}")


def _field_nodes(node: Mapping[str, Any], pointer: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    yield pointer, node
    for key, child in (node.get("properties") or {}).items():
        if isinstance(child, dict):
            yield from _field_nodes(child, f"{pointer}/properties/{_escape(key)}")
    if isinstance(node.get("items"), dict):
        yield from _field_nodes(node["items"], f"{pointer}/items")
    for key, child in (node.get("$defs") or {}).items():
        if isinstance(child, dict):
            yield from _field_nodes(child, f"{pointer}/$defs/{_escape(key)}")


def lint(schemas: SchemaSet) -> list[LintIssue]:
    """Every problem in a schema folder, in file order; empty when it passes."""
    return _Linter(schemas).run()

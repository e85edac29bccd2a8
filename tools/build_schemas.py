"""Derive the released INDIGO schemas (3.1, 4.0, 4.1) from the published field inventories.

The standard's published field inventories (``tests/fixtures/reference/indigo-<X.Y.Z>/``)
fix every key, type, enum, pattern and title. The official schemas and codelists of each
release (``tests/fixtures/official-schemas/<X.Y.Z>/``) fix what the inventories leave out:
the codes of the CSV codelists exactly as published (spaces included) and the lists that
must not be empty (``minItems``). This script turns them, together with our own field
descriptions (``tools/field_descriptions.csv``), into JSON Schema draft 2020-12 files
under ``schema/<X.Y>/``. It is how the released versions were made; a test checks
that running it again reproduces the committed files byte for byte.

Run: ``python tools/build_schemas.py`` (needs ``pycountry`` for country names).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "tests" / "fixtures" / "reference"
OFFICIAL = ROOT / "tests" / "fixtures" / "official-schemas"
DESCRIPTIONS = ROOT / "tools" / "field_descriptions.csv"
OUT = ROOT / "schema"
BASE_ID = "https://indigo-standard.org/schema"

# A patch release of a version goes into its "patches" list, e.g.
# "patches": [{"version": "4.1.1", "date": "YYYY-MM-DD", "changes": "what changed"}]; released
# files may only change together with a new patch (see manifest.json and docs/maintainers.md).
RELEASES: dict[str, dict[str, Any]] = {
    "3.1": {"reference": "3.1.0", "date": "2026-11-23"},
    "4.0": {"reference": "4.0.0", "date": "2026-11-23"},
    "4.1": {"reference": "4.1.0", "date": "2026-11-23"},
}
ENTITIES = ("project", "organisation", "fund", "pipeline")
PREFIXES = {
    "project": "INDIGO-POJ-",
    "organisation": "INDIGO-ORG-",
    "fund": "INDIGO-FUND-",
    "pipeline": "INDIGO-PL-",
}
RECORD_TITLES = {
    "project": "Project",
    "organisation": "Organisation",
    "fund": "Fund",
    "pipeline": "Pipeline project",
}
RECORD_DESCRIPTIONS = {
    "project": "One social outcomes contract or impact bond, with its parties, finance, "
    "outcome metrics and results.",
    "organisation": "One organisation taking part in outcomes contracts: an outcome payer, "
    "investor, service provider or intermediary.",
    "fund": "One outcomes fund: a pool of outcome payments that backs several contracts.",
    "pipeline": "One outcomes-based project still being designed, before any contract is signed.",
}
# Components: (file, entity, path of the canonical subtree in that entity).
COMPONENTS = (
    ("investment", "project", "/investments[]"),
    ("outcome-metric", "project", "/outcome_metrics[]"),
    ("result", "project", "/results[]"),
    ("money", "project", "/transactions[]/money"),
    ("source", "project", "/sources[]"),
)
COMPONENT_TITLES = {
    "investment": "Investment",
    "outcome-metric": "Outcome metric",
    "result": "Result",
    "money": "Money amount",
    "source": "Source",
}
DATE_PATTERN = (
    "^[0-9][0-9][0-9][0-9]$|^[0-9][0-9][0-9][0-9]-[0-9][0-9]$|^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$"
)
STATUS = ["PUBLIC", "PRIVATE", "DISPUTED"]
STATUS_SANDBOX = ["PUBLIC", "SANDBOX", "PRIVATE", "DISPUTED"]
WRAPPER_LEAVES = {"status", "source_ids", "notes", "sandboxes"}
VALUE_DESCRIPTIONS = {
    "string": "The value itself, as text.",
    "number": "The value itself, as a number.",
    "enum": "The value itself: one of the codes allowed for this field.",
}


@dataclass
class Node:
    key: str
    row: dict[str, str]
    children: dict[str, Node] = field(default_factory=dict)
    item: Node | None = None


def read_rows(version: str) -> list[dict[str, str]]:
    path = REFERENCE / f"indigo-{version}" / "fields.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_codelist(version: str, name: str) -> list[dict[str, str]]:
    path = REFERENCE / f"indigo-{version}" / "codelists" / name
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_official_codes(version: str, name: str) -> list[str]:
    """The codes of one official codelist: its first column exactly as published, spaces included."""
    path = OFFICIAL / version / "codelists" / name
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return [row[0] for row in rows[1:] if row and row[0]]


def read_min_items(version: str, entity: str) -> dict[str, int]:
    """The ``minItems`` of each list of one official record schema, by field path."""
    path = OFFICIAL / version / f"{entity}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    found: dict[str, int] = {}

    def target(node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            resolved: Any = document
            for part in node["$ref"].removeprefix("#/").split("/"):
                resolved = resolved[part]
            node = resolved
        return node

    def walk(node: dict[str, Any], at: str) -> None:
        node = target(node)
        if "minItems" in node:
            found[at] = node["minItems"]
        for key, child in node.get("properties", {}).items():
            walk(child, f"{at}/{key}")
        if isinstance(node.get("items"), dict):
            walk(node["items"], f"{at}[]")

    walk(document, "")
    return found


def read_descriptions() -> dict[tuple[str, str], str]:
    with DESCRIPTIONS.open(encoding="utf-8", newline="") as handle:
        return {(r["entity"], r["path"]): r["description"] for r in csv.DictReader(handle)}


def build_tree(rows: list[dict[str, str]], entity: str) -> Node:
    root = Node("", {"path": "", "type": "object", "title_path": ""})
    nodes: dict[str, Node] = {"": root}
    for row in rows:
        if row["entity"] != entity:
            continue
        path = row["path"]
        if path.endswith("[]"):
            parent = nodes[path[:-2]]
            parent.item = Node("[]", row)
            nodes[path] = parent.item
            continue
        parent_path, _, key = path.rpartition("/")
        node = Node(key, row)
        nodes[parent_path].children[key] = node
        nodes[path] = node
    return root


def segment(parent_title: str, title_path: str) -> str:
    """The title of one field: its title path less the parent's title path."""
    if title_path == parent_title:
        return ""
    if not parent_title:
        return title_path
    prefix = parent_title + " - "
    if not title_path.startswith(prefix):
        raise SystemExit(f"title {title_path!r} does not extend {parent_title!r}")
    return title_path[len(prefix) :]


class Builder:
    def __init__(self, version: str, descriptions: dict[tuple[str, str], str]) -> None:
        self.version = version
        self.reference = RELEASES[version]["reference"]
        self.descriptions = descriptions
        self.rows = read_rows(self.reference)
        self.trees = {e: build_tree(self.rows, e) for e in ENTITIES}
        self.min_items = {e: read_min_items(self.reference, e) for e in ENTITIES}
        self.codelists: dict[str, list[dict[str, str]]] = {}
        self.enum_names = self.name_enums()
        self.signatures: dict[str, tuple[Any, ...]] = {}
        self.component_schemas: dict[str, dict[str, Any]] = {}

    # -- codelists -------------------------------------------------------------------
    def name_enums(self) -> dict[str, str]:
        """Give every distinct enum a codelist file name, as short as stays unambiguous."""
        places: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for row in self.rows:
            if not row["enum"] or row["path"].endswith("/status"):
                continue
            parts = [p for p in row["path"].split("/") if p]
            key = parts[-2] if parts[-1] == "value" else parts[-1]
            lists = [p[:-2] for p in parts if p.endswith("[]")]
            listed = f"{lists[0]}_{key}" if lists else key
            places[row["enum"]].append((key, listed, f"{row['entity']}_{key}", f"{row['entity']}_{listed}"))
        shared = {"Yes|No": "yes-no.csv", "Individual|Other": "unit-type.csv"}
        names: dict[str, str] = {}
        for enum, where in places.items():
            if enum in shared:
                names[enum] = shared[enum]
                continue
            for level in (1, 3):
                name = where[0][level]
                agreed = all(w[level] == name for w in where)
                clash = any(
                    other != enum and any(w[level] == name for w in others)
                    for other, others in places.items()
                )
                if agreed and not clash:
                    names[enum] = name.replace("_", "-") + ".csv"
                    break
            else:
                raise SystemExit(f"no unambiguous codelist name for {enum[:40]}")
        return names

    def enum_codelist(self, enum: str) -> str:
        name = self.enum_names[enum]
        self.codelists.setdefault(name, [{"code": c, "title": c} for c in enum.split("|")])
        return name

    def reference_codelist(self, name: str) -> list[str]:
        """The codes of a published codelist, as published; its grouping columns from the inventory."""
        rows = read_codelist(self.reference, name)
        first = next(iter(rows[0]))
        codes = read_official_codes(self.reference, name)
        if [c.strip() for c in codes] != [r[first].strip() for r in rows]:
            raise SystemExit(f"{self.reference} {name}: the official codes and the inventory's differ")
        rows = [{**r, first: code} for r, code in zip(rows, codes, strict=True)]
        if name == "countries.csv":
            import pycountry

            titled = []
            for r in rows:
                country = pycountry.countries.get(alpha_2=r[first])
                title = getattr(country, "common_name", None) or (country.name if country else "")
                titled.append({"code": r[first], "title": title or r[first]})
            self.codelists.setdefault(name, titled)
        else:
            extra = [k for k in rows[0] if k != first]
            self.codelists.setdefault(
                name,
                [
                    {"code": r[first], "title": r[first].strip(), **{k.lower(): r[k] for k in extra}}
                    for r in rows
                ],
            )
        return [r[first] for r in rows]

    # -- schema nodes ----------------------------------------------------------------
    def relative_signature(self, node: Node) -> tuple[Any, ...]:
        """A subtree's shape with titles made relative, so the same object matches anywhere."""
        base = node.row["title_path"]

        def walk(n: Node) -> tuple[Any, ...]:
            row = n.row
            title = (
                row["title_path"][len(base) :]
                if row["title_path"].startswith(base)
                else "!" + row["title_path"]
            )
            own = (row["type"], row["enum"], row["pattern"], row["codelist"], title)
            kids = tuple((k, walk(c)) for k, c in n.children.items())
            return (own, kids, walk(n.item) if n.item else None)

        return walk(node)

    def describe(self, entity: str, node: Node) -> str:
        text = self.descriptions.get((entity, node.row["path"]))
        if not text:
            raise SystemExit(f"no description for {entity} {node.row['path']}")
        return text

    def leaf(self, entity: str, node: Node, parent: Node, parent_title: str) -> dict[str, Any]:
        row = node.row
        key = node.key
        title = segment(parent_title, row["title_path"])
        if key == "status":
            sandbox = row["enum"] == "|".join(STATUS_SANDBOX) or (
                not row["enum"] and "sandboxes" in parent.children
            )
            ref = (
                "value.schema.json#/$defs/status-with-sandbox"
                if sandbox
                else "value.schema.json#/$defs/status"
            )
            return {"$ref": ref, "title": title}
        if key in WRAPPER_LEAVES:
            return {"$ref": f"value.schema.json#/$defs/{key.replace('_', '-')}", "title": title}
        if row["pattern"]:
            if row["pattern"] != DATE_PATTERN:
                raise SystemExit(f"unexpected pattern at {row['path']}")
            return {"$ref": "partial-date.schema.json", "title": title}
        schema: dict[str, Any] = {"type": row["type"], "title": title}
        if key == "value":
            kind = "enum" if (row["enum"] or row["codelist"]) else row["type"]
            schema["description"] = VALUE_DESCRIPTIONS[kind]
        else:
            schema["description"] = self.describe(entity, node)
        if row["enum"]:
            schema["enum"] = row["enum"].split("|")
            schema["codelist"] = self.enum_codelist(row["enum"])
        elif row["codelist"]:
            schema["enum"] = self.reference_codelist(row["codelist"])
            schema["codelist"] = row["codelist"]
        if row["references_model"]:
            schema["references"] = row["references_model"]
        if row["references_list"]:
            schema["references"] = row["references_list"]
        return schema

    def node(
        self, entity: str, node: Node, parent: Node | None, parent_title: str, root: bool = False
    ) -> dict[str, Any]:
        row = node.row
        if not root:
            shape = self.relative_signature(node)
            for name, c_entity, c_path in COMPONENTS:
                if self.relative_signature(self.find(c_entity, c_path)) == shape:
                    return {"$ref": f"{name}.schema.json", "title": segment(parent_title, row["title_path"])}
        if row["type"] == "array":
            assert node.item is not None
            title = segment(parent_title, row["title_path"])
            array: dict[str, Any] = {
                "type": "array",
                "title": title,
                "description": self.describe(entity, node),
            }
            if row["path"] in self.min_items[entity]:
                array["minItems"] = self.min_items[entity][row["path"]]
            array["items"] = self.node(entity, node.item, node, row["title_path"])
            return array
        if row["type"] != "object":
            assert parent is not None
            return self.leaf(entity, node, parent, parent_title)
        schema: dict[str, Any] = {"type": "object"}
        if not root:
            schema["title"] = segment(parent_title, row["title_path"])
            schema["description"] = self.describe(entity, node)
        schema["properties"] = {
            key: self.node(entity, child, node, row["title_path"]) for key, child in node.children.items()
        }
        return schema

    def find(self, entity: str, path: str) -> Node:
        node = self.trees[entity]
        for part in [p for p in path.split("/") if p]:
            if part.endswith("[]"):
                node = node.children[part[:-2]]
                assert node.item is not None
                node = node.item
            else:
                node = node.children[part]
        return node

    # -- files -----------------------------------------------------------------------
    def schema_id(self, name: str) -> str:
        return f"{BASE_ID}/{self.version}/{name}.schema.json"

    def record(self, entity: str) -> dict[str, Any]:
        body = self.node(entity, self.trees[entity], None, "", root=True)
        properties = {
            "id": {
                "type": "string",
                "minLength": 1,
                "title": "ID",
                "description": f"The record's identifier, unique in the dataset; "
                f"INDIGO uses the prefix {PREFIXES[entity]}.",
            },
            **body["properties"],
        }
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": self.schema_id(entity),
            "title": RECORD_TITLES[entity],
            "description": RECORD_DESCRIPTIONS[entity],
            "type": "object",
            "required": ["id"],
            "properties": properties,
        }

    def component(self, name: str, entity: str, path: str) -> dict[str, Any]:
        node = self.find(entity, path)
        parent_title = (
            node.row["title_path"] if path.endswith("[]") else node.row["title_path"].rpartition(" - ")[0]
        )
        if path.endswith("[]"):
            array_node = self.find(entity, path[:-2])
            body = self.node(entity, node, array_node, parent_title, root=True)
            description = self.describe(entity, node)
        else:
            body = self.node(entity, node, None, parent_title, root=True)
            description = self.describe(entity, node)
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": self.schema_id(name),
            "title": COMPONENT_TITLES[name],
            "description": description,
            **body,
        }

    def value_schema(self) -> dict[str, Any]:
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": self.schema_id("value"),
            "title": "Value with status, sources and notes",
            "description": "The wrapper INDIGO puts around a single fact: the value, who may see it, "
            "where it came from and any remarks.",
            "type": "object",
            "properties": {
                "value": {
                    "title": "(Value)",
                    "description": "The fact itself; its type depends on the field.",
                    "type": ["string", "number", "boolean"],
                },
                "status": {"$ref": "#/$defs/status-with-sandbox", "title": "(Status)"},
                "source_ids": {"$ref": "#/$defs/source-ids", "title": "(Source ID's)"},
                "notes": {"$ref": "#/$defs/notes", "title": "(Notes)"},
            },
            "$defs": {
                "status": {
                    "title": "Status",
                    "description": "Who may see this value: PUBLIC for everyone, PRIVATE for the "
                    "data owner only, DISPUTED while its accuracy is questioned.",
                    "type": "string",
                    "enum": STATUS,
                    "codelist": "status.csv",
                },
                "status-with-sandbox": {
                    "title": "Status",
                    "description": "Who may see this value: as for status, plus SANDBOX for values "
                    "shared only inside the sandboxes named alongside.",
                    "type": "string",
                    "enum": STATUS_SANDBOX,
                    "codelist": "status-with-sandbox.csv",
                },
                "source-ids": {
                    "title": "Source IDs",
                    "description": "Comma-separated ids of the items in this record's sources list "
                    "that back the value.",
                    "type": "string",
                    "references": "/sources",
                },
                "notes": {
                    "title": "Notes",
                    "description": "Free-text remarks on the value, for readers of the data.",
                    "type": "string",
                },
                "sandboxes": {
                    "title": "In Sandboxes",
                    "description": "Comma-separated names of the sandboxes that may see an item "
                    "whose status is SANDBOX.",
                    "type": "string",
                },
            },
        }

    def partial_date_schema(self) -> dict[str, Any]:
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": self.schema_id("partial-date"),
            "title": "Partial date",
            "description": "A date known to the year (YYYY), the month (YYYY-MM) or the day (YYYY-MM-DD).",
            "type": "string",
            "pattern": DATE_PATTERN,
        }

    def package_schema(self) -> dict[str, Any]:
        def records(entity: str, title: str, what: str) -> dict[str, Any]:
            return {
                "type": "array",
                "title": title,
                "description": f"The {what} in this package.",
                "items": {"$ref": f"{entity}.schema.json"},
            }

        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": self.schema_id("package"),
            "title": "Dataset package",
            "description": "An envelope that publishes INDIGO records together with who published "
            "them, under what licence, when, and against which version of the standard.",
            "type": "object",
            "properties": {
                "schema_version": {
                    "type": "string",
                    "title": "Schema version",
                    "description": "The version of the INDIGO standard the records follow, as MAJOR.MINOR. "
                    "Optional: without it, readers assume a version (and say so).",
                    "pattern": "^[0-9]+\\.[0-9]+(\\.[0-9]+)?$",
                },
                "publisher": {
                    "type": "object",
                    "title": "Publisher",
                    "description": "The organisation that publishes this package.",
                    "required": ["name"],
                    "properties": {
                        "name": {
                            "type": "string",
                            "title": "Name",
                            "description": "The publisher's name.",
                        },
                        "url": {
                            "type": "string",
                            "title": "URL",
                            "description": "A web page about the publisher or the dataset.",
                        },
                    },
                },
                "licence": {
                    "type": "string",
                    "title": "Licence",
                    "description": "The URL of the licence the data is published under.",
                },
                "publication_date": {
                    "type": "string",
                    "title": "Publication date",
                    "description": "The day the package was published, as YYYY-MM-DD.",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
                },
                "projects": records("project", "Projects", "projects"),
                "organisations": records("organisation", "Organisations", "organisations"),
                "funds": records("fund", "Funds", "outcomes funds"),
                "pipelines": records("pipeline", "Pipeline projects", "pipeline projects"),
            },
        }

    def files(self) -> dict[str, str]:
        out: dict[str, Any] = {}
        for name, entity, path in COMPONENTS:
            out[f"{name}.schema.json"] = self.component(name, entity, path)
        for entity in ENTITIES:
            out[f"{entity}.schema.json"] = self.record(entity)
        out["value.schema.json"] = self.value_schema()
        out["partial-date.schema.json"] = self.partial_date_schema()
        out["package.schema.json"] = self.package_schema()
        self.codelists["status.csv"] = [{"code": c, "title": c.title()} for c in STATUS]
        self.codelists["status-with-sandbox.csv"] = [{"code": c, "title": c.title()} for c in STATUS_SANDBOX]
        text = {name: dump_json(schema) for name, schema in sorted(out.items())}
        for name, rows in sorted(self.codelists.items()):
            text[f"codelists/{name}"] = dump_csv(rows)
        release = {
            "version": self.version,
            "standard_version": self.reference,
            "date": RELEASES[self.version]["date"],
            "patches": RELEASES[self.version].get("patches", []),
        }
        text["release.json"] = dump_json(release)
        text["priorities.json"] = dump_json(self.priorities())
        text["manifest.json"] = dump_json(manifest(text, release, OUT / self.version / "manifest.json"))
        return text

    def priorities(self) -> dict[str, dict[str, int]]:
        """The published priority of each field (1 = most important), per record type."""
        found: dict[str, dict[str, int]] = {}
        for row in self.rows:
            if row["priority"]:
                found.setdefault(row["entity"], {})[row["path"]] = int(row["priority"])
        return found


def manifest(text: dict[str, str], release: dict[str, Any], existing: Path) -> dict[str, Any]:
    """The version's checksum manifest: the committed one, plus an entry for a new patch release.

    Released files are immutable: if one changes without a new patch in ``RELEASES``
    (which goes into ``release.json``) this stops with an error instead of rewriting history.
    """
    from indigo_standard.maintainers.manifest import ManifestError, next_manifest

    previous = json.loads(existing.read_text(encoding="utf-8")) if existing.exists() else None
    try:
        return next_manifest(text, release, previous)
    except ManifestError as error:
        raise SystemExit(str(error)) from None


def dump_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def dump_csv(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def build(version: str) -> dict[str, str]:
    """Every file of one released version, as text keyed by its path in the version folder."""
    return Builder(version, read_descriptions()).files()


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for version in RELEASES:
        for name, text in build(version).items():
            target = OUT / version / name
            if check:
                if not target.exists() or target.read_text(encoding="utf-8") != text:
                    stale.append(str(target.relative_to(ROOT)))
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    if stale:
        print("out of date: " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

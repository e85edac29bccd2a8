"""Our schemas give the official compiled schemas' verdicts, except for the documented deviations.

The official schemas of each release (``tests/fixtures/official-schemas/``) are compiled as
the standard's workflow compiles them (``official_schemas.py``) and validated with Draft 7,
the draft they declare. Ours are validated the way ``indigo-standard validate`` does it
(the schema engine, fast path included). Both sides' errors become issues through the same
function, so they compare as (JSON pointer, issue code) pairs. Every pair only one side
reports must be a deviation listed in ``docs/schemas.md``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, NamedTuple

import pytest
from conftest import FIXTURES, ROOT
from mutants import ENTITIES, Mutant, leaves, mutants
from official_schemas import official_schema, official_validator

from indigo_standard.fields import fields, merge_refs, unescape
from indigo_standard.flat.sources import read_flat
from indigo_standard.registry import resolver, schema
from indigo_standard.validation.engine import SchemaEngine
from indigo_standard.validation.schema_issues import issues_from_errors
from indigo_standard.versions import SUPPORTED_VERSIONS

BUDGET = 3000
"""Mutants per version: every field of a version (about 1,240) gets two, of different kinds,
and the seeded generator adds a few hundred more."""

Found = frozenset[tuple[str, str]]
"""The (JSON pointer, issue code) pairs one side reports on one record."""


class Deviation(NamedTuple):
    entity: str
    """A record type, or "all"."""
    path: str
    """The field path, ``[]`` marking list items."""
    code: str


@cache
def deviations() -> frozenset[Deviation]:
    """The deviations docs/schemas.md lists: the table of codes, and the table of status enums."""
    text = (ROOT / "docs" / "schemas.md").read_text(encoding="utf-8")
    general = re.findall(r"^\| (\w+) \| `([^`]+)` \| `([a-z.-]+)` \| [^|]+ \| [^|]+ \|$", text, re.M)
    status = re.findall(r"^\| (\w+) \| `([^`]+)` \| plain string \| `[^`]+` \|$", text, re.M)
    found = {Deviation(*row) for row in general} | {Deviation(e, p, "schema.enum") for e, p in status}
    assert len(general) == 4 and len(status) > 20, "the deviation tables of docs/schemas.md moved"
    return frozenset(found)


def field_path(data: Any, pointer: str) -> str:
    """The field path of a JSON pointer inside ``data`` (list indexes become ``[]``)."""
    path, node = "", data
    for raw in pointer.split("/")[1:]:
        key = unescape(raw)
        if isinstance(node, list):
            path += "[]"
            node = node[int(key)] if key.isdigit() and int(key) < len(node) else None
        else:
            path += f"/{key}"
            node = node.get(key) if isinstance(node, dict) else None
    return path


def explained(entity: str, data: Any, pointer: str, code: str) -> bool:
    """True when an issue only our schema reports is a documented deviation."""
    path = field_path(data, pointer)
    return any(d.path == path and d.code == code and d.entity in (entity, "all") for d in deviations())


ENGINE = SchemaEngine()


def ours(version: str, entity: str, data: Any) -> Found:
    return frozenset((i.path, i.code) for i in ENGINE.issues(version, entity, data, None))


def theirs(version: str, entity: str, data: Any) -> Found:
    errors = official_validator(version, entity).iter_errors(data)
    return frozenset(
        (i.path, i.code) for i in issues_from_errors(errors, version=version, entity=entity, record_id=None)
    )


def unexplained(entity: str, data: Any, our: Found, their: Found) -> list[str]:
    """The differences that no deviation explains, described."""
    problems = [f"only the official schema reports {code} at {ptr}" for ptr, code in sorted(their - our)]
    problems += [
        f"only ours reports {code} at {ptr}"
        for ptr, code in sorted(our - their)
        if not explained(entity, data, ptr, code)
    ]
    return problems


@pytest.fixture(scope="module")
def real() -> dict[str, dict[str, list[dict[str, Any]]]]:
    """The records of the real export, read with each version's titles, by record type."""
    found: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for version in SUPPORTED_VERSIONS:
        records: dict[str, list[dict[str, Any]]] = {entity: [] for entity in ENTITIES}
        for item in read_flat(FIXTURES / "golab-indigo-export", schema_version=version):
            if item.entity in records:
                records[item.entity].append(item.data)
        found[version] = records
    return found


@cache
def _subschema_digest(version: str, entity: str, key: str) -> str:
    """The compiled official schema of one top-level key, as text (equal across versions when unchanged)."""
    node = official_schema(version, entity).get("properties", {}).get(key)
    return json.dumps(node, sort_keys=True)


_BY_KEY: dict[tuple[str, str, str], Found] = {}


def theirs_by_key(version: str, entity: str, data: Mapping[str, Any]) -> Found:
    """What the official schema reports on a record, worked out one top-level key at a time.

    The official schemas only use ``properties``, ``items`` and keywords on single values (the
    compiler refuses anything else) and require no key of a record, so what they report
    under a key depends on that key's value alone. Values met before under the same
    subschema (in another version, say) are not validated again.
    """
    assert not official_schema(version, entity).get("required")
    found: set[tuple[str, str]] = set()
    for key, value in data.items():
        memo = (entity, _subschema_digest(version, entity, key), json.dumps({key: value}, sort_keys=True))
        if memo not in _BY_KEY:
            _BY_KEY[memo] = theirs(version, entity, {key: value})
        found |= _BY_KEY[memo]
    return frozenset(found)


@pytest.fixture(scope="module")
def official_on_real(
    real: Mapping[str, Mapping[str, list[dict[str, Any]]]],
) -> dict[tuple[str, str, int], Found]:
    """What the official schema reports on each real record (shared by the tests below)."""
    return {
        (version, entity, number): theirs_by_key(version, entity, record)
        for version, records in real.items()
        for entity, items in records.items()
        for number, record in enumerate(items)
    }


# -- field by field ----------------------------------------------------------------------------


def _official_nodes(node: Mapping[str, Any], path: str = "") -> Iterable[tuple[str, Mapping[str, Any]]]:
    if path:
        yield path, node
    for key, child in node.get("properties", {}).items():
        yield from _official_nodes(child, f"{path}/{key}")
    if isinstance(node.get("items"), dict):
        yield from _official_nodes(node["items"], f"{path}[]")


def _our_nodes(version: str, entity: str) -> dict[str, dict[str, Any]]:
    root = schema(version, entity)
    found: dict[str, dict[str, Any]] = {}

    def walk(node: Mapping[str, Any], res: Any, path: str) -> None:
        merged, res = merge_refs(node, res, f"{entity} {path}")
        if path:
            found[path] = merged
        for key, child in merged.get("properties", {}).items():
            walk(child, res, f"{path}/{key}")
        if isinstance(merged.get("items"), dict):
            walk(merged["items"], res, f"{path}[]")

    walk(root, resolver(version, root["$id"]), "")
    return found


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
@pytest.mark.parametrize("entity", ENTITIES)
def test_every_official_field_has_the_same_type_codes_pattern_and_min_items(
    version: str, entity: str
) -> None:
    official = dict(_official_nodes(official_schema(version, entity)))
    our = _our_nodes(version, entity)
    assert official and set(official) == set(our) - {"/id"}
    documented = {d.path for d in deviations() if d.entity == entity and d.code == "schema.enum"}
    problems = []
    for path, node in official.items():
        mine = our[path]
        for keyword in ("type", "enum", "pattern", "minItems"):
            if keyword == "enum" and path in documented and "enum" not in node:
                continue  # a status made an enum, as documented
            if node.get(keyword) != mine.get(keyword):
                problems.append((path, keyword, node.get(keyword), mine.get(keyword)))
    assert not problems, problems[:10]


def test_codes_are_used_exactly_as_published() -> None:
    by_path = {f.path: f for f in fields("4.1", "project")}
    payer = by_path["/outcome_payer_cost[]/classification/value"].enum or ()
    provider = by_path["/provider_side_cost[]/classification/value"].enum or ()
    assert "Outcome payments " in payer and "Outcome payments" not in payer
    assert "Development or scoping work  " in provider and "Development or scoping work" not in provider
    assert by_path["/sources"].type == "array"
    assert schema("4.1", "project")["properties"]["sources"]["minItems"] == 1


# -- verdicts on real records and their mutants ------------------------------------------------


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_real_records_get_the_official_verdicts(
    version: str,
    real: Mapping[str, Mapping[str, list[dict[str, Any]]]],
    official_on_real: Mapping[tuple[str, str, int], Found],
) -> None:
    invalid = 0
    problems = []
    for entity, items in real[version].items():
        assert items, entity
        for number, record in enumerate(items):
            their = official_on_real[(version, entity, number)]
            our = ours(version, entity, record)
            invalid += bool(their)
            problems += [(record.get("id"), p) for p in unexplained(entity, record, our, their)]
    assert not problems, problems[:10]
    assert invalid > 50  # the export has real errors: a test that cannot fail would see none


def _official_on_mutant(mutant: Mutant, base: Found) -> Found:
    """The official issues of a mutant: the real record's, with those under the changed key redone
    (see :func:`theirs_by_key` for why that is the same)."""
    key = mutant.key
    kept = {(ptr, code) for ptr, code in base if ptr != f"/{key}" and not ptr.startswith(f"/{key}/")}
    alone = {key: mutant.data[key]} if key in mutant.data else {}
    return frozenset(kept) | theirs(mutant.version, mutant.entity, alone)


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_mutants_of_real_records_get_the_official_verdicts(
    version: str,
    real: Mapping[str, Mapping[str, list[dict[str, Any]]]],
    official_on_real: Mapping[tuple[str, str, int], Found],
) -> None:
    made = list(mutants(version, real[version], BUDGET))
    assert len(made) == BUDGET
    touched = {(m.entity, m.path) for m in made}
    assert touched == {(entity, f.path) for entity, f in leaves(version)}
    ours_paths = {(entity, f.path) for entity in ENTITIES for f in fields(version, entity)}
    assert ours_paths <= touched  # every field of ours too (the official ones and the id)
    kinds = Counter(m.kind for m in made)
    assert {"empty-list", "code-respaced", "code-padded", "impossible-day", "missing", "extra-key"} <= set(
        kinds
    )
    verdicts = Counter()
    deviating = Counter()
    problems = []
    for mutant in made:
        their = _official_on_mutant(mutant, official_on_real[(version, mutant.entity, mutant.number)])
        our = ours(version, mutant.entity, mutant.data)
        verdicts[(bool(our), bool(their))] += 1
        deviating.update(code for _, code in our - their)
        for problem in unexplained(mutant.entity, mutant.data, our, their):
            problems.append(f"{mutant.entity} {mutant.base} {mutant.path} ({mutant.kind}): {problem}")
    assert not problems, "\n".join(problems[:20])
    # both verdicts occur, and the deviations are exercised (so the comparison can fail)
    assert verdicts[(True, True)] > BUDGET // 3 and verdicts[(False, False)] > 20
    assert deviating["schema.enum"] and deviating["schema.type"]


def test_the_comparison_sees_a_difference() -> None:
    """A change the official schema rejects and ours would accept is caught, not explained away."""
    record = {"id": "INDIGO-POJ-0029", "name": {"value": "x"}, "sources": []}
    our = ours("4.1", "project", record)
    their = theirs("4.1", "project", record)
    assert ("/sources", "schema.min-items") in our and ("/sources", "schema.min-items") in their
    assert unexplained("project", record, frozenset(), their) == [
        "only the official schema reports schema.min-items at /sources"
    ]
    assert unexplained("project", record, frozenset({("/name/value", "schema.type")}), frozenset()) == [
        "only ours reports schema.type at /name/value"
    ]
    status = {"id": "x", "stage_development": {"status": "SECRET"}}
    assert explained("project", status, "/stage_development/status", "schema.enum")
    assert not explained("project", status, "/stage_development/status", "schema.type")

"""The filter on the real GO Lab export, with statuses planted by a fixed seed in every place the
4.1 schema gives one: what it keeps is what the rules keep, field by field, and it publishes
nothing the data store's own filter withholds (every value the data store publishes and we do
not is one of the stricter choices listed in docs/publishing.md)."""

from __future__ import annotations

import json
import random
from collections import Counter
from typing import Any

import pytest
from conftest import FIXTURES, ROOT
from publish_rules import DATASTORE, datastore_view, expected_view, index, tagged_leaves

from indigo_standard.flat import read_flat
from indigo_standard.publishing.filter import FilterSummary, publish_record
from indigo_standard.reading.records import NOTICES_ONLY

EXPORT = FIXTURES / "golab-indigo-export"
SEED = 20250520
STATUSES = [
    ("PUBLIC", 55),
    ("Public", 4),
    (" public ", 4),
    (None, 10),
    ("PRIVATE", 12),
    ("DISPUTED", 5),
    ("SANDBOX", 10),
]
RECORD_STATUSES = [("PUBLIC", 80), ("public", 4), (None, 4), ("PRIVATE", 8), ("SANDBOX", 4)]
SANDBOX_LISTS = [(None, 30), ("alpha", 30), ("beta, alpha", 20), (" beta ", 20)]
VIEWS = [(None, False), ("alpha", False), (None, True)]


def _pick(rng: random.Random, options: list[tuple[Any, int]]) -> Any:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def plant(record: dict[str, Any], entity: str, rng: random.Random) -> int:
    """Give every object that the 4.1 schema gives a status a random one (or none); returns how many."""
    idx = index("4.1", entity)
    planted = 0

    def visit(value: Any, path: str) -> None:
        nonlocal planted
        if isinstance(value, dict):
            if path in idx.with_status:
                status = _pick(rng, RECORD_STATUSES if path == "" else STATUSES)
                if status is not None:
                    value["status"] = status
                    planted += 1
                if path in idx.with_sandboxes:
                    lists = _pick(rng, SANDBOX_LISTS)
                    if lists is not None:
                        value["sandboxes"] = lists
            for key, child in list(value.items()):
                visit(child, f"{path}/{key}")
        elif isinstance(value, list):
            for child in value:
                visit(child, f"{path}[]")

    visit(record, "")
    return planted


class Tag(str):
    """A text leaf that remembers where it was in the input."""

    at: tuple[Any, ...]


class TagInt(int):
    at: tuple[Any, ...]


class TagFloat(float):
    at: tuple[Any, ...]


def tag(value: Any, at: tuple[Any, ...] = ()) -> Any:
    """A copy of ``value`` whose text and number leaves carry their place in the input."""
    if isinstance(value, dict):
        return {key: tag(child, (*at, key)) for key, child in value.items()}
    if isinstance(value, list):
        return [tag(child, (*at, n)) for n, child in enumerate(value)]
    kind = (
        Tag
        if isinstance(value, str)
        else TagFloat
        if isinstance(value, float)
        else (TagInt if isinstance(value, int) and not isinstance(value, bool) else None)
    )
    if kind is None:
        return value
    leaf = kind(value)
    leaf.at = at
    return leaf


def places(value: Any) -> set[tuple[Any, ...]]:
    found: set[tuple[Any, ...]] = set()
    for _, leaf in tagged_leaves(value):
        if hasattr(leaf, "at"):
            found.add(leaf.at)
    return found


@pytest.fixture(scope="module")
def planted() -> list[tuple[str, dict[str, Any]]]:
    rng = random.Random(SEED)
    records = []
    count = 0
    for item in read_flat(EXPORT):
        if item.entity == NOTICES_ONLY:
            continue
        assert item.entity is not None
        count += plant(item.data, item.entity, rng)
        records.append((item.entity, item.data))
    assert len(records) == 2021 and count > 15_000
    return records


@pytest.mark.parametrize(("sandbox", "missing_public"), VIEWS)
def test_what_is_kept_is_what_the_rules_keep_field_by_field(
    planted: list[tuple[str, dict[str, Any]]], sandbox: str | None, missing_public: bool
) -> None:
    summary = FilterSummary()
    problems: list[str] = []
    kept_leaves = 0
    for entity, record in planted:
        before = json.dumps(record)
        ours = publish_record(
            record, sandbox, "public" if missing_public else "private", summary, entity=entity
        )
        assert json.dumps(record) == before, "the input must not change"
        view = expected_view(record, entity, sandbox, missing_public)
        if json.dumps(ours) == json.dumps(view.output):
            kept_leaves += sum(1 for _ in tagged_leaves(ours)) if ours else 0
            continue
        ours_leaves = dict(tagged_leaves(ours)) if ours else {}
        rule_leaves = dict(tagged_leaves(view.output)) if view.output else {}
        for path in sorted(set(ours_leaves) | set(rule_leaves)):
            if ours_leaves.get(path) != rule_leaves.get(path):
                problems.append(
                    f"{record['id']} {path}: published {ours_leaves.get(path)!r}, "
                    f"the rules give {rule_leaves.get(path)!r}"
                )
    assert not problems, "\n".join(problems[:40])
    assert summary.records_kept > 1500 and kept_leaves > 20_000, (summary.records_kept, kept_leaves)
    assert summary.values_removed > 2_000
    if missing_public:
        assert summary.missing_made_public > 1_000
    else:
        assert summary.respelled_statuses and summary.unknown_statuses == {}


# What the data store publishes and we do not, by kind and place (the leaf's reason from the
# rules), and the words of the docs/publishing.md list of stricter choices that explain it.
STRICTER = {
    "wrappers inside list items": "wrappers inside list items",
    "lists the data store does not filter": "provider_side_cost",
    "source ids of items of lists the data store does not filter": "source ids of every list item",
    "sources only withheld values cite": "only withheld values cite",
    "ids of withheld sources": "removed from every list of source ids",
    "fields the schema does not define": "not define",
}


def _explain(reason: tuple[str, str], entity: str) -> str | None:
    kind, path = reason
    lists = DATASTORE[entity]["lists_with_item_status"]
    if kind in ("missing-status", "not-public", "not-in-sandbox"):
        if path.endswith("[]") and path.count("[]") == 1 and path[:-2] not in lists:
            return "lists the data store does not filter"
        if "[]" in path and not path.endswith("[]"):
            return "wrappers inside list items"
        return None
    if kind == "source-cited-by-withheld":
        return "sources only withheld values cite"
    if kind == "item-source-ids":
        return "source ids of items of lists the data store does not filter"
    if kind == "not-in-schema":
        return "fields the schema does not define"
    if kind == "cites-withheld-sources":
        return "ids of withheld sources"
    return None


@pytest.mark.parametrize("sandbox", [None, "alpha"])
def test_nothing_is_published_that_the_data_store_withholds(
    planted: list[tuple[str, dict[str, Any]]], sandbox: str | None
) -> None:
    stricter: Counter[str] = Counter()
    unexplained: list[str] = []
    leaks: list[str] = []
    compared = 0
    for entity, record in planted:
        tagged = tag(record)
        ours = publish_record(tagged, sandbox, "private", entity=entity)
        theirs = datastore_view(tagged, entity, sandbox)
        mine, store = places(ours) if ours else set(), places(theirs) if theirs else set()
        compared += len(store)
        leaks.extend(f"{record['id']} {'/'.join(map(str, at))}" for at in sorted(mine - store, key=str))
        dropped = expected_view(record, entity, sandbox).dropped
        for at in store - mine:
            if at[-1] in ("status", "sandboxes"):
                continue  # the data store keeps these as null, or on values it never checks
            if at in dropped:
                why = _explain(dropped[at], entity)
            else:  # kept, with the ids of withheld sources taken out
                why = (
                    "ids of withheld sources"
                    if at[-1] == "source_ids" or str(at[-2]).endswith("_source_ids")
                    else None
                )
            if why is None:
                unexplained.append(f"{record['id']} {'/'.join(map(str, at))}: {dropped.get(at)}")
            else:
                stricter[why] += 1
        # source ids: ours are always among the data store's, for the same field of the same record
        ours_ids = _citations(ours)
        store_ids = _citations(theirs)
        for field, listed in ours_ids.items():
            assert listed <= store_ids.get(field, set()), (record["id"], field, listed, store_ids.get(field))
    assert compared > 30_000
    assert not leaks, f"{len(leaks)} values published that the data store withholds: {leaks[:20]}"
    assert not unexplained, "\n".join(unexplained[:40])
    guide = (ROOT / "docs" / "publishing.md").read_text(encoding="utf-8")
    for why in stricter:
        assert STRICTER[why] in guide, f"docs/publishing.md does not list the stricter choice: {why}"
    assert stricter["wrappers inside list items"] and stricter["lists the data store does not filter"]
    assert stricter["sources only withheld values cite"]


def _citations(record: Any) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path, leaf in tagged_leaves(record) if record else ():
        if path.endswith("source_ids") or path.endswith("_source_ids/value"):
            found.setdefault(path, set()).update(
                part for part in str(leaf).replace(";", ",").replace(" ", ",").split(",") if part
            )
    return found


def test_the_data_store_checks_the_places_our_schema_gives_a_status() -> None:
    """Its values and lists with a status are ours, save the ones docs/publishing.md lists as stricter."""
    extra_lists = {"project": {"/provider_side_cost", "/outcome_payer_cost"}, "pipeline": {"/projects"}}
    for entity in ("project", "organisation", "fund", "pipeline"):
        idx = index("4.1", entity)
        top = {p for p in idx.with_status if p and "[]" not in p}
        items = {p[:-2] for p in idx.with_status if p.endswith("[]") and p.count("[]") == 1}
        rules = DATASTORE[entity]
        assert set(rules["keys_with_status"]) == top, entity
        assert set(rules["lists_with_item_status"]) == items - extra_lists.get(entity, set()), entity
        assert extra_lists.get(entity, set()) <= items

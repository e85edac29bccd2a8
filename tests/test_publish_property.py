"""The no-leak property of the publication filter, over generated records.

The generator builds records of every record type along the 4.1 schema, with a status (or
none, or a misspelt, padded, unknown or blank one) at every place the schema gives one,
sandbox lists on the items that carry them, sources and lists of source ids (separated by
commas, semicolons or spaces, padded, some citing ids no source has), and a unique marker
string in every value. In hostile mode it adds what the filter must withhold without
understanding it: unknown keys, objects and lists where the schema has something else,
status keys in another letter case, statuses where the schema gives none, legacy
organisation ids, flat columns naming a status.

What may be published comes from ``publish_rules.expected_view``, written apart from the
filter. The property: no marker of a withheld value (or of a list item's own source ids)
appears anywhere in the output, and every marker of a published value does. Through the API
(Hypothesis, thousands of records, where the output must also equal the rules' exactly),
and through the command line on one generated batch per input path: JSON list, dataset
package, JSON Lines, and the CSV folder, XLSX workbook and zip that ``convert`` writes.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from publish_rules import expected_view, index

from indigo_standard.publishing.filter import FilterSummary, publish
from indigo_standard.writing.convert import convert

ABSENT = object()
STATUSES: tuple[Any, ...] = (
    "PUBLIC",
    "PUBLIC",
    "PUBLIC",
    ABSENT,
    "PRIVATE",
    "DISPUTED",
    "SANDBOX",
    "public",
    " Public ",
    "",
    None,
    3,
    "secret",
)
SANDBOX_LISTS: tuple[Any, ...] = (ABSENT, "alpha", "beta, alpha", " alpha ", "beta", "", 7)
SANDBOX_NAMES = (None, "alpha", "beta")
SEPARATORS = (",", ", ", ";", " ; ", " ", " ,")
HOSTILE = (
    "unknown key",
    "Status key",
    "container value",
    "list for object",
    "text item",
    "extra status column",
    "legacy org id",
    "extra column",
    "status on a plain object",
)
PREFIXES = {
    "project": "INDIGO-POJ-",
    "organisation": "INDIGO-ORG-",
    "fund": "INDIGO-FUND-",
    "pipeline": "INDIGO-PL-",
}
MARKER = re.compile(r"[ms]\d{6}[zq]")
VIEWS = ((None, False), ("alpha", False), ("alpha", True), (None, True))

Choose = Callable[[Sequence[Any]], Any]


@cache
def layout_of(entity: str) -> dict[str, list[str]]:
    """Each object path's keys (status and sandboxes left out), those that lead to a status repeated
    so that random picks reach every place the schema gives a status."""
    idx = index("4.1", entity)
    keys: dict[str, list[str]] = {}
    for path in idx.kinds:
        if not path or path.endswith("[]"):
            continue
        parent, _, key = path.rpartition("/")
        if key in ("status", "sandboxes", "id") and parent == "":
            continue
        if key in ("status", "sandboxes") or (parent == "" and key == "sources"):
            continue
        weight = 4 if any(p.startswith(path) and p in idx.with_status for p in idx.kinds) else 1
        keys.setdefault(parent, []).extend([key] * weight)
    return keys


class Builder:
    """Builds one record from ``choose`` (Hypothesis draws, or a seeded random generator)."""

    def __init__(self, choose: Choose, entity: str, hostile: bool, counter: list[int]) -> None:
        self.choose = choose
        self.entity = entity
        self.hostile = hostile
        self.counter = counter
        self.idx = index("4.1", entity)
        self.keys = layout_of(entity)
        self.source_ids: list[str] = []

    def marker(self, kind: str = "m", end: str = "z") -> str:
        self.counter[0] += 1
        return f"{kind}{self.counter[0]:06d}{end}"

    def status(self, obj: dict[str, Any], path: str) -> None:
        status = self.choose(STATUSES)
        if status is not ABSENT:
            obj["status"] = status
        if path in self.idx.with_sandboxes:
            lists = self.choose(SANDBOX_LISTS)
            if lists is not ABSENT:
                obj["sandboxes"] = lists

    def citation(self) -> str:
        picked = [sid for sid in self.source_ids if self.choose((True, False))]
        if self.choose((False, False, True)):
            picked.append(self.marker())  # an id no source has
        if not picked:
            picked = [self.marker()]
        return self.choose(("", " ")) + self.choose(SEPARATORS).join(picked)

    def value(self, path: str) -> Any:
        if path.endswith("/source_ids") or (path.endswith("/value") and path[:-6].endswith("_source_ids")):
            return self.citation()
        return self.marker()

    def obj(self, path: str, depth: int) -> dict[str, Any]:
        obj: dict[str, Any] = {}
        if path in self.idx.with_status or (self.hostile and self.choose((False,) * 7 + (True,))):
            self.status(obj, path)
        options = self.keys.get(path, [])
        count = self.choose((1, 1, 2, 3)) if depth else self.choose((2, 3, 4))
        for key in dict.fromkeys(self.choose(options) for _ in range(count)) if options else ():
            sub = f"{path}/{key}"
            kind = self.idx.kinds[sub]
            if kind == "value":
                obj[key] = self.value(sub)
            elif kind == "object":
                obj[key] = self.obj(sub, depth + 1)
            else:
                obj[key] = [self.obj(f"{sub}[]", depth + 1) for _ in range(self.choose((1, 1, 2)))]
        if self.hostile and self.choose((False,) * 5 + (True,)):
            self.add_hostile(obj, path)
        if not any(key not in ("status", "sandboxes") for key in obj):
            obj["notes" if f"{path}/notes" in self.idx.kinds else "zz_filler"] = self.marker()
        return obj

    def add_hostile(self, obj: dict[str, Any], path: str) -> None:
        kind = self.choose(HOSTILE)
        if kind == "unknown key":
            obj["zz_unknown"] = {"value": self.marker(), "status": "PUBLIC"}
        elif kind == "Status key":
            obj[self.choose(("Status", "STATUS", " status"))] = "PUBLIC"
        elif kind == "container value":
            obj[self.choose(("value", "notes"))] = self.choose(([self.marker()], {"value": self.marker()}))
        elif kind == "list for object" and path == "":
            obj["dates" if "/dates" in self.idx.kinds else "name"] = [
                {"value": self.marker(), "status": "PUBLIC"}
            ]
        elif kind == "text item" and path == "":
            obj["sources" if "/sources" in self.idx.kinds else "documents"] = [self.marker()]
        elif kind == "extra status column":
            obj["extra_columns"] = {"Stage of Development - (status)": "PUBLIC", "Other": self.marker()}
        elif kind == "legacy org id" and path == "" and self.entity == "organisation":
            obj["org-ids"] = {"company": {"value": self.marker()}, "primary": {"value": self.marker()}}
        elif kind == "extra column":
            obj["extra_columns"] = {"Colour": self.marker()}
        else:
            obj["status"] = self.choose(("PRIVATE", "PUBLIC", "SANDBOX", "public"))

    def build(self) -> dict[str, Any]:
        record: dict[str, Any] = {"id": PREFIXES[self.entity] + self.marker()}
        sources = []
        if "/sources" in self.idx.kinds:
            for _ in range(self.choose((0, 1, 2, 3))):
                source: dict[str, Any] = {"id": self.choose(("", " ")) + self.marker("s", "q")}
                self.source_ids.append(source["id"].strip())
                if "/sources[]" in self.idx.with_status:
                    self.status(source, "/sources[]")
                source["name"] = {"value": self.marker()}
                sources.append(source)
        record.update(self.obj("", 0))
        if sources:
            record["sources"] = sources
        return record


def build(choose: Choose, hostile: bool, counter: list[int]) -> tuple[str, dict[str, Any]]:
    entity = choose(tuple(PREFIXES))
    return entity, Builder(choose, entity, hostile, counter).build()


def markers(value: Any) -> set[str]:
    return set(MARKER.findall(json.dumps(value, ensure_ascii=False)))


def expected_markers(
    entity: str, record: dict[str, Any], sandbox: str | None, missing_public: bool
) -> set[str]:
    view = expected_view(record, entity, sandbox, missing_public)
    return markers(view.output) if view.output is not None else set()


def keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for child in value.values() for k in keys(child)}
    if isinstance(value, list):
        return {k for child in value for k in keys(child)}
    return set()


def check_api(entity: str, record: dict[str, Any]) -> None:
    before = json.dumps(record)
    every = markers(record)
    for sandbox, missing_public in VIEWS:
        summary = FilterSummary()
        result = publish(
            record, sandbox, missing_status="public" if missing_public else "private", summary=summary
        )
        assert json.dumps(record) == before, "publish must not change its input"
        expected = expected_view(record, entity, sandbox, missing_public).output
        shown = markers(expected) if expected is not None else set()
        found = markers(result) if result is not None else set()
        assert not found & (every - shown), f"withheld markers published: {sorted(found & (every - shown))}"
        assert shown <= found, f"public markers lost: {sorted(shown - found)}"
        assert json.dumps(result) == json.dumps(expected), (sandbox, missing_public)
        if result is not None:
            assert not keys(result) & {"status", "sandboxes"}


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False), st.booleans())
def test_no_leak_through_the_api(rng: random.Random, hostile: bool) -> None:
    """Each example draws its choices through Hypothesis's random, so a failure shrinks to a small record."""
    entity, record = build(rng.choice, hostile, [0])
    check_api(entity, record)


# -- the command line, on one generated batch per input path -----------------------------------

BATCH = 600
SEED = 1313


CLI_VIEWS = ((None, False), ("alpha", True))


@pytest.fixture(scope="module")
def batch() -> list[tuple[str, dict[str, Any]]]:
    rng = random.Random(SEED)
    counter = [0]
    return [build(rng.choice, False, counter) for _ in range(BATCH)]


@pytest.fixture(scope="module")
def batch_markers(batch: list[tuple[str, dict[str, Any]]]) -> tuple[set[str], dict[Any, set[str]]]:
    """Every marker of the batch, and those each view must show."""
    every = set().union(*(markers(record) for _, record in batch))
    shown = {view: set().union(*(expected_markers(e, r, *view) for e, r in batch)) for view in CLI_VIEWS}
    return every, shown


def _write_inputs(records: list[tuple[str, dict[str, Any]]], folder: Path, path: str) -> Path:
    lists = {"project": "projects", "organisation": "organisations", "fund": "funds", "pipeline": "pipelines"}
    plain = [record for _, record in records]
    if path == "json":
        target = folder / "in.json"
        target.write_text(json.dumps(plain), encoding="utf-8")
        return target
    if path == "jsonl":
        target = folder / "in.jsonl"
        target.write_text("".join(json.dumps(r) + "\n" for r in plain), encoding="utf-8")
        return target
    package = {"schema_version": "4.1", "publisher": {"name": "P"}}
    for entity, key in lists.items():
        package[key] = [r for e, r in records if e == entity]
    source = folder / "package.json"
    source.write_text(json.dumps(package), encoding="utf-8")
    if path == "package":
        return source
    target = folder / {"csv": "flat", "xlsx": "flat.xlsx", "zip": "flat.zip"}[path]
    assert convert(source, target).written
    return target


@pytest.mark.parametrize("path", ["json", "package", "jsonl", "csv", "xlsx", "zip"])
def test_no_leak_through_the_command_line(
    batch: list[tuple[str, dict[str, Any]]],
    batch_markers: tuple[set[str], dict[Any, set[str]]],
    path: str,
    tmp_path: Path,
) -> None:
    source = _write_inputs(batch, tmp_path, path)
    every, expected = batch_markers
    for sandbox, missing_public in CLI_VIEWS:
        shown = expected[(sandbox, missing_public)]
        out = tmp_path / f"out-{sandbox}.json"
        args = ["publish", str(source), "-o", str(out)]
        if sandbox:
            args += ["--sandbox", sandbox]
        if missing_public:
            args += ["--missing-status", "public"]
        done = run_cli(*args)
        assert done.returncode == 0, done.stderr
        text = out.read_text(encoding="utf-8")
        found = set(MARKER.findall(text))
        assert not found & (every - shown), (
            f"{path}: withheld markers published: {sorted(found - shown)[:20]}"
        )
        assert shown <= found, f"{path}: public markers lost: {sorted(shown - found)[:20]}"
        assert '"status"' not in text and '"sandboxes"' not in text
        assert len(shown) > 800 and len(every - shown) > 800, (len(shown), len(every))

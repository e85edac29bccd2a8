"""The no-leak property of the publication filter, over generated records.

The generator below builds raw JSON records shaped like INDIGO ones (record status,
value wrappers, groups, list items with their own status and sandbox lists, nested
items, sources and ``source_ids`` references) and places a status, or none, at every
position. While it builds, it works out from the placed statuses alone which tokens the
public (or sandbox) view must show and which it must not. Every string and number it
writes is a unique token, so "appears anywhere in the output" can be checked on the
serialised output text.

Two drivers use it: Hypothesis (random statuses, shapes and references) and an
exhaustive sweep that puts every status option in every position of a full-size record,
with and without a sandbox and under both missing-status choices (several thousand
records, all checked).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indigo_standard.publishing.filter import publish

ABSENT = object()
STATUSES: tuple[Any, ...] = ("PUBLIC", ABSENT, "PRIVATE", "DISPUTED", "SANDBOX", "public", "", None, 3)
SANDBOX_LISTS: tuple[Any, ...] = (ABSENT, "alpha", "beta, alpha", "beta", "", 7)
SANDBOX_NAMES = (None, "alpha", "beta")

Choose = Callable[[Sequence[Any]], Any]


class Generated:
    """A generated record with what its public view must and must not contain."""

    def __init__(
        self,
        record: dict[str, Any],
        shown: set[str],
        hidden: set[str],
        shown_numbers: set[float],
        hidden_numbers: set[float],
    ) -> None:
        self.record = record
        self.shown = shown
        self.hidden = hidden
        self.shown_numbers = shown_numbers
        self.hidden_numbers = hidden_numbers


class Builder:
    """Builds one record; ``choose`` picks statuses, sandbox lists and references."""

    def __init__(
        self, choose: Choose, sandbox: str | None, missing_public: bool, shape: dict[str, int]
    ) -> None:
        self.choose = choose
        self.sandbox = sandbox
        self.missing_public = missing_public
        self.shape = shape
        self.count = 0
        self.tokens: list[tuple[str, bool, int | None]] = []
        """(token, on a visible node, index of the source it belongs to or None)."""
        self.numbers: list[tuple[float, bool]] = []
        self.source_ids = [f"s{n:05d}y" for n in range(shape["sources"])]
        self.source_visible: list[bool] = []
        self.referenced = [False] * shape["sources"]
        self.referenced_visible = [False] * shape["sources"]
        self.visible_refs: list[str] = []
        self.dangling = 0

    def token(self, visible: bool, source: int | None = None) -> str:
        self.count += 1
        text = f"t{self.count:06d}x"
        self.tokens.append((text, visible, source))
        return text

    def number(self, visible: bool) -> float:
        self.count += 1
        value = 900000 + self.count * 7 + 0.5
        self.numbers.append((value, visible))
        return value

    def status(
        self,
        node: dict[str, Any],
        parent_visible: bool,
        inherited: tuple[str, ...],
        with_sandboxes: bool,
        root: bool = False,
    ) -> tuple[bool, tuple[str, ...]]:
        """Place a status (and maybe a sandbox list) on ``node``; return its visibility and list."""
        status = self.choose(STATUSES)
        lists = self.choose(SANDBOX_LISTS) if with_sandboxes else ABSENT
        if status is not ABSENT:
            node["status"] = status
        own = inherited
        if lists is not ABSENT:
            node["sandboxes"] = lists
            own = tuple(p.strip() for p in lists.split(",") if p.strip()) if isinstance(lists, str) else ()
        if status is ABSENT:
            ok = self.missing_public if root else True
        elif status == "PUBLIC":
            ok = True
        elif status == "SANDBOX":
            ok = self.sandbox is not None and self.sandbox in own
        else:
            ok = False
        return parent_visible and ok, own

    def refs(self, node: dict[str, Any], visible: bool) -> None:
        picked = self.choose(("none", "first", "second", "both", "dangling"))
        ids: list[str] = []
        if picked in ("first", "both") and self.source_ids:
            ids.append(self.source_ids[0])
        if picked in ("second", "both") and len(self.source_ids) > 1:
            ids.append(self.source_ids[-1])
        for sid in ids:
            index = self.source_ids.index(sid)
            self.referenced[index] = True
            self.referenced_visible[index] = self.referenced_visible[index] or visible
        if picked == "dangling":
            ids.append(self.token(visible))
        if ids:
            node["source_ids"] = ",".join(ids)
            if visible:
                self.visible_refs.extend(ids)

    def wrapper(self, parent_visible: bool, inherited: tuple[str, ...], numeric: bool) -> dict[str, Any]:
        node: dict[str, Any] = {}
        visible, _ = self.status(node, parent_visible, inherited, with_sandboxes=False)
        node["value"] = self.number(visible) if numeric else self.token(visible)
        self.refs(node, visible)
        if self.choose((True, False)):
            node["notes"] = self.token(visible)
        return node

    def group(self, parent_visible: bool, inherited: tuple[str, ...]) -> dict[str, Any]:
        node: dict[str, Any] = {
            "first": self.wrapper(parent_visible, inherited, numeric=False),
            "second": self.wrapper(parent_visible, inherited, numeric=True),
        }
        self.refs(node, parent_visible)
        node["notes"] = self.token(parent_visible)
        return node

    def item(self, parent_visible: bool, inherited: tuple[str, ...], depth: int) -> dict[str, Any]:
        node: dict[str, Any] = {}
        visible, own = self.status(node, parent_visible, inherited, with_sandboxes=True)
        node["id"] = self.token(visible)
        node["value_field"] = self.wrapper(visible, own, numeric=self.choose((False, True)))
        node["amounts"] = self.group(visible, own)
        self.refs(node, visible)
        if depth < self.shape["depth"]:
            node["children"] = [self.item(visible, own, depth + 1) for _ in range(self.shape["children"])]
        return node

    def source(self, index: int, record_visible: bool) -> dict[str, Any]:
        node: dict[str, Any] = {}
        visible, _ = self.status(node, record_visible, (), with_sandboxes=False)
        self.source_visible.append(visible)
        node["id"] = self.source_ids[index]
        node["name"] = {"value": self.token(visible, source=index)}
        node["url"] = {"value": self.token(visible, source=index)}
        return node

    def build(self) -> Generated:
        record: dict[str, Any] = {}
        visible, own = self.status(record, True, (), with_sandboxes=False, root=True)
        record["id"] = self.token(visible)
        record["name"] = self.wrapper(visible, own, numeric=False)
        record["amount"] = self.wrapper(visible, own, numeric=True)
        record["dates"] = self.group(visible, own)
        for n in range(self.shape["lists"]):
            record[f"list{n}"] = [self.item(visible, own, 1) for _ in range(self.shape["items"])]
        if self.source_ids:
            record["sources"] = [self.source(i, visible) for i in range(len(self.source_ids))]
        kept_sources = [
            self.source_visible[i] and (not self.referenced[i] or self.referenced_visible[i])
            for i in range(len(self.source_ids))
        ]
        shown, hidden = set(), set()
        for text, on_visible, source in self.tokens:
            keep = on_visible if source is None else kept_sources[source]
            (shown if keep else hidden).add(text)
        for i, sid in enumerate(self.source_ids):
            (shown if kept_sources[i] else hidden).add(sid)
        shown_numbers = {v for v, ok in self.numbers if ok}
        hidden_numbers = {v for v, ok in self.numbers if not ok}
        return Generated(record, shown, hidden, shown_numbers, hidden_numbers)


def leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for child in value.values() for leaf in leaves(child)]
    if isinstance(value, list):
        return [leaf for child in value for leaf in leaves(child)]
    return [value]


def keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for child in value.values() for k in keys(child)}
    if isinstance(value, list):
        return {k for child in value for k in keys(child)}
    return set()


def has_empty_container(value: Any) -> bool:
    if isinstance(value, (dict, list)) and not value:
        return True
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return any(has_empty_container(child) for child in children)


def check(generated: Generated, sandbox: str | None, missing_public: bool) -> None:
    """The property: hidden tokens appear nowhere, shown ones all appear, and the output is clean."""
    original = json.dumps(generated.record)
    result = publish(generated.record, sandbox, missing_status="public" if missing_public else "private")
    assert json.dumps(generated.record) == original, "publish must not change its input"
    text = json.dumps(result)
    leaked = sorted(t for t in generated.hidden if t in text)
    assert not leaked, f"non-public tokens in the output: {leaked}"
    numbers = {v for v in leaves(result) if isinstance(v, float)}
    assert not numbers & generated.hidden_numbers
    if result is None:
        assert not generated.shown, "a visible token belongs to a record that was dropped"
        return
    missing = sorted(t for t in generated.shown if t not in text)
    assert not missing, f"public tokens lost: {missing}"
    assert generated.shown_numbers <= numbers
    assert not keys(result) & {"status", "sandboxes"}
    assert not has_empty_container(result)
    assert publish(result, sandbox, missing_status="public") == result, "publishing twice changes nothing"


SHAPE = st.fixed_dictionaries(
    {
        "sources": st.integers(0, 3),
        "lists": st.integers(0, 2),
        "items": st.integers(1, 3),
        "depth": st.integers(1, 2),
        "children": st.integers(1, 2),
    }
)


@settings(max_examples=200, deadline=None)
@given(st.data(), SHAPE, st.sampled_from(SANDBOX_NAMES), st.booleans())
def test_no_leak_for_random_statuses(
    data: st.DataObject, shape: dict[str, int], sandbox: str | None, missing_public: bool
) -> None:
    def choose(options: Sequence[Any]) -> Any:
        return data.draw(st.sampled_from(list(options)))

    check(Builder(choose, sandbox, missing_public, shape).build(), sandbox, missing_public)


FULL_SHAPE = {"sources": 2, "lists": 1, "items": 2, "depth": 2, "children": 1}


def sweep_choice_points() -> list[int]:
    """How many choices the full-size record makes, and how many options each has."""
    sizes: list[int] = []

    def record_sizes(options: Sequence[Any]) -> Any:
        sizes.append(len(options))
        return options[0]

    Builder(record_sizes, None, False, FULL_SHAPE).build()
    return sizes


def test_every_status_in_every_position() -> None:
    """Each option at each choice point, for each view.

    The other choice points keep their first option, except sandbox lists, which name
    both sandboxes, so that a SANDBOX status below an item sees a list it inherits.
    """
    sizes = sweep_choice_points()
    checked = 0
    for point, size in enumerate(sizes):
        for option in range(size):
            for sandbox in SANDBOX_NAMES:
                for missing_public in (False, True):
                    calls = iter(range(len(sizes)))

                    def choose(
                        options: Sequence[Any], point: int = point, option: int = option, calls: Any = calls
                    ) -> Any:
                        if next(calls) == point:
                            return options[option]
                        return "beta, alpha" if options is SANDBOX_LISTS else options[0]

                    check(
                        Builder(choose, sandbox, missing_public, FULL_SHAPE).build(), sandbox, missing_public
                    )
                    checked += 1
    assert checked >= 2000, checked


@pytest.mark.parametrize("status", [s for s in STATUSES if s is not ABSENT])
def test_every_status_on_every_wrapper_at_once(status: Any) -> None:
    """The same status everywhere at once, for every view."""
    for sandbox in SANDBOX_NAMES:
        for missing_public in (False, True):
            for lists in SANDBOX_LISTS:

                def choose(options: Sequence[Any], status: Any = status, lists: Any = lists) -> Any:
                    if options is STATUSES:
                        return status
                    if options is SANDBOX_LISTS:
                        return lists
                    return options[-1]

                check(Builder(choose, sandbox, missing_public, FULL_SHAPE).build(), sandbox, missing_public)

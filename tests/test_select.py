"""Finding fields by schema path without a full walk gives what the full walk gives."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from indigo_standard.checks.context import RecordContext
from indigo_standard.checks.walk import path_tree, select, walk

KEYS = st.sampled_from(["a", "b", "value", "source_ids", "t~1", ""])
"""Keys as records have them (a key holding "/" would make schema paths ambiguous), one of them
needing escapes in a JSON pointer."""

documents = st.recursive(
    st.none() | st.integers() | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=20,
)


@st.composite
def documents_and_paths(draw: st.DrawFn) -> tuple[dict[str, Any], frozenset[str]]:
    data = draw(st.dictionaries(KEYS, documents, max_size=4))
    present = sorted({node.schema_path for node in walk(data)})
    chosen = draw(st.lists(st.sampled_from(present), max_size=6)) if present else []
    absent = draw(st.lists(st.sampled_from(["/zz", "/a/zz", "/a[]/zz", "/b[][]"]), max_size=2))
    return data, frozenset(chosen + absent)


@settings(max_examples=300, deadline=None)
@given(documents_and_paths())
def test_select_finds_what_the_full_walk_finds_in_the_same_order(
    case: tuple[dict[str, Any], frozenset[str]],
) -> None:
    data, paths = case
    expected = [node for node in walk(data) if node.schema_path in paths]
    assert select(data, path_tree(paths)) == expected


@settings(max_examples=200, deadline=None)
@given(documents_and_paths(), st.data())
def test_prefetched_and_separate_selections_agree(
    case: tuple[dict[str, Any], frozenset[str]], data_strategy: st.DataObject
) -> None:
    data, prefetch = case
    subset = (
        frozenset(data_strategy.draw(st.lists(st.sampled_from(sorted(prefetch)), max_size=4)))
        if prefetch
        else frozenset()
    )
    together = RecordContext("4.1", "project", data, None, prefetch)
    alone = RecordContext("4.1", "project", data, None)
    expected = [node for node in walk(data) if node.schema_path in subset]
    assert together.select(subset) == alone.select(subset) == expected
    assert together.select(list(subset)) == expected

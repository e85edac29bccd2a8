"""The no-leak property over records from the typed-model strategies (indigo_standard.strategies)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_publish_property import SANDBOX_NAMES, keys

from indigo_standard.publishing.filter import publish

strategies = pytest.importorskip("indigo_standard.strategies")


def _classify(
    value: Any,
    visible: bool,
    lists: tuple[str, ...],
    sandbox: str | None,
    shown: set[Any],
    hidden: set[Any],
    in_sources: bool,
    public_outside: set[Any],
) -> None:
    """Sort every leaf of a record by whether the rule lets it be seen (the oracle)."""
    if isinstance(value, list):
        for item in value:
            _classify(item, visible, lists, sandbox, shown, hidden, in_sources, public_outside)
        return
    if not isinstance(value, dict):
        return
    if "sandboxes" in value:
        raw = value["sandboxes"]
        lists = tuple(p.strip() for p in raw.split(",") if p.strip()) if isinstance(raw, str) else ()
    if "status" in value:
        status = value["status"]
        visible = visible and (status == "PUBLIC" or (status == "SANDBOX" and sandbox in lists))
    for key, child in value.items():
        if key in ("status", "sandboxes"):
            continue
        if isinstance(child, (dict, list)):
            _classify(
                child, visible, lists, sandbox, shown, hidden, in_sources or key == "sources", public_outside
            )
            continue
        parts = (
            [p.strip() for p in child.split(",")]
            if key == "source_ids" and isinstance(child, str)
            else [child]
        )
        for part in parts:
            (shown if visible else hidden).add(part)
            if visible and not in_sources and key != "source_ids":
                public_outside.add(part)


@settings(max_examples=30, deadline=None)
@given(strategies.records(), st.sampled_from(SANDBOX_NAMES))
def test_no_leak_for_typed_model_records(record: Any, sandbox: str | None) -> None:
    from indigo_standard import dump

    data = dump(record)
    shown: set[Any] = set()
    hidden: set[Any] = set()
    public_outside: set[Any] = set()
    _classify(data, True, (), sandbox, shown, hidden, False, public_outside)
    result = publish(data, sandbox, missing_status="public")
    out: set[Any] = set()
    for leaf_key, leaf in _keyed_leaves(result):
        out.update(p.strip() for p in leaf.split(",")) if leaf_key == "source_ids" else out.add(leaf)
    assert not out - shown, f"values not from visible places: {out - shown}"
    assert not out & (hidden - shown)
    if result is not None:
        assert public_outside <= out
        assert not keys(result) & {"status", "sandboxes"}


def _keyed_leaves(value: Any, key: Any = None) -> list[tuple[Any, Any]]:
    if isinstance(value, dict):
        return [leaf for k, child in value.items() for leaf in _keyed_leaves(child, k)]
    if isinstance(value, list):
        return [leaf for child in value for leaf in _keyed_leaves(child, key)]
    return [] if value is None and key is None else [(key, value)]

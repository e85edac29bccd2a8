"""The publication rules over records from the typed-model strategies (indigo_standard.strategies).

Each generated record is dumped to the standard's JSON form and published in the public view
and in a sandbox's view, both with and without ``--missing-status public``; the output must be
exactly what the separately written oracle ``publish_rules.expected_view`` keeps, as JSON text.
The oracle rebuilds its output from the leaves it keeps, so it has no empty lists or objects;
those (``"controlled_by": []`` in, ``[]`` out) are set aside on both sides before comparing.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from publish_rules import expected_view
from test_publish_property import SANDBOX_NAMES, keys

from indigo_standard import dump, dumps
from indigo_standard.publishing.filter import publish

strategies = pytest.importorskip("indigo_standard.strategies")


@settings(max_examples=40, deadline=None)
@given(strategies.records(), st.sampled_from(SANDBOX_NAMES), st.booleans())
def test_typed_model_records_publish_as_the_rules_say(record: Any, sandbox: str | None, public: bool) -> None:
    data = dump(record)
    before = dumps(data)
    result = publish(data, sandbox, missing_status="public" if public else "private")
    assert dumps(data) == before, "publish must not change its input"
    expected = expected_view(data, type(record).ENTITY, sandbox, public).output
    assert dumps(_pruned(result)) == dumps(_pruned(expected))
    if result is not None:
        assert not keys(result) & {"status", "sandboxes"}


def _pruned(value: Any) -> Any:
    """``value`` without empty lists and objects, at any depth."""
    if isinstance(value, dict):
        kept = {key: _pruned(child) for key, child in value.items()}
        return {key: child for key, child in kept.items() if child not in ({}, [])}
    if isinstance(value, list):
        return [child for child in map(_pruned, value) if child not in ({}, [])]
    return value

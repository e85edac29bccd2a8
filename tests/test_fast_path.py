"""The compiled fast path answers exactly as the reference validator, and is optional."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from typing import Any

import pytest
from conftest import EXAMPLES, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indigo_standard.validation import fast
from indigo_standard.validation.engine import ReferenceOracle, SchemaEngine

pytestmark = pytest.mark.skipif(not fast.available(), reason="jsonschema-rs is not installed")

EXAMPLE_RECORDS = {
    name: json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    for name in ("project", "organisation", "fund", "pipeline")
}


def leaf_paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a scalar or container inside ``data``."""
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += leaf_paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += leaf_paths(value, (*prefix, index))
    return found


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["PUBLIC", "SANDBOX", "2020", "2020-13", "GBP", "Yes", "Debt", ""]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["value", "status", "x"]), inner, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def mutated_records(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    entity = draw(st.sampled_from(sorted(EXAMPLE_RECORDS)))
    record = copy.deepcopy(EXAMPLE_RECORDS[entity])
    for _ in range(draw(st.integers(0, 3))):
        paths = leaf_paths(record)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent: Any = record
        for part in path[:-1]:
            parent = parent[part]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(json_values)
    return entity, record


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_records())
def test_fast_and_reference_agree_on_validity_and_reports(case: tuple[str, dict[str, Any]]) -> None:
    entity, record = case
    reference = SchemaEngine(ReferenceOracle())
    compiled = SchemaEngine(fast.CompiledOracle())
    assert fast.CompiledOracle().is_valid("4.1", entity, record) == ReferenceOracle().is_valid(
        "4.1", entity, record
    )
    assert compiled.issues("4.1", entity, record, "r") == reference.issues("4.1", entity, record, "r")


def test_unmodified_examples_are_valid_on_both_paths() -> None:
    for entity, record in EXAMPLE_RECORDS.items():
        assert fast.CompiledOracle().is_valid("4.1", entity, record)
        assert ReferenceOracle().is_valid("4.1", entity, record)


BLOCKED = (
    "import sys; sys.modules['jsonschema_rs'] = None\n"
    "from indigo_standard.validation import fast\n"
    "assert not fast.available()\n"
    "from indigo_standard.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def test_everything_works_without_jsonschema_rs(tmp_path: Any) -> None:
    broken = copy.deepcopy(EXAMPLE_RECORDS["project"])
    broken["dates"]["outcomes_contract_signed"]["value"] = "soon"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    for target, code in ((str(EXAMPLES / "package.json"), 0), (str(EXAMPLES), 1), (str(path), 1)):
        args = ["validate", "--format", "json", "--schema-version", "4.1", target]
        without = subprocess.run(
            [sys.executable, "-c", BLOCKED, *args], capture_output=True, text=True, check=False
        )
        with_fast = run_cli(*args)
        assert without.returncode == with_fast.returncode == code, without.stderr
        assert json.loads(without.stdout) == json.loads(with_fast.stdout)


def test_shrunk_records_are_explained_exactly_like_whole_ones_on_the_real_export() -> None:
    """Every invalid record of the real export: the report from the shrunk copy is the whole one's."""
    from conftest import FIXTURES

    from indigo_standard.flat import read_flat

    engine = SchemaEngine(fast.CompiledOracle())
    compared = 0
    for item in read_flat(FIXTURES / "golab-indigo-export"):
        if not isinstance(item.data, dict) or item.entity not in EXAMPLE_RECORDS:
            continue
        version = item.mapping_version or "4.1"
        if fast.CompiledOracle().is_valid(version, item.entity, item.data):
            continue
        whole = SchemaEngine._explain(version, item.entity, item.data, "r")
        assert engine.issues(version, item.entity, item.data, "r") == whole
        compared += 1
    assert compared > 50

"""Every record of the real GO Lab export loads, round-trips as JSON text, and agrees with validate."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES

import indigo_standard as indigo
from indigo_standard.flat import read_flat
from indigo_standard.jsontext import loads as exact_loads
from indigo_standard.model import Invalid, Node
from indigo_standard.model.slots import slots
from indigo_standard.reading.records import NOTICES_ONLY, PACKAGE_LISTS, SourcedRecord
from indigo_standard.validation.validate import Validation
from indigo_standard.writing.convert import convert

EXPORT = FIXTURES / "golab-indigo-export"
COUNTS = {"project": 319, "organisation": 1549, "fund": 21, "pipeline": 132}


@pytest.fixture(scope="module")
def items() -> list[SourcedRecord]:
    found = [item for item in read_flat(EXPORT) if item.entity != NOTICES_ONLY]
    assert Counter(item.entity for item in found) == COUNTS
    return found


@pytest.fixture(scope="module")
def loaded(items: list[SourcedRecord]) -> list[Any]:
    return [indigo.load(item.data, entity=item.entity, schema_version=item.mapping_version) for item in items]


def _invalid_values(value: Any) -> list[Invalid]:
    if isinstance(value, Invalid):
        return [value]
    if isinstance(value, list):
        return [found for item in value for found in _invalid_values(item)]
    if isinstance(value, Node):
        return [found for slot in slots(type(value)) for found in _invalid_values(getattr(value, slot.name))]
    return []


def test_every_real_record_loads_and_dumps_back_as_the_same_json_text(
    items: list[SourcedRecord], loaded: list[Any]
) -> None:
    assert len(loaded) == 2021
    for item, record in zip(items, loaded, strict=True):
        assert item.entity == type(record).ENTITY
        assert indigo.dumps(record) == indigo.dumps(item.data), item.data.get("id")
        # json.dumps sees int, float and Decimal apart, and key order: the dump is the same JSON
        assert json.dumps(indigo.dump(record), default=str) == json.dumps(item.data, default=str)


def test_the_export_converted_to_json_loads_and_dumps_back_as_the_same_text(tmp_path: Path) -> None:
    """The "done when" of issue 12, as a user meets it: convert the export to a JSON package, then
    load every record of it and write it back: the same JSON text, whether the file is read with
    ``json.loads`` (floats) or with every number exact."""
    target = tmp_path / "export.json"
    assert convert(EXPORT, target).written
    text = target.read_text(encoding="utf-8")
    for parse in (json.loads, exact_loads):
        package = parse(text)
        records = [(entity, data) for key, entity in PACKAGE_LISTS.items() for data in package[key]]
        assert len(records) == 2021
        for entity, data in records:
            record = indigo.load(data, entity=entity, schema_version=package["schema_version"])
            assert indigo.dumps(record) == indigo.dumps(data)
            if parse is json.loads:
                assert json.dumps(indigo.dump(record)) == json.dumps(data)


def test_values_that_cannot_be_typed_are_kept_visible_and_listed(loaded: list[Any]) -> None:
    problems = [problem for record in loaded for problem in record.problems]
    invalid = [found for record in loaded for found in _invalid_values(record)]
    assert problems and len(invalid) == len(problems)
    assert {value.issue for value in invalid} == set(problems)
    by_record = Counter(type(record).ENTITY for record in loaded if record.problems)
    assert by_record == {"project": 91, "pipeline": 26}  # the records a strict load refuses
    texts = {value.raw for value in invalid if isinstance(value.raw, str)}
    assert {"$", "TBD", "current", "Japanese Yen", "GBP "} <= texts


def test_strict_load_refuses_exactly_the_records_with_problems(items: list[SourcedRecord]) -> None:
    refused = 0
    for item in items:
        try:
            indigo.load(item.data, entity=item.entity, schema_version=item.mapping_version, strict=True)
        except indigo.StructureError as error:
            refused += 1
            assert error.problems and all(problem.path.startswith("/") for problem in error.problems)
            assert str(error).count("\n") == len(error.problems)
    assert refused == 91 + 26


def test_validate_reports_every_value_strict_load_refuses_at_the_same_pointer(
    items: list[SourcedRecord], loaded: list[Any]
) -> None:
    """validate and load agree: each problem of a loaded record is an issue of validate, with the
    same code, pointer, message and field title; where the schema accepts what the model cannot
    type (a currency name), validate warns."""
    run = Validation()
    checked = 0
    for item, record in zip(items, loaded, strict=True):
        _, version = run.begin(item)
        assert version is not None
        reported = {(issue.code, issue.path): issue for issue in run.check(item, version)}
        for problem in record.problems:
            issue = reported.get((problem.code, problem.path))
            assert issue is not None, (problem.record, problem.code, problem.path)
            assert (issue.message, issue.title, issue.entity, issue.record, issue.severity) == (
                problem.message,
                problem.title,
                problem.entity,
                problem.record,
                problem.severity,
            )
            checked += 1
    assert checked == sum(len(record.problems) for record in loaded) > 0
    warned = [p for record in loaded for p in record.problems if p.code == "amount.currency-not-iso"]
    assert warned and all(p.severity == "warning" for p in warned)

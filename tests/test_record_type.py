"""The record type comes from the id prefix and the fields together, and is never guessed wrong in silence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, run_cli

import indigo_standard as indigo
from indigo_standard.detect import Detection, detect, detect_entity, entities_from_fields
from indigo_standard.flat.sources import read_flat


@pytest.fixture(scope="module")
def real() -> dict[str, dict[str, Any]]:
    """The real export's records by id."""
    return {
        item.data["id"]: item.data
        for item in read_flat(FIXTURES / "golab-indigo-export", schema_version="4.1")
        if isinstance(item.data, dict) and item.data.get("id")
    }


def renamed(record: dict[str, Any], new_id: str) -> dict[str, Any]:
    return {**record, "id": new_id}


def found(report: indigo.Report, *codes: str) -> list[tuple[str, str | None, str, str]]:
    return [(i.code, i.entity, i.path, i.message) for i in report.issues if i.code in codes]


def test_every_real_record_has_fields_that_fit_its_prefix(real: dict[str, dict[str, Any]]) -> None:
    assert len(real) == 2021
    for record_id, record in real.items():
        detection = detect(record)
        assert detection.claimed_by is None and detection.entity == detection.prefix, record_id
        assert detection.entity in entities_from_fields(record) or not entities_from_fields(record)


def test_a_project_with_an_organisation_id_is_validated_as_a_project(real: dict[str, dict[str, Any]]) -> None:
    """INDIGO-POJ-0001 has fields only projects have: its fields decide, and /id says so."""
    record = renamed(real["INDIGO-POJ-0001"], "INDIGO-ORG-9001")
    assert detect(record) == Detection("project", ("project",), "organisation", "prefix")
    report = indigo.validate(record, schema_version="4.1")
    assert not report.valid
    assert {i.entity for i in report.issues if i.entity} == {"project"}
    assert found(report, "record.type-mismatch", "record.id-prefix") == [
        (
            "record.type-mismatch",
            "project",
            "/id",
            "its fields are those of a project, but its id has the prefix of an organisation "
            "(INDIGO-ORG-); it was validated as a project, as its fields say",
        ),
        (
            "record.id-prefix",
            "project",
            "/id",
            "the id of a project must start with INDIGO-POJ-, found 'INDIGO-ORG-9001'",
        ),
    ]


def test_fields_that_fit_several_types_but_not_the_prefix_stop_validation(
    real: dict[str, dict[str, Any]],
) -> None:
    """INDIGO-POJ-0029's fields are all ones pipelines have too: it cannot be told which it is."""
    record = renamed(real["INDIGO-POJ-0029"], "INDIGO-ORG-9001")
    assert entities_from_fields(record) == ("project", "pipeline")
    assert detect_entity(record) is None
    report = indigo.validate(record, schema_version="4.1")
    assert not report.valid
    assert [(i.code, i.path) for i in report.issues] == [("record.type-mismatch", "/id")]
    assert report.issues[0].message == (
        "its fields are those of a project or a pipeline project, but its id has the prefix of an "
        "organisation (INDIGO-ORG-); its type cannot be told, so it was not validated; "
        "pass --type to say which it is"
    )
    assert (
        indigo.validate(record, schema_version="4.1", entity="project").by_code.get("record.id-prefix") == 1
    )


def test_a_project_in_a_package_list_of_organisations(real: dict[str, dict[str, Any]]) -> None:
    record = renamed(real["INDIGO-POJ-0001"], "INDIGO-ORG-9001")
    report = indigo.validate({"schema_version": "4.1", "organisations": [record]})
    assert found(report, "record.type-mismatch") == [
        (
            "record.type-mismatch",
            "organisation",
            "/id",
            "its fields are those of a project, but it is listed among the organisations; "
            "it was validated as an organisation",
        )
    ]
    assert not report.valid


def test_a_stray_key_does_not_overrule_the_prefix(real: dict[str, dict[str, Any]]) -> None:
    """One key the type lacks may be a slip or an extension; it takes two to overrule the id."""
    fund = {"id": "INDIGO-FUND-9001", "name": {"value": "A fund"}, "notes": {"value": "x"}}
    assert detect(fund) == Detection("fund", ("project", "pipeline"), "fund")
    organisation = {**real["INDIGO-ORG-0001"], "results": []}
    assert detect(organisation).entity == "organisation"
    assert indigo.validate(organisation, schema_version="4.1").by_code.get("record.type-mismatch") is None


def test_fields_name_the_type_of_a_record_without_a_known_prefix(real: dict[str, dict[str, Any]]) -> None:
    record = renamed(real["INDIGO-POJ-0001"], "P-1")
    report = indigo.validate(record, schema_version="4.1")
    assert {i.entity for i in report.issues if i.entity} == {"project"}
    assert report.by_code.get("record.id-prefix") == 1 and "record.unknown-type" not in report.by_code
    anonymous = indigo.validate({"id": "P-1", "name": {"value": "x"}}, schema_version="4.1")
    assert [(i.code, i.message) for i in anonymous.issues] == [
        (
            "record.unknown-type",
            "cannot tell whether this record is a project, organisation, fund or pipeline: its id "
            "'P-1' has no known prefix and its fields fit a project, an organisation, a fund or a "
            "pipeline project; pass --type",
        )
    ]


def test_cli_never_passes_a_project_as_an_organisation(
    tmp_path: Path, real: dict[str, dict[str, Any]]
) -> None:
    path = tmp_path / "record.json"
    path.write_text(json.dumps(renamed(real["INDIGO-POJ-0001"], "INDIGO-ORG-9001")), encoding="utf-8")
    run = run_cli("validate", str(path), "--schema-version", "4.1", "--format", "json")
    assert run.returncode == 1, run.stderr
    assert json.loads(run.stdout)["counts"]["by_code"]["record.type-mismatch"] == 1
    given = run_cli(
        "validate", str(path), "--schema-version", "4.1", "--type", "organisation", "--format", "json"
    )
    assert given.returncode == 1
    assert "its fields are those of a project, but its type was given as an organisation" in given.stdout


def test_load_and_read_tell_the_type_as_validate_does(
    real: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    """A project whose id has an organisation's prefix loads as the project its fields make it, with
    validate's record.type-mismatch at /id first among its problems; strict loading refuses it."""
    record = renamed(real["INDIGO-POJ-0001"], "INDIGO-ORG-9001")
    report = indigo.validate(record, schema_version="4.1")
    mismatch = "record.type-mismatch"
    expected = [(i.code, i.entity, i.path, i.message) for i in report.issues if i.code == mismatch]
    assert len(expected) == 1 and "it was validated as a project" in expected[0][3]
    loaded = indigo.load(record)
    assert isinstance(loaded, indigo.Project) and indigo.dumps(loaded) == indigo.dumps(record)
    first = loaded.problems[0]
    assert [(first.code, first.entity, first.path, first.message)] == expected
    with pytest.raises(indigo.StructureError, match=r"/id: its fields are those of a project.*type-mismatch"):
        indigo.load(record, strict=True)
    path = tmp_path / "records.json"
    path.write_text(indigo.dumps([record]), encoding="utf-8")
    [read] = list(indigo.read(path))
    assert isinstance(read, indigo.Project) and read.problems[0].code == "record.type-mismatch"
    with pytest.raises(indigo.StructureError, match=r"record\.type-mismatch"):
        list(indigo.read(path, strict=True))


def test_read_tells_the_type_of_a_packaged_record_as_validate_does(
    real: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    """Listed among the organisations, a project's fields do not overrule its place: it is read
    (and validated) as an organisation, and the mismatch is its first problem."""
    package = {"schema_version": "4.1", "organisations": [real["INDIGO-POJ-0001"]]}
    path = tmp_path / "package.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    report = indigo.validate(path)
    expected = [(i.code, i.path, i.message) for i in report.issues if i.code == "record.type-mismatch"]
    [read] = list(indigo.read(path))
    assert isinstance(read, indigo.Organisation) and len(expected) == 1
    found_on_read = [(p.code, p.path, p.message) for p in read.problems if p.code == "record.type-mismatch"]
    assert found_on_read == expected
    assert "it is listed among the organisations" in expected[0][2]

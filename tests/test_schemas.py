"""The bundled schemas: complete against the published inventories, well formed, regenerable."""

from __future__ import annotations

import csv
import re
import subprocess
import sys

import pytest
from conftest import FIXTURES, ROOT
from jsonschema import Draft202012Validator

from indigo_standard import fields
from indigo_standard.registry import codelist, registry, release, schemas
from indigo_standard.versions import SUPPORTED_VERSIONS

REFERENCE = {"3.1": "3.1.0", "4.0": "4.0.0", "4.1": "4.1.0"}
ENTITIES = ("project", "organisation", "fund", "pipeline")


def reference_rows(version: str) -> dict[tuple[str, str], dict[str, str]]:
    path = FIXTURES / "reference" / f"indigo-{REFERENCE[version]}" / "fields.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {(row["entity"], row["path"]): row for row in csv.DictReader(handle)}


def documented_deviations() -> dict[tuple[str, str], str]:
    """The status fields docs/schemas.md lists as made into enums, with the enum we chose."""
    text = (ROOT / "docs" / "schemas.md").read_text(encoding="utf-8")
    found = {}
    for entity, path, ours in re.findall(
        r"^\| (\w+) \| `([^`]+)` \| plain string \| `([^`]+)` \|$", text, re.M
    ):
        found[(entity, path)] = ours.replace("\\|", "|")
    return found


def documented_additions() -> set[str]:
    return {"/id"}


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_every_published_field_is_in_our_schema_with_the_same_facts(version: str) -> None:
    reference = reference_rows(version)
    deviations = documented_deviations()
    ours = {(e, f.path): f for e in ENTITIES for f in fields(version, e)}
    missing = sorted(set(reference) - set(ours))
    assert not missing, f"fields missing from our {version} schema: {missing[:10]}"
    extra = sorted(k for k in set(ours) - set(reference) if k[1] not in documented_additions())
    assert not extra, f"fields our {version} schema adds without documenting them: {extra[:10]}"
    problems = []
    for key, row in reference.items():
        field = ours[key]
        expected_enum: list[str] | None = row["enum"].split("|") if row["enum"] else None
        if row["codelist"]:
            expected_enum = [r["code"] for r in codelist(version, row["codelist"])]
        if expected_enum is None and key in deviations:
            expected_enum = deviations[key].split("|")
        actual_enum = list(field.enum) if field.enum is not None else None
        if field.type != row["type"]:
            problems.append((key, "type", field.type, row["type"]))
        if field.title_path != row["title_path"]:
            problems.append((key, "title", field.title_path, row["title_path"]))
        if actual_enum != expected_enum:
            problems.append((key, "enum", actual_enum, expected_enum))
        if (field.pattern or "") != row["pattern"]:
            problems.append((key, "pattern", field.pattern, row["pattern"]))
    assert not problems, problems[:10]


def test_every_documented_deviation_is_real() -> None:
    """No stale rows: each documented status deviation is a plain string in some published version."""
    deviations = documented_deviations()
    assert deviations
    plain = set()
    for version in SUPPORTED_VERSIONS:
        for key, row in reference_rows(version).items():
            if key[1].endswith("/status") and not row["enum"]:
                plain.add(key)
    assert set(deviations) == plain


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_schemas_are_valid_draft_2020_12_with_versioned_ids(version: str) -> None:
    files = schemas(version)
    assert {
        "project.schema.json",
        "organisation.schema.json",
        "fund.schema.json",
        "pipeline.schema.json",
        "investment.schema.json",
        "outcome-metric.schema.json",
        "result.schema.json",
        "money.schema.json",
        "partial-date.schema.json",
        "value.schema.json",
        "package.schema.json",
    } <= set(files)
    for name, data in files.items():
        Draft202012Validator.check_schema(data)
        assert data["$id"].endswith(f"/{version}/{name}")
        assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert release(version)["version"] == version


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_every_field_has_a_description(version: str) -> None:
    for entity in ENTITIES:
        undescribed = [f.path for f in fields(version, entity) if not f.description.strip()]
        assert not undescribed, undescribed[:5]


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_records_link_to_components_with_ref(version: str) -> None:
    project = schemas(version)["project.schema.json"]
    text = str(project)
    for component in ("investment", "outcome-metric", "result", "money", "partial-date", "value"):
        assert f"'{component}.schema.json" in text, component
    registry(version)  # every linked file is in the offline registry
    investment = [
        f for f in fields(version, "project") if f.path == "/investments[]/organisation_role_category/value"
    ]
    assert investment and investment[0].enum


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_components_validate_on_their_own(version: str) -> None:
    from indigo_standard.registry import validator

    assert validator(version, "partial-date").is_valid("2020-06")
    assert not validator(version, "partial-date").is_valid("06/2020")
    assert validator(version, "money").is_valid({"currency": {"value": "GBP"}, "amount": {"value": 10}})
    assert not validator(version, "money").is_valid({"amount": {"value": "ten"}})
    assert validator(version, "value").is_valid({"value": "x", "status": "PUBLIC", "source_ids": "s1"})
    assert not validator(version, "value").is_valid({"value": "x", "status": "SECRET"})
    assert not validator(version, "investment").is_valid({"investment_type": {"value": "Loan"}})
    assert validator(version, "outcome-metric").is_valid({"id": "m1", "definition": {"value": "Jobs"}})
    assert not validator(version, "result").is_valid({"number_engaged_in_impact_bond": {"value": "many"}})


def test_codelists_have_code_and_title_columns() -> None:
    for version in SUPPORTED_VERSIONS:
        for name in ("countries.csv", "status.csv", "yes-no.csv"):
            rows = codelist(version, name)
            assert rows and {"code", "title"} <= set(rows[0])
    gb = [r for r in codelist("4.1", "countries.csv") if r["code"] == "GB"]
    assert gb and gb[0]["title"] == "United Kingdom"


def test_generator_reproduces_the_committed_schemas() -> None:
    pytest.importorskip("pycountry")
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_schemas.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_three_one_to_four_zero_differences_are_in_the_schemas() -> None:
    old = {f.path for f in fields("3.1", "project")}
    new = {f.path for f in fields("4.0", "project")}
    assert "/scenarios" in old and "/scenarios" not in new
    assert "/outcome_payment_plans" in new and "/outcome_payment_plans" not in old
    assert "/transactions[]/grant_id" in old and "/transactions[]/grant_id" not in new
    pipeline_41 = {f.path for f in fields("4.1", "pipeline")}
    assert "/purpose_and_classifications/policy_sector/early_childhood_education" in pipeline_41
    assert "/purpose_and_classifications/policy_sector/early_childhood_education" not in {
        f.path for f in fields("4.0", "pipeline")
    }

"""Maintainer tools: schema diff, lint, manifest (immutability) and the data dictionary."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from indigo_standard.maintainers import (
    check_manifest,
    diff,
    lint,
    load_schema_set,
    next_manifest,
    render_docs,
)
from indigo_standard.maintainers.lint import LINT_CODES
from indigo_standard.maintainers.manifest import ManifestError
from indigo_standard.maintainers.schemaset import SchemaSet, dump_json
from indigo_standard.versions import SUPPORTED_VERSIONS

ROOT = Path(__file__).resolve().parent.parent
CHANGELOG = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "indigo_standard", *args], capture_output=True, text=True, cwd=cwd, check=False
    )


def edited(version: str, edits: dict[str, Callable[[Any], Any] | str | None]) -> SchemaSet:
    """A copy of a bundled version with files edited in memory: a function edits parsed JSON,
    a string replaces the text, None deletes the file."""
    base = load_schema_set(version)
    texts = dict(base.texts)
    for name, edit in edits.items():
        if edit is None:
            texts.pop(name)
        elif isinstance(edit, str):
            texts[name] = edit
        else:
            data = json.loads(texts[name])
            edit(data)
            texts[name] = dump_json(data)
    return SchemaSet(f"edited-{version}", texts)


# -- diff --------------------------------------------------------------------------------------


def test_diff_40_41_is_minor() -> None:
    result = diff(load_schema_set("4.0"), load_schema_set("4.1"))
    assert result.required == "minor" and result.declared == "minor" and result.ok
    assert [(c.kind, c.schema, c.path) for c in result.changes] == [
        ("field-added", "pipeline", "/purpose_and_classifications/policy_sector/early_childhood_education")
    ]


def test_diff_31_40_is_major_with_reasons() -> None:
    result = diff(load_schema_set("3.1"), load_schema_set("4.0"))
    assert result.required == "major" and result.ok
    found = {(c.kind, c.schema, c.path): c for c in result.changes}
    assert found["field-removed", "project", "/scenarios"].level == "major"
    assert found["field-removed", "project", "/transactions[]/grant_id"].level == "major"
    assert found["field-added", "project", "/outcome_payment_plans"].level == "minor"
    respelled = found[
        "enum-value-renamed", "project", "/intermediary_services[]/organisation_role_category/value"
    ]
    assert respelled.level == "major" and "respelled" in respelled.message and "invalid" in respelled.reason
    assert all(c.reason for c in result.changes)


def test_the_31_patch_respelling_is_breaking_and_check_says_so(tmp_path: Path) -> None:
    old, new = "Financial and commercial modeling", "Financial and commercial modelling"
    patched = tmp_path / "3.1"
    source = load_schema_set("3.1")
    for name, text in source.texts.items():
        target = patched / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if name == "release.json":
            meta = json.loads(text)
            meta["patches"] = [{"version": "3.1.1", "date": "2026-12-01", "changes": "modelling respelled"}]
            text = dump_json(meta)
        elif (
            name == "project.schema.json"
            or name == "codelists/intermediary-services-organisation-role-category.csv"
        ):
            text = text.replace(old, new)
        target.write_text(text, encoding="utf-8")
    result = diff(source, load_schema_set(patched))
    assert result.declared == "patch" and result.required == "major" and not result.ok
    assert [c.kind for c in result.changes if c.level == "major"] == ["enum-value-renamed"]
    run = cli("schema", "diff", "3.1", str(patched), "--check")
    assert run.returncode == 1
    assert "respelled" in run.stdout and "need a major" in run.stderr
    assert cli("schema", "diff", "3.1", str(patched)).returncode == 0  # without --check it only reports


def _first(path: str) -> Callable[[Any], Any]:
    def walk(data: Any) -> Any:
        node = data
        for key in path.split("/"):
            node = node[key]
        return node

    return walk


FUND_NAME = "properties/name"
FUND_VALUE = "properties/name/properties/value"


@pytest.mark.parametrize(
    ("edit", "kind", "level"),
    [
        (lambda d: _first(FUND_VALUE)(d).update(type=["string", "number"]), "type-changed", "minor"),
        (lambda d: _first(FUND_VALUE)(d).update(type="number"), "type-changed", "major"),
        (lambda d: _first(FUND_VALUE)(d).update(pattern="^[A-Z]"), "pattern-tightened", "major"),
        (lambda d: _first(FUND_NAME)(d).update(required=["value"]), "required-added", "major"),
        (lambda d: d.update(required=[]), "required-removed", "minor"),
        (lambda d: _first(FUND_NAME)(d).update(title="Fund name"), "title-changed", "patch"),
        (lambda d: _first(FUND_NAME)(d).update(description="Its name."), "description-changed", "patch"),
        (lambda d: _first(FUND_VALUE)(d).update(enum=["A", "B"]), "enum-added", "major"),
        (lambda d: _first(FUND_VALUE)(d).update(minLength=3), "constraint-changed", "major"),
        (lambda d: _first(FUND_NAME)(d)["properties"].pop("value"), "field-removed", "major"),
    ],
)
def test_each_kind_of_change_is_classified(edit: Callable[[Any], Any], kind: str, level: str) -> None:
    def apply(data: Any) -> Any:
        edit(data)
        return data

    result = diff(load_schema_set("4.1"), edited("4.1", {"fund.schema.json": apply}))
    assert [(c.kind, c.level) for c in result.changes] == [(kind, level)]
    assert result.required == level


def test_enum_and_pattern_directions() -> None:
    def add_code(data: Any) -> Any:
        data["$defs"]["status"]["enum"].append("ARCHIVED")
        return data

    def drop_year_only(data: Any) -> Any:
        data["pattern"] = data["pattern"].split("|", 1)[1]
        return data

    result = diff(
        load_schema_set("4.1"),
        edited("4.1", {"value.schema.json": add_code, "partial-date.schema.json": drop_year_only}),
    )
    kinds = {(c.kind, c.level) for c in result.changes}
    assert ("enum-value-added", "minor") in kinds and ("pattern-tightened", "major") in kinds
    loosened = diff(edited("4.1", {"partial-date.schema.json": drop_year_only}), load_schema_set("4.1"))
    assert {(c.kind, c.level) for c in loosened.changes} == {("pattern-loosened", "minor")}
    removed = diff(edited("4.1", {"value.schema.json": add_code}), load_schema_set("4.1"))
    assert {c.kind for c in removed.changes} == {"enum-value-removed"}


def test_diff_cli_text_and_json() -> None:
    run = cli("schema", "diff", "3.1", "4.0", "--check")
    assert run.returncode == 0
    assert "MAJOR" in run.stdout and "/scenarios" in run.stdout
    data = json.loads(cli("schema", "diff", "4.0", "4.1", "--format", "json").stdout)
    assert data["required"] == "minor" and data["declared"] == "minor" and data["ok"] is True
    assert data["changes"][0]["reason"]
    same = cli("schema", "diff", "4.1", "4.1", "--check")
    assert same.returncode == 0 and "no changes" in same.stdout
    bad = cli("schema", "diff", "4.1", "7.0")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1


# -- lint --------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_lint_passes_on_bundled_schemas(version: str) -> None:
    assert [str(i) for i in lint(load_schema_set(version))] == []


def _drop(path: str, key: str) -> Callable[[Any], Any]:
    return lambda d: _first(path)(d).pop(key)


ORGANISATION = load_schema_set("4.1").texts["organisation.schema.json"]
PLANTED: dict[str, dict[str, Callable[[Any], Any] | str | None]] = {
    "json.invalid": {"fund.schema.json": ORGANISATION[:-20]},
    "json.duplicate-key": {
        "organisation.schema.json": ORGANISATION.replace(
            '"title": "Organisation",', '"title": "Organisation",\n  "title": "Org",', 1
        )
    },
    "json.format": {"organisation.schema.json": json.dumps(json.loads(ORGANISATION), indent=4) + "\n"},
    "field.title": {"fund.schema.json": _drop(FUND_NAME, "title")},
    "field.description": {"fund.schema.json": _drop(FUND_NAME, "description")},
    "codelist.mismatch": {"codelists/yes-no.csv": "code,title\nYes,Yes\nNo,No\nMaybe,Maybe\n"},
    "codelist.missing": {"codelists/status.csv": None},
    "codelist.unused": {"codelists/colours.csv": "code,title\nred,Red\n"},
    "ref.unresolved": {
        "money.schema.json": lambda d: d["properties"]["currency"].update(
            {"$ref": "https://example.org/currency.schema.json"}
        )
    },
    "defs.unused": {
        "value.schema.json": lambda d: d["$defs"].update(
            orphan={"title": "Orphan", "description": "Nothing uses this.", "type": "string"}
        )
    },
    "schema.unused": {
        "orphan.schema.json": dump_json(
            {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "$id": "https://indigo-standard.org/schema/4.1/orphan.schema.json",
                "title": "Orphan",
                "description": "Nothing refers to this schema.",
                "type": "string",
            }
        )
    },
    "id.version": {
        "money.schema.json": lambda d: d.update(
            {"$id": "https://indigo-standard.org/schema/4.0/money.schema.json"}
        )
    },
    "release.invalid": {"release.json": lambda d: d.update(standard_version="4.2.0")},
    "priority.unknown-field": {"priorities.json": lambda d: d["project"].update({"/no_such_field": 1})},
}


def test_every_lint_code_has_a_planted_defect() -> None:
    assert set(PLANTED) == set(LINT_CODES)


@pytest.mark.parametrize("code", sorted(PLANTED))
def test_lint_catches_each_planted_defect(code: str) -> None:
    issues = lint(edited("4.1", PLANTED[code]))
    assert issues and {i.code for i in issues} == {code}, [str(i) for i in issues]
    assert all(i.file and i.message for i in issues)


def test_an_empty_title_is_accepted_but_a_missing_one_is_not() -> None:
    def empty(data: Any) -> Any:
        _first(FUND_NAME)(data)["title"] = ""
        return data

    assert lint(edited("4.1", {"fund.schema.json": empty})) == []
    root = lint(edited("4.1", {"fund.schema.json": lambda d: d.update(title="")}))
    assert [(i.code, i.pointer) for i in root] == [("field.title", "")]


def test_lint_cli_on_bundled_and_on_a_broken_folder(tmp_path: Path) -> None:
    run = cli("schema", "lint")
    assert run.returncode == 0, run.stdout
    folder = tmp_path / "4.1"
    for name, text in edited("4.1", PLANTED["ref.unresolved"]).texts.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    broken = cli("schema", "lint", str(folder))
    assert broken.returncode == 1
    assert "ref.unresolved" in broken.stdout and "money.schema.json" in broken.stdout


# -- released versions are immutable ---------------------------------------------------------


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_released_files_match_their_manifest(version: str) -> None:
    """Fails when a released file changes without a patch in release.json, the manifest and CHANGELOG."""
    assert check_manifest(load_schema_set(version), CHANGELOG) == []


def test_a_changed_file_needs_a_patch_release() -> None:
    base = load_schema_set("4.1")
    manifest = json.loads(base.texts["manifest.json"])
    changed = edited("4.1", {"fund.schema.json": lambda d: d.update(description="Changed.")})
    problems = check_manifest(changed, CHANGELOG)
    assert len(problems) == 1 and "fund.schema.json" in problems[0]
    with pytest.raises(ManifestError, match="without a patch release"):
        next_manifest(changed.texts, changed.release, manifest)

    def patch(data: Any) -> Any:
        data["patches"].append({"version": "4.1.1", "date": "2026-12-01", "changes": "fund description"})
        return data

    patched = edited(
        "4.1", {"fund.schema.json": lambda d: d.update(description="Changed."), "release.json": patch}
    )
    new_manifest = next_manifest(patched.texts, patched.release, manifest)
    assert [e["release"] for e in new_manifest["releases"]] == ["4.1.0", "4.1.1"]
    assert new_manifest["releases"][0] == manifest["releases"][0], "history is never rewritten"
    texts = {**patched.texts, "manifest.json": dump_json(new_manifest)}
    recorded = SchemaSet("patched", texts)
    assert check_manifest(recorded, CHANGELOG) == ["patched: patch release 4.1.1 is not in the CHANGELOG"]
    assert check_manifest(recorded, CHANGELOG + "\n## [4.1.1]\n- fund description\n") == []


def test_the_generator_reproduces_the_committed_schema_folders() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_schemas.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_priorities_come_from_the_published_inventory() -> None:
    priorities = load_schema_set("4.1").priorities
    assert priorities["project"]["/alternative_names"] == 1
    assert set(priorities) == {"project"}


# -- the data dictionary ---------------------------------------------------------------------


def test_committed_reference_docs_match_the_generator() -> None:
    pages = render_docs(load_schema_set(v) for v in SUPPORTED_VERSIONS)
    folder = ROOT / "docs" / "reference"
    committed = {str(p.relative_to(folder)): p.read_text(encoding="utf-8") for p in folder.rglob("*.md")}
    assert sorted(committed) == sorted(pages), (
        "regenerate with: indigo-standard schema docs -o docs/reference"
    )
    stale = [name for name, text in pages.items() if committed[name] != text]
    assert stale == [], "regenerate with: indigo-standard schema docs -o docs/reference"


def test_docs_pages_have_every_field_with_its_priority(tmp_path: Path) -> None:
    run = cli("schema", "docs", "-o", str(tmp_path), "--schema", "4.1")
    assert run.returncode == 0, run.stderr
    page = (tmp_path / "4.1" / "project.md").read_text(encoding="utf-8")
    rows = [line for line in page.splitlines() if line.startswith("| `")]
    schemas = load_schema_set("4.1")
    assert len(rows) == len(schemas.fields("project"))
    assert re.search(r"^\| `/alternative_names` \| Alternative Names \| object \|.*\| 1 \|$", page, re.M)
    assert "`countries.csv` (" in page
    assert sorted(p.name for p in (tmp_path / "4.1").iterdir()) == [
        "fund.md",
        "organisation.md",
        "pipeline.md",
        "project.md",
    ]

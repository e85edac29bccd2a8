"""A dataset package that declares no schema version: the version.assumed warning, and nothing more."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import EXAMPLES, run_cli

import indigo_standard as indigo
from indigo_standard.registry import validator
from indigo_standard.versions import SUPPORTED_VERSIONS


def example_package() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / "package.json").read_text(encoding="utf-8"))
    return data


def test_a_plain_package_gets_only_the_assumed_version_warning() -> None:
    declared = example_package()
    plain = {key: declared[key] for key in ("projects", "organisations", "funds", "pipelines")}
    with_version = indigo.validate(declared)
    without = indigo.validate(plain)
    assert without.valid and without.errors == 0
    assert without.by_code.pop("version.assumed") == 1
    assert without.by_code == with_version.by_code
    assert "version.assumed" not in with_version.by_code
    assert [i.code for i in indigo.validate({"projects": []}).issues] == ["version.assumed"]


def test_the_envelope_schema_leaves_the_version_optional_but_checks_it() -> None:
    for version in SUPPORTED_VERSIONS:
        envelope = validator(version, "package")
        assert envelope.is_valid({"projects": [], "organisations": []})
        assert not envelope.is_valid({"schema_version": 4.1})
        assert not envelope.is_valid({"schema_version": "four"})
    report = indigo.validate({"schema_version": "4.1", "publisher": {}, "projects": []})
    assert [(i.code, i.path) for i in report.issues] == [("schema.required", "/publisher/name")]


def test_cli_accepts_a_plain_package(tmp_path: Path) -> None:
    declared = example_package()
    path = tmp_path / "plain.json"
    path.write_text(
        json.dumps({"projects": declared["projects"], "organisations": declared["organisations"]}),
        encoding="utf-8",
    )
    run = run_cli("validate", str(path), "--format", "json")
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(run.stdout)
    assert report["valid"] and report["errors"] == 0
    assert report["counts"]["by_code"]["version.assumed"] == 1
    assert report["records"] == len(declared["projects"]) + len(declared["organisations"])

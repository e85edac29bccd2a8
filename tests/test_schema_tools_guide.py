"""docs/maintainers.md, followed step by step on a throwaway 4.2 in a temporary folder."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from indigo_standard.maintainers import diff, lint, load_schema_set
from indigo_standard.migrations.step import StepContext

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "maintainers.md"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.M | re.S)


def blocks() -> list[tuple[str, str]]:
    return [(kind, body) for kind, body in BLOCK.findall(GUIDE.read_text(encoding="utf-8"))]


def test_the_guide_adds_42_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "docs" / "reference").mkdir(parents=True)
    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    step: Any = None
    ran = {"sh": 0, "python": 0}
    for kind, body in blocks():
        if kind == "sh":
            for line in body.splitlines():
                assert line.startswith("indigo-standard "), line
                args = shlex.split(line)[1:]
                run = subprocess.run(
                    [sys.executable, "-m", "indigo_standard", *args],
                    capture_output=True,
                    text=True,
                    cwd=tmp_path,
                    check=False,
                )
                assert run.returncode == 0, f"{line}\n{run.stdout}\n{run.stderr}"
            ran["sh"] += 1
        elif kind == "python":
            namespace: dict[str, Any] = {"__name__": "guide_block"}
            exec(compile(body, str(GUIDE), "exec"), namespace)
            step = namespace.get("STEP", step)
            ran["python"] += 1
    assert ran == {"sh": 5, "python": 2}

    new = load_schema_set(tmp_path / "schema" / "4.2")
    assert new.release["standard_version"] == "4.2.0"
    assert lint(new) == []
    result = diff(load_schema_set("4.1"), new)
    assert result.required == "minor" and result.declared == "minor" and result.ok
    assert [(c.kind, c.schema, c.path) for c in result.changes] == [
        ("field-added", "pipeline", "/purpose_and_classifications/policy_sector/green_jobs")
    ]

    page = (tmp_path / "docs" / "reference" / "4.2" / "pipeline.md").read_text(encoding="utf-8")
    assert "`/purpose_and_classifications/policy_sector/green_jobs/value`" in page
    assert "(release 4.2.0)" in page

    manifest = json.loads((tmp_path / "schema" / "4.2" / "manifest.json").read_text(encoding="utf-8"))
    assert [entry["release"] for entry in manifest["releases"]] == ["4.2.0"]

    pipeline = json.loads((ROOT / "examples" / "pipeline.json").read_text(encoding="utf-8"))
    pipeline["purpose_and_classifications"]["policy_sector"]["green_jobs"] = {"value": "Yes"}
    assert step is not None and (step.source, step.target) == ("4.1", "4.2")
    upgraded = step.apply(pipeline, StepContext("pipeline", pipeline["id"], "4.1", "4.2"))
    assert list(new.validator("pipeline").iter_errors(upgraded)) == []
    upgraded["purpose_and_classifications"]["policy_sector"]["green_jobs"] = {"value": "Maybe"}
    assert list(new.validator("pipeline").iter_errors(upgraded)), "the new field's enum is enforced"

    # released means immutable: a later edit without a patch release is caught
    fund = tmp_path / "schema" / "4.2" / "fund.schema.json"
    fund.write_text(
        fund.read_text(encoding="utf-8").replace("outcomes fund", "outcome fund", 1), encoding="utf-8"
    )
    check = subprocess.run(
        [sys.executable, "-m", "indigo_standard", "schema", "manifest", "schema/4.2", "--check"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert check.returncode == 1 and "fund.schema.json" in check.stdout

"""The publication filter on hand-written records, and the publish command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from indigo_standard import publish
from indigo_standard.publishing.filter import FilterSummary

RECORD: dict[str, Any] = {
    "id": "INDIGO-POJ-0100",
    "status": "PUBLIC",
    "name": {"value": "Visible name", "status": "PUBLIC", "source_ids": "s1"},
    "overall_project_finance": {
        "maximum_potential_return": {"value": "secret return", "status": "PRIVATE", "source_ids": "s2"},
        "source_ids": "s1",
    },
    "notes": {"value": "disputed note", "status": "DISPUTED"},
    "results": [
        {
            "status": "SANDBOX",
            "sandboxes": "alpha, beta",
            "outcomes_achieved": {"value": "sandboxed result"},
            "notes": {"value": "inner sandbox", "status": "SANDBOX"},
        },
        {"status": "PUBLIC", "outcomes_achieved": {"value": "public result"}, "source_ids": "s2,s3"},
    ],
    "investments": [{"id": "inv1", "status": "PRIVATE", "organisation_id": {"value": "INDIGO-ORG-9"}}],
    "sources": [
        {"id": "s1", "name": {"value": "public source"}},
        {"id": "s2", "name": {"value": "cited by private and public"}},
        {"id": "s3", "status": "PRIVATE", "name": {"value": "private source"}},
        {"id": "s4", "name": {"value": "never cited"}},
        {"id": "s5", "name": {"value": "cited only privately"}},
    ],
    "dates": {"outcomes_contract_signed": {"value": "2019", "status": "PRIVATE", "source_ids": "s5"}},
}


def test_public_view() -> None:
    summary = FilterSummary()
    out = publish(RECORD, summary=summary)
    text = json.dumps(out)
    for hidden in (
        "secret return",
        "disputed note",
        "sandboxed result",
        "inner sandbox",
        "INDIGO-ORG-9",
        "private source",
        "cited only privately",
        '"s3"',
        '"s5"',
        "status",
        "sandboxes",
    ):
        assert hidden not in text, hidden
    assert out["name"] == {"value": "Visible name", "source_ids": "s1"}
    assert out["overall_project_finance"] == {"source_ids": "s1"}
    assert out["results"] == [{"outcomes_achieved": {"value": "public result"}, "source_ids": "s2"}]
    assert "investments" not in out and "dates" not in out
    assert [s["id"] for s in out["sources"]] == ["s1", "s2", "s4"]
    assert summary.sources_removed == 1 and summary.records_kept == 1


def test_sandbox_view_inherits_the_item_list() -> None:
    out = publish(RECORD, sandbox="beta")
    assert out["results"][0] == {
        "outcomes_achieved": {"value": "sandboxed result"},
        "notes": {"value": "inner sandbox"},
    }
    assert publish(RECORD, sandbox="gamma")["results"] == publish(RECORD)["results"]


def test_missing_status_and_unknown_statuses() -> None:
    bare = {"id": "INDIGO-ORG-1", "name": {"value": "n"}}
    assert publish(bare) is None
    assert publish(bare, missing_status="public") == bare
    summary = FilterSummary()
    assert publish([{**bare, "status": "Public"}, {**bare, "status": "PUBLIC"}], summary=summary) == [bare]
    assert summary.unknown_statuses == {"'Public'": 1}


def test_package_keeps_envelope() -> None:
    package = {
        "schema_version": "4.1",
        "publisher": {"name": "P"},
        "projects": [RECORD, {**RECORD, "status": "PRIVATE"}],
    }
    out = publish(package)
    assert out["publisher"] == {"name": "P"} and len(out["projects"]) == 1


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "indigo_standard", *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )


def test_publish_command(tmp_path: Path) -> None:
    (tmp_path / "in.json").write_text(
        json.dumps([RECORD, {**RECORD, "id": "INDIGO-POJ-2", "status": "PRIVATE"}])
    )
    done = run_cli("publish", "in.json", "-o", "out.jsonl", "--sandbox", "alpha", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "kept 1 of 2 records" in done.stdout
    lines = (tmp_path / "out.jsonl").read_text().splitlines()
    assert len(lines) == 1 and "sandboxed result" in lines[0] and "secret return" not in lines[0]


def test_publish_command_bad_input_keeps_old_output(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{not json")
    (tmp_path / "out.json").write_text("old")
    done = run_cli("publish", "bad.json", "-o", "out.json", cwd=tmp_path)
    assert done.returncode == 2 and "bad.json" in done.stderr and "Traceback" not in done.stderr
    assert (tmp_path / "out.json").read_text() == "old"
    assert run_cli("publish", "bad.json", "-o", "out.csv", cwd=tmp_path).returncode == 2

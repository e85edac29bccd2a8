"""Checks across a dataset, and the CLI around checks: listing, selection, limits, docs, plug-ins."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

from conftest import ROOT, run_cli

import indigo_standard as indigo
from indigo_standard.checks import builtin_checks, render_docs


def val(value: Any) -> dict[str, Any]:
    return {"value": value}


def package(**lists: Any) -> dict[str, Any]:
    return {"schema_version": "4.1", **lists}


ORG = {"id": "INDIGO-ORG-0001", "name": val("Org")}


def codes(data: Any, code: str) -> list[tuple[str | None, str]]:
    report = indigo.validate(data, only=[code])
    return [(i.record, i.path) for i in report.issues]


def test_unknown_organisation_only_when_the_dataset_has_organisations() -> None:
    proj = {
        "id": "INDIGO-POJ-0001",
        "investments": [
            {"id": "i1", "organisation_id": val("INDIGO-ORG-0001")},
            {"id": "i2", "organisation_id": val("INDIGO-ORG-0404")},
        ],
    }
    assert codes(package(projects=[proj], organisations=[ORG]), "dataset.unknown-organisation") == [
        ("INDIGO-POJ-0001", "/investments/1/organisation_id/value")
    ]
    assert codes(package(projects=[proj]), "dataset.unknown-organisation") == []
    fine = {"id": "INDIGO-FUND-0001", "organisations": [{"organisation_id": val("INDIGO-ORG-0001")}]}
    assert codes(package(funds=[fine], organisations=[ORG]), "dataset.unknown-organisation") == []


def test_unknown_fund() -> None:
    proj = {
        "id": "INDIGO-POJ-0001",
        "outcome_funds": [{"id": "INDIGO-FUND-0001"}, {"id": "INDIGO-FUND-0009"}],
    }
    fund = {"id": "INDIGO-FUND-0001", "name": val("Fund")}
    assert codes(package(projects=[proj], funds=[fund]), "dataset.unknown-fund") == [
        ("INDIGO-POJ-0001", "/outcome_funds/1/id")
    ]
    proj["outcome_funds"] = proj["outcome_funds"][:1]
    assert codes(package(projects=[proj], funds=[fund]), "dataset.unknown-fund") == []


def test_unknown_project() -> None:
    pipe = {"id": "INDIGO-PL-0001", "projects": [{"project": val("INDIGO-POJ-0002")}]}
    proj = {"id": "INDIGO-POJ-0001"}
    assert codes(package(projects=[proj], pipelines=[pipe]), "dataset.unknown-project") == [
        ("INDIGO-PL-0001", "/projects/0/project/value")
    ]
    pipe["projects"] = [{"project": val("INDIGO-POJ-0001")}]
    assert codes(package(projects=[proj], pipelines=[pipe]), "dataset.unknown-project") == []


def org(rid: str, *controllers: str) -> dict[str, Any]:
    return {"id": rid, "controlled_by": [{"organisation_id": val(c)} for c in controllers]}


def test_control_cycle_reported_once_with_its_path() -> None:
    orgs = [
        org("INDIGO-ORG-0001", "INDIGO-ORG-0002"),
        org("INDIGO-ORG-0002", "INDIGO-ORG-0003"),
        org("INDIGO-ORG-0003", "INDIGO-ORG-0001"),
        org("INDIGO-ORG-0004", "INDIGO-ORG-0001"),
    ]
    report = indigo.validate(package(organisations=orgs), only=["dataset.control-cycle"])
    assert len(report.issues) == 1
    assert report.issues[0].message == (
        "controlled_by goes round in a circle: "
        "INDIGO-ORG-0001 -> INDIGO-ORG-0002 -> INDIGO-ORG-0003 -> INDIGO-ORG-0001"
    )
    chain = [
        org("INDIGO-ORG-0001", "INDIGO-ORG-0002"),
        org("INDIGO-ORG-0002"),
        org("INDIGO-ORG-0003", "INDIGO-ORG-0002"),
    ]
    assert codes(package(organisations=chain), "dataset.control-cycle") == []
    assert codes(
        package(organisations=[org("INDIGO-ORG-0009", "INDIGO-ORG-0009")]), "dataset.control-cycle"
    ) == [("INDIGO-ORG-0009", "/controlled_by/0/organisation_id/value")]


def test_dataset_checks_span_files(tmp_path: Path) -> None:
    (tmp_path / "org.json").write_text(json.dumps(ORG), encoding="utf-8")
    proj = {
        "id": "INDIGO-POJ-0001",
        "service_provisions": [{"id": "s", "organisation_id": val("INDIGO-ORG-0002")}],
    }
    (tmp_path / "proj.json").write_text(json.dumps(proj), encoding="utf-8")
    result = run_cli("validate", "--format", "json", "--only", "dataset.unknown-organisation", str(tmp_path))
    report = json.loads(result.stdout)
    assert result.returncode == 1
    [issue] = report["issues"]
    assert issue["source"]["file"].endswith("proj.json")
    assert issue["title"] == "Service Provisions - Organisation ID - (Value)"


def defect_project() -> dict[str, Any]:
    """One project with a defect of several kinds, each reported at its own path."""
    return {
        "id": "INDIGO-POJ-0100",
        "name": val("Defects"),
        "dates": {
            "outcomes_contract_signed": val("2020-02"),
            "start_date_of_service_provision": val("2020-01"),
            "source_ids": "s1,s2",
        },
        "sources": [{"id": "s1"}, {"id": "s1"}],
        "outcome_metrics": [{"id": "m1", "primary_sdg_goal": val("20")}],
        "results": [
            {
                "outcome_metric_id": val("m9"),
                "number_engaged_in_impact_bond": val(3),
                "number_with_positive_social_outcomes": val(4),
            }
        ],
    }


def test_validate_reports_each_defect_at_its_path(tmp_path: Path) -> None:
    path = tmp_path / "defects.json"
    path.write_text(json.dumps(defect_project()), encoding="utf-8")
    result = run_cli("validate", "--format", "json", "--schema-version", "4.1", str(path))
    assert result.returncode == 1
    report = json.loads(result.stdout)
    found = {(i["code"], i["path"]) for i in report["issues"]}
    assert found >= {
        ("date.order", "/dates/start_date_of_service_provision/value"),
        ("reference.unknown-source", "/dates/source_ids"),
        ("record.duplicate-id", "/sources/1/id"),
        ("sdg.goal", "/outcome_metrics/0/primary_sdg_goal/value"),
        ("reference.unknown-outcome-metric", "/results/0/outcome_metric_id/value"),
        ("result.positive-exceeds-engaged", "/results/0/number_with_positive_social_outcomes/value"),
    }
    for issue in report["issues"]:
        assert set(issue) >= {"severity", "code", "entity", "record", "path", "title", "message"}
    assert report["counts"]["by_severity"]["error"] == report["errors"]
    assert sum(report["counts"]["by_code"].values()) == len(report["issues"])
    assert sum(group["count"] for group in report["groups"]) == len(report["issues"])


def test_groups_keep_every_location_each_on_one_line(tmp_path: Path) -> None:
    proj = {
        "id": "INDIGO-POJ-0001",
        "outcome_metrics": [{"id": "m1"}],
        "results": [{"outcome_metric_id": val(f"missing-{n}")} for n in range(3)],
    }
    path = tmp_path / "p.json"
    path.write_text(json.dumps(proj), encoding="utf-8")
    result = run_cli("validate", "--format", "json", "--only", "reference.unknown-outcome-metric", str(path))
    [group] = json.loads(result.stdout)["groups"]
    assert group["count"] == 3 and group["field"] == "/results[]/outcome_metric_id/value"
    assert [loc["path"] for loc in group["locations"]] == [
        f"/results/{n}/outcome_metric_id/value" for n in range(3)
    ]
    text = run_cli("validate", "--only", "reference.unknown-outcome-metric", str(path)).stdout
    assert f"    - {path}: project INDIGO-POJ-0001 at /results/2/outcome_metric_id/value" in text.splitlines()
    assert "ERROR reference.unknown-outcome-metric (3 issues)" in text
    assert text.count("outcome metric 'missing-") == 3


def test_max_issues_marks_the_report_partial(tmp_path: Path) -> None:
    path = tmp_path / "defects.json"
    path.write_text(json.dumps(defect_project()), encoding="utf-8")
    full = json.loads(run_cli("validate", "--format", "json", str(path)).stdout)
    cut = json.loads(run_cli("validate", "--format", "json", "--max-issues", "2", str(path)).stdout)
    assert cut["partial"] is True and full["partial"] is False
    assert len(cut["issues"]) == 2 and cut["errors"] == full["errors"] and cut["valid"] is False
    text = run_cli("validate", "--max-issues", "2", str(path))
    assert text.returncode == 1 and "Partial report: showing 2 of" in text.stdout
    bad = run_cli("validate", "--max-issues", "0", str(path))
    assert bad.returncode == 2 and "--max-issues" in bad.stderr and "Traceback" not in bad.stderr


def test_skip_only_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "defects.json"
    path.write_text(json.dumps(defect_project()), encoding="utf-8")
    only = json.loads(
        run_cli("validate", "--format", "json", "--only", "sdg.goal,date.order", str(path)).stdout
    )
    assert {i["code"] for i in only["issues"]} == {"sdg.goal", "date.order"}
    skipped = json.loads(run_cli("validate", "--format", "json", "--skip", "sdg.goal", str(path)).stdout)
    assert "sdg.goal" not in {i["code"] for i in skipped["issues"]} and skipped["issues"]
    unknown = run_cli("validate", "--skip", "sdg.nope", str(path))
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1 and "sdg.nope" in unknown.stderr


def test_checks_command_lists_every_check() -> None:
    result = run_cli("checks", "--format", "json")
    assert result.returncode == 0
    listed = json.loads(result.stdout)
    assert [c["code"] for c in listed][: len(builtin_checks())] == [c.code for c in builtin_checks()]
    assert all(c["description"] and c["types"] and c["versions"] for c in listed)
    text = run_cli("checks").stdout
    assert "dataset.control-cycle  error, dataset" in text
    assert all(len(line) <= 80 for line in text.splitlines())


def test_checks_docs_are_current() -> None:
    assert (ROOT / "docs" / "checks.md").read_text(encoding="utf-8") == render_docs()
    for check in builtin_checks():
        assert f"`{check.code}`" in render_docs()


PLUGIN = """
from indigo_standard.catalogue import CodeInfo
from indigo_standard.checks import Check, Finding


def long_name(ctx):
    name = (ctx.data.get("name") or {}).get("value")
    if isinstance(name, str) and len(name) > 10:
        yield Finding("/name/value", {"length": len(name)})


CHECKS = [Check(
    info=CodeInfo(code="acme.long-name", severity="warning", title="Long name",
                  description="A project's name is over 10 characters.",
                  message="the name is {length} characters long",
                  applies_to={"types": ["project"], "versions": ["4.1"]}, scope="record"),
    record=long_name,
)]
"""


def install_plugin(site: Path) -> None:
    """A real distribution on a path entry: the module plus a dist-info naming its entry point."""
    (site / "acme_checks.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    dist = site / "acme_checks-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: acme-checks\nVersion: 1.0\n", encoding="utf-8"
    )
    (dist / "entry_points.txt").write_text(
        "[indigo_standard.checks]\nlong_name = acme_checks:CHECKS\n", encoding="utf-8"
    )


def test_a_plugin_adds_a_check_through_the_entry_point(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    install_plugin(site)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    record = tmp_path / "p.json"
    record.write_text(
        json.dumps({"id": "INDIGO-POJ-0001", "name": val("A rather long name")}), encoding="utf-8"
    )

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return run_cli(*args, env=env, timeout=120)

    listed = json.loads(cli("checks", "--format", "json").stdout)
    [plugin] = [c for c in listed if c["code"] == "acme.long-name"]
    assert plugin["origin"] == "acme-checks" and plugin["types"] == ["project"]
    report = json.loads(cli("validate", "--format", "json", "--schema-version", "4.1", str(record)).stdout)
    [issue] = [i for i in report["issues"] if i["code"] == "acme.long-name"]
    assert issue["message"] == "the name is 18 characters long" and issue["path"] == "/name/value"
    assert issue["severity"] == "warning"
    skipped = json.loads(cli("validate", "--format", "json", "--skip", "acme.long-name", str(record)).stdout)
    assert "acme.long-name" not in {i["code"] for i in skipped["issues"]}
    # without the plug-in the code is unknown
    assert run_cli("validate", "--skip", "acme.long-name", str(record)).returncode == 2


def test_a_broken_plugin_is_one_line_error(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    install_plugin(site)
    (site / "acme_checks.py").write_text("raise RuntimeError('boom')\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run(
        [sys.executable, "-m", "indigo_standard", "checks"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert result.returncode == 2
    assert "check plugin 'long_name'" in result.stderr and "boom" in result.stderr
    assert "Traceback" not in result.stderr

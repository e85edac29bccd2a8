"""The report command: statistics, errors by priority per record, the data store's counts, output files."""

from __future__ import annotations

import copy
import json
import os
import stat
import struct
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, FIXTURES, REAL_ERRORS, ROOT, run_cli
from jsonschema import Draft202012Validator

from indigo_standard.report.quality import PriorityCounts, field_priority
from indigo_standard.validation.schema_issues import issues_from_errors

EXPORT = FIXTURES / "golab-indigo-export"


@pytest.fixture(scope="session")
def export_report() -> dict[str, Any]:
    """The JSON report of the real GO Lab export (made once)."""
    result = run_cli("report", "--format", "json", str(EXPORT))
    assert result.returncode == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def _project() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / "project.json").read_text(encoding="utf-8"))
    return data


def _write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_json_report_counts_records_and_completeness() -> None:
    result = run_cli("report", "--format", "json", str(EXAMPLES / "package.json"))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert json.dumps(report["records"]) == json.dumps(
        {"fund": 1, "organisation": 7, "pipeline": 1, "project": 1}
    )
    project = report["completeness"]["project"]
    assert [level["priority"] for level in project["priorities"]] == ["1", "2", "3", "none"]
    fields = {f["path"]: f for level in project["priorities"] for f in level["fields"]}
    assert fields["/name/value"]["share"] == 1.0
    assert fields["/dates/actual_completion_date/value"]["share"] == 0.0
    assert report["validation"]["records"] == 10 and "groups" in report["validation"]
    assert report["public_only"] is False


def test_the_data_store_counts_agree_on_the_real_export(export_report: dict[str, Any]) -> None:
    # the counts the GO Lab data store's data-quality report gives for the same data
    by_code = export_report["validation"]["counts"]["by_code"]
    assert by_code["schema.enum"] == 134
    assert by_code["schema.type"] == 106
    assert by_code.get("schema.partial-date", 0) + by_code.get("schema.pattern", 0) == 15
    assert by_code["reference.unknown-source"] == 1049
    assert "schema.not-set" not in by_code  # the CSV export stores no nulls


def test_group_level_notes_and_sources_fill_rates(export_report: dict[str, Any]) -> None:
    notes = {share["path"]: share for share in export_report["notes_and_sources"]["project"]}
    assert notes, "no notes or source_ids fields counted"
    dates = notes["/dates/source_ids"]
    assert (dates["with_value"], export_report["records"]["project"]) == (304, 319)
    assert type(dates["with_value"]) is int and dates["share"] == round(304 / 319, 4)
    assert all("[]" not in path and path.endswith(("/notes", "/source_ids")) for path in notes)


def test_records_with_at_least_one_item_per_list(export_report: dict[str, Any]) -> None:
    lists = {share["path"]: share for share in export_report["lists"]["project"]}
    assert lists, "no lists counted"
    assert lists["/delivery_locations"]["with_value"] == 319
    assert 0 < lists["/outcome_metrics"]["with_value"] <= 319
    assert lists["/outcome_metrics"]["title"] == "Outcome Metrics"
    assert all(0 <= share["with_value"] <= 319 for share in lists.values())


def test_errors_by_priority_and_the_ranking_on_the_real_export(export_report: dict[str, Any]) -> None:
    priorities = export_report["priorities"]
    totals = priorities["errors_by_priority"]
    assert json.dumps(totals) == json.dumps({"0": REAL_ERRORS, "1": 0, "2": 0, "3": 0})
    assert totals["0"] == export_report["validation"]["errors"]
    ranked = priorities["records"]
    assert ranked and priorities["ranked_at"] == 0
    counts = [item["errors_by_priority"]["0"] for item in ranked]
    assert counts == sorted(counts, reverse=True) and counts[0] > 0
    # every error of a record is counted once: the per-record counts add up to the errors in records
    in_records = sum(
        1
        for issue in export_report["validation"]["issues"]
        if issue["severity"] == "error" and issue["record"]
    )
    assert sum(counts) == in_records


def test_null_values_are_not_set_and_count_at_their_fields_priority(tmp_path: Path) -> None:
    project = _project()
    project["dates"]["outcomes_contract_signed"]["value"] = None  # priority 1
    project["outcome_metrics"][0]["definition"] = {"value": None}  # priority 2
    project["name"]["value"] = None  # no priority: counts as 3
    project["purpose_and_classifications"]["policy_sector"] = {"value": "Not a sector"}  # wrong: priority 0
    second = copy.deepcopy(_project())
    second["id"] = "INDIGO-POJ-9000"
    second["dates"]["outcomes_contract_signed"]["value"] = None
    second["dates"]["start_date_of_service_provision"] = {"value": None}
    pipeline = json.loads((EXAMPLES / "pipeline.json").read_text(encoding="utf-8"))
    pipeline["name"] = {"value": None}  # pipelines have no priorities: 3
    path = _write(tmp_path / "list.json", [project, second, pipeline])
    result = run_cli("report", "--format", "json", "--schema-version", "4.1", "--priority", "1", str(path))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    not_set = [i for i in report["validation"]["issues"] if i["code"] == "schema.not-set"]
    assert {i["path"] for i in not_set} >= {"/dates/outcomes_contract_signed/value", "/name/value"}
    assert all(i["message"] == "no value: the field is null" for i in not_set)
    assert "schema.type" not in report["validation"]["counts"]["by_code"]
    ranked = {item["record"]: item["errors_by_priority"] for item in report["priorities"]["records"]}
    assert json.dumps(ranked[project["id"]]) == json.dumps({"0": 1, "1": 1, "2": 1, "3": 1})
    assert json.dumps(ranked["INDIGO-POJ-9000"]) == json.dumps({"0": 0, "1": 2, "2": 0, "3": 0})
    # ranked at priority 1: the record with two such errors first; the pipeline has none at 1
    assert [item["record"] for item in report["priorities"]["records"]] == ["INDIGO-POJ-9000", project["id"]]
    assert json.dumps(report["priorities"]["errors_by_priority"]) == json.dumps(
        {"0": 1, "1": 3, "2": 1, "3": 2}
    )


def test_field_priorities_follow_the_standard() -> None:
    assert field_priority("project", "/dates/outcomes_contract_signed/value") == 1
    assert field_priority("project", "/outcome_metrics/3/definition/value") == 2
    assert field_priority("project", "/investment_details/total_funds_invested/latest/currency/value") == 3
    assert field_priority("project", "/name/value") == 3  # no priority
    assert field_priority("pipeline", "/dates/outcomes_contract_signed/value") == 3
    assert field_priority(None, "/x") == 3


def test_lists_with_too_few_items_are_errors_at_priority_0() -> None:
    schema = {
        "type": "object",
        "properties": {
            "sources": {"type": "array", "minItems": 1},
            "outcome_metrics": {"type": "array", "minItems": 2},
        },
    }
    record = _project()
    record["sources"] = []
    record["outcome_metrics"] = record["outcome_metrics"][:1]
    errors = Draft202012Validator(schema).iter_errors(record)
    issues = issues_from_errors(errors, version="4.1", entity="project", record_id=record["id"])
    assert [(i.code, i.path, i.message) for i in issues] == [
        ("schema.min-items", "/outcome_metrics", "the list must have at least 2 items; it has 1"),
        ("schema.min-items", "/sources", "the list must have at least 1 item; it has 0"),
    ]
    assert issues[0].title == "Outcome Metrics"
    counts = PriorityCounts()
    counts.extend(issues)
    assert counts.totals == [2, 0, 0, 0]


def test_statistics_on_public_data_only(tmp_path: Path) -> None:
    public = _project()
    public["status"] = "PUBLIC"
    public["dates"]["outcomes_contract_signed"]["status"] = "PRIVATE"
    private = copy.deepcopy(_project())
    private["id"], private["status"] = "INDIGO-POJ-9001", "PRIVATE"
    unmarked = copy.deepcopy(_project())
    unmarked["id"] = "INDIGO-POJ-9002"  # no status: not public (the filter fails closed)
    path = _write(tmp_path / "list.json", [public, private, unmarked])
    everything = json.loads(
        run_cli("report", "--format", "json", "--schema-version", "4.1", str(path)).stdout
    )
    result = run_cli("report", "--format", "json", "--schema-version", "4.1", "--public", str(path))
    assert result.returncode == 0, result.stderr
    only_public = json.loads(result.stdout)
    assert everything["records"] == {"project": 3} and only_public["records"] == {"project": 1}
    assert only_public["public_only"] is True

    def filled(report: dict[str, Any], path: str) -> int:
        fields = {
            f["path"]: f for level in report["completeness"]["project"]["priorities"] for f in level["fields"]
        }
        count: int = fields[path]["with_value"]
        return count

    assert filled(everything, "/dates/outcomes_contract_signed/value") == 3
    assert filled(only_public, "/dates/outcomes_contract_signed/value") == 0  # its value is private
    assert filled(only_public, "/name/value") == 1
    # the issues still cover all the data
    assert only_public["validation"]["records"] == 3
    text = run_cli("report", "--public", "--schema-version", "4.1", str(path)).stdout
    assert text.startswith("Public records (the publication filter's view)\n\n  project              1\n")
    none = run_cli("report", "--public", "--schema-version", "4.1", str(EXAMPLES / "project.json")).stdout
    assert none.startswith("Public records (the publication filter's view)\n\n  None: no record is public")


def test_text_report_sections_and_lines_unwrapped_when_piped() -> None:
    result = run_cli("report", str(EXPORT))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for heading in (
        "Records\n",
        "Errors by priority\n",
        "Records with the most priority 0 errors (top 10 of ",
        "Completeness of project records (319)\n",
        "  Lists: records with at least one item\n",
        "  Notes and sources: records that fill them in\n",
        "Issues\n",
    ):
        assert heading in out
    assert "     95%  /dates/source_ids (304 of 319)\n" in out
    assert "    128  INDIGO-POJ-0193 (project; P1 0, P2 0, P3 0)\n" in out
    # piped: nothing is wrapped, so each field title stays on its line
    assert any(len(line) > 80 for line in out.splitlines())
    assert "\x1b[" not in out
    assert out.rstrip("\n").endswith("sdg.target 4")


def test_html_report_is_self_contained(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run_cli("report", "--format", "html", "-o", str(out), str(EXAMPLES))
    assert result.returncode == 0 and result.stdout == "" and result.stderr == ""
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.count("<script>") == 1
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    for remote in ("src=", "<link", "@import", "url(", "http://", "https://"):
        assert remote not in html, remote
    assert html.index('id="summary"') < html.index('id="issues"') < html.index('id="completeness"')


def test_report_output_is_written_with_normal_permissions(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = run_cli("report", "--format", "json", "-o", str(out), str(EXAMPLES / "package.json"))
    assert result.returncode == 0 and result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["validation"]["records"] == 10
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left


def test_report_output_is_not_clobbered_by_a_failed_run(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    out.write_text("previous", encoding="utf-8")
    result = run_cli("report", "--format", "html", "-o", str(out), str(tmp_path / "missing.json"))
    assert result.returncode == 2 and "missing.json" in result.stderr
    assert out.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


@pytest.mark.parametrize("target", ["missing-folder/report.txt", "."])
def test_an_output_that_cannot_be_written_is_refused_before_the_run(tmp_path: Path, target: str) -> None:
    result = run_cli("report", "-o", str(tmp_path / target), str(EXAMPLES))
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr


def test_the_readme_shows_the_screenshot_the_browser_test_makes() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "![The HTML report of the GO Lab export" in readme and "(docs/html-report.png)" in readme
    png = (ROOT / "docs" / "html-report.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (1280, 900)
    first_screen = "\n".join(readme.splitlines()[:25])
    assert "pip install '.[fast]'" in first_screen and "pip install -e '.[test]'" in first_screen


def test_public_statistics_of_data_without_statuses_need_missing_status_public(
    export_report: dict[str, Any],
) -> None:
    """The GO Lab export carries no statuses: --public alone counts nothing (and says how to count
    it); with --missing-status public, as publish takes it, every record and value counts."""
    alone = run_cli("report", "--format", "json", "--public", str(EXPORT))
    assert alone.returncode == 0, alone.stderr
    nothing = json.loads(alone.stdout)
    assert nothing["records"] == {} and nothing["missing_status"] == "private"
    result = run_cli("report", "--format", "json", "--public", "--missing-status", "public", str(EXPORT))
    assert result.returncode == 0, result.stderr
    public = json.loads(result.stdout)
    assert json.dumps(public["records"]) == json.dumps(export_report["records"])
    assert public["records"] == {"fund": 21, "organisation": 1549, "pipeline": 132, "project": 319}
    assert public["public_only"] is True and public["missing_status"] == "public"
    assert export_report["missing_status"] is None

    def counts(report: dict[str, Any], entity: str) -> dict[str, int]:
        levels = report["completeness"][entity]["priorities"]
        return {f["path"]: f["with_value"] for level in levels for f in level["fields"]}

    everything, shown = counts(export_report, "project"), counts(public, "project")
    assert everything == shown and everything["/name/value"] == 319 and sum(map(bool, shown.values())) > 150
    changed = {
        path
        for path, count in counts(export_report, "organisation").items()
        if counts(public, "organisation")[path] != count
    }
    assert changed and all(path.startswith("/sources[]/") for path in changed)  # sources no value cites
    text = run_cli("report", "--public", str(EXAMPLES / "project.json")).stdout
    assert "no record is public (a record without a status is not; for data that has no statuses" in text
    refused = run_cli("report", "--missing-status", "public", str(EXAMPLES / "project.json"))
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and "add --public" in refused.stderr

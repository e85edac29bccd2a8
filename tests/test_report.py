"""The report command: statistics by priority, records per type, grouped issues; HTML in a browser."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLES, run_cli

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def test_json_report_counts_records_and_completeness() -> None:
    result = run_cli("report", "--format", "json", str(EXAMPLES / "package.json"))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["records"] == {"fund": 1, "organisation": 7, "pipeline": 1, "project": 1}
    project = report["completeness"]["project"]
    assert [level["priority"] for level in project["priorities"]] == ["1", "2", "3", "none"]
    fields = {f["path"]: f for level in project["priorities"] for f in level["fields"]}
    assert fields["/name/value"]["share"] == 1.0
    assert fields["/dates/actual_completion_date/value"]["share"] == 0.0
    assert report["validation"]["records"] == 10 and "groups" in report["validation"]


def test_text_report_fits_80_columns() -> None:
    result = run_cli("report", str(EXAMPLES))
    assert result.returncode == 0
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    assert "Completeness of project records (2)" in result.stdout
    assert "Priority 1:" in result.stdout and "Issues" in result.stdout


def test_html_report_is_self_contained(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run_cli("report", "--format", "html", "-o", str(out), str(EXAMPLES))
    assert result.returncode == 0 and result.stdout == ""
    html = out.read_text(encoding="utf-8")
    assert "<svg" in html and 'class="completeness"' in html
    for remote in ("http://", "https://", "<script", "<link", "@import"):
        assert remote not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install -y chromium)")
def test_html_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert run_cli("report", "--format", "html", "-o", str(out), str(EXAMPLES)).returncode == 0
    assert CHROMIUM is not None
    base = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dom = subprocess.run(
        [*base, "--dump-dom", out.as_uri()], capture_output=True, text=True, timeout=120, check=False
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "Completeness by priority" in dom.stdout and "<rect" in dom.stdout
    assert dom.stdout.count("<tr>") > 20
    shot = tmp_path / "shot.png"
    subprocess.run(
        [*base, f"--screenshot={shot}", "--window-size=1200,900", out.as_uri()],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert shot.exists() and shot.stat().st_size > 10_000


def test_report_output_is_not_clobbered_by_a_failed_run(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    out.write_text("previous", encoding="utf-8")
    result = run_cli("report", "--format", "html", "-o", str(out), str(tmp_path / "missing.json"))
    assert result.returncode == 2 and "missing.json" in result.stderr
    assert out.read_text(encoding="utf-8") == "previous"

"""The HTML report of the real export, opened from disk in headless Chromium.

Set ``INDIGO_UPDATE_SCREENSHOT=1`` to also save the screenshot as ``docs/html-report.png``
(the one the README shows).
"""

from __future__ import annotations

import json
import os
import shutil
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chromium import BINARY, INSTALL, Browser
from conftest import FIXTURES, REAL_ERRORS, REAL_WARNINGS, ROOT, run_cli

EXPORT = FIXTURES / "golab-indigo-export"

pytestmark = pytest.mark.skipif(BINARY is None, reason=INSTALL)

VISIBLE_ROWS = "[...document.querySelectorAll('#issues tbody tr')].filter(r => !r.hidden && r.offsetParent)"


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report of the real export, as a publisher makes it."""
    out = tmp_path_factory.mktemp("html") / "r.html"
    relative = str(EXPORT.relative_to(ROOT))  # as a publisher names it, from the repository
    result = run_cli("report", relative, "--format", "html", "-o", str(out), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def counts() -> dict[str, Any]:
    """The JSON report's counts, to compare the page with."""
    result = run_cli("validate", "--format", "json", str(EXPORT))
    report: dict[str, Any] = json.loads(result.stdout)
    return report


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    with Browser(tmp_path_factory.mktemp("profile"), width=1280, height=900) as opened:
        yield opened


def test_the_page_stays_small_for_a_large_report(page: Path, counts: dict[str, Any]) -> None:
    issues = counts["errors"] + counts["warnings"]
    assert issues == REAL_ERRORS + REAL_WARNINGS
    assert page.stat().st_size < 400 * issues  # about 1.1 MB: one table row per issue


def test_summary_counts_match_the_report(page: Path, browser: Browser, counts: dict[str, Any]) -> None:
    browser.open(page.as_uri())
    verdict = browser.evaluate("document.querySelector('.verdict').textContent")
    assert verdict == (
        f"Invalid: 2021 records checked against INDIGO 4.1; {REAL_ERRORS} errors, {REAL_WARNINGS} warnings."
    )
    by_severity = browser.evaluate(
        '[...document.querySelectorAll(\'a[href="#errors"], a[href="#warnings"]\')]'
        ".map(a => [a.textContent, a.closest('tr').cells[1].textContent])"
    )
    assert by_severity == [["Errors", str(REAL_ERRORS)], ["Warnings", str(REAL_WARNINGS)]]
    by_code = dict(
        browser.evaluate(
            "[...document.querySelectorAll('#summary .summary a.code')]"
            ".map(a => [a.textContent, Number(a.closest('tr').cells[3].textContent)])"
        )
    )
    assert by_code == counts["counts"]["by_code"] and by_code["schema.enum"] == 134
    ranked = browser.evaluate(
        "[...document.querySelectorAll('a[href^=\"#record=\"]')].map(a => a.textContent)"
    )
    assert ranked[:2] == ["INDIGO-POJ-0193", "INDIGO-POJ-0192"] and len(ranked) == 20
    assert browser.evaluate(f"{VISIBLE_ROWS}.length") == REAL_ERRORS + REAL_WARNINGS
    shown = browser.evaluate("document.getElementById('shown').textContent")
    assert shown == f"Showing all {REAL_ERRORS + REAL_WARNINGS} issues"
    assert browser.exceptions == []


def test_the_first_error_names_a_csv_file_row_and_column(page: Path, browser: Browser) -> None:
    browser.open(page.as_uri())
    first = browser.evaluate("[...document.querySelector('#errors tbody tr').cells].map(c => c.textContent)")
    file, row, column, record, pointer, message = first
    assert file.endswith(".csv") and row.isdigit() and int(row) > 1 and column
    assert record.startswith("INDIGO-") and pointer.startswith("/") and message
    folder = browser.evaluate("document.querySelector('#summary p code').textContent")
    assert (ROOT / folder / file).is_file() or (Path(folder) / file).is_file()


def test_filters_from_the_address_narrow_the_rows(
    page: Path, browser: Browser, counts: dict[str, Any]
) -> None:
    browser.open(page.as_uri() + "#code=schema.enum")
    assert browser.evaluate(f"{VISIBLE_ROWS}.length") == 134
    shown = browser.evaluate("document.getElementById('shown').textContent")
    assert shown == f"Showing 134 of {REAL_ERRORS + REAL_WARNINGS} issues"
    assert browser.evaluate(f"{VISIBLE_ROWS}.every(r => r.closest('section').dataset.code === 'schema.enum')")
    in_file = sum(
        1
        for i in counts["issues"]
        if i["severity"] == "error"
        and i.get("source", {}).get("file", "").endswith("/projects_investments.csv")
    )
    browser.open(page.as_uri() + "#severity=error&file=projects_investments.csv")
    assert in_file > 0 and browser.evaluate(f"{VISIBLE_ROWS}.length") == in_file
    assert browser.evaluate("document.getElementById('warnings').hidden") is True
    browser.open(page.as_uri() + "#record=INDIGO-POJ-0193")
    assert browser.evaluate(f"{VISIBLE_ROWS}.length") == sum(
        1 for i in counts["issues"] if i["record"] == "INDIGO-POJ-0193"
    )


def test_typing_in_the_filters_narrows_the_rows_and_keeps_the_address(page: Path, browser: Browser) -> None:
    browser.open(page.as_uri())
    shown = browser.evaluate(
        "(() => { const form = document.getElementById('filters');"
        " form.elements.q.value = 'Investment from endowment';"
        " form.dispatchEvent(new Event('input', {bubbles: true}));"
        f" return [{VISIBLE_ROWS}.length, location.hash]; }})()"
    )
    assert shown[0] == 2 and shown[1] == "#q=Investment+from+endowment"
    browser.evaluate("document.getElementById('filters').reset()")
    browser.evaluate("new Promise(done => setTimeout(done, 50))")
    assert browser.evaluate(f"{VISIBLE_ROWS}.length") == REAL_ERRORS + REAL_WARNINGS


def test_two_clicks_from_the_summary_to_a_bad_cell(page: Path, browser: Browser) -> None:
    browser.open(page.as_uri())
    browser.evaluate("document.querySelector('a.code[href=\"#code-schema.type\"]').click()")
    where = browser.evaluate(
        "(() => { const s = document.getElementById('code-schema.type');"
        " return [location.hash, Math.round(s.getBoundingClientRect().top),"
        " [...s.querySelector('tbody tr').cells].slice(0, 3).map(c => c.textContent)]; })()"
    )
    assert where[0] == "#code-schema.type" and abs(where[1]) < 80  # scrolled to the group (under the filters)
    file, row, column = where[2]
    assert file.endswith(".csv") and row.isdigit() and column
    browser.evaluate("document.querySelector('a[href=\"#record=INDIGO-POJ-0193\"]').click()")
    browser.evaluate("new Promise(done => setTimeout(done, 50))")
    rows = browser.evaluate(f"{VISIBLE_ROWS}.map(r => r.cells[3].textContent)")
    assert rows and set(rows) == {"INDIGO-POJ-0193"}


def test_code_names_never_break(page: Path, tmp_path: Path) -> None:
    with Browser(tmp_path / "narrow", width=420, height=800) as narrow:
        narrow.open(page.as_uri())
        lines = narrow.evaluate(
            "[...document.querySelectorAll('a.code, h4 code, #summary .summary td:nth-child(2) code')]"
            ".map(c => [c.textContent, c.getClientRects().length])"
        )
    assert len(lines) > 30
    assert [name for name, boxes in lines if boxes != 1] == []


def test_completeness_comes_after_the_issues_as_charts(page: Path, browser: Browser) -> None:
    browser.open(page.as_uri())
    order = browser.evaluate(
        "['summary', 'issues', 'completeness'].map(id => document.getElementById(id)"
        ".getBoundingClientRect().top + window.scrollY)"
    )
    assert order == sorted(order)
    outcome_metrics = browser.evaluate(
        "(() => { const rows = [...document.querySelectorAll('#completeness table.chart tr')]"
        ".filter(r => r.cells[0].textContent === 'Outcome Metrics' && r.closest('table').caption"
        ".textContent.startsWith('Lists: project'));"
        " return rows.map(r => [r.cells[3].textContent, r.querySelector('.bar').style.width]); })()"
    )
    assert outcome_metrics == [["310 of 319", "97.2%"]]
    bars = browser.evaluate(
        "[...document.querySelectorAll('.bar')].map(b => b.getBoundingClientRect().width)"
    )
    assert len(bars) > 50 and max(bars) > 100


def test_with_scripts_off_every_issue_is_listed(page: Path, tmp_path: Path) -> None:
    with Browser(tmp_path / "plain", scripts=False) as plain:
        plain.open(page.as_uri() + "#code=schema.enum")
        state = plain.evaluate(
            "[document.getElementById('filters').hidden,"
            " document.querySelectorAll('#issues tbody tr').length,"
            " document.querySelectorAll('#issues tbody tr[hidden]').length]"
        )
    assert state == [True, REAL_ERRORS + REAL_WARNINGS, 0]


def test_screenshot(page: Path, browser: Browser, tmp_path: Path) -> None:
    browser.open(page.as_uri())
    shot = tmp_path / "html-report.png"
    data = browser.screenshot(shot)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 900) and len(data) > 50_000
    if os.environ.get("INDIGO_UPDATE_SCREENSHOT"):
        shutil.copyfile(shot, ROOT / "docs" / "html-report.png")


def test_a_page_without_issues(tmp_path: Path, browser: Browser) -> None:
    organisation = json.loads((ROOT / "examples" / "organisation.json").read_text(encoding="utf-8"))
    organisation.pop("sources", None)
    source = tmp_path / "clean.json"
    source.write_text(
        json.dumps({"schema_version": "4.1", "organisations": [organisation]}), encoding="utf-8"
    )
    out = tmp_path / "clean.html"
    result = run_cli("report", "--format", "html", "-o", str(out), str(source))
    assert result.returncode == 0, result.stderr
    browser.exceptions.clear()
    browser.open(out.as_uri())
    assert browser.evaluate("document.querySelector('.verdict').textContent") == (
        "Valid: 1 record checked against INDIGO 4.1; 0 errors, 0 warnings."
    )
    assert browser.evaluate("document.querySelector('#issues p').textContent") == "No issues found."
    assert browser.evaluate("document.getElementById('filters')") is None
    assert browser.exceptions == []

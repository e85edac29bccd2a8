"""Spooled reports: issues, unresolved references and cells moved to disk give the same bytes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, FIXTURES, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from indigo_standard.reading.inputs import iter_paths
from indigo_standard.report.json_writer import encode_indented, render_json, report_body, write_json
from indigo_standard.report.text import render_text, wrapped, write_text
from indigo_standard.validation.issue_store import SPILL_AT, field_of
from indigo_standard.validation.result import Issue, Report
from indigo_standard.validation.validate import Validation, validate_paths

EXPORT = FIXTURES / "golab-indigo-export"


def _run(paths: list[Path], spill: int, **options: Any) -> tuple[str, str, Validation]:
    """The JSON and text reports of a run whose stores spill after ``spill`` items, and the run."""
    with Validation(**options) as run:
        run.issues.kept.spill_at = spill
        run.cells.spill_at = spill
        index = run.checks.index
        index.spill_at = spill
        index.compact_at = index.compact_every = max(spill, 1)
        for item in iter_paths(paths):
            run.add(item)
        report = run.finish()
        as_json, as_text = io.StringIO(), io.StringIO()
        write_json(report_body(report), as_json)
        write_text(report, as_text)
        return as_json.getvalue(), as_text.getvalue(), run


def _groups(issues: tuple[Issue, ...]) -> list[dict[str, Any]]:
    """The report's groups, worked out plainly: errors first, codes by count, fields by count."""
    found: dict[tuple[str, str | None, str], list[Issue]] = {}
    for issue in issues:
        found.setdefault((issue.code, issue.entity, field_of(issue.path)), []).append(issue)
    per_code: dict[str, int] = {}
    for (code, _, _), members in found.items():
        per_code[code] = per_code.get(code, 0) + len(members)
    order = sorted(
        enumerate(found.items()),
        key=lambda item: (
            item[1][1][0].severity != "error",
            -per_code[item[1][0][0]],
            item[1][0][0],
            -len(item[1][1]),
            item[0],
        ),
    )
    groups = []
    for _, ((code, entity, field), members) in order:
        locations = []
        for issue in members:
            whole = issue.to_dict()
            location = {"record": issue.record, "path": issue.path, "message": issue.message}
            if "source" in whole:
                location["source"] = whole["source"]
            locations.append(location)
        groups.append(
            {
                "code": code,
                "severity": members[0].severity,
                "entity": entity,
                "field": field,
                "title": members[0].title,
                "count": len(members),
                "locations": locations,
            }
        )
    return groups


def _as_json(report: Report) -> str:
    """The JSON report made with ``json.dumps`` from plain values."""
    body = {
        **report.summary(),
        "issues": [issue.to_dict() for issue in report.issues],
        "groups": _groups(report.issues),
    }
    return json.dumps(body, indent=2, ensure_ascii=False)


def _in_memory(paths: list[Path], **options: Any) -> tuple[str, str]:
    """The reports of a run that holds every issue in memory (JSON made with ``json.dumps``)."""
    with Validation(**options) as run:
        index = run.checks.index
        run.issues.kept.spill_at = run.cells.spill_at = index.spill_at = 10**9
        for item in iter_paths(paths):
            run.add(item)
        assert not run.spool.opened
        report = run.report()
    assert report.issues
    return _as_json(report), render_text(report)


SELECTIONS = [{}, {"max_issues": 700}, {"skip": ["schema.type", "dataset.unknown-fund"]}]


@pytest.mark.parametrize("options", SELECTIONS)
def test_a_spooled_report_has_the_bytes_of_the_in_memory_one(options: dict[str, Any]) -> None:
    expected = _in_memory([EXPORT, EXAMPLES], **options)
    as_json, as_text, run = _run([EXPORT, EXAMPLES], 3, **options)
    index = run.checks.index
    assert run.issues.kept.spilled and run.cells.spilled and index.spilled
    assert (as_json, as_text) == expected
    assert '"dataset.unknown-organisation"' in as_json  # the spilled references were found again


def test_dataset_issues_keep_their_cells_when_every_reference_is_pending(tmp_path: Path) -> None:
    # projects first, organisations last: every organisation reference waits until the end
    project = json.loads((EXAMPLES / "project.json").read_text(encoding="utf-8"))
    projects = [dict(project, id=f"INDIGO-POJ-{n:04}") for n in range(40)]
    organisation = {"id": "INDIGO-ORG-9999", "name": {"value": "The only organisation"}}
    path = tmp_path / "list.json"
    path.write_text(json.dumps([*projects, organisation]), encoding="utf-8")
    from indigo_standard.flat import write_csv_folder

    write_csv_folder(json.loads(path.read_text(encoding="utf-8")), tmp_path / "csv", "4.1")
    for source in (path, tmp_path / "csv"):
        expected = _in_memory([source])
        as_json, as_text, run = _run([source], 2)
        assert run.checks.index.spilled > 40 and run.checks.index.references == []
        assert (as_json, as_text) == expected
        found = json.loads(as_json)
        located = [i for i in found["issues"] if i["code"] == "dataset.unknown-organisation"]
        assert len(located) >= 40
        if source.is_dir():
            assert all(i["source"]["file"].startswith(str(source)) and i["source"]["row"] for i in located)


def test_strings_the_spool_cannot_take_as_text_come_back_exact() -> None:
    from indigo_standard.reading.json_input import iter_data

    sources = [{"id": "s\udfff"} for _ in range(5)]
    record = {"id": "INDIGO-ORG-\ud800", "name": {"value": 5}, "sources": sources}
    reports = []
    for spill in (1, 10**9):
        with Validation() as run:
            run.issues.kept.spill_at = spill
            for item in iter_data([record] * 3, suspect=False):  # readers refuse them; the spool copes
                run.add(item)
            reports.append(run.report())
            assert run.issues.kept.spilled == (spill == 1)
    assert reports[0] == reports[1]
    assert any(issue.record == "INDIGO-ORG-\ud800" for issue in reports[0].issues)


def test_the_spool_is_removed_after_a_run_and_after_a_failure(tmp_path: Path) -> None:
    with Validation() as run:
        run.issues.kept.spill_at = 1
        for item in iter_paths([EXAMPLES]):
            run.add(item)
        run.finish()
        spool_folder = run.spool.folder
        assert spool_folder is not None and (spool_folder / "issues.chunks").is_file()
    assert not spool_folder.exists() and run.spool.folder is None
    with pytest.raises(RuntimeError), Validation() as failing:
        failing.issues.kept.spill_at = 1
        for item in iter_paths([EXAMPLES]):
            failing.add(item)
        failing_folder = failing.spool.folder
        assert failing_folder is not None and failing_folder.is_dir()
        raise RuntimeError("interrupted")
    assert not failing_folder.exists()
    # the command line leaves nothing behind in its temporary folder either
    work = tmp_path / "tmp"
    work.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "indigo_standard", "validate", "--format", "json", str(EXPORT)],
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(work)},
        check=False,
    )
    assert result.returncode == 1 and json.loads(result.stdout)["records"] == 2021
    assert list(work.iterdir()) == []


def test_the_command_line_spools_and_prints_what_the_library_reports() -> None:
    report = validate_paths([EXPORT])
    assert len(report.issues) > SPILL_AT  # so the command line's run spills to its spool
    as_json = run_cli("validate", "--format", "json", str(EXPORT))
    as_text = run_cli("validate", str(EXPORT))
    assert as_json.returncode == as_text.returncode == 1, as_json.stderr
    assert as_json.stdout == render_json(report) + "\n" == _as_json(report) + "\n"
    assert as_text.stdout == render_text(report)


def test_the_json_writer_lays_out_what_json_dumps_does() -> None:
    from indigo_standard.report.json_writer import Lazy, LazyObject

    def lazy(items: list[Any]) -> Lazy:
        return Lazy(iter(items))

    value: dict[str, Any] = {
        "a": [],
        "b": {},
        "c": 'é\u2028"',
        "d": 1.5,
        "e": None,
        "f": {"g": [1, {"h": []}], "i": {}},
        "j": [],
        "k": [{"x": {}}, [], "y"],
    }
    for lazy_keys in ([], ["a"], ["a", "j", "k"]):
        shaped = LazyObject(value)
        for key in lazy_keys:
            shaped[key] = lazy(value[key])
        shaped["f"] = LazyObject({"g": lazy(value["f"]["g"]), "i": {}})
        out = io.StringIO()
        write_json(shaped, out)
        assert out.getvalue() == json.dumps(value, indent=2, ensure_ascii=False)


MEASURE = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(usage.ru_maxrss)
"""


def _peak_kib(*args: str) -> int:
    command = [sys.executable, "-m", "indigo_standard", "validate", "--only", "reference.unused-source"]
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command, *args], capture_output=True, text=True, check=True
    )
    return int(done.stdout)


def _records(count: int) -> Iterator[str]:
    for n in range(count):
        sources = [{"id": f"source-{s}-" + "w" * 300} for s in range(200)]
        yield json.dumps({"id": f"INDIGO-ORG-{n}", "name": {"value": "x"}, "sources": sources})


@pytest.mark.parametrize("form", ["json", "text"])
def test_a_report_of_many_issues_is_written_in_bounded_memory(tmp_path: Path, form: str) -> None:
    small, large = tmp_path / "small.jsonl", tmp_path / "large.jsonl"
    small.write_text("\n".join(_records(10)), encoding="utf-8")
    large.write_text("\n".join(_records(200)), encoding="utf-8")  # 40,000 issues of about 350 bytes each
    small_peak = _peak_kib("--format", form, str(small))
    large_peak = _peak_kib("--format", form, str(large))
    # held in memory, the issues and their report text would take about 60 MB more
    assert large_peak < small_peak + 15_000, (small_peak, large_peak)


json_documents = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(json_documents)
def test_the_quick_encoder_writes_what_json_dumps_writes(value: Any) -> None:
    expected = json.dumps(value, indent=2, ensure_ascii=False)
    assert encode_indented(value) == expected
    assert encode_indented(value, "\n    ") == expected.replace("\n", "\n    ")


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(["a", "b", " ", "\t", "\n", "-", "é", "\u00a0", "\x0b"]), max_size=90),
    st.sampled_from(["", "    ", "      "]),
)
def test_wrapping_a_line_that_fits_gives_what_textwrap_gives(text: str, indent: str) -> None:
    expected = textwrap.wrap(
        text,
        80,
        initial_indent=indent,
        subsequent_indent=indent + "  ",
        break_long_words=True,
        break_on_hyphens=False,
    )
    assert wrapped(text, indent, 80) == expected


def test_issues_written_as_text_are_their_dicts_encoded() -> None:
    from indigo_standard.report.json_writer import IssueText
    from indigo_standard.validation.result import Source

    sources = [None, Source("a.csv"), Source("b\u2028.csv", 3), Source("c.csv", 4, 'Name "x"')]
    for source in sources:
        message, title = 'é is "bad"', "A \u203a B"
        issue = Issue("error", "schema.type", message, None, "INDIGO-POJ-1", "/a/0", title, source)
        whole = issue.to_dict()
        location = {"record": whole["record"], "path": whole["path"], "message": whole["message"]}
        if "source" in whole:
            location["source"] = whole["source"]
        for pad in ("\n", "\n    "):
            assert IssueText(issue, location=False).encode(pad) == encode_indented(whole, pad)
            assert IssueText(issue, location=True).encode(pad) == encode_indented(location, pad)

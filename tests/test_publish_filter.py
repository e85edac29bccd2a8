"""The publication filter rule by rule, on hand-written records, and the publish command."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, ROOT, run_cli

import indigo_standard as indigo
from indigo_standard import InputError, publish
from indigo_standard.publishing.filter import FilterSummary, publish_items
from indigo_standard.reading.inputs import iter_path


def dumped(value: Any) -> str:
    return json.dumps(value, sort_keys=False)


RECORD: dict[str, Any] = {
    "id": "INDIGO-POJ-0100",
    "status": "PUBLIC",
    "name": {"value": "Visible name"},
    "stage_development": {"value": "Complete", "status": "PUBLIC", "source_ids": "s1"},
    "overall_project_finance": {
        "maximum_potential_return": {"value": "secret return", "status": "PRIVATE", "source_ids": "s5"},
        "source_ids": "s1;s3",
    },
    "notes": {"value": "disputed note", "status": "DISPUTED"},
    "dates": {"outcomes_contract_signed": {"value": "2019"}, "notes": "dates note"},
    "results": [
        {"status": "SANDBOX", "sandboxes": "alpha, beta", "outcomes_achieved": {"value": "sandboxed result"}},
        {"status": "PUBLIC", "outcomes_achieved": {"value": "public result"}, "source_ids": "s2"},
        {"outcomes_achieved": {"value": "result without a status"}},
    ],
    "investments": [{"id": "inv1", "status": "PRIVATE", "organisation_id": {"value": "INDIGO-ORG-9"}}],
    "sources": [
        {"id": "s1", "status": "PUBLIC", "name": {"value": "public source"}},
        {"id": "s2", "status": "PUBLIC", "name": {"value": "cited only by a list item"}},
        {"id": "s3", "status": "PRIVATE", "name": {"value": "private source"}},
        {"id": "s4", "status": "PUBLIC", "name": {"value": "never cited"}},
        {"id": " s5", "status": "PUBLIC", "name": {"value": "cited only by a private value"}},
    ],
}


def test_public_view() -> None:
    summary = FilterSummary()
    before = dumped(RECORD)
    out = publish(RECORD, summary=summary)
    assert dumped(RECORD) == before
    assert dumped(out) == dumped(
        {
            "id": "INDIGO-POJ-0100",
            "name": {"value": "Visible name"},
            "stage_development": {"value": "Complete", "source_ids": "s1"},
            "overall_project_finance": {"source_ids": "s1"},
            "dates": {"notes": "dates note"},
            "results": [{"outcomes_achieved": {"value": "public result"}}],
            "sources": [
                {"id": "s1", "name": {"value": "public source"}},
                {"id": "s4", "name": {"value": "never cited"}},
            ],
        }
    )
    assert (summary.records_kept, summary.records_removed) == (1, 0)
    # the private return, the disputed notes, the undated date, the sandboxed result, the result
    # without a status, the private investment and the private source
    assert summary.values_removed == 7
    assert summary.sources_removed == 2 and summary.item_source_ids_removed == 1
    assert summary.withheld == {} and summary.respelled_statuses == {}


def test_sandbox_view() -> None:
    out = publish(RECORD, sandbox="beta")
    assert out is not None
    assert [r["outcomes_achieved"]["value"] for r in out["results"]] == ["sandboxed result", "public result"]
    other = publish(RECORD, sandbox="gamma")
    assert other is not None and dumped(other["results"]) == dumped(publish(RECORD)["results"])  # type: ignore[index]
    # a SANDBOX record is never published, not even in its own sandbox's view
    assert publish({**RECORD, "status": "SANDBOX", "sandboxes": "beta"}, sandbox="beta") is None


def test_sandbox_lists_of_items_cover_what_is_inside_them() -> None:
    record = {
        "id": "INDIGO-POJ-1",
        "status": "PUBLIC",
        "results": [
            {
                "status": "SANDBOX",
                "sandboxes": "alpha",
                "notes": "n",
                "outcomes_achieved": {"value": "x", "status": "SANDBOX"},
            },
        ],
        "notes": {"value": "top", "status": "SANDBOX"},
        "sandboxes": "alpha",  # not a field of the record: it covers nothing
    }
    summary = FilterSummary()
    out = publish(record, "alpha", summary=summary)
    assert dumped(out) == dumped(
        {"id": "INDIGO-POJ-1", "results": [{"notes": "n", "outcomes_achieved": {"value": "x"}}]}
    )
    assert publish(
        {**record, "notes": {"value": "top", "status": "SANDBOX", "sandboxes": "alpha"}}, "alpha"
    ) == {
        **out,  # type: ignore[dict-item]
        "notes": {"value": "top"},
    }


def test_missing_statuses_are_private_at_every_level_unless_said_public() -> None:
    record = {
        "id": "INDIGO-ORG-1",
        "name": {"value": "n"},
        "contact": {"email": {"value": "a@b.c"}, "name": {"value": "Ann", "status": None}},
    }
    assert publish(record) is None
    summary = FilterSummary()
    assert dumped(publish({**record, "status": "PUBLIC"}, summary=summary)) == dumped(
        {"id": "INDIGO-ORG-1", "name": {"value": "n"}}
    )
    assert summary.values_removed == 2
    summary = FilterSummary()
    assert dumped(publish(record, missing_status="public", summary=summary)) == dumped(
        record | {"contact": {"email": {"value": "a@b.c"}, "name": {"value": "Ann"}}}
    )
    assert summary.missing_made_public == 3  # the record and both contact values
    with pytest.raises(ValueError, match="missing_status"):
        publish(record, missing_status="maybe")  # type: ignore[call-overload]


def test_statuses_are_read_trimmed_and_in_any_case_with_a_warning_naming_the_field() -> None:
    summary = FilterSummary()
    records = [
        {"id": "INDIGO-POJ-1", "status": " Public ", "notes": {"value": "kept", "status": "public"}},
        {"id": "INDIGO-POJ-2", "status": "PUBLIC", "notes": {"value": "gone", "status": "Secret"}},
        {"id": "INDIGO-POJ-3", "status": 3},
    ]
    out = publish(records, summary=summary)
    assert dumped(out) == dumped([{"id": "INDIGO-POJ-1", "notes": {"value": "kept"}}, {"id": "INDIGO-POJ-2"}])
    assert {k: (t.count, t.first) for k, t in summary.respelled_statuses.items()} == {
        "' Public ' at /status read as PUBLIC": (1, "INDIGO-POJ-1 /status"),
        "'public' at /notes/status read as PUBLIC": (1, "INDIGO-POJ-1 /notes/status"),
    }
    assert summary.unknown_statuses == {"'Secret'": 1, "3": 1}
    total = FilterSummary()
    total.add(summary)
    total.add(summary)
    assert (total.records_kept, total.unknown_statuses["3"]) == (4, 2)
    assert total.respelled_statuses["'public' at /notes/status read as PUBLIC"].count == 2


def test_list_items_never_publish_their_source_ids_and_legacy_org_ids_never_appear() -> None:
    record = {
        "id": "INDIGO-ORG-2",
        "status": "PUBLIC",
        "org-ids": {
            "primary": {"value": "GB-COH-1"},
            "company": {"value": "legacy company"},
            "charity": {"value": "legacy charity"},
            "other": {"value": "legacy other"},
            "secondary": [{"organisation_id": {"value": "GB-CHC-2"}, "source_ids": "src-a"}],
        },
        "controlled_by": [{"organisation_id": {"value": "INDIGO-ORG-3"}, "source_ids": "src-a"}],
        "sources": [{"id": "src-a", "name": {"value": "only list items cite me"}}],
    }
    summary = FilterSummary()
    out = publish(record, summary=summary)
    assert dumped(out) == dumped(
        {
            "id": "INDIGO-ORG-2",
            "org-ids": {
                "primary": {"value": "GB-COH-1"},
                "secondary": [{"organisation_id": {"value": "GB-CHC-2"}}],
            },
            "controlled_by": [{"organisation_id": {"value": "INDIGO-ORG-3"}}],
        }
    )
    assert summary.legacy_fields_removed == 3 and summary.item_source_ids_removed == 2
    assert summary.sources_removed == 1 and summary.withheld == {}


def test_sources_only_withheld_values_cite_are_withheld_whatever_the_separator() -> None:
    record = {
        "id": "INDIGO-POJ-5",
        "status": "PUBLIC",
        "stage_development": {"value": "Complete", "status": "PUBLIC", "source_ids": "a ; b,z"},
        "notes": {"value": "private", "status": "PRIVATE", "source_ids": "c;d e"},
        "results": [
            {
                "status": "PUBLIC",
                "evaluation_documents_source_ids": {"value": "b, e"},
                "outcomes_achieved": {"value": 1},
            }
        ],
        "sources": [
            {"id": " a", "status": "PUBLIC", "name": {"value": "A"}},
            {"id": "b", "status": "PRIVATE", "name": {"value": "B"}},
            {"id": "c ", "status": "PUBLIC", "name": {"value": "C"}},
            {"id": "d", "status": "PUBLIC", "name": {"value": "D"}},
            {"id": "e", "status": "PUBLIC", "name": {"value": "E"}},
        ],
    }
    out = publish(record)
    assert out is not None
    assert dumped(out["stage_development"]) == dumped({"value": "Complete", "source_ids": "a,z"})
    assert dumped(out["results"]) == dumped(
        [{"evaluation_documents_source_ids": {"value": "e"}, "outcomes_achieved": {"value": 1}}]
    )
    assert [s["name"]["value"] for s in out["sources"]] == ["A", "E"]


HOSTILE: list[tuple[str, dict[str, Any], str]] = [
    (
        "a status inside the package envelope",
        {
            "schema_version": "4.1",
            "publisher": {"name": "secret publisher", "status": "PRIVATE"},
            "projects": [],
        },
        "secret publisher",
    ),
    (
        "a package whose own status is private",
        {
            "schema_version": "4.1",
            "status": "PRIVATE",
            "projects": [{"id": "INDIGO-POJ-1", "status": "PUBLIC", "name": {"value": "secret project"}}],
        },
        "secret project",
    ),
    (
        "a record list that is an object",
        {
            "schema_version": "4.1",
            "projects": {"x": {"id": "INDIGO-POJ-1", "name": {"value": "secret object"}}},
        },
        "secret object",
    ),
    (
        "an unknown list key",
        {"schema_version": "4.1", "pipeline": [{"id": "INDIGO-PL-1", "name": {"value": "secret pipeline"}}]},
        "secret pipeline",
    ),
    (
        "a private source cited in evaluation_documents_source_ids",
        {
            "id": "INDIGO-POJ-1",
            "status": "PUBLIC",
            "results": [
                {
                    "status": "PUBLIC",
                    "evaluation_documents_source_ids": {"value": "secret-source"},
                    "notes": "n",
                }
            ],
            "sources": [{"id": "secret-source", "status": "PRIVATE", "name": {"value": "x"}}],
        },
        "secret-source",
    ),
    (
        "source ids separated by semicolons",
        {
            "id": "INDIGO-POJ-1",
            "status": "PUBLIC",
            "stage_development": {"value": "Complete", "status": "PUBLIC"},
            "notes": {"value": "private", "status": "PRIVATE", "source_ids": "s9;secret-cited"},
            "sources": [{"id": "secret-cited", "status": "PUBLIC", "name": {"value": "x"}}],
        },
        "secret-cited",
    ),
    (
        "a source id with a leading space",
        {
            "id": "INDIGO-POJ-1",
            "status": "PUBLIC",
            "stage_development": {"value": "Complete", "status": "PUBLIC"},
            "notes": {"value": "private", "status": "PRIVATE", "source_ids": "secret-spaced"},
            "sources": [{"id": " secret-spaced", "status": "PUBLIC", "name": {"value": "x"}}],
        },
        "secret-spaced",
    ),
    (
        "a status key in another letter case",
        {"id": "INDIGO-POJ-1", "status": "PUBLIC", "name": {"value": "secret name", "Status": "PRIVATE"}},
        "secret name",
    ),
    (
        "an unknown key",
        {"id": "INDIGO-POJ-1", "status": "PUBLIC", "secret_extension": {"value": "secret extension"}},
        "secret extension",
    ),
]


@pytest.mark.parametrize(("case", "data", "secret"), HOSTILE, ids=[c for c, _, _ in HOSTILE])
def test_what_the_filter_cannot_classify_is_withheld(case: str, data: dict[str, Any], secret: str) -> None:
    summary = FilterSummary()
    assert secret not in dumped(publish(data, summary=summary)), case
    assert summary.withheld or summary.values_removed or summary.sources_removed or summary.records_removed


def test_what_the_filter_cannot_classify_is_withheld_by_the_command_line(tmp_path: Path) -> None:
    """Every hostile case, one file each, in one run over their folder (with one public record, so that
    something is kept); then the envelope's own case alone, as a package is written with its envelope."""
    folder = tmp_path / "cases"
    folder.mkdir()
    for number, (_, data, _) in enumerate(HOSTILE):
        (folder / f"case{number}.json").write_text(json.dumps(data), encoding="utf-8")
    (folder / "public.json").write_text(json.dumps(RECORD), encoding="utf-8")
    done = run_cli("publish", str(folder), "-o", str(tmp_path / "out.json"))
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    written = (tmp_path / "out.json").read_text(encoding="utf-8")
    assert "Visible name" in written
    assert not [secret for _, _, secret in HOSTILE if secret in written]
    _, package, secret = HOSTILE[0]
    (tmp_path / "package.json").write_text(json.dumps({**package, "projects": [RECORD]}), encoding="utf-8")
    done = run_cli("publish", str(tmp_path / "package.json"), "-o", str(tmp_path / "package-out.json"))
    assert done.returncode == 0, done.stderr
    written = (tmp_path / "package-out.json").read_text(encoding="utf-8")
    assert '"schema_version": "4.1"' in written and "Visible name" in written and secret not in written


def test_the_summary_names_what_could_not_be_classified(tmp_path: Path) -> None:
    package = {
        "schema_version": "4.1",
        "publisher": {"name": "P"},
        "pipeline": [],
        "projects": [
            {
                "id": "INDIGO-POJ-1",
                "status": "PUBLIC",
                "name": {"value": "n"},
                "secret_extension": 1,
                "dates": [{"value": "x"}],
                "notes": {"value": {"deep": 1}, "status": "PUBLIC"},
            },
        ],
        "organisations": {"id": "INDIGO-ORG-1"},
    }
    summary = FilterSummary()
    out = publish(package, summary=summary)
    assert dumped(out) == dumped(
        {
            "schema_version": "4.1",
            "publisher": {"name": "P"},
            "projects": [{"id": "INDIGO-POJ-1", "name": {"value": "n"}}],
        }
    )
    assert {k: (t.count, t.first) for k, t in summary.withheld.items()} == {
        "/pipeline: not a field of the 4.1 package schema": (1, "package /pipeline"),
        "/organisations: a record list that is an object, not a list": (1, "package /organisations"),
        "/secret_extension: not a field of the 4.1 project schema": (1, "INDIGO-POJ-1 /secret_extension"),
        "/dates: a list where the schema has an object": (1, "INDIGO-POJ-1 /dates"),
        "/notes/value: an object where the schema has a single value": (1, "INDIGO-POJ-1 /notes/value"),
    }
    summary = FilterSummary()
    assert publish([{"id": "no-prefix", "status": "PUBLIC"}, "text"], summary=summary) == []
    assert {k: (t.count, t.first) for k, t in summary.withheld.items()} == {
        "record: its type cannot be told from its id": (1, "no-prefix"),
        "record: text, not an object": (1, "(a record)"),
    }
    source = tmp_path / "in.json"
    source.write_text(json.dumps(package), encoding="utf-8")
    done = run_cli("publish", str(source), "-o", str(tmp_path / "out.json"))
    assert done.returncode == 0, done.stderr
    assert (
        "withheld /secret_extension: not a field of the 4.1 project schema (once, first at INDIGO-POJ-1 "
        "/secret_extension)" in done.stdout
    )
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8")) == out


def _nested(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = [value]
    return value


def test_deep_nesting_gives_the_same_clear_error_in_the_api_and_the_cli(tmp_path: Path) -> None:
    shallow = {
        "id": "INDIGO-POJ-1",
        "status": "PUBLIC",
        "name": {"value": "n"},
        "notes": {"value": _nested(700)},
    }
    summary = FilterSummary()
    assert publish(shallow, summary=summary) == {"id": "INDIGO-POJ-1", "name": {"value": "n"}}
    assert "/notes: a list where the schema has an object" not in summary.withheld
    deep = {**shallow, "notes": {"value": _nested(100_000)}}
    with pytest.raises(InputError, match="nested too deeply to read"):
        publish([deep])
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    done = run_cli("publish", str(tmp_path / "deep.json"), "-o", str(tmp_path / "out.json"))
    assert (
        done.returncode == 2 and "nested too deeply to read" in done.stderr and "Traceback" not in done.stderr
    )


def test_publish_refuses_what_is_not_a_record_list_or_package() -> None:
    with pytest.raises(InputError, match="not text"):
        publish("INDIGO-POJ-1")  # type: ignore[call-overload]


def test_publish_command(tmp_path: Path) -> None:
    (tmp_path / "in.json").write_text(
        json.dumps([RECORD, {**RECORD, "id": "INDIGO-POJ-2", "status": "PRIVATE"}])
    )
    done = run_cli("publish", "in.json", "-o", "out.jsonl", "--sandbox", "alpha", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("sandbox 'alpha' view: kept 1 of 2 records; withheld 1 records, ")
    lines = (tmp_path / "out.jsonl").read_text().splitlines()
    assert len(lines) == 1 and "sandboxed result" in lines[0] and "secret return" not in lines[0]


def test_a_package_keeps_its_shape_and_envelope(tmp_path: Path) -> None:
    package = {
        "schema_version": "4.1",
        "publisher": {"name": "P"},
        "licence": "L",
        "projects": [RECORD, {**RECORD, "id": "INDIGO-POJ-2", "status": "PRIVATE"}],
        "organisations": [{"id": "INDIGO-ORG-1", "status": "PUBLIC", "name": {"value": "O"}}],
    }
    (tmp_path / "in.json").write_text(json.dumps(package), encoding="utf-8")
    done = run_cli("publish", "in.json", "-o", "out.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    written = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert written == publish(package)
    assert list(written) == ["schema_version", "publisher", "licence", "projects", "organisations"]
    (tmp_path / "one.json").write_text(json.dumps(RECORD), encoding="utf-8")
    assert run_cli("publish", "one.json", "-o", "one-out.json", cwd=tmp_path).returncode == 0
    assert json.loads((tmp_path / "one-out.json").read_text(encoding="utf-8")) == publish(RECORD)


def test_publishing_nothing_fails_with_the_cause_and_keeps_the_old_output(tmp_path: Path) -> None:
    export = FIXTURES / "golab-indigo-export"
    (tmp_path / "out.json").write_text("old", encoding="utf-8")
    done = run_cli("publish", str(export), "-o", "out.json", cwd=tmp_path)
    assert done.returncode == 1
    assert (tmp_path / "out.json").read_text(encoding="utf-8") == "old"
    assert done.stdout.startswith("public view: kept 0 of 2021 records; withheld 2021 records")
    assert "wrote" not in done.stdout
    assert done.stderr.strip() == (
        "indigo-standard: error: no record may be published, so nothing was written: none of the 2021 "
        "records has a status. If the data carries no statuses and may all be seen (as the public GO Lab "
        "export), run again with --missing-status public"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary file left
    done = run_cli("publish", str(export), "-o", "out.json", "--missing-status", "public", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("public view: kept 2021 of 2021 records; withheld 0 records")
    assert (
        "--missing-status public: 18513 records, values and items without a status were published as public"
        in done.stdout
    )
    assert len(json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))) == 2021
    (tmp_path / "empty.json").write_text("[]", encoding="utf-8")
    done = run_cli("publish", "empty.json", "-o", "e.json", cwd=tmp_path)
    assert done.returncode == 1 and "the input holds no records" in done.stderr


def test_publish_command_bad_input_keeps_old_output(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{not json")
    (tmp_path / "out.json").write_text("old")
    done = run_cli("publish", "bad.json", "-o", "out.json", cwd=tmp_path)
    assert done.returncode == 2 and "bad.json" in done.stderr and "Traceback" not in done.stderr
    assert (tmp_path / "out.json").read_text() == "old"
    assert run_cli("publish", "bad.json", "-o", "out.csv", cwd=tmp_path).returncode == 2


def test_publish_items_streams_a_reader_s_records() -> None:
    summary = FilterSummary()
    kept = publish_items(
        iter_path(FIXTURES / "golab-indigo-export"), missing_status="public", summary=summary
    )
    first = next(kept)
    assert first.entity == "project" and first.data["id"].startswith("INDIGO-POJ-")
    assert summary.records_kept == 1  # one record read, filtered and handed on: nothing is held
    assert sum(1 for _ in kept) == 2020


TYPED = """
from typing import Any
import indigo_standard as indigo

def public_records(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return indigo.publish(records)

def public_record(record: dict[str, Any]) -> dict[str, Any] | None:
    return indigo.publish(record, "alpha", missing_status="public")

def names(records: list[dict[str, Any]]) -> list[str]:
    return [str(r.get("id")) for r in indigo.publish(records)]
"""


def test_publish_has_a_precise_return_type(tmp_path: Path) -> None:
    """Under mypy --strict (warn_return_any), returning ``Any`` from these functions would fail."""
    import subprocess

    (tmp_path / "typed_publish.py").write_text(TYPED, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(tmp_path / "typed_publish.py")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert indigo.publish([]) == []

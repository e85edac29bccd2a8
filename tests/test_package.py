"""Dataset packages: build, read, write, combine, split, and the package command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import indigo_standard as indigo
from indigo_standard.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "package.json"


def test_build_write_read_round_trip(tmp_path: Path) -> None:
    example = indigo.read_package(EXAMPLE)
    records = [r for key in ("projects", "organisations", "funds", "pipelines") for r in example[key]]
    built = indigo.build_package(records, publisher="P", licence="https://l", publication_date="2025-01-02")
    assert [len(built[k]) for k in ("projects", "organisations", "funds", "pipelines")] == [1, 7, 1, 1]
    indigo.write_package(built, tmp_path / "p.json")
    assert indigo.read_package(tmp_path / "p.json") == built
    report = indigo.validate(built)
    assert report.records == 10
    assert not [i for i in report.issues if i.code.startswith("schema.")], "the envelope follows the schema"
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        indigo.build_package([], publication_date="2/1/2025")


def test_combine_and_split() -> None:
    example = indigo.read_package(EXAMPLE)
    parts = indigo.split_package(example)
    assert sorted(parts) == ["funds", "organisations", "pipelines", "projects"]
    combined = indigo.combine_packages(list(parts.items()))
    assert combined == example
    older = {**parts["funds"], "schema_version": "4.0"}
    with pytest.raises(InputError, match=r"differs from 4\.1"):
        indigo.combine_packages([("a", parts["projects"]), ("b", older)])
    changed = json.loads(json.dumps(parts["projects"]))
    changed["projects"][0]["name"]["value"] = "other"
    with pytest.raises(InputError, match="twice with different content"):
        indigo.combine_packages([("a", parts["projects"]), ("b", changed)])


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "indigo_standard", *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )


def test_package_command(tmp_path: Path) -> None:
    project = json.loads(EXAMPLE.read_text())["projects"][0]
    (tmp_path / "records.jsonl").write_text(json.dumps(project) + "\n")
    done = run_cli(
        "package",
        "records.jsonl",
        str(EXAMPLE),
        "-o",
        "out.json",
        "--date",
        "2025-06-01",
        "--publisher",
        "Me",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads((tmp_path / "out.json").read_text())
    assert out["publisher"] == {"name": "Me"} and out["publication_date"] == "2025-06-01"
    assert len(out["projects"]) == 1  # the identical repeat is merged
    done = run_cli("package", "out.json", "--split", "parts", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "parts").iterdir()) == [
        "funds.json",
        "organisations.json",
        "pipelines.json",
        "projects.json",
    ]
    old = json.loads((tmp_path / "parts" / "funds.json").read_text())
    old["schema_version"] = "4.0"
    (tmp_path / "old.json").write_text(json.dumps(old))
    done = run_cli("package", "out.json", "old.json", "-o", "mixed.json", cwd=tmp_path)
    assert done.returncode == 2 and "schema version" in done.stderr and not (tmp_path / "mixed.json").exists()
    done = run_cli("package", "records.jsonl", "-o", "x.json", cwd=tmp_path)
    assert done.returncode == 2 and "--publisher" in done.stderr

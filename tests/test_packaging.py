"""A real, non-editable install into a fresh virtual environment carries every schema."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

from conftest import EXAMPLES, ROOT

CHECK = """
import indigo_standard, sys
from indigo_standard.registry import schemas, codelist
from indigo_standard.versions import SUPPORTED_VERSIONS
from indigo_standard.fields import fields
assert "site-packages" in indigo_standard.__file__, indigo_standard.__file__
total = 0
for version in SUPPORTED_VERSIONS:
    loaded = schemas(version)
    assert len(loaded) >= 11, (version, sorted(loaded))
    total += len(loaded)
    assert codelist(version, "countries.csv")
    assert fields(version, "project")
# package data beyond the schemas: the issue catalogue, ISO lists, normaliser tables
from indigo_standard.catalogue import catalogue
assert "schema.enum" in catalogue()
import indigo_standard as indigo
project = indigo.load(sys.argv[1])
assert indigo.dump(project)["id"] == "INDIGO-POJ-0199"
place = {"jurisdiction": {"value": "United Kingdom"}}
fixed = indigo.normalise({"id": "INDIGO-POJ-1", "jurisdiction": place})
assert fixed["jurisdiction"]["jurisdiction"]["value"] == "GB", fixed
print(total)
"""


def test_wheel_install_outside_the_repository_loads_every_schema(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(ROOT)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    loaded = subprocess.run(
        [str(python), "-c", CHECK, str(EXAMPLES / "project.json")],
        capture_output=True,
        text=True,
        cwd=outside,
        check=False,
    )
    assert loaded.returncode == 0, loaded.stderr
    expected = sum(len(list((ROOT / "schema" / v).glob("*.schema.json"))) for v in ("3.1", "4.0", "4.1"))
    assert int(loaded.stdout.strip()) == expected
    validated = subprocess.run(
        [str(env_dir / "bin" / "indigo-standard"), "validate", str(EXAMPLES / "package.json")],
        capture_output=True,
        text=True,
        cwd=outside,
        check=False,
    )
    assert validated.returncode == 0, validated.stdout + validated.stderr
    reported = subprocess.run(
        [
            str(env_dir / "bin" / "indigo-standard"),
            "report",
            "--format",
            "html",
            "-o",
            str(outside / "r.html"),
            str(EXAMPLES / "package.json"),
        ],
        capture_output=True,
        text=True,
        cwd=outside,
        check=False,
    )
    assert reported.returncode == 0, reported.stderr
    assert "<svg" in (outside / "r.html").read_text(encoding="utf-8")
    assert sys.executable != str(python)

"""Real packaging: the sdist is built, installed (not editable) into a fresh virtual environment,
and the library and its command line work from anywhere, the repository root included."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import tarfile
import venv
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.packaging

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

WHERE = (
    "import indigo_standard as i; print(i.__file__); print(i.__version__); "
    "print(i.schema('4.1', 'project')['title'])"
)
"""Which copy of the package a process imports, its version, and that it finds its schemas."""

SDIST_TESTS = ("tests/test_registry.py", "tests/test_readme.py", "tests/test_schemas.py")
"""A few of the suite's own test files, run from the unpacked sdist with its fixtures and docs."""


def _run(*args: str | Path, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, cwd=cwd, check=False, timeout=timeout
    )


def _pyproject_version() -> str:
    from indigo_standard.about import checkout_version

    found = checkout_version(ROOT / "pyproject.toml")
    assert found
    return found


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The source distribution, built from this checkout as ``python -m build --sdist`` does."""
    if importlib.util.find_spec("build") is None:
        pytest.skip("needs the PyPA build tool: pip install -e '.[test]' (or pip install build)")
    out = tmp_path_factory.mktemp("dist")
    built = _run(sys.executable, "-m", "build", "--sdist", "--outdir", out, ROOT, cwd=out)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    found = sorted(out.glob("indigo_standard-*.tar.gz"))
    assert len(found) == 1, found
    return found[0]


@pytest.fixture(scope="module")
def python(tmp_path_factory: pytest.TempPathFactory, sdist: Path) -> Path:
    """The interpreter of a fresh virtual environment with the sdist installed (not editable),
    pytest and pytest-xdist (which the project's addopts use)."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=True).create(env_dir)
    interpreter = env_dir / "bin" / "python"
    installed = _run(
        interpreter,
        "-m",
        "pip",
        "install",
        "-q",
        "--disable-pip-version-check",
        sdist,
        "pytest",
        "pytest-xdist",
        cwd=env_dir,
    )
    assert installed.returncode == 0, installed.stderr[-2000:]
    assert sys.executable != str(interpreter)
    return interpreter


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory, sdist: Path) -> Path:
    """The sdist's files, unpacked."""
    out = tmp_path_factory.mktemp("unpacked")
    with tarfile.open(sdist) as archive:
        if hasattr(tarfile, "data_filter"):  # Python 3.10.12 and later
            archive.extractall(out, filter="data")
        else:
            archive.extractall(out)
    (top,) = out.iterdir()
    return top


def test_sdist_holds_every_tracked_file(sdist: Path) -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout and git (Debian: apt-get install -y git) to list the tracked files")
    tracked = _run("git", "ls-files", cwd=ROOT)
    assert tracked.returncode == 0, tracked.stderr
    wanted = {name for name in tracked.stdout.splitlines() if name != ".gitignore"}
    with tarfile.open(sdist) as archive:
        held = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for folder in ("tests/fixtures/", "examples/", "docs/", "schema/4.1/", "benchmarks/", "tools/", ".ci/"):
        assert any(name.startswith(folder) for name in wanted), folder
    assert sorted(wanted - held) == []


def test_install_outside_the_repository_loads_every_schema(python: Path, tmp_path: Path) -> None:
    bin_dir = python.parent
    loaded = _run(python, "-c", CHECK, EXAMPLES / "project.json", cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    expected = sum(len(list((ROOT / "schema" / v).glob("*.schema.json"))) for v in ("3.1", "4.0", "4.1"))
    assert int(loaded.stdout.strip()) == expected
    validated = _run(bin_dir / "indigo-standard", "validate", EXAMPLES / "package.json", cwd=tmp_path)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    report = tmp_path / "r.html"
    reported = _run(
        bin_dir / "indigo-standard",
        "report",
        "--format",
        "html",
        "-o",
        report,
        EXAMPLES / "package.json",
        cwd=tmp_path,
    )
    assert reported.returncode == 0, reported.stderr
    assert '<table class="chart">' in report.read_text(encoding="utf-8")
    where = _run(python, "-c", WHERE, cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    file, version, title = where.stdout.splitlines()
    assert "site-packages" in file
    assert version == _pyproject_version()
    assert title


def test_cli_runs_from_the_repository_root_after_a_plain_install(python: Path) -> None:
    """The checkout's own package shadows the installed one there, and finds the schema/ folder."""
    where = _run(python, "-c", WHERE, cwd=ROOT)
    assert where.returncode == 0, where.stderr
    file, version, title = where.stdout.splitlines()
    assert Path(file) == ROOT / "indigo_standard" / "__init__.py"
    assert version == _pyproject_version()
    assert title
    shown = _run(python, "-m", "indigo_standard", "--version", cwd=ROOT)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == f"indigo-standard {version} (INDIGO schema versions 3.1, 4.0, 4.1)"
    validated = _run(python, "-m", "indigo_standard", "validate", "examples/package.json", cwd=ROOT)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "0 errors" in validated.stdout
    listed = _run(python, "-m", "indigo_standard", "schema", "list", cwd=ROOT)
    assert listed.returncode == 0, listed.stderr
    assert "4.1" in listed.stdout


def test_the_sdist_runs_its_own_tests(python: Path, unpacked: Path) -> None:
    where = _run(python, "-c", WHERE, cwd=unpacked)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.splitlines()[0]) == unpacked / "indigo_standard" / "__init__.py"
    validated = _run(python, "-m", "indigo_standard", "validate", "examples/package.json", cwd=unpacked)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    tested = _run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *SDIST_TESTS, cwd=unpacked)
    assert tested.returncode == 0, tested.stdout[-3000:] + tested.stderr[-2000:]
    assert " passed" in tested.stdout and " failed" not in tested.stdout


FORM = "import indigo_standard.checks.walk as w; print(w.__file__)"
"""Where a module of the package was imported from."""


def test_an_editable_install_sees_every_edit(unpacked: Path, tmp_path: Path) -> None:
    """An editable install imports the checkout's source files, so an edit is seen at once."""
    source = tmp_path / "checkout"
    shutil.copytree(unpacked, source)
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    installed = _run(
        python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", source, cwd=tmp_path
    )
    assert installed.returncode == 0, installed.stderr[-2000:]
    walk = source / "indigo_standard" / "checks" / "walk.py"
    where = _run(python, "-c", FORM, cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    assert where.stdout.split()[0] == str(walk)
    walk.write_text(walk.read_text(encoding="utf-8") + "\nEDITED = 'seen'\n", encoding="utf-8")
    edited = _run(python, "-c", "import indigo_standard.checks.walk as w; print(w.EDITED)", cwd=tmp_path)
    assert edited.returncode == 0, edited.stderr
    assert edited.stdout.strip() == "seen"

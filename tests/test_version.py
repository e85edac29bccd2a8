"""``indigo_standard.__version__``: from the installed metadata, else from the checkout's pyproject.toml."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as installed_version
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

import indigo_standard as indigo
from indigo_standard import about


def test_version_is_the_installed_distributions() -> None:
    assert isinstance(indigo.__version__, str)
    assert indigo.__version__ == installed_version("indigo-standard")
    assert indigo.__version__ == about.checkout_version(ROOT / "pyproject.toml")


def test_cli_prints_the_library_version() -> None:
    done = run_cli("--version")
    assert done.returncode == 0, done.stderr
    expected = f"indigo-standard {indigo.__version__} (INDIGO schema versions 3.1, 4.0, 4.1)"
    assert done.stdout.strip() == expected


def test_a_checkout_never_installed_reads_its_pyproject(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> str:
        raise PackageNotFoundError(name)

    monkeypatch.setattr(about, "version", missing)
    assert about.library_version() == about.checkout_version(ROOT / "pyproject.toml")
    monkeypatch.setattr(about, "__file__", "/nowhere/indigo_standard/about.py")
    assert about.library_version() == "0+unknown"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[project]\nname = "indigo-standard"\nversion = "1.2.3"\n', "1.2.3"),
        (
            '[tool.x]\nversion = "9"\n[project]\nversion = "1.2.3"  # bumped\nname = "indigo-standard"\n',
            "1.2.3",
        ),
        ('[project]\nname = "something-else"\nversion = "1.2.3"\n', None),
        ('[project]\nname = "indigo-standard"\ndynamic = ["version"]\n', None),
        ("\xff not text", None),
    ],
)
def test_checkout_version(tmp_path: Path, text: str, expected: str | None) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_bytes(text.encode("latin-1"))
    assert about.checkout_version(pyproject) == expected
    assert about.checkout_version(tmp_path / "absent.toml") is None

"""This library's own version (not the standard's: see :mod:`indigo_standard.versions`).

It comes from the metadata of the installed distribution. Code run from a source checkout
that was never installed reads it from the checkout's ``pyproject.toml`` instead, and
anything else gives ``0+unknown``.
"""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

DISTRIBUTION = "indigo-standard"
UNKNOWN = "0+unknown"
_SETTING = re.compile(r'^(name|version)\s*=\s*"([^"]*)"\s*(?:#.*)?$')


def checkout_version(pyproject: Path) -> str | None:
    """The version in the ``[project]`` table of this distribution's ``pyproject.toml``, if it is one."""
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    table = ""
    found: dict[str, str] = {}
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            table = stripped
            continue
        match = _SETTING.match(stripped)
        if table == "[project]" and match:
            found[match.group(1)] = match.group(2)
    if found.get("name") != DISTRIBUTION:
        return None
    return found.get("version")


def library_version() -> str:
    """The installed version of indigo-standard, else the checkout's, else ``0+unknown``."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        pass
    return checkout_version(Path(__file__).resolve().parent.parent / "pyproject.toml") or UNKNOWN


__version__ = library_version()

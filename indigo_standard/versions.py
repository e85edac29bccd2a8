"""The versions of the INDIGO standard this library supports, and how input declares one."""

from __future__ import annotations

import re

from .errors import UnknownVersionError

SUPPORTED_VERSIONS: tuple[str, ...] = ("3.1", "4.0", "4.1")
"""Supported schema versions, oldest first, as MAJOR.MINOR."""

LATEST_VERSION: str = SUPPORTED_VERSIONS[-1]

_VERSION = re.compile(r"^\s*v?(\d+)\.(\d+)(?:\.\d+)?\s*$")


def normalise_version(text: str) -> str:
    """Return the supported MAJOR.MINOR version that ``text`` names ("4.1.0" gives "4.1").

    Raises :class:`UnknownVersionError`, naming the supported versions, for anything else.
    """
    match = _VERSION.match(str(text))
    version = f"{int(match.group(1))}.{int(match.group(2))}" if match else None
    if version not in SUPPORTED_VERSIONS:
        supported = ", ".join(SUPPORTED_VERSIONS)
        raise UnknownVersionError(f"unknown schema version {text!r}; supported versions are {supported}")
    return version

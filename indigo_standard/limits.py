"""Bounds on what reading will unpack, so that a small hostile file cannot exhaust memory or time.

A zip archive of the CSV export and an XLSX workbook (a zip too) are checked before any
member is unpacked: their members together may unpack to at most
:attr:`Limits.max_uncompressed_size` bytes, and no member larger than :data:`RATIO_GRACE`
may be compressed more than :attr:`Limits.max_compression_ratio` times. The limits in
force are those of the innermost :func:`reading_limits` block (the command line sets them
from ``--max-uncompressed-size`` and ``--max-compression-ratio``), else the defaults.
``docs/limits.md`` lists every limit and why it is there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import attrs

KIB = 1 << 10
MIB = 1 << 20
GIB = 1 << 30

RATIO_GRACE = MIB
"""Members that unpack to no more than this are exempt from the ratio limit: small files
of repeated text compress well and can do no harm."""

CSV_FIELD_LIMIT = 16 * MIB
"""The most characters a CSV cell may hold, and the most bytes a line of a CSV file may hold."""


@attrs.frozen
class Limits:
    """The limits on unpacking zip archives and XLSX workbooks."""

    max_uncompressed_size: int = GIB
    """The most bytes the members of one archive or workbook may unpack to, together."""
    max_compression_ratio: float = 100.0
    """The most times a member may be compressed (its size over its packed size)."""


DEFAULT_LIMITS = Limits()
_CURRENT: ContextVar[Limits] = ContextVar("indigo_standard_limits", default=DEFAULT_LIMITS)


def current_limits() -> Limits:
    """The limits in force here: those of the innermost :func:`reading_limits` block, else the defaults."""
    return _CURRENT.get()


@contextmanager
def reading_limits(limits: Limits) -> Iterator[Limits]:
    """Read with ``limits`` inside the block (and in processes forked from it)."""
    token = _CURRENT.set(limits)
    try:
        yield limits
    finally:
        _CURRENT.reset(token)


_SIZE = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([kmgt]?)(?:i?b)?\s*", re.IGNORECASE)
_UNITS = {"": 1, "k": KIB, "m": MIB, "g": GIB, "t": GIB * KIB}


def parse_size(text: str) -> int:
    """A size such as ``1073741824``, ``512M``, ``2GB`` or ``1.5 GiB`` in bytes (units are powers of 1024)."""
    found = _SIZE.fullmatch(text)
    if found is None:
        raise ValueError(f"expected a size such as 500MB or 2GB, found {text!r}")
    return int(float(found.group(1)) * _UNITS[found.group(2).lower()])


def format_size(size: int) -> str:
    """A size in bytes as a person reads it: ``1 GiB``, ``512 MiB``, ``1,234 bytes``."""
    for unit, name in ((GIB * KIB, "TiB"), (GIB, "GiB"), (MIB, "MiB"), (KIB, "KiB")):
        if size >= unit:
            value = size / unit
            return f"{value:.0f} {name}" if value == int(value) else f"{value:.1f} {name}"
    return f"{size:,} bytes"

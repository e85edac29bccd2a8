"""The options every command that reads input shares: limits on archives and the raw CSV form.

They are added to each command named in :data:`INPUT_COMMANDS` and put in force for the
whole run by :func:`input_settings`; ``docs/limits.md`` explains each one.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from ..flat.cells import raw_csv
from ..limits import DEFAULT_LIMITS, Limits, format_size, parse_size, reading_limits

INPUT_COMMANDS = ("validate", "report", "convert", "publish", "normalise", "package")
"""The commands that read input files (and so may meet a hostile archive or CSV)."""


def _size(text: str) -> int:
    try:
        size = parse_size(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    if size < 1:
        raise argparse.ArgumentTypeError(f"expected a size of at least 1 byte, found {text!r}")
    return size


def _ratio(text: str) -> float:
    try:
        ratio = float(text)
    except ValueError:
        ratio = 0.0
    if not ratio >= 1 or ratio == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, found {text!r}")
    return ratio


def add_input_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--max-uncompressed-size``, ``--max-compression-ratio`` and ``--raw-csv``."""
    group = parser.add_argument_group("limits and safe CSV (see docs/limits.md)")
    group.add_argument(
        "--max-uncompressed-size",
        type=_size,
        metavar="SIZE",
        default=DEFAULT_LIMITS.max_uncompressed_size,
        help="the most a zip or XLSX input may unpack to, such as 500MB or 4GB "
        f"(default {format_size(DEFAULT_LIMITS.max_uncompressed_size)})",
    )
    group.add_argument(
        "--max-compression-ratio",
        type=_ratio,
        metavar="N",
        default=DEFAULT_LIMITS.max_compression_ratio,
        help="the most times a member of a zip or XLSX input may be compressed "
        f"(default {DEFAULT_LIMITS.max_compression_ratio:g})",
    )
    group.add_argument(
        "--raw-csv",
        action="store_true",
        help="read and write CSV text exactly as it is: no apostrophe before text that starts with "
        "=, +, -, @, a tab or a carriage return (by default one is added, and removed on reading)",
    )


@contextmanager
def input_settings(args: argparse.Namespace) -> Iterator[None]:
    """Put the limits and CSV form the command line asks for in force (the defaults when it has none)."""
    limits = Limits(
        max_uncompressed_size=getattr(args, "max_uncompressed_size", DEFAULT_LIMITS.max_uncompressed_size),
        max_compression_ratio=getattr(args, "max_compression_ratio", DEFAULT_LIMITS.max_compression_ratio),
    )
    with reading_limits(limits), raw_csv(getattr(args, "raw_csv", False)):
        yield

"""The ``indigo-standard`` command line.

Each command lives in its own module with a ``register`` function that adds its
sub-parser. Exit codes follow the contract: 0 no errors, 1 errors in the data, 2 the
command could not run (with a one-line message on stderr and no traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from ..errors import IndigoError
from ..versions import SUPPORTED_VERSIONS
from . import (
    checks_cmd,
    convert_cmd,
    normalise_cmd,
    package_cmd,
    publish_cmd,
    report_cmd,
    schema_cmd,
    template_cmd,
    upgrade_cmd,
    validate_cmd,
)

EXIT_OK = 0
EXIT_DATA_ERRORS = 1
EXIT_USAGE = 2
PROG = "indigo-standard"

COMMANDS = (
    validate_cmd, schema_cmd, convert_cmd, template_cmd, upgrade_cmd, publish_cmd, package_cmd, checks_cmd,
    report_cmd,
    normalise_cmd,
)


class UsageError(Exception):
    """A bad command line; reported in one line with exit code 2."""


class Parser(argparse.ArgumentParser):
    """An argument parser that reports mistakes in one line instead of printing usage."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see --help)")


def library_version() -> str:
    """The version of indigo-standard (see :mod:`indigo_standard.about`)."""
    from ..about import __version__

    return __version__


def build_parser() -> argparse.ArgumentParser:
    """The full command-line parser."""
    parser = Parser(
        prog=PROG,
        description="Validate, convert and publish INDIGO data (social outcomes contracts, "
        "impact bonds and outcomes funds).",
    )
    versions = ", ".join(SUPPORTED_VERSIONS)
    parser.add_argument(
        "--version",
        action="version",
        version=f"{PROG} {library_version()} (INDIGO schema versions {versions})",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for module in COMMANDS:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "run", None):
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        code: int = args.run(args)
        return code
    except UsageError as error:
        print(str(error), file=sys.stderr)
        return EXIT_USAGE
    except IndigoError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_USAGE
    except Exception as error:  # never show a traceback unless asked to
        if os.environ.get("INDIGO_DEBUG"):
            raise
        print(
            f"{PROG}: internal error: {type(error).__name__}: {error} (set INDIGO_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return EXIT_USAGE

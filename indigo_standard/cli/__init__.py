"""The ``indigo-standard`` command line.

Each command lives in its own module with a ``register`` function that adds its
sub-parser. Exit codes follow the contract: 0 no errors, 1 errors in the data, 2 the
command could not run (with a one-line message on stderr and no traceback). Ctrl-C
(SIGINT) and SIGTERM stop a run the way an error does: every temporary file is removed,
no output is left half-written, and the exit code is 130 or 143.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import NoReturn

from ..errors import IndigoError
from ..flat.atomic import WRITE_ERRORS, cannot_write
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
from .input_options import INPUT_COMMANDS, add_input_options, input_settings

EXIT_OK = 0
EXIT_DATA_ERRORS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143
PROG = "indigo-standard"

COMMANDS = (
    validate_cmd, schema_cmd, convert_cmd, template_cmd, upgrade_cmd, publish_cmd, package_cmd, checks_cmd,
    report_cmd,
    normalise_cmd,
)


class UsageError(Exception):
    """A bad command line; reported in one line with exit code 2."""


class Terminated(BaseException):
    """Raised by SIGTERM, so that a run stops as on Ctrl-C: cleaning up on its way out."""


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
    for name in INPUT_COMMANDS:
        add_input_options(commands.choices[name])
    return parser


@contextmanager
def _stopping_cleanly() -> Iterator[None]:
    """Turn SIGTERM into :class:`Terminated` and Ctrl-C into KeyboardInterrupt, once: after the
    first, both are ignored, so that cleaning up on the way out is not cut short."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pid = os.getpid()

    def stop(number: int, _frame: FrameType | None) -> None:
        if os.getpid() != pid:  # a process forked from this one (validate --jobs) stops as it always did
            signal.signal(number, signal.SIG_DFL)
            os.kill(os.getpid(), number)
            return
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if number == signal.SIGTERM:
            raise Terminated
        raise KeyboardInterrupt

    before = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    for number, handler in before.items():
        if handler is not signal.SIG_IGN:  # a run started in the background keeps ignoring Ctrl-C
            signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)


def _os_error(error: OSError, args: argparse.Namespace | None) -> str:
    """An operating system error in one line, naming the file when it is known.

    An error of writing that names no file (a full disk while temporary files are written
    before the output) is reported as the output's, which was left as it was.
    """
    if error.filename:
        return f"{error.filename}: {error.strerror or error}"
    output = getattr(args, "output", None) or getattr(args, "target", None)
    if output and error.errno in WRITE_ERRORS:
        return str(cannot_write(Path(output), error))
    return f"{error.strerror or error} (temporary files go in {tempfile.gettempdir()})"


def _quiet_after_failure() -> None:
    """Once a failed run has said why in one line, keep the garbage collector quiet.

    A writer stopped half-way (openpyxl's sheet writers, on a full disk or an interrupt) is
    closed when the failure's traceback is dropped, and what its closing raises again is
    printed as "Exception ignored" noise after the message. ``INDIGO_DEBUG=1`` keeps it.
    """
    if not os.environ.get("INDIGO_DEBUG"):
        sys.unraisablehook = lambda _: None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    parser = build_parser()
    args: argparse.Namespace | None = None
    try:
        with _stopping_cleanly():
            args = parser.parse_args(argv)
            if not getattr(args, "run", None):
                parser.print_help(sys.stderr)
                return EXIT_USAGE
            with input_settings(args):
                code: int = args.run(args)
            return code
    except UsageError as error:
        print(str(error), file=sys.stderr)
        return EXIT_USAGE
    except IndigoError as error:
        _quiet_after_failure()
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        _quiet_after_failure()
        print(f"{PROG}: interrupted; nothing was left half-written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Terminated:
        _quiet_after_failure()
        print(f"{PROG}: terminated (SIGTERM); nothing was left half-written", file=sys.stderr)
        return EXIT_TERMINATED
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_USAGE
    except OSError as error:
        if os.environ.get("INDIGO_DEBUG"):
            raise
        _quiet_after_failure()
        print(f"{PROG}: error: {_os_error(error, args)}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as error:  # never show a traceback unless asked to
        if os.environ.get("INDIGO_DEBUG"):
            raise
        print(
            f"{PROG}: internal error: {type(error).__name__}: {error} (set INDIGO_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return EXIT_USAGE

"""The ``indigo-standard`` command line.

Each command lives in its own module with a ``register`` function that adds its
sub-parser. Only the module of the command being run is imported (a process that validates
need not import openpyxl or the maintainers' tools); ``--help`` without a command imports them
all. Exit codes follow the contract: 0 no errors, 1 errors in the data, 2 the command could
not run (with a one-line message on stderr and no traceback). Ctrl-C (SIGINT) and SIGTERM
stop a run the way an error does: every temporary file is removed, no output is left
half-written, and the exit code is 130 or 143.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType, ModuleType
from typing import NoReturn

from ..errors import IndigoError
from ..versions import SUPPORTED_VERSIONS
from ..writing.atomic import WRITE_ERRORS, cannot_write
from .input_options import INPUT_COMMANDS, add_input_options, input_settings

EXIT_OK = 0
EXIT_DATA_ERRORS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143
PROG = "indigo-standard"

COMMANDS = (
    "validate",
    "schema",
    "convert",
    "template",
    "upgrade",
    "publish",
    "package",
    "checks",
    "report",
    "normalise",
)
"""The commands, in the order ``--help`` lists them; command ``NAME`` lives in module ``NAME_cmd``."""


def command_module(name: str) -> ModuleType:
    """The module of command ``name`` (imported now, if it was not yet)."""
    return importlib.import_module(f".{name}_cmd", __name__)


def _command_named(argv: Sequence[str]) -> str | None:
    """The command ``argv`` runs, when its first word that is not an option names one."""
    for word in argv:
        if word == "--":
            return None
        if not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


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


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command-line parser: of every command, or of ``command`` alone (the others unknown to it)."""
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
    for name in COMMANDS if command is None else (command,):
        command_module(name).register(commands)
        if name in INPUT_COMMANDS:
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
        if os.getpid() != pid:  # a process forked from this one stops as it always did
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


def _remove_leftovers() -> None:
    """Remove temporary output an interrupt left behind (see :func:`.writing.atomic.remove_leftovers`)."""
    atomic = sys.modules.get("indigo_standard.writing.atomic")
    if atomic is not None:  # nothing was written without it
        atomic.remove_leftovers()


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


GC_THRESHOLD = 50_000
"""Allocations between two collections of the youngest generation (Python's default: 700)."""


def quiet_collector() -> None:
    """Let the garbage collector work less in a command-line process.

    What was imported so far is moved out of its sight (``gc.freeze``): modules, classes and
    schemas live as long as the process, so checking them again at every full collection is
    wasted. A run makes many small objects (values of records, issues), few of them in
    cycles, so the youngest generation is collected after 50,000 allocations rather than 700:
    about 0.2 s less on a run of 20,000 records. The library leaves the collector alone, and
    so does :func:`main` when it is called with the words of a command line.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    words = sys.argv[1:] if argv is None else list(argv)
    args: argparse.Namespace | None = None
    try:
        with _stopping_cleanly():
            parser = build_parser(_command_named(words))
            if argv is None:  # the process is this command (not a caller that passes its words)
                quiet_collector()
            args = parser.parse_args(words)
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
        _remove_leftovers()
        print(f"{PROG}: interrupted; nothing was left half-written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Terminated:
        _quiet_after_failure()
        _remove_leftovers()
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

"""Opening input files safely: regular files only, links kept inside the folder read, text decoded.

Anything that cannot be read raises :class:`~indigo_standard.errors.InputError` with a
one-line message naming the file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from ..errors import InputError


def decode(raw: bytes, file: str) -> str:
    """Decode UTF-8 (a byte-order mark is allowed), naming the line of any invalid byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(f"{file}: not valid UTF-8 text (invalid byte at line {line})") from None


def missing(path: Path) -> InputError:
    """The error for a path that names nothing (or a symbolic link to nothing)."""
    if path.is_symlink():
        return InputError(f"{path}: a symbolic link to {os.readlink(path)}, which does not exist")
    return InputError(f"{path}: no such file or directory")


@contextmanager
def _reading(path: Path) -> Iterator[None]:
    """Turn the operating system's refusal to read ``path`` into a one-line input error."""
    try:
        yield
    except FileNotFoundError:
        raise missing(path) from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror or error})") from None


_KINDS = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}


def open_regular(path: Path) -> IO[bytes]:
    """Open a regular file (or a symbolic link to one) for reading in binary.

    Anything else is refused at once with a one-line error: a named pipe would block until
    something writes to it, and a device such as ``/dev/zero`` never ends. The file is
    opened without blocking and then examined, so nothing can swap it for a pipe between
    a check and the opening.
    """
    with _reading(path):
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        try:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):
                kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
                raise InputError(f"{path}: is {kind}, not a regular file; only regular files are read")
            if hasattr(os, "set_blocking"):
                os.set_blocking(fd, True)
        except BaseException:
            os.close(fd)
            raise
        return os.fdopen(fd, "rb")


def inside(path: Path, folder: Path) -> Path:
    """``path``, unless it is a symbolic link that leads out of ``folder``: that is refused.

    A folder of input is read as what it holds; a link out of it could make reading reach
    any file on the machine (or a device such as ``/dev/zero``).
    """
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(folder.resolve()):
            raise InputError(f"{path}: a symbolic link to {target}, outside the folder {folder}; refused")
    return path

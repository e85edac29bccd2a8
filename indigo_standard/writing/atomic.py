"""Atomic output: write to a temporary file beside the target, then rename it into place.

An interrupted or failed run leaves the previous file (or no file) where the output
goes, never a half-written one, and removes its temporary file. When the output cannot
be written (its folder is missing, a folder is in the way, the file system is read-only
or full) the error is an :class:`~indigo_standard.errors.OutputError` naming the output,
never the temporary file. Files get the permissions a plain ``open`` gives (0644 under the
usual umask) and folders those of a plain ``mkdir`` (0755).
"""

from __future__ import annotations

import atexit
import errno
import os
import secrets
import shutil
import signal
import zipfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from ..errors import InputError, OutputError

WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EROFS, errno.EFBIG, errno.EDQUOT, errno.EACCES, errno.EPERM})
"""Errors of writing that name no file (a write to an open file): taken as the output's."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _publish_mode(path: Path, mode: int) -> None:
    """Give a temporary file or folder the permissions a plain ``open`` would have."""
    os.chmod(path, mode & ~_umask())


def cannot_write(target: Path, error: OSError) -> OutputError:
    """The one-line error for an output that could not be written."""
    return OutputError(f"{target}: cannot be written ({error.strerror or error}); nothing was changed")


def _is_output_error(error: OSError, target: Path, temp: Path) -> bool:
    """True when ``error`` came from writing the output (the temporary path, or the target)."""
    if error.filename is None:
        return error.errno in WRITE_ERRORS
    named = Path(os.fsdecode(error.filename))
    return named in (target, temp) or temp in named.parents


@contextmanager
def _output_errors(target: Path, temp: Path) -> Iterator[None]:
    try:
        yield
    except OSError as error:
        if not _is_output_error(error, target, temp):
            raise
        raise cannot_write(target, error) from None


def _folder(target: Path) -> Path:
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{target}: the folder {folder} does not exist")
    return folder


def _held() -> set[int | signal.Signals] | None:
    """Hold Ctrl-C and SIGTERM back (on systems that can); returns what to give :func:`_released`."""
    if not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})


def _released(before: set[int | signal.Signals] | None) -> None:
    """Let signals through again; one that came meanwhile acts now."""
    if before is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


_LIVE: dict[Path, Callable[[Path], None]] = {}
"""Every temporary file or folder made and not yet removed, with the function that removes it."""


def remove_leftovers() -> None:
    """Remove every temporary file or folder still there.

    An interrupt can strike after a temporary path is made but before the code that would
    remove it has taken charge of it: Python runs a signal handler between any two steps,
    and holding signals back covers only the thread that holds them (a library such as
    numpy starts threads of its own). Each path is recorded before it is made, so the
    command line, which calls this on its way out after Ctrl-C or SIGTERM, finds it; it
    also runs when the interpreter exits.
    """
    for path, remove in list(_LIVE.items()):
        remove(path)
        _LIVE.pop(path, None)


atexit.register(remove_leftovers)


def _made(target: Path, folder: Path, make: Callable[[Path], None], remove: Callable[[Path], None]) -> Path:
    """A new temporary path beside ``target`` (``.NAME.RANDOM.tmp``), made by ``make`` (which
    fails if the path exists) and recorded in :data:`_LIVE` before it is made."""
    while True:
        path = folder / f".{target.name}.{secrets.token_hex(6)}.tmp"
        _LIVE[path] = remove
        try:
            make(path)
        except FileExistsError:
            _LIVE.pop(path, None)
            continue
        except OSError as error:
            _LIVE.pop(path, None)
            raise cannot_write(target, error) from None
        return path


@contextmanager
def _staged(
    target: Path, folder: Path, make: Callable[[Path], None], remove: Callable[[Path], None]
) -> Iterator[Path]:
    """A temporary file or folder for ``target`` in ``folder``, made by ``make`` and always
    removed by ``remove`` afterwards; an error of writing it names ``target``.

    Signals are held back while it is made, and it is recorded in :data:`_LIVE` before it
    is made: an interrupt at any moment leaves nothing behind, here or through
    :func:`remove_leftovers`.
    """
    before = _held()
    try:
        path = _made(target, folder, make, remove)
    except BaseException:
        _released(before)
        raise
    try:
        _released(before)
        with _output_errors(target, path):
            yield path
    finally:
        remove(path)
        _LIVE.pop(path, None)


def _remove_file(path: Path) -> None:
    path.unlink(missing_ok=True)


def _create_file(path: Path) -> None:
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path to write; on success it replaces ``target``, on failure it is removed."""
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; give the name of a file to write")
    folder = _folder(target)
    with _staged(target, folder, _create_file, _remove_file) as temp:
        yield temp
        _publish_mode(temp, 0o666)
        os.replace(temp, target)


@contextmanager
def zip_output(temp: Path) -> Iterator[zipfile.ZipFile]:
    """A zip archive to write to ``temp`` (a temporary file of :func:`atomic_path`), closed at the end.

    After a failure or an interrupt the archive is abandoned as it is: its file is about
    to be removed, and closing it could only fail again (an interrupt may leave Python's
    zip writer believing a member is still open), later, in the garbage collector.
    """
    with temp.open("wb") as out:
        archive = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        try:
            yield archive
            archive.close()
        except BaseException:
            archive.fp = None  # nothing more is written to it, not even when it is collected
            raise


@contextmanager
def output_file(target: Path) -> Iterator[IO[str]]:
    """A text stream whose content replaces ``target`` when the block ends without error.

    Until then the text goes to a temporary file beside it, so a failed run leaves the
    previous file as it was. The file gets the permissions a plain ``open`` would give.
    """
    try:
        with atomic_path(target) as temporary, temporary.open("w", encoding="utf-8") as out:
            yield out
    except OSError as error:
        raise InputError(f"{target}: cannot be written ({error.strerror or error})") from None


def write_text(target: Path, text: str, *, make_folder: bool = False) -> None:
    """Write UTF-8 text to ``target`` atomically.

    With ``make_folder``, the folder it goes in (and any folder above) is made first when
    missing; an output that cannot be written is still an OutputError naming ``target``.
    """
    if make_folder:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise OutputError(f"{target}: {target.parent} is a file, not a folder") from None
        except OSError as error:
            raise cannot_write(target, error) from None
    with atomic_path(target) as temp:
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError as error:
            found = text[error.start : error.end]
            raise OutputError(
                f"{target}: the data holds text that is not Unicode (a lone surrogate, {found!a}), which no "
                "file can store; nothing was written"
            ) from None
        temp.write_bytes(data)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back while files are moved into place, so that a folder is never
    left part old, part new; a signal that comes meanwhile acts just after."""
    before = _held()
    try:
        yield
    finally:
        _released(before)


def _create_folder(path: Path) -> None:
    os.mkdir(path, 0o700)


def _remove_folder(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path, ignore_errors=True)


@contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """A temporary folder to fill; on success its files are moved into folder ``target``.

    When ``target`` does not exist the whole folder appears in one rename; otherwise each
    file replaces its namesake atomically and other files in the folder are left alone.
    On failure nothing in ``target`` changes and the temporary folder is removed.
    """
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target}: exists and is not a folder")
    parent = _folder(target)
    with _staged(target, parent, _create_folder, _remove_folder) as staging:
        yield staging
        _publish_mode(staging, 0o777)
        with _signals_held():
            if not target.exists():
                os.replace(staging, target)
                return
            for path in sorted(staging.iterdir()):
                os.replace(path, target / path.name)


def write_folder(target: Path, files: Mapping[str, bytes]) -> None:
    """Write every file into folder ``target`` (see :func:`atomic_folder`): all first, then each moved in."""
    with atomic_folder(target) as staging:
        for name, data in files.items():
            (staging / name).write_bytes(data)

"""Atomic output: write to a temporary file beside the target, then rename it into place.

An interrupted or failed run leaves the previous file (or no file) where the output
goes, never a half-written one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _publish_mode(path: Path, mode: int) -> None:
    """Give a temporary file or folder the permissions a plain ``open`` would have."""
    os.chmod(path, mode & ~_umask())


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path to write; on success it replaces ``target``, on failure it is removed."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{target}: the folder {folder} does not exist")
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
        _publish_mode(temp, 0o666)
        os.replace(temp, target)
    finally:
        if temp.exists():
            temp.unlink()


def write_text(target: Path, text: str) -> None:
    """Write UTF-8 text to ``target`` atomically."""
    with atomic_path(target) as temp:
        temp.write_text(text, encoding="utf-8")


@contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """A temporary folder to fill; on success its files are moved into folder ``target``.

    When ``target`` does not exist the whole folder appears in one rename; otherwise each
    file replaces its namesake atomically and other files in the folder are left alone.
    On failure nothing in ``target`` changes and the temporary folder is removed.
    """
    if target.exists() and not target.is_dir():
        raise InputError(f"{target}: exists and is not a folder")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(f"{target}: the folder {parent} does not exist")
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    try:
        yield staging
        _publish_mode(staging, 0o777)
        if not target.exists():
            os.replace(staging, target)
            return
        for path in sorted(staging.iterdir()):
            os.replace(path, target / path.name)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def write_folder(target: Path, files: Mapping[str, bytes]) -> None:
    """Write every file into folder ``target`` (see :func:`atomic_folder`): all first, then each moved in."""
    with atomic_folder(target) as staging:
        for name, data in files.items():
            (staging / name).write_bytes(data)

"""Writing a command's report to a file given with ``-o``, atomically."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from ..errors import InputError
from ..flat.atomic import atomic_path


def checked_output(path: str) -> Path:
    """The report file ``path``, refused at once when it cannot be written (before a long run)."""
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{target}: is a directory")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{target}: the folder {folder} does not exist")
    return target


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

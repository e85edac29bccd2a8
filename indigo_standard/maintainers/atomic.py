"""Writing output files atomically: a temporary file in the same folder, then a rename."""

from __future__ import annotations

from pathlib import Path

from ..errors import OutputError
from ..flat.atomic import cannot_write, write_text


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (making its folder) so that a failed or interrupted run leaves the
    old file in place; an output that cannot be written is an OutputError naming it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"{path}: {path.parent} is a file, not a folder") from None
    except OSError as error:
        raise cannot_write(path, error) from None
    write_text(path, text)

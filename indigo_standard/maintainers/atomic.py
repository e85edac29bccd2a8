"""Writing output files atomically: a temporary file in the same folder, then a rename."""

from __future__ import annotations

from pathlib import Path

from ..flat.atomic import atomic_path


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a failed or interrupted run leaves the old file in place.

    Missing parent folders are created; the file gets the permissions a plain ``open`` gives.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as temp:
        temp.write_text(text, encoding="utf-8", newline="\n")

"""A progress bar on standard error for runs that take a while, shown only on a terminal.

The bar is drawn by tqdm. It counts records as the run reads them (the total is not known
before the end of a stream), appears only once the run has taken more than
:data:`DELAY` seconds, and is removed when the run ends, so that nothing of it is left
among the report's lines or in a redirected file.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO

DELAY = 1.0
"""Seconds a run may take before the bar appears."""

POLL = 0.1
"""Seconds between two looks at the count."""


@contextmanager
def progress(count: Callable[[], int], what: str, stream: IO[str] | None = None) -> Iterator[None]:
    """Show ``count()`` records on a bar labelled ``what`` while the block runs (on a terminal)."""
    stream = stream if stream is not None else sys.stderr
    try:
        terminal = stream.isatty()
    except (AttributeError, ValueError):
        terminal = False
    if not terminal:
        yield
        return
    from tqdm import tqdm

    bar = tqdm(
        desc=what,
        unit=" records",
        file=stream,
        delay=DELAY,
        leave=False,
        dynamic_ncols=True,
        mininterval=POLL,
    )
    stop = threading.Event()

    def follow() -> None:
        while not stop.wait(POLL):
            bar.update(count() - bar.n)

    watcher = threading.Thread(target=follow, name="progress", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        watcher.join()
        bar.close()

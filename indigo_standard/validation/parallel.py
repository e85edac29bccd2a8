"""Validating with several processes: ``validate --jobs N``.

Every worker reads the whole input itself (streaming, as always), so records are never
sent between processes. The records are cut into batches of ``batch`` records to check,
the same way in every worker, and worker ``k`` checks batches ``k``, ``k + N``,
``k + 2N``, ... . For each of its batches it sends back, through its own bounded queue,
what one process would have found for every item read for that batch: the issues raised
before checking it (reader notices, the warnings given once per run, which every worker
works out alike since each sees every record), its version, and its issues; plus the part
of the dataset index the batch adds and, for flat input, the cells dataset issues may
name. The main process takes the batches in order, one queue after the other, so issues
are kept, counted and cut at ``--max-issues`` exactly as in one process, and the dataset
checks run once, in the main process, on the merged index. The report is the same.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue as queues
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..checks.dataset import DatasetIndex
from ..errors import IndigoError
from ..reading import SourcedRecord, iter_paths
from .cell_store import CellStore
from .result import Issue, Report
from .validate import Validation

BATCH = 256
"""Records a worker checks before sending their results."""

QUEUED = 2
"""Batch results each worker may have waiting; beyond that it waits, so memory stays bounded."""

Step = tuple[list[Issue], "str | None", bool, "list[Issue] | None"]
"""One item read: the issues raised before checking it, its version (None: nothing to check),
whether it counts as a record, and its issues when it was checked."""

Result = tuple[list[Step], DatasetIndex, CellStore]


Read = tuple[SourcedRecord, list[Issue], "str | None"]
"""An item read, with what :meth:`Validation.begin` said of it (issues before it, version)."""


def _batches(run: Validation, items: Iterable[SourcedRecord], size: int) -> Iterator[list[Read]]:
    """The items read, cut after every ``size`` items to check."""
    batch: list[Read] = []
    checked = 0
    for item in items:
        before, version = run.begin(item)
        batch.append((item, before, version))
        if version is not None:
            checked += 1
            if checked >= size:
                yield batch
                batch, checked = [], 0
    if batch:
        yield batch


def _work(queue: Any, share: int, jobs: int, paths: Sequence[str | os.PathLike[str]],
          settings: dict[str, Any], size: int) -> None:
    """In worker ``share``: check every ``jobs``-th batch of the input and send the results in order."""
    try:
        with Validation(**settings) as run:
            items = iter_paths(paths, settings.get("schema_version"))
            for number, batch in enumerate(_batches(run, items, size)):
                if number % jobs != share:
                    continue
                run.checks.index = DatasetIndex()  # no spool: a batch's part is small, and is sent whole
                run.cells = CellStore()
                steps: list[Step] = [
                    (before, version, item.entity != "package",
                     run.check(item, version) if version is not None else None)
                    for item, before, version in batch
                ]
                queue.put(("batch", (steps, run.checks.index, run.cells)))
        queue.put(("end", None))
    except BaseException as error:  # reported by the main process, as one process would
        try:
            pickle.dumps(error)
        except Exception:
            error = RuntimeError(f"{type(error).__name__}: {error}")
        queue.put(("error", error))


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods and sys.platform != "darwin" else "spawn")


def validate_parallel(
    paths: Sequence[str | os.PathLike[str]],
    jobs: int,
    *,
    schema_version: str | None = None,
    entity: str | None = None,
    batch: int = BATCH,
    **options: Any,
) -> Report:
    """Validate the records of ``paths`` with ``jobs`` worker processes; the same report as one."""
    settings = {"schema_version": schema_version, "entity": entity, **options}
    with Validation(**settings) as run:
        check_parallel(run, paths, jobs, settings, batch)
        return run.report()


def check_parallel(
    run: Validation,
    paths: Sequence[str | os.PathLike[str]],
    jobs: int,
    settings: dict[str, Any],
    batch: int = BATCH,
) -> None:
    """Check every record of ``paths`` into ``run``, with ``jobs`` workers made with ``settings``.

    ``settings`` are the options ``run`` was made with; the workers make their own from them.
    An error a worker meets (a file that cannot be read, say) is raised here, after the
    batches before it were taken, as one process would raise it.
    """
    context = _context()
    inboxes = [context.Queue(QUEUED) for _ in range(jobs)]
    workers = [
        context.Process(target=_work, args=(inboxes[share], share, jobs, list(paths), settings, batch),
                        daemon=True)
        for share in range(jobs)
    ]
    for worker in workers:
        worker.start()
    try:
        number = 0
        while True:
            kind, payload = _next(inboxes[number % jobs], workers[number % jobs])
            if kind == "end":
                break
            if kind == "error":
                raise payload
            _take(run, payload)
            number += 1
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join()
        for inbox in inboxes:
            inbox.close()


def _next(inbox: Any, worker: Any) -> tuple[str, Any]:
    """The next message of one worker; an error if the worker stopped without sending it."""
    while True:
        try:
            message: tuple[str, Any] = inbox.get(timeout=1)
        except queues.Empty:
            if not worker.is_alive():
                stopped = f"a worker process of --jobs stopped unexpectedly (exit code {worker.exitcode})"
                raise IndigoError(stopped) from None
            continue
        return message


def merge_index(into: DatasetIndex, part: DatasetIndex) -> None:
    """Add what one batch's index holds to the run's index, keeping the order of records."""
    for entity, ids in part.ids.items():
        for record in ids:
            into.add_id(entity, record)
    into.add_references(part.references)
    for organisation, links in part.controls.items():
        into.controls.setdefault(organisation, []).extend(links)


def _take(run: Validation, result: Result) -> None:
    """Add one batch's results to the run, in the order the records were read."""
    steps, index, cells = result
    for before, version, counted, issues in steps:
        run.issues.extend(before)
        if version is not None:
            run.versions.add(version)
            run.records += counted
        if issues is not None:
            run.issues.extend(issues)
    merge_index(run.checks.index, index)
    for record, found in cells.items():
        run.cells.add(record, found)

"""Validating with several processes: ``validate --jobs N``.

The main process reads the input (streaming, as always) and does the little that
depends on the records before each one: reader notices, the version of each record and
the warnings given once per run. Batches of records go to worker processes, which run
the schema and the record checks and return, for each batch, the issues of every record
(in order), the part of the dataset index the batch adds and, for flat input, the cells
dataset issues may name. The main process takes the batches back in order, so issues are
kept, counted and cut at ``--max-issues`` exactly as in one process, and the dataset
checks run once, in the main process, on the merged index. The report is the same.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..checks.dataset import DatasetIndex
from ..reading import SourcedRecord, iter_paths
from .cell_store import CellStore
from .report import Issue, Report
from .validate import Validation

BATCH = 256
"""Records sent to a worker at a time."""

Batch = list[tuple[SourcedRecord, str]]
Result = tuple[list[list[Issue]], DatasetIndex, CellStore]

_worker: Validation | None = None


def _start_worker(options: dict[str, Any]) -> None:
    global _worker
    _worker = Validation(**options)


def _check_batch(batch: Batch) -> Result:
    """In a worker: the issues of each record of a batch, and what the batch adds to the index."""
    run = _worker
    assert run is not None, "the worker was started with its options"
    run.checks.index = DatasetIndex()  # no spool: a batch's part is small, and is sent back whole
    run.cells = CellStore()
    issues = [run.check(item, version) for item, version in batch]
    return issues, run.checks.index, run.cells


def merge_index(into: DatasetIndex, part: DatasetIndex) -> None:
    """Add what one batch's index holds to the run's index, keeping the order of records."""
    for entity, ids in part.ids.items():
        for record in ids:
            into.add_id(entity, record)
    into.add_references(part.references)
    for organisation, links in part.controls.items():
        into.controls.setdefault(organisation, []).extend(links)


Plan = list[tuple[list[Issue], bool]]
"""For each item of a batch, in order: the issues found before checking it, and whether it is checked."""


def _batches(run: Validation, items: Iterable[SourcedRecord], size: int) -> Iterator[tuple[Plan, Batch]]:
    """Batches of (record, version) to check, each with the plan of every item read for it."""
    plan: Plan = []
    batch: Batch = []
    for item in items:
        issues, version = run.begin(item)
        plan.append((issues, version is not None))
        if version is not None:
            batch.append((item, version))
            if len(batch) >= size:
                yield plan, batch
                plan, batch = [], []
    if plan:
        yield plan, batch


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
    """
    schema_version = settings.get("schema_version")
    window = 2 * jobs  # batches in flight: enough to keep every worker busy, few enough to bound memory
    with _context().Pool(jobs, initializer=_start_worker, initargs=(settings,)) as pool:
        inflight: deque[tuple[Plan, Any]] = deque()
        for plan, items in _batches(run, iter_paths(paths, schema_version), batch):
            inflight.append((plan, pool.apply_async(_check_batch, (items,))))
            if len(inflight) >= window:
                _take(run, *inflight.popleft())
        while inflight:
            _take(run, *inflight.popleft())


def _take(run: Validation, plan: Plan, pending: Any) -> None:
    """Add one batch's results to the run, in the order the records were read."""
    results, index, cells = pending.get()
    checked = iter(results)
    for issues_before, is_checked in plan:
        run.issues.extend(issues_before)
        if is_checked:
            run.issues.extend(next(checked))
    merge_index(run.checks.index, index)
    for record, found in cells.items():
        run.cells.add(record, found)

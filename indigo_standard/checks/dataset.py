"""Checks across a dataset: references between records, and control cycles among organisations.

Records pass through :meth:`DatasetIndex.collect` one at a time and only a small index is
kept: the ids of each record type, the references that point across records and the
``controlled_by`` links, never the records themselves. Given a spool, the index moves
the references still unresolved to it once there are many.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import NamedTuple

from ..fields import fields
from ..validation.spool import Spool
from .context import DatasetFinding, DatasetFunc, RecordContext
from .walk import split_ids, wrapped

FUND_REFERENCES: Mapping[str, str] = {"/outcome_funds[]/id": "fund"}
"""Cross-record reference fields the schemas leave unannotated, with the record type they name."""


class Reference(NamedTuple):
    """A field of one record that names another record by id.

    (A named tuple: a dataset has many, and they are quick to make and to spool.)
    """

    target: str
    """The record type named: organisation, fund or project."""
    value: str
    entity: str
    record: str | None
    path: str
    file: str | None
    version: str


@cache
def record_references(version: str, entity: str) -> Mapping[str, str]:
    """Each field of ``entity`` that names other records, with the record type it names."""
    found = {
        f.path: f.references for f in fields(version, entity) if f.references in ("organisation", "project")
    }
    paths = {f.path for f in fields(version, entity)}
    found.update({path: target for path, target in FUND_REFERENCES.items() if path in paths})
    return {path: target for path, target in found.items() if target is not None}


@cache
def record_paths(version: str, entity: str) -> frozenset[str]:
    """The schema paths of :func:`record_references`."""
    return frozenset(record_references(version, entity))


COMPACT_AT = 20_000
"""How many references the index holds before it first drops the resolved ones."""

SPILL_AT = 10_000
"""How many unresolved references may stay in memory after a compaction; more go to the spool.

(Up to twice as many are held between compactions: about 4 MB. At 25,000 the peak RSS of a
100,000-record run grew by 7 MB; at 5,000, spilling and reading back cost about 5 % more CPU
than at 10,000.)"""

PIECE = 2_000
"""References in each pickled chunk a spill writes, so that reading them back holds only so many."""

CHUNKS = "dataset-references"
"""The spool's chunk files for references: one for each record type named, ``CHUNKS-TYPE``."""


class DatasetIndex:
    """Ids and cross-record references gathered from every record of a dataset."""

    def __init__(self) -> None:
        self.ids: dict[str, set[str]] = {}
        """The ids of the records of each type (a type is a key once it has an id). They stay in
        memory: a hundred thousand records' ids take about 10 MB."""
        self.references: list[Reference] = []
        """The references held in memory (after those moved to the spool)."""
        self.controls: dict[str, list[tuple[str, str, str | None, str]]] = {}
        """For each organisation id: (controlling id, pointer, file, version) of each controlled_by link."""
        self.recent: list[str] = []
        """The pointers of the fields taken from the record collected last (references and links)."""
        self.compact_every = COMPACT_AT
        """The fewest references held before the resolved ones are dropped."""
        self.compact_at = COMPACT_AT
        """When :attr:`references` reaches this length, the ones already resolved are dropped."""
        self.new_ids = 0
        """Ids added since the last compaction: once there are :attr:`compact_every`, compact again."""
        self.spool: Spool | None = None
        """Where references still unresolved after a compaction go once there are :attr:`spill_at`."""
        self.spill_at = SPILL_AT
        self.spilled = 0
        """How many references were moved to the spool (they come before :attr:`references`)."""

    def add_id(self, entity: str, record: str) -> None:
        """Note that a record of type ``entity`` has id ``record``."""
        known = self.ids.get(entity)
        if known is None:
            known = self.ids[entity] = set()
        known.add(record)
        self.new_ids += 1

    def has_ids(self, entity: str) -> bool:
        """True when some record of type ``entity`` has an id."""
        return entity in self.ids

    def has_id(self, entity: str, record: str) -> bool:
        """True when a record of type ``entity`` has id ``record``."""
        return record in self.ids.get(entity, ())

    def compact(self) -> None:
        """Drop the references whose target is among the ids seen so far, keeping the others in order.

        Ids are only ever added, so such a reference can never be reported: dropping it
        changes no finding, and keeps the index as small as the references still open.
        """
        ids = self.ids
        self.references = [ref for ref in self.references if ref.value not in ids.get(ref.target, ())]
        if self.spool is not None and len(self.references) >= self.spill_at:
            self._spill()
        self.compact_at = max(self.compact_every, 2 * len(self.references))
        self.new_ids = 0

    def _due(self) -> bool:
        return len(self.references) >= self.compact_at or self.new_ids >= self.compact_every

    def use_spool(self, spool: Spool) -> None:
        """Spill to ``spool`` from now on, compacting often enough that little is held between spills."""
        self.spool = spool
        self.compact_every = self.compact_at = min(self.compact_every, 2 * self.spill_at)

    def _spill(self) -> None:
        """Move the references held in memory to the end of the spool."""
        assert self.spool is not None, "only an index with a spool spills"
        by_target: dict[str, list[tuple[str | None, ...]]] = {}
        for ref in self.references:
            by_target.setdefault(ref.target, []).append(tuple(ref))
        for target, rows in by_target.items():
            chunks = self.spool.chunks(f"{CHUNKS}-{target}")
            for start in range(0, len(rows), PIECE):
                chunks.append(rows[start : start + PIECE])
        self.spilled += len(self.references)
        self.references = []

    def all_references(self, target: str) -> Iterator[Reference]:
        """Every reference kept to records of type ``target``, in the order collected."""
        if self.spilled and self.spool is not None:
            for chunk in self.spool.chunks(f"{CHUNKS}-{target}"):
                for row in chunk:
                    yield Reference(*row)
        for ref in self.references:
            if ref.target == target:
                yield ref

    def collect(self, ctx: RecordContext, file: str | None = None) -> None:
        """Add what the dataset checks need from one record."""
        if ctx.record_id is not None:
            self.add_id(ctx.entity, ctx.record_id)
        wanted = record_references(ctx.version, ctx.entity)
        self.recent = []
        for node in ctx.selected(record_paths(ctx.version, ctx.entity)):
            target = wanted[node.schema_path]
            for value in split_ids(node.value) if isinstance(node.value, str) else []:
                self.recent.append(node.pointer)
                self.references.append(
                    Reference(target, value, ctx.entity, ctx.record_id, node.pointer, file, ctx.version)
                )
        if self._due():
            self.compact()
        if ctx.entity == "organisation" and ctx.record_id is not None:
            links = ctx.data.get("controlled_by")
            for index, link in enumerate(links if isinstance(links, list) else []):
                controller = wrapped(link.get("organisation_id")) if isinstance(link, dict) else None
                if isinstance(controller, str) and controller.strip():
                    pointer = f"/controlled_by/{index}/organisation_id/value"
                    self.recent.append(pointer)
                    self.controls.setdefault(ctx.record_id, []).append(
                        (controller.strip(), pointer, file, ctx.version)
                    )


def _unknown(index: DatasetIndex, target: str) -> Iterator[DatasetFinding]:
    if not index.has_ids(target):
        return
    for ref in index.all_references(target):
        if not index.has_id(target, ref.value):
            yield DatasetFinding(
                ref.entity, ref.record, ref.path, {"value": repr(ref.value)}, ref.file, ref.version
            )


def unknown_organisation(index: DatasetIndex) -> Iterator[DatasetFinding]:
    """Organisation ids named by projects, funds and pipelines exist among the organisations."""
    return _unknown(index, "organisation")


def unknown_fund(index: DatasetIndex) -> Iterator[DatasetFinding]:
    """Outcome funds named by projects exist among the dataset's funds."""
    return _unknown(index, "fund")


def unknown_project(index: DatasetIndex) -> Iterator[DatasetFinding]:
    """Projects named by pipelines exist among the dataset's projects."""
    return _unknown(index, "project")


def control_cycle(index: DatasetIndex) -> Iterator[DatasetFinding]:
    """Following controlled_by never leads back to where it started."""
    state: dict[str, int] = {}  # 1 while on the current path, 2 once fully explored
    reported: set[frozenset[str]] = set()
    for start in sorted(index.controls):
        if start in state:
            continue
        path: list[str] = [start]
        links: list[Iterator[tuple[str, str, str | None, str]]] = [iter(index.controls.get(start, []))]
        state[start] = 1
        while links:
            step = next(links[-1], None)
            if step is None:
                state[path.pop()] = 2
                links.pop()
                continue
            controller, pointer, file, version = step
            if state.get(controller) == 1:
                cycle = [*path[path.index(controller) :], controller]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    yield DatasetFinding(
                        "organisation", path[-1], pointer, {"cycle": " -> ".join(cycle)}, file, version
                    )
            elif controller not in state:
                state[controller] = 1
                path.append(controller)
                links.append(iter(index.controls.get(controller, [])))


CHECKS: Mapping[str, DatasetFunc] = {
    "dataset.unknown-organisation": unknown_organisation,
    "dataset.unknown-fund": unknown_fund,
    "dataset.unknown-project": unknown_project,
    "dataset.control-cycle": control_cycle,
}

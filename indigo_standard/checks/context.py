"""What a check sees and what it reports: record contexts, findings and the check itself."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, TypeVar, cast

import attrs

from ..catalogue import CodeInfo
from .walk import Node, path_tree, query_tree, select, select_into, walk

if TYPE_CHECKING:
    from .dataset import DatasetIndex

T = TypeVar("T")


class RecordContext:
    """One record as a check sees it: its version, type, id and data."""

    def __init__(
        self,
        version: str,
        entity: str,
        data: Mapping[str, Any],
        record_id: str | None,
        prefetch: frozenset[str] = frozenset(),
        queries: tuple[frozenset[str], ...] = (),
    ) -> None:
        self.version = version
        self.entity = entity
        self.data = data
        self.record_id = record_id
        self.prefetch = prefetch.union(*queries)
        """Schema paths found together, in one pass, the first time any of them is selected."""
        self.queries = (*queries, self.prefetch)
        """The sets of schema paths that checks are known to select (the last: every path
        prefetched). The pass that finds :attr:`prefetch` fills a list for each, in order."""
        self._found: list[list[Node]] | None = None
        self._selected: dict[frozenset[str], list[Node]] = {}
        self._shared: dict[tuple[Any, ...], Any] = {}

    @cached_property
    def nodes(self) -> tuple[Node, ...]:
        """Every value inside the record with its pointer and schema path (computed once)."""
        return tuple(walk(self.data))

    @cached_property
    def positions(self) -> Mapping[str, list[int]]:
        """For each schema path present in the record, where its nodes sit in :attr:`nodes`."""
        found: dict[str, list[int]] = {}
        for position, node in enumerate(self.nodes):
            found.setdefault(node.schema_path, []).append(position)
        return found

    @cached_property
    def _key_parents(self) -> Mapping[str, list[str]]:
        """For each object key in the record, the schema paths of the objects holding it."""
        found: dict[str, list[str]] = {}
        for path in self.positions:
            if not path.endswith("[]"):
                parent, _, key = path.rpartition("/")
                found.setdefault(key, []).append(parent)
        return found

    def select(self, schema_paths: Iterable[str]) -> list[Node]:
        """The nodes at any of ``schema_paths``, in document order (as :attr:`nodes` has them).

        Only the branches of the record that lead to those paths are visited, and paths
        among :attr:`prefetch` are found together in one pass, so checks that look at a few
        fields cost little. Pass a frozenset to skip a conversion.
        """
        return list(self.selected(schema_paths))

    def selected(self, schema_paths: Iterable[str]) -> Sequence[Node]:
        """What :meth:`select` gives, without a copy: the list kept for later calls, not to be changed."""
        paths = schema_paths if isinstance(schema_paths, frozenset) else frozenset(schema_paths)
        found = self._selected.get(paths)
        if found is None:
            if _within(paths, self.prefetch):
                found = self._from_prefetch(paths)
            else:
                found = select(self.data, path_tree(paths))
            self._selected[paths] = found
        return found

    def _from_prefetch(self, paths: frozenset[str]) -> list[Node]:
        if self._found is None:
            self._found = [[] for _ in self.queries]
            select_into(self.data, query_tree(self.queries), self._found)
        slot = _slot(self.queries, paths)
        if slot is not None:
            return self._found[slot]
        return [node for node in self._found[-1] if node.schema_path in paths]

    def once(self, compute: Callable[..., T], *args: Any) -> T:
        """``compute(self, *args)``, worked out the first time it is asked for and then shared by
        every check of this record (such as the source ids it cites, which two checks read)."""
        key = (compute, *args)
        if key in self._shared:
            return cast(T, self._shared[key])
        found = self._shared[key] = compute(self, *args)
        return found

    def parents_of(self, key_matches: Callable[[str], bool]) -> list[Node]:
        """The object nodes that hold at least one key for which ``key_matches`` is true, in order.

        (The record itself is left out.) This walks the whole record once; when the fields
        are known by their schema paths, :meth:`select` is much quicker.
        """
        parents = {parent for key, where in self._key_parents.items() if key_matches(key) for parent in where}
        parents.discard("")
        return [
            node
            for node in self.select(parents)
            if isinstance(node.value, dict) and any(key_matches(str(key)) for key in node.value)
        ]


@lru_cache(maxsize=1024)
def _within(paths: frozenset[str], prefetch: frozenset[str]) -> bool:
    return paths <= prefetch


@lru_cache(maxsize=1024)
def _slot(queries: tuple[frozenset[str], ...], paths: frozenset[str]) -> int | None:
    """The number of ``paths`` among ``queries``, or None."""
    for number, query in enumerate(queries):
        if query == paths:
            return number
    return None


@attrs.frozen
class Finding:
    """A problem a record check found: where in the record, and the message's details."""

    path: str
    params: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class DatasetFinding:
    """A problem a dataset check found, in a record it names."""

    entity: str
    record: str | None
    path: str
    params: Mapping[str, Any] = attrs.field(factory=dict)
    file: str | None = None
    version: str | None = None


RecordFunc = Callable[[RecordContext], Iterable[Finding]]
DatasetFunc = Callable[["DatasetIndex"], Iterable[DatasetFinding]]


@attrs.frozen
class Check:
    """A check beyond the schema: its catalogue entry and the function that runs it.

    Exactly one of ``record`` (runs on each record) and ``dataset`` (runs once, on the
    small index of ids and references gathered from every record) is set. ``info`` must
    carry ``applies_to``. Third-party packages build these for the ``indigo_standard.checks``
    entry point group.
    """

    info: CodeInfo
    record: RecordFunc | None = None
    dataset: DatasetFunc | None = None
    origin: str = "indigo-standard"
    """The distribution that provides the check."""

    @property
    def code(self) -> str:
        """The check's stable issue code."""
        return self.info.code

    def applies(self, entity: str, version: str) -> bool:
        """True when the check runs on records of type ``entity`` in ``version``."""
        return self.info.applies_to is None or self.info.applies_to.covers(entity, version)

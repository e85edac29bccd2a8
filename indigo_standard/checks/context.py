"""What a check sees and what it reports: record contexts, findings and the check itself."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

import attrs

from ..catalogue import CodeInfo
from .walk import Node, path_tree, select, walk

if TYPE_CHECKING:
    from .dataset import DatasetIndex


class RecordContext:
    """One record as a check sees it: its version, type, id and data."""

    def __init__(
        self,
        version: str,
        entity: str,
        data: Mapping[str, Any],
        record_id: str | None,
        prefetch: frozenset[str] = frozenset(),
    ) -> None:
        self.version = version
        self.entity = entity
        self.data = data
        self.record_id = record_id
        self.prefetch = prefetch
        """Schema paths found together, in one pass, the first time any of them is selected."""
        self._found: tuple[list[Node], dict[str, list[int]]] | None = None
        self._selected: dict[frozenset[str], list[Node]] = {}

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
        paths = schema_paths if isinstance(schema_paths, frozenset) else frozenset(schema_paths)
        found = self._selected.get(paths)
        if found is None:
            if _within(paths, self.prefetch):
                found = self._from_prefetch(paths)
            else:
                found = select(self.data, path_tree(paths))
            self._selected[paths] = found
        return list(found)

    def _from_prefetch(self, paths: frozenset[str]) -> list[Node]:
        if self._found is None:
            self._found = _positions(select(self.data, path_tree(self.prefetch)))
        nodes, positions = self._found
        present = positions.keys() & paths
        if len(present) == 1:
            return [nodes[position] for position in positions[present.pop()]]
        chosen = [position for path in present for position in positions[path]]
        chosen.sort()
        return [nodes[position] for position in chosen]

    def parents_of(self, key_matches: Callable[[str], bool]) -> list[Node]:
        """The object nodes that hold at least one key for which ``key_matches`` is true, in order.

        (The record itself is left out.) This walks the whole record once; when the fields
        are known by their schema paths, :meth:`select` is much quicker.
        """
        parents = {
            parent for key, where in self._key_parents.items() if key_matches(key) for parent in where
        }
        parents.discard("")
        return [
            node
            for node in self.select(parents)
            if isinstance(node.value, dict) and any(key_matches(str(key)) for key in node.value)
        ]


@lru_cache(maxsize=1024)
def _within(paths: frozenset[str], prefetch: frozenset[str]) -> bool:
    return paths <= prefetch


def _positions(nodes: list[Node]) -> tuple[list[Node], dict[str, list[int]]]:
    found: dict[str, list[int]] = {}
    for position, node in enumerate(nodes):
        found.setdefault(node.schema_path, []).append(position)
    return nodes, found


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

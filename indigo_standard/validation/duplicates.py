"""Records that share an id: the second one is an error that names where the first one is.

Validation sees the records one at a time, in the order they are read, so the first place
each id was seen is all it keeps: the id, the number of its file in a short list of file
names, and the row (flat input) or position (JSON) inside it. The place is kept as one
integer: the number of a *kind* of place (a file with its rows, or a file with a position
prefix such as ``/projects/``) and the row or index, so that a record costs its id, a dict
entry and an integer (about 130 bytes, of which 80 for the place was a tuple and a string);
the records themselves are not kept.
"""

from __future__ import annotations

from ..reading.records import SourcedRecord
from .result import Issue, Source

Place = tuple[int, "int | str | None"]
"""Where a record was read: the number of its file (-1: no file), and its row or position."""

KINDS = 4096
"""How many kinds of place are numbered; a place of any further kind is kept as a :data:`Place`."""

DIGITS = "0123456789"


class IdRegister:
    """The first place each record id was seen in one validation run."""

    def __init__(self) -> None:
        self.first: dict[str, int | Place] = {}
        """The first place of each id, packed by :meth:`_pack` (or as it is, when it cannot be)."""
        self.files: list[str] = []
        self._numbers: dict[str, int] = {}
        self.kinds: list[tuple[int, str | None]] = []
        """Each kind of place: its file number, and the prefix of its positions (None: rows)."""
        self._kinds: dict[tuple[int, str | None], int] = {}

    def _pack(self, place: Place) -> int | Place:
        """``place`` as one integer (index times :data:`KINDS` plus kind), when it has a kind."""
        number, where = place
        if isinstance(where, int):
            if where < 0:
                return place
            key: tuple[int, str | None] = (number, None)
            index = where
        else:
            if not where:
                return place
            tail = len(where) - len(where.rstrip(DIGITS))
            if not tail or (where[-tail] == "0" and tail > 1):
                return place
            key, index = (number, where[:-tail]), int(where[-tail:])
        kind = self._kinds.get(key)
        if kind is None:
            if len(self.kinds) >= KINDS:
                return place
            kind = self._kinds[key] = len(self.kinds)
            self.kinds.append(key)
        return index * KINDS + kind

    def _unpack(self, packed: int | Place) -> Place:
        """The place :meth:`_pack` packed."""
        if not isinstance(packed, int):
            return packed
        index, kind = divmod(packed, KINDS)
        number, prefix = self.kinds[kind]
        return number, index if prefix is None else f"{prefix}{index}"

    def _place(self, item: SourcedRecord) -> Place:
        row = item.locate("")
        file = row.file if row is not None else item.file
        number = -1
        if file is not None:
            number = self._numbers.get(file, -1)
            if number < 0:
                number = self._numbers[file] = len(self.files)
                self.files.append(file)
        return number, (row.row if row is not None else item.position)

    def describe(self, place: Place, beside: Place | None = None) -> str:
        """A place as a message names it: ``projects.csv, row 12``, ``data.json at /projects/3``;
        without the file when it is the file of ``beside``."""
        number, where = place
        same = beside is not None and beside[0] == number
        file = self.files[number] if number >= 0 and not same else None
        if isinstance(where, int):
            return f"{file}, row {where}" if file else f"row {where}"
        if file is not None:
            return f"{file} at {where}" if where else file
        if number < 0:
            return f"{where} of the input" if where else "another record of the input"
        return where or "the same file"

    def see(self, item: SourcedRecord, entity: str | None) -> Issue | None:
        """Note the id of a record as read; the issue when an earlier record has it."""
        data = item.data
        record = data.get("id") if isinstance(data, dict) else None
        if not isinstance(record, str) or not record:
            return None
        place = self._place(item)
        kept = self.first.get(record)
        if kept is None:
            self.first[record] = self._pack(place)
            return None
        earlier = self._unpack(kept)
        cell = item.locate("/id")
        source = Source(cell.file, cell.row, cell.column) if cell else None
        if source is None and item.file:
            source = Source(item.file)
        params = {"value": repr(record), "here": self.describe(place), "first": self.describe(earlier, place)}
        return Issue.make(
            "dataset.duplicate-id", params=params, entity=entity, record=record, path="/id", source=source
        )

"""Records that share an id: the second one is an error that names where the first one is.

Validation sees the records one at a time, in the order they are read, so the first place
each id was seen is all it keeps: the id, the number of its file in a short list of file
names, and the row (flat input) or position (JSON) inside it. That is a few dozen bytes a
record, in memory like the ids the dataset checks keep; the records themselves are not kept.
"""

from __future__ import annotations

from ..reading.records import SourcedRecord
from .result import Issue, Source

Place = tuple[int, "int | str | None"]
"""Where a record was read: the number of its file (-1: no file), and its row or position."""


class IdRegister:
    """The first place each record id was seen in one validation run."""

    def __init__(self) -> None:
        self.first: dict[str, Place] = {}
        self.files: list[str] = []
        self._numbers: dict[str, int] = {}

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
        earlier = self.first.setdefault(record, place)
        if earlier is place:
            return None
        cell = item.locate("/id")
        source = Source(cell.file, cell.row, cell.column) if cell else None
        if source is None and item.file:
            source = Source(item.file)
        params = {"value": repr(record), "here": self.describe(place), "first": self.describe(earlier, place)}
        return Issue.make(
            "dataset.duplicate-id", params=params, entity=entity, record=record, path="/id", source=source
        )

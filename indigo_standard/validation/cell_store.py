"""The cells of flat records that dataset-wide issues may name, kept by record id."""

from __future__ import annotations

import json
import sqlite3

from ..reading.records import CellRef
from .spool import Spool

SPILL_AT = 10_000
"""How many cells are held in memory before they are moved to the spool."""

Cells = dict[str, CellRef]
"""The cell of each field a dataset check may report on, by JSON pointer ("" for the row)."""

_COLUMNS = "record TEXT PRIMARY KEY, cells TEXT NOT NULL"


class CellStore:
    """Cells by record id; the first record with an id wins. Spooled to disk past a threshold."""

    def __init__(self, spool: Spool | None = None, spill_at: int = SPILL_AT) -> None:
        self.spool = spool
        self.spill_at = spill_at
        self.held: dict[str, Cells] = {}
        self.held_cells = 0
        self.spilled = False
        self._last: tuple[str, Cells] | None = None

    def __contains__(self, record: str) -> bool:
        """True when the record's cells are held in memory (the spool is not asked: adding is idempotent)."""
        return record in self.held

    def add(self, record: str, cells: Cells) -> None:
        """Keep the cells of ``record`` unless cells were kept for that id already."""
        if record in self.held:
            return
        self.held[record] = cells
        self.held_cells += len(cells)
        if self.spool is not None and self.held_cells >= self.spill_at:
            self._spill()

    def get(self, record: str) -> Cells | None:
        """The cells kept for ``record``: the spool holds the earlier ones, so it is asked first.

        The last record read back from the spool is remembered: a record's dataset issues come
        one after the other."""
        if self.spilled:
            if self._last is not None and self._last[0] == record:
                return self._last[1]
            row = self._db().execute("SELECT cells FROM cells WHERE record = ?", (record,)).fetchone()
            if row is not None:
                found = {ptr: CellRef(file, line, column) for ptr, file, line, column in json.loads(row[0])}
                self._last = (record, found)
                return found
        return self.held.get(record)

    def _db(self) -> sqlite3.Connection:
        assert self.spool is not None, "only a store with a spool spills"
        return self.spool.table("cells", _COLUMNS)

    def _spill(self) -> None:
        db = self._db()
        # JSON with ASCII escapes keeps any string, lone surrogates included, as it was
        rows = (
            (record, json.dumps([[ptr, c.file, c.row, c.column] for ptr, c in cells.items()]))
            for record, cells in self.held.items()
        )
        with db:
            db.executemany("INSERT OR IGNORE INTO cells (record, cells) VALUES (?, ?)", rows)
        self.spilled = True
        self.held = {}
        self.held_cells = 0

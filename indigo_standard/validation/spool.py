"""Temporary files for what a validation run would otherwise keep in memory.

Issues, unresolved references and the cells of flat records grow with the input. Each of
them is kept in memory up to a threshold and then moved, in batches, to disk: issues and
references to :class:`ChunkFile` (pickled batches, read back in order), cells to a table
of a sqlite3 database (looked up by record id). Both live in one temporary folder per run,
removed on :meth:`Spool.close` (or at the end of a ``with`` block), whatever happened.
"""

from __future__ import annotations

import pickle
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any


class ChunkFile:
    """An append-only file of pickled chunks (any picklable values), each found by its offset."""

    def __init__(self, path: Path) -> None:
        self._file: IO[bytes] = path.open("w+b")
        self._end = 0

    def append(self, chunk: Any) -> int:
        """Write ``chunk`` at the end; returns the offset to read it back with."""
        offset = self._end
        self._file.seek(offset)
        pickle.dump(chunk, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._end = self._file.tell()
        return offset

    def read(self, offset: int) -> Any:
        """The chunk written at ``offset``."""
        self._file.seek(offset)
        return pickle.load(self._file)

    def __iter__(self) -> Iterator[Any]:
        """Every chunk, in the order written."""
        offset = 0
        while offset < self._end:
            self._file.seek(offset)
            chunk = pickle.load(self._file)
            offset = self._file.tell()
            yield chunk

    def close(self) -> None:
        """Close the file (the spool's folder removes it)."""
        self._file.close()


class Spool:
    """One run's temporary database, created the first time a table is asked for."""

    def __init__(self) -> None:
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._db: sqlite3.Connection | None = None
        self._tables: set[str] = set()
        self._chunks: dict[str, ChunkFile] = {}

    @property
    def opened(self) -> bool:
        """True once something was written to disk."""
        return self._folder is not None

    @property
    def folder(self) -> Path | None:
        """The temporary folder of the spool, while it is open."""
        return Path(self._folder.name) if self._folder is not None else None

    def _opened_folder(self) -> Path:
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="indigo-spool-")
        return Path(self._folder.name)

    def chunks(self, name: str) -> ChunkFile:
        """The chunk file ``name``, created the first time it is asked for."""
        found = self._chunks.get(name)
        if found is None:
            found = self._chunks[name] = ChunkFile(self._opened_folder() / f"{name}.chunks")
        return found

    def table(self, name: str, columns: str) -> sqlite3.Connection:
        """The database, with table ``name`` (``columns`` as in CREATE TABLE) created if needed."""
        if self._db is None:
            self._db = sqlite3.connect(self._opened_folder() / "spool.sqlite")
            # nothing here must survive a crash: no journal, no waiting for the disk
            self._db.execute("PRAGMA journal_mode = OFF")
            self._db.execute("PRAGMA synchronous = OFF")
        if name not in self._tables:
            self._db.execute(f"CREATE TABLE {name} ({columns})")
            self._tables.add(name)
        return self._db

    def close(self) -> None:
        """Close the database and remove its folder (safe to call more than once)."""
        db, folder, chunks = self._db, self._folder, list(self._chunks.values())
        self._db, self._folder, self._chunks = None, None, {}
        self._tables.clear()
        try:
            for chunk_file in chunks:
                chunk_file.close()
            if db is not None:
                db.close()
        finally:
            if folder is not None:
                folder.cleanup()

    def __enter__(self) -> Spool:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

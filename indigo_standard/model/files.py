"""``read`` and ``write``: typed records from and to every file form the library knows.

``read`` streams: JSON (a record, a list or a dataset package), JSON Lines, a folder of
the flat CSV export (or a zip of one), an XLSX workbook, or a folder holding any of them,
one record at a time, in bounded memory. ``write`` goes through the same table of output
forms as ``indigo-standard convert`` (:func:`indigo_standard.writing.convert.write_items`),
so every form ``convert`` writes, ``write`` writes too, atomically.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Generator, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..reading.inputs import iter_path
from ..reading.records import NOTICES_ONLY, SourcedRecord
from ..versions import LATEST_VERSION
from .base import RecordNode
from .io import Record, load_record

if TYPE_CHECKING:
    from ..validation.result import Issue, Source
    from ..writing.targets import Format


class InputWarning(UserWarning):
    """Something a reader noticed about the input itself (an unknown column, a row that belongs to
    no record), issued by :func:`read` once per notice; the notices are also in ``Reader.notices``."""


class Reader(Iterator[Record]):
    """The typed records of a file or folder, one at a time: what :func:`read` returns.

    Iterating yields records only. What the reader noticed about the input itself (an
    unknown column kept under ``extra_columns``, a child row whose parent is missing) is
    collected in :attr:`notices`, as the issues ``validate`` reports for them, and each is
    also issued as an :class:`InputWarning`. Close the reader (or use it in a ``with``
    block) to release its files early when you stop before the end.
    """

    def __init__(
        self, items: Generator[SourcedRecord, None, None], load: Callable[[SourcedRecord], Record]
    ) -> None:
        self._items = items
        self._load = load
        self.notices: list[Issue] = []
        """The reader's notices so far (all of them once iteration has ended)."""

    def __iter__(self) -> Reader:
        return self

    def __next__(self) -> Record:
        for item in self._items:
            for notice in item.notices:
                issue = notice.to_issue()
                self.notices.append(issue)
                warnings.warn(_notice_text(issue), InputWarning, stacklevel=2)
            if item.entity in (NOTICES_ONLY, "package"):
                continue
            return self._load(item)
        raise StopIteration

    def close(self) -> None:
        """Stop reading and release the input's files."""
        self._items.close()

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *error: object) -> None:
        self.close()


def _notice_text(issue: Issue) -> str:
    where = ""
    if issue.source is not None:
        where = f"{issue.source.file}, row {issue.source.row}, column {issue.source.column!r}: "
    return f"{where}{issue.message} [{issue.code}]"


def read(
    path: str | os.PathLike[str],
    *,
    schema_version: str | None = None,
    strict: bool = False,
    lenient_dates: bool = False,
) -> Reader:
    """The typed records of ``path``, streamed: iterate over it to get each :class:`Record`.

    ``path`` is anything ``validate`` reads: a JSON record, list of records or dataset
    package, a JSON Lines file, a folder of the flat CSV export or a zip of one, an XLSX
    workbook, or a folder of such files. Records are loaded as :func:`load` loads them:
    leniently, values that cannot be typed kept as :class:`Invalid` and listed in each
    record's ``problems`` (with the file, row and column of flat input), numbers exact;
    ``strict=True`` raises :class:`StructureError` at the first record with such a value.
    Each record is read with the schema version its input declares (a package's, or the
    one whose titles name a flat file's columns), else ``schema_version``, else the one its
    fields show; older records are upgraded, with an :class:`UpgradeWarning`.

    Reader notices go to the returned reader's ``notices`` and are issued as
    :class:`InputWarning`; they never appear among the records. A file that cannot be read
    at all, or an item that is not a record, raises :class:`~indigo_standard.errors.InputError`.
    """

    def load(item: SourcedRecord) -> Record:
        version = item.declared_version or item.mapping_version or schema_version
        origin = item.file or str(path)
        return load_record(
            item.data,
            origin,
            context=item.entity,
            schema_version=version,
            strict=strict,
            lenient_dates=lenient_dates,
            locate=_locator(item),
        )

    items = iter_path(path, schema_version, exact=True)
    return Reader(items if isinstance(items, Generator) else _generator(items), load)


def _generator(items: Iterator[SourcedRecord]) -> Generator[SourcedRecord, None, None]:
    yield from items


def _locator(item: SourcedRecord) -> Callable[[str], Source | None]:
    from ..validation.result import Source

    whole = Source(item.file) if item.file else None

    def locate(ptr: str) -> Source | None:
        cell = item.locate(ptr)
        return Source(cell.file, cell.row, cell.column) if cell is not None else whole

    return locate


def write(
    records: Iterable[Record],
    path: str | os.PathLike[str],
    *,
    fmt: Format | None = None,
    json_form: str = "package",
) -> int:
    """Write typed records to ``path``, atomically, in the form its name asks for; returns how many.

    ``.json`` (a dataset package, or a plain list with ``json_form="list"``), ``.jsonl``,
    ``.zip`` (of the CSV export), ``.xlsx``, or any other name for a folder of CSVs in the
    INDIGO export layout: every form ``indigo-standard convert`` writes (``fmt`` overrides
    the name). Records are written as :func:`dump` gives them, values kept as
    :class:`Invalid` included, numbers exact. They stream: a JSON Lines or JSON list file
    is written as they come, and other forms spool them to temporary files. If anything
    fails, the target is left as it was.
    """
    from ..writing.convert import write_items

    count = 0

    def items() -> Iterator[SourcedRecord]:
        nonlocal count
        from .io import dump

        for position, record in enumerate(records, start=1):
            if not isinstance(record, RecordNode):
                raise InputError(
                    f"{path}: item {position} to write is {type(record).__name__}, not a record "
                    "(Project, Organisation, Fund or Pipeline); nothing was written"
                )
            count += 1
            yield SourcedRecord(dump(record), record.ENTITY)

    def top() -> dict[str, Any]:
        return {"schema_version": LATEST_VERSION}

    write_items(items(), Path(path), fmt=fmt, version=lambda: LATEST_VERSION, top=top, json_form=json_form)
    return count

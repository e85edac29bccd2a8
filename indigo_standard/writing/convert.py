"""Converting between every supported form: JSON (list or package), JSON Lines, CSV folder, zip, XLSX
and SQLite.

Records stream from the reader to the writer one at a time, so memory does not grow with
the input. Numbers are exact: JSON is read with decimals as :class:`~decimal.Decimal` and
written digit for digit (``12345678901234567.891`` stays itself). JSON Lines and JSON lists
are written as records arrive; a package groups its
records by type and a flat sheet's header is final only at the end, so those writers keep
what they need in temporary files and assemble the output last. Output is atomic: a run
that fails, or whose input the caller refuses (see ``accept``), leaves the target as it was.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from contextlib import ExitStack, closing
from itertools import chain
from pathlib import Path
from typing import IO, Any, cast

import attrs

from ..detect import detect_entity, record_id
from ..errors import InputError
from ..flat.kept import KeptColumn
from ..flat.sqlite import write_sqlite
from ..flat.writer import write_csv_folder, write_zip
from ..flat.xlsx import write_xlsx
from ..jsontext import dumps as exact_json
from ..reading.inputs import iter_path
from ..reading.records import NOTICES_ONLY, PACKAGE_LISTS, Notice, SourcedRecord
from ..versions import LATEST_VERSION, normalise_version
from .atomic import atomic_path
from .targets import Format, format_for

LIST_FOR: dict[str, str] = {entity: key for key, entity in PACKAGE_LISTS.items()}


@attrs.define
class Summary:
    """What a conversion read, filled in as the input streams past."""

    records: int = 0
    version: str | None = None
    """The first schema version the input declares (a package) or maps its columns with (flat input)."""
    notices: list[Notice] = attrs.field(factory=list)
    envelope: dict[str, Any] = attrs.field(factory=dict)
    """The last package envelope read, without its record lists."""
    written: bool = False
    """False when ``accept`` refused the input, so nothing was written."""
    kept: list[KeptColumn] = attrs.field(factory=list)
    """The kept columns a flat output got for values its layout has no column for (see ``flat.kept``)."""


Accept = Callable[[Summary], bool]
"""Called once the whole input is read, before the output is put in place; False abandons it."""


class _Refused(Exception):
    """Raised through a writer to abandon its output."""


def _entity(item: SourcedRecord) -> str:
    entity = detect_entity(item.data, context=item.entity)
    if entity is None:
        shown = record_id(item.data) or "(no id)"
        where = f"{item.file}: " if item.file else ""
        raise InputError(f"{where}record {shown}: cannot tell its type from its id; nothing was written")
    return entity


def _item_version(item: SourcedRecord) -> str | None:
    version = item.declared_version or item.mapping_version
    return normalise_version(version) if version else None


Transform = Callable[[SourcedRecord], Any]
"""Called on each record as read (with where it came from); returns the record to write instead."""


def _read(
    source: str | Path,
    schema_version: str | None,
    summary: Summary,
    accept: Accept,
    transform: Transform | None = None,
) -> Iterator[SourcedRecord]:
    """The records of ``source`` with their types; notices, version and envelope go to ``summary``."""
    for item in iter_path(source, schema_version, exact=True):
        summary.notices.extend(item.notices)
        if summary.version is None:
            summary.version = _item_version(item)
        if item.entity == NOTICES_ONLY:
            continue
        if item.entity == "package":
            summary.envelope = {k: v for k, v in item.data.items() if k not in PACKAGE_LISTS}
            continue
        summary.records += 1
        entity = _entity(item)
        yield SourcedRecord(item.data if transform is None else transform(item), entity)
    if not accept(summary):
        raise _Refused


def _first_version(source: str | Path, schema_version: str | None) -> str | None:
    """The first version anywhere in ``source`` (read until one is found)."""
    with closing(cast(Generator[SourcedRecord, None, None], iter_path(source, schema_version))) as items:
        for item in items:
            version = _item_version(item)
            if version:
                return version
    return None


def _indented(value: Any, level: int) -> str:
    """``value`` as ``json.dumps(indent=2)`` writes it ``level`` levels deep.

    Every line break of indented JSON text is between values (strings escape theirs).
    """
    return exact_json(value, indent=2).replace("\n", "\n" + "  " * level)


def write_json_lines(records: Iterable[SourcedRecord], path: Path) -> None:
    """One record per line, written as the records arrive."""
    with atomic_path(path) as temp, temp.open("w", encoding="utf-8") as out:
        for item in records:
            out.write(exact_json(item.data) + "\n")


def write_json_list(records: Iterable[SourcedRecord], path: Path) -> None:
    """A JSON list of the records, indented, written as the records arrive."""
    with atomic_path(path) as temp, temp.open("w", encoding="utf-8") as out:
        out.write("[")
        count = 0
        for item in records:
            out.write(",\n  " if count else "\n  ")
            out.write(_indented(item.data, 1))
            count += 1
        out.write("\n]\n" if count else "]\n")


def write_package(records: Iterable[SourcedRecord], path: Path, top: Callable[[], dict[str, Any]]) -> None:
    """A dataset package: ``top()`` (called once the records are read) then a list per record type.

    Each type's records are spooled to a temporary file as they arrive, then copied in.
    """
    with ExitStack() as stack:
        spools: dict[str, IO[str]] = {}
        for item in records:
            if item.entity not in LIST_FOR:
                continue
            spool = spools.get(item.entity)
            if spool is None:
                spool = spools[item.entity] = stack.enter_context(
                    tempfile.TemporaryFile("w+", encoding="utf-8", newline="")
                )
                spool.write("    ")
            else:
                spool.write(",\n    ")
            spool.write(_indented(item.data, 2))
        head = exact_json(top(), indent=2)
        with atomic_path(path) as temp, temp.open("w", encoding="utf-8") as out:
            out.write(head[: -len("\n}")])
            for entity, key in LIST_FOR.items():
                found = spools.get(entity)
                if found is None:
                    continue
                out.write(f",\n  {exact_json(key)}: [\n")
                found.seek(0)
                shutil.copyfileobj(found, out)
                out.write("\n  ]")
            out.write("\n}\n")


def convert(
    source: str | Path,
    target: str | Path,
    *,
    fmt: Format | None = None,
    schema_version: str | None = None,
    json_form: str = "package",
    accept: Accept | None = None,
    transform: Transform | None = None,
) -> Summary:
    """Read ``source`` and write it to ``target``, streaming; returns what was read (with any notices).

    ``accept`` sees the summary once the input is read; when it returns False nothing is written.
    ``transform`` turns each record as read into the record to write (see :data:`Transform`).
    """
    given = normalise_version(schema_version) if schema_version else None
    summary = Summary()
    records: Iterator[SourcedRecord] = _read(
        source, schema_version, summary, accept or (lambda _: True), transform
    )

    def version() -> str:
        return given or summary.version or LATEST_VERSION

    def flat_version() -> str:
        # A flat layout depends on the version, which must be known before its first row.
        found = given or summary.version
        if found is None and summary.records:
            found = _first_version(source, schema_version)
        return found or LATEST_VERSION

    def top() -> dict[str, Any]:
        return {**summary.envelope, "schema_version": summary.envelope.get("schema_version", version())}

    try:
        summary.kept = write_items(
            records,
            target,
            fmt=fmt,
            version=flat_version,
            top=top,
            json_form=json_form,
            envelope=lambda: summary.envelope,
        )
    except _Refused:
        return summary
    summary.written = True
    return summary


def write_items(
    records: Iterator[SourcedRecord],
    target: str | Path,
    *,
    fmt: Format | None = None,
    version: Callable[[], str],
    top: Callable[[], dict[str, Any]],
    json_form: str = "package",
    envelope: Callable[[], Mapping[str, Any]] | None = None,
) -> list[KeptColumn]:
    """Write records in the JSON form to ``target``, atomically, in ``fmt`` (else as its name asks).

    This is the one table of output forms: :func:`convert` and :func:`indigo_standard.write`
    both write through it. ``version()`` is asked once the first record has been read (a
    flat layout needs it before its first row); ``top()`` gives a package's envelope once
    every record has been read, and ``envelope()`` the input's envelope as read (the licence
    and publisher of a CSV export's data package, the envelope a database keeps). Returns
    the kept columns a flat form got for values its layout has no column for (see ``flat.kept``).
    """
    path = Path(target)
    chosen = fmt or format_for(path)
    if chosen == "jsonl":
        write_json_lines(records, path)
    elif chosen == "json" and json_form == "list":
        write_json_list(records, path)
    elif chosen == "json":
        write_package(records, path, top)
    elif chosen in FLAT_FORMATS:
        first = next(records, None)
        rows = chain([] if first is None else [first], records)
        return _write_flat(rows, path, chosen, version(), envelope)
    else:
        raise ValueError(f"no writer for output format {chosen!r}")
    return []


FLAT_FORMATS: tuple[Format, ...] = ("csv", "zip", "xlsx", "sqlite")
"""The forms in the flat layout, whose writers need the schema version before the first row."""


def _write_flat(
    records: Iterable[SourcedRecord],
    path: Path,
    fmt: Format,
    version: str,
    envelope: Callable[[], Mapping[str, Any]] | None = None,
) -> list[KeptColumn]:
    """Write a flat form; ``envelope`` (called once the records are read) gives the licence and
    publisher for a CSV export's data package, and the envelope a database keeps."""
    if fmt == "csv":
        return write_csv_folder(records, path, version, envelope=envelope)
    if fmt == "zip":
        return write_zip(records, path, version, envelope=envelope)
    if fmt == "sqlite":
        return write_sqlite(records, path, version, envelope=envelope)
    return write_xlsx(records, path, version)


def template(target: str | Path, version: str, fmt: Format | None = None) -> None:
    """Write an empty dataset: every file or sheet of the layout, with every column.

    A workbook also gets dropdowns, header comments and instructions: see ``flat.template``.
    """
    path = Path(target)
    chosen = fmt or format_for(path)
    refused = {"json": "JSON", "jsonl": "JSON", "sqlite": "a database"}
    if chosen in refused:
        raise InputError(f"{path}: a template is a workbook, a zip or a CSV folder, not {refused[chosen]}")
    if chosen == "xlsx":
        from ..flat.template import write_template

        write_template(path, version)
        return
    _write_flat([], path, chosen, normalise_version(version))

"""Converting between every supported form: JSON (list or package), JSON Lines, CSV folder, zip, XLSX."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs

from ..detect import detect_entity, record_id
from ..errors import InputError
from ..reading import NOTICES_ONLY, PACKAGE_LISTS, Notice, SourcedRecord, iter_path
from ..versions import LATEST_VERSION, normalise_version
from .atomic import write_text
from .writer import write_csv_folder, write_zip
from .xlsx import write_xlsx

Format = Literal["json", "jsonl", "csv", "zip", "xlsx"]
FORMATS: tuple[Format, ...] = ("json", "jsonl", "csv", "zip", "xlsx")
LIST_FOR: dict[str, str] = {entity: key for key, entity in PACKAGE_LISTS.items()}


def format_for(path: Path) -> Format:
    """The output format a path's name asks for; a name with no known suffix is a CSV folder."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".zip":
        return "zip"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    return "csv"


@attrs.define
class Dataset:
    """Records read from one input, with what is needed to write them out again."""

    records: list[tuple[str, Any]] = attrs.field(factory=list)
    """(record type, record) pairs in input order."""
    envelope: dict[str, Any] = attrs.field(factory=dict)
    version: str | None = None
    notices: list[Notice] = attrs.field(factory=list)


def load(path: str | Path, schema_version: str | None = None) -> Dataset:
    """Read every record of one input into memory."""
    data = Dataset()
    for item in iter_path(path, schema_version):
        data.notices.extend(item.notices)
        version = item.declared_version or item.mapping_version
        if version and data.version is None:
            data.version = normalise_version(version)
        if item.entity == NOTICES_ONLY:
            continue
        if item.entity == "package":
            data.envelope = {k: v for k, v in item.data.items() if k not in PACKAGE_LISTS}
            continue
        data.records.append((_entity(item), item.data))
    return data


def _entity(item: SourcedRecord) -> str:
    entity = detect_entity(item.data, context=item.entity)
    if entity is None:
        shown = record_id(item.data) or "(no id)"
        where = f"{item.file}: " if item.file else ""
        raise InputError(f"{where}record {shown}: cannot tell its type from its id; nothing was written")
    return entity


def _package(data: Dataset, version: str) -> dict[str, Any]:
    package: dict[str, Any] = {**data.envelope}
    package["schema_version"] = data.envelope.get("schema_version", version)
    for entity, key in LIST_FOR.items():
        items = [record for kind, record in data.records if kind == entity]
        if items:
            package[key] = items
    return package


def save(data: Dataset, target: str | Path, fmt: Format, version: str, *, json_form: str = "package") -> None:
    """Write a dataset in the given format, atomically."""
    path = Path(target)
    entries: Sequence[SourcedRecord] = [SourcedRecord(record, entity) for entity, record in data.records]
    if fmt == "json":
        body: Any = _package(data, version) if json_form == "package" else [r for _, r in data.records]
        write_text(path, json.dumps(body, indent=2, ensure_ascii=False) + "\n")
    elif fmt == "jsonl":
        write_text(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for _, r in data.records))
    elif fmt == "csv":
        write_csv_folder(entries, path, version)
    elif fmt == "zip":
        write_zip(entries, path, version)
    else:
        write_xlsx(entries, path, version)


def convert(
    source: str | Path, target: str | Path, *, fmt: Format | None = None, schema_version: str | None = None,
    json_form: str = "package",
) -> Dataset:
    """Read ``source`` and write it to ``target``; returns what was read (with any notices)."""
    data = load(source, schema_version)
    version = normalise_version(schema_version) if schema_version else (data.version or LATEST_VERSION)
    save(data, target, fmt or format_for(Path(target)), version, json_form=json_form)
    return data


def template(target: str | Path, version: str, fmt: Format | None = None) -> None:
    """Write an empty dataset: every file or sheet of the layout, with every column."""
    path = Path(target)
    chosen = fmt or format_for(path)
    if chosen in ("json", "jsonl"):
        raise InputError(f"{path}: a template is a workbook, a zip or a CSV folder, not JSON")
    save(Dataset(), path, chosen, normalise_version(version))


def records_of(data: Dataset) -> Iterable[Any]:
    """The records of a dataset, in order."""
    return (record for _, record in data.records)

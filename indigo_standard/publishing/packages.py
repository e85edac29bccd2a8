"""Dataset packages: build, read, write, combine and split them.

A package is the envelope of ``schema/<v>/package.schema.json``: ``schema_version``,
``publisher`` (``name``, ``url``), ``licence``, ``publication_date`` and one list per record
type (``projects``, ``organisations``, ``funds``, ``pipelines``). Packages are plain dicts
in the standard's JSON form, so they go straight into ``validate`` and ``publish``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..detect import detect_entity, record_id
from ..errors import InputError, InputTypeError, UnknownVersionError, type_shown
from ..jsontext import dumps as exact_json
from ..reading.files import decode, open_regular
from ..reading.inputs import iter_path
from ..reading.json_input import parse_json
from ..reading.records import PACKAGE_LISTS, is_package
from ..versions import LATEST_VERSION, normalise_version
from ..writing.atomic import write_folder, write_text

LIST_FOR: Mapping[str, str] = {entity: key for key, entity in PACKAGE_LISTS.items()}
"""The package list that holds each record type."""

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _envelope(
    publisher: str | None,
    publisher_url: str | None,
    licence: str | None,
    publication_date: str | None,
    schema_version: str,
) -> dict[str, Any]:
    envelope: dict[str, Any] = {"schema_version": schema_version}
    if publisher:
        envelope["publisher"] = {"name": publisher, **({"url": publisher_url} if publisher_url else {})}
    if licence:
        envelope["licence"] = licence
    if publication_date:
        if not _DATE.match(publication_date):
            raise InputError(f"publication date {publication_date!r}: write it as YYYY-MM-DD")
        envelope["publication_date"] = publication_date
    return envelope


def build_package(
    records: Iterable[Any],
    *,
    publisher: str | None = None,
    publisher_url: str | None = None,
    licence: str | None = None,
    publication_date: str | None = None,
    schema_version: str = LATEST_VERSION,
) -> dict[str, Any]:
    """A package holding ``records``, each put in the list of its type (told by its id).

    Raises InputError for a record whose type cannot be told or whose id is repeated
    with different content.
    """
    package = _envelope(
        publisher, publisher_url, licence, publication_date, normalise_version(schema_version)
    )
    add_records(package, ((r, None) for r in records))
    return package


def add_records(package: dict[str, Any], records: Iterable[tuple[Any, str | None]]) -> None:
    """Add (record, record type or None) pairs to ``package``; identical repeats are merged."""
    seen: dict[str, Any] = {}
    for key in PACKAGE_LISTS:
        for existing in package.get(key, []):
            rid = record_id(existing)
            if rid is not None:
                seen[rid] = existing
    for record, entity in records:
        kind = detect_entity(record, context=entity)
        rid = record_id(record)
        if kind is None:
            raise InputError(f"record {rid or '(without id)'}: cannot tell its type from its id")
        if rid is not None and rid in seen:
            if seen[rid] != record:
                raise InputError(f"record {rid}: appears twice with different content")
            continue
        if rid is not None:
            seen[rid] = record
        package.setdefault(LIST_FOR[kind], []).append(record)


def read_package(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a dataset package from a JSON file; InputError if the file holds something else."""
    file = str(path)
    with open_regular(Path(path)) as handle:
        raw = handle.read()
    data = parse_json(decode(raw, file), file)
    if not is_package(data):
        raise InputError(f"{file}: not a dataset package (no schema_version or record lists)")
    return dict(data)


def package_json(package: Mapping[str, Any]) -> str:
    """A package as JSON text, envelope first, then the record lists in the standard's order."""
    ordered = {k: v for k, v in package.items() if k not in PACKAGE_LISTS}
    ordered.update({k: package[k] for k in PACKAGE_LISTS if k in package})
    return exact_json(ordered, indent=2) + "\n"


def write_package(package: Mapping[str, Any], path: str | os.PathLike[str]) -> None:
    """Write a package to a JSON file atomically."""
    write_text(Path(path), package_json(package))


def package_version(package: Mapping[str, Any], where: str) -> str | None:
    """The schema version a package declares, normalised, or None."""
    declared = package.get("schema_version")
    if declared is None:
        return None
    try:
        return normalise_version(str(declared))
    except UnknownVersionError:
        raise InputError(f"{where}: schema_version {declared!r} is not a version of INDIGO") from None


def combine_packages(
    packages: Iterable[tuple[str, Mapping[str, Any]]],
    *,
    envelope: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """One package holding the records of (name, package) pairs.

    Every package must declare the same schema version (InputError names the two that
    differ). The envelope is ``envelope`` when given, else the first package's.
    """
    combined: dict[str, Any] | None = None
    first_name = ""
    version: str | None = None
    for name, package in packages:
        declared = package_version(package, name)
        if combined is None:
            first_name, version = name, declared
            base = envelope if envelope is not None else package
            combined = {k: v for k, v in base.items() if k not in PACKAGE_LISTS}
        elif declared != version:
            raise InputError(
                f"{name}: schema version {declared} differs from {version} in {first_name}; "
                "upgrade one of them first"
            )
        add_records(combined, _package_records(package))
    if combined is None:
        raise InputError("no packages to combine")
    return combined


def _package_records(package: Mapping[str, Any]) -> Iterable[tuple[Any, str | None]]:
    for key, entity in PACKAGE_LISTS.items():
        items = package.get(key)
        if isinstance(items, list):
            for item in items:
                yield item, entity


def split_package(package: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """One package per record list that has records, keyed by the list's name."""
    if not isinstance(package, Mapping):
        raise InputTypeError(f"cannot split {type_shown(package)}: give a dataset package (a dict)")
    envelope = {k: v for k, v in package.items() if k not in PACKAGE_LISTS}
    return {
        key: {**envelope, key: package[key]}
        for key in PACKAGE_LISTS
        if isinstance(package.get(key), list) and package[key]
    }


def write_split(package: Mapping[str, Any], folder: str | os.PathLike[str]) -> list[str]:
    """Write one package file per record type (``projects.json`` ...) into ``folder`` atomically."""
    parts = split_package(package)
    if not parts:
        raise InputError("the package has no records to split")
    write_folder(
        Path(folder), {f"{key}.json": package_json(part).encode("utf-8") for key, part in parts.items()}
    )
    return [f"{key}.json" for key in parts]


def collect(
    paths: Iterable[str | os.PathLike[str]],
) -> tuple[list[tuple[str, dict[str, Any]]], list[tuple[Any, str | None]]]:
    """The packages and the loose records found in ``paths`` (any format the library reads).

    Returns (file name, package with its records) pairs and (record, record type) pairs.
    """
    packages: list[tuple[str, dict[str, Any]]] = []
    loose: list[tuple[Any, str | None]] = []
    current: tuple[str, dict[str, Any]] | None = None
    for path in paths:
        for item in iter_path(path):
            name = item.file or str(path)
            entity = item.entity
            if entity == "package":
                current = (name, {k: v for k, v in item.data.items() if k not in PACKAGE_LISTS})
                packages.append(current)
            elif entity is not None and entity in LIST_FOR and current is not None and current[0] == name:
                current[1].setdefault(LIST_FOR[entity], []).append(item.data)
            elif entity is None or entity in LIST_FOR:
                current = None
                loose.append((item.data, entity))
    return packages, loose

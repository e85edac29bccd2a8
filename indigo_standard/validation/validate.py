"""Validating input against the schema of its version, and building the report."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from ..detect import detect_entity, record_id
from ..reading import SourcedRecord, iter_data, iter_paths, parse_json, type_name
from ..versions import LATEST_VERSION, normalise_version
from .engine import SchemaEngine
from .report import Issue, Report, Source, merge_versions

Input = Any
"""A dict (record or package), a list of records, JSON text, a path, or a list of paths."""


def _sources(data: Input) -> Iterable[SourcedRecord]:
    if isinstance(data, (os.PathLike, Path)):
        return iter_paths([data])
    if isinstance(data, str):
        stripped = data.lstrip()
        if stripped.startswith(("{", "[")):
            return iter_data(parse_json(data))
        return iter_paths([data])
    return iter_data(data)


class Validation:
    """One validation run: choose each record's version, check it, collect the issues."""

    def __init__(self, *, schema_version: str | None = None, entity: str | None = None) -> None:
        self.given_version = normalise_version(schema_version) if schema_version else None
        self.entity = entity
        self.engine = SchemaEngine()
        self.issues: list[Issue] = []
        self.records = 0
        self.versions: set[str] = set()
        self._warned: set[tuple[str, str | None]] = set()

    def _version_for(self, item: SourcedRecord) -> str:
        if item.declared_version is not None:
            declared = normalise_version(item.declared_version)
            if self.given_version and self.given_version != declared:
                self._warn_once(
                    "version.conflict", item.file, {"declared": declared, "given": self.given_version}
                )
            return declared
        if self.given_version:
            return self.given_version
        self._warn_once("version.assumed", None, {"version": LATEST_VERSION})
        return LATEST_VERSION

    def _warn_once(self, code: str, file: str | None, params: dict[str, str]) -> None:
        if (code, file) not in self._warned:
            self._warned.add((code, file))
            source = Source(file) if file else None
            self.issues.append(Issue.make(code, params=params, source=source))

    def add(self, item: SourcedRecord) -> None:
        """Validate one record as read."""
        version = self._version_for(item)
        self.versions.add(version)
        source = Source(item.file) if item.file else None
        if item.entity != "package":
            self.records += 1
        if not isinstance(item.data, dict):
            found = type_name(item.data)
            self.issues.append(Issue.make("record.not-object", params={"found": found}, source=source))
            return
        rid = record_id(item.data)
        entity = detect_entity(
            item.data, given=self.entity if item.entity != "package" else None, context=item.entity
        )
        if entity is None:
            shown = repr(rid) if rid else "(none)"
            self.issues.append(
                Issue.make("record.unknown-type", params={"record_id": shown}, record=rid, source=source)
            )
            return
        for issue in self.engine.issues(version, entity, item.data, rid):
            self.issues.append(issue if source is None else _with_source(issue, source))

    def report(self) -> Report:
        """The report of everything validated so far."""
        version = merge_versions(self.versions) or self.given_version or LATEST_VERSION
        return Report(schema_version=version, records=self.records, issues=tuple(self.issues))


def _with_source(issue: Issue, source: Source) -> Issue:
    return attrs.evolve(issue, source=source)


def validate(data: Input, *, schema_version: str | None = None, entity: str | None = None) -> Report:
    """Validate a record, a list of records, a dataset package, JSON text or a path.

    The schema version is the package's own, else ``schema_version``, else the latest
    (with a ``version.assumed`` warning). ``entity`` forces the record type of plain records.
    """
    run = Validation(schema_version=schema_version, entity=entity)
    for item in _sources(data):
        run.add(item)
    return run.report()


def validate_paths(
    paths: Iterable[str | os.PathLike[str]], *, schema_version: str | None = None, entity: str | None = None
) -> Report:
    """Validate every record in the given files and folders; one combined report."""
    run = Validation(schema_version=schema_version, entity=entity)
    for item in iter_paths(paths):
        run.add(item)
    return run.report()

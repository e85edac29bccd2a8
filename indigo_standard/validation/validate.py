"""Validating input against the schema of its version, and building the report."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..checks import Check, CheckRunner, all_checks
from ..checks.registry import check_selection
from ..detect import detect_entity, record_id
from ..reading import (
    NOTICES_ONLY,
    CellRef,
    Notice,
    SourcedRecord,
    iter_data,
    iter_paths,
    parse_json,
    type_name,
)
from ..versions import LATEST_VERSION, normalise_version
from .cell_store import CellStore
from .engine import SchemaEngine
from .grouping import IssueCollector
from .report import Issue, Report, Source, merge_versions
from .report_stream import StreamedReport
from .spool import Spool

Input = Any
"""A dict (record or package), a list of records, JSON text, a path, or a list of paths."""


def _sources(data: Input, version: str | None = None) -> Iterable[SourcedRecord]:
    if isinstance(data, (os.PathLike, Path)):
        return iter_paths([data], version)
    if isinstance(data, str):
        stripped = data.lstrip()
        if stripped.startswith(("{", "[")):
            return iter_data(parse_json(data))
        return iter_paths([data], version)
    return iter_data(data)


class Validation:
    """One validation run: choose each record's version, check it, collect the issues."""

    def __init__(
        self,
        *,
        schema_version: str | None = None,
        entity: str | None = None,
        skip: Sequence[str] = (),
        only: Sequence[str] = (),
        max_issues: int | None = None,
        checks: Iterable[Check] | None = None,
    ) -> None:
        self.given_version = normalise_version(schema_version) if schema_version else None
        self.entity = entity
        self.engine = SchemaEngine()
        self.spool = Spool()
        """Where issues, unresolved references and cells go once there are many (see :meth:`close`)."""
        self.issues = IssueCollector(skip=skip, only=only, max_issues=max_issues, spool=self.spool)
        available = tuple(all_checks() if checks is None else checks)
        check_selection(available, skip, only)
        self.checks = CheckRunner(check for check in available if self.issues.wanted(check.code))
        self.checks.index.use_spool(self.spool)
        self._dataset_checked = False
        self.records = 0
        self.versions: set[str] = set()
        self._warned: set[tuple[str, str | None]] = set()
        self.cells = CellStore(self.spool)
        """For records read from flat input, by id: the cell of each field a dataset check may
        report on (and of the row, under ""), so that dataset-wide issues can name their cell."""

    def _version_for(self, item: SourcedRecord, warnings: list[Issue]) -> str:
        if item.declared_version is not None:
            declared = normalise_version(item.declared_version)
            if self.given_version and self.given_version != declared:
                params = {"declared": declared, "given": self.given_version}
                self._warn_once("version.conflict", item.file, params, warnings)
            return declared
        if self.given_version:
            return self.given_version
        if item.mapping_version is not None:
            return item.mapping_version
        self._warn_once("version.assumed", None, {"version": LATEST_VERSION}, warnings)
        return LATEST_VERSION

    def _warn_once(self, code: str, file: str | None, params: dict[str, str], into: list[Issue]) -> None:
        if (code, file) not in self._warned:
            self._warned.add((code, file))
            source = Source(file) if file else None
            into.append(Issue.make(code, params=params, source=source))

    def add(self, item: SourcedRecord) -> None:
        """Validate one record as read."""
        first, version = self.begin(item)
        self.issues.extend(first)
        if version is not None:
            self.issues.extend(self.check(item, version))

    def begin(self, item: SourcedRecord) -> tuple[list[Issue], str | None]:
        """The part of validating a record that depends on the records before it.

        Returns the issues it raises (notices of the reader, version warnings given once
        per run) and the version to check the record against, or None when there is no
        record to check. Counts the record.
        """
        first = [_notice_issue(notice) for notice in item.notices]
        if item.entity == NOTICES_ONLY:
            return first, None
        version = self._version_for(item, first)
        self.versions.add(version)
        if item.entity != "package":
            self.records += 1
        return first, version

    def check(self, item: SourcedRecord, version: str) -> list[Issue]:
        """The issues of one record on its own (schema and record checks), with their locations.

        Also adds what the dataset checks need from the record to their small index, and,
        for flat input, the cells of the fields those checks may report on.
        """
        source = Source(item.file) if item.file else None
        if not isinstance(item.data, dict):
            found = type_name(item.data)
            return [Issue.make("record.not-object", params={"found": found}, source=source)]
        rid = record_id(item.data)
        entity = detect_entity(
            item.data, given=self.entity if item.entity != "package" else None, context=item.entity
        )
        if entity is None:
            shown = repr(rid) if rid else "(none)"
            return [Issue.make("record.unknown-type", params={"record_id": shown}, record=rid, source=source)]
        checked = self.engine.issues(version, entity, item.data, rid)
        if entity != "package":
            checked = [*checked, *self.checks.record_issues(version, entity, item.data, rid, item.file)]
            if item.cells and rid is not None and rid not in self.cells and self.checks.dataset_checks:
                self.cells.add(rid, _dataset_cells(item, self.checks.index.recent))
        located = []
        for issue in checked:
            cell = item.locate(issue.path)
            if cell is not None:
                issue = _with_source(issue, Source(cell.file, cell.row, cell.column))
            elif source is not None:
                issue = _with_source(issue, source)
            located.append(issue)
        return located

    def _located(self, issue: Issue) -> Issue:
        """A dataset-wide issue with the cell it points at, when its record came from flat input."""
        cells = self.cells.get(issue.record) if issue.record else None
        cell = (cells.get(issue.path) or cells.get("")) if cells is not None else None
        return _with_source(issue, Source(cell.file, cell.row, cell.column)) if cell else issue

    def finish(self) -> StreamedReport:
        """The report of everything validated so far, its issues read from the run's store.

        Runs the dataset checks the first time. The issues can be read until :meth:`close`.
        """
        version = merge_versions(self.versions) or self.given_version or LATEST_VERSION
        if not self._dataset_checked:
            self._dataset_checked = True
            self.issues.extend(self._located(issue) for issue in self.checks.dataset_issues())
        return StreamedReport(
            schema_version=version,
            records=self.records,
            issues=self.issues.kept,
            partial=self.issues.partial,
            by_code=dict(self.issues.by_code),
            by_severity=dict(self.issues.by_severity),
            max_issues=self.issues.max_issues,
        )

    def report(self) -> Report:
        """The report of everything validated so far, every issue in memory."""
        found = self.finish()
        return Report(
            schema_version=found.schema_version,
            records=found.records,
            issues=tuple(found.issues),
            partial=found.partial,
            by_code=found.by_code,
            by_severity=found.by_severity,
            max_issues=found.max_issues,
        )

    def close(self) -> None:
        """Remove the run's temporary spool, if it was needed."""
        self.spool.close()

    def __enter__(self) -> Validation:
        return self

    def __exit__(self, *error: object) -> None:
        self.close()


def _dataset_cells(item: SourcedRecord, pointers: list[str]) -> dict[str, CellRef]:
    """The cells of the fields (and, under "", of the row) of ``item`` at ``pointers``."""
    pointers = [*pointers, ""]
    return {ptr: cell for ptr in pointers if (cell := item.locate(ptr)) is not None}


def _with_source(issue: Issue, source: Source) -> Issue:
    return attrs.evolve(issue, source=source)


def _notice_issue(notice: Notice) -> Issue:
    return notice.to_issue()


def validate(
    data: Input, *, schema_version: str | None = None, entity: str | None = None, **options: Any
) -> Report:
    """Validate a record, a list of records, a dataset package, JSON text or a path.

    The schema version is the package's own, else ``schema_version``, else the latest
    (with a ``version.assumed`` warning). ``entity`` forces the record type of plain records.
    ``options`` are those of :class:`Validation`: ``skip`` and ``only`` (issue codes),
    ``max_issues`` and ``checks``.
    """
    with Validation(schema_version=schema_version, entity=entity, **options) as run:
        for item in _sources(data, schema_version):
            run.add(item)
        return run.report()


def validate_paths(
    paths: Iterable[str | os.PathLike[str]],
    *,
    schema_version: str | None = None,
    entity: str | None = None,
    **options: Any,
) -> Report:
    """Validate every record in the given files and folders; one combined report.

    ``options`` are those of :class:`Validation` (``skip``, ``only``, ``max_issues``, ``checks``).
    """
    with Validation(schema_version=schema_version, entity=entity, **options) as run:
        for item in iter_paths(paths, schema_version):
            run.add(item)
        return run.report()

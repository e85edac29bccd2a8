"""Validating input against the schema of its version, and building the report."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any

from ..checks import Check, CheckRunner, all_checks
from ..checks.registry import check_selection
from ..detect import ARTICLES, ID_PREFIXES, PLURALS, RECORD_TYPES, Detection, detect, record_id
from ..errors import UnknownEntityError
from ..fields import pointer
from ..reading.inputs import iter_given, iter_paths
from ..reading.json_input import find_value, is_not_finite
from ..reading.records import NOTICES_ONLY, CellRef, Notice, SourcedRecord, type_name
from ..versions import LATEST_VERSION, normalise_version
from .cell_store import CellStore
from .duplicates import IdRegister
from .engine import SchemaEngine
from .issue_store import IssueCollector, StreamedReport
from .result import Issue, Report, Source, merge_versions
from .spool import Spool

Input = Any
"""A dict (record or package), a list of records, JSON text, a path, or a list of paths."""


def _sources(data: Input, version: str | None = None) -> Iterable[SourcedRecord]:
    return iter_given(data, version, what="validate")


def _not_finite(item: SourcedRecord) -> list[Issue]:
    """An issue for a NaN or infinite number in data given in memory (JSON text cannot hold one)."""
    found = find_value(item.data, is_not_finite)
    if found is None:
        return []
    path, value = found
    rid = record_id(item.data)
    shown = "NaN" if value != value else ("-Infinity" if value < 0 else "Infinity")
    return [Issue.make("record.not-finite", params={"value": shown}, record=rid, path=pointer(path))]


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
        if entity is not None and entity not in RECORD_TYPES:
            known = ", ".join(RECORD_TYPES)
            raise UnknownEntityError(f"unknown record type {entity!r}; the record types are {known}")
        self.entity = entity
        self.engine = SchemaEngine()
        self.spool = Spool()
        """Where issues, unresolved references and cells go once there are many (see :meth:`close`)."""
        self.issues = IssueCollector(skip=skip, only=only, max_issues=max_issues, spool=self.spool)
        available = tuple(all_checks() if checks is None else checks)
        check_selection(available, skip, only)
        self.checks = CheckRunner([check for check in available if self.issues.wanted(check.code)])
        self.checks.index.use_spool(self.spool)
        self._dataset_checked = False
        self.ids = IdRegister()
        """Where each record id was first seen, to report records that share one."""
        self._find_duplicates = self.issues.wanted("dataset.duplicate-id")
        self.records = 0
        self.versions: set[str] = set()
        self._warned: set[tuple[str, str | None]] = set()
        self.cells = CellStore(self.spool)
        """For records read from flat input, by id: the cell of each field a dataset check may
        report on (and of the row, under ""), so that dataset-wide issues can name their cell."""
        self._detected: tuple[SourcedRecord, str | None, Detection] | None = None
        """The last record whose type was told, with the type given and what was found
        (:meth:`begin` and :meth:`check` both need it)."""

    def _detect(self, item: SourcedRecord, given: str | None) -> Detection:
        """The record type of ``item`` (see :func:`~indigo_standard.detect.detect`), told once."""
        last = self._detected
        if last is not None and last[0] is item and last[1] == given:
            return last[2]
        found = detect(item.data, given=given, context=item.entity)
        self._detected = (item, given, found)
        return found

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
        per run, an id an earlier record has) and the version to check the record against,
        or None when there is no record to check. Counts the record.
        """
        first = [_notice_issue(notice) for notice in item.notices]
        if item.entity == NOTICES_ONLY:
            return first, None
        version = self._version_for(item, first)
        self.versions.add(version)
        if item.entity != "package":
            self.records += 1
            if self._find_duplicates:
                entity = self._detect(item, self.entity).entity
                duplicate = self.ids.see(item, entity)
                if duplicate is not None:
                    first.append(duplicate)
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
        given = self.entity if item.entity != "package" else None
        detection = self._detect(item, given)
        entity = detection.entity
        typing = [] if entity == "package" else _type_issues(detection, rid)
        if entity is None:
            return [_with_source(issue, source) if source else issue for issue in typing]
        checked = [*typing, *self.engine.issues(version, entity, item.data, rid)]
        if entity != "package":
            checked = [*checked, *self.checks.record_issues(version, entity, item.data, rid, item.file)]
            if item.cells and rid is not None and rid not in self.cells and self.checks.dataset_checks:
                self.cells.add(rid, _dataset_cells(item, self.checks.index.recent))
        located = []
        for issue in checked:
            cell = item.locate(issue.path) if item.cells else None
            if cell is not None:
                issue = _with_source(issue, Source(cell.file, cell.row, cell.column))
            elif source is not None and issue.source != source:
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
            for issue in self.checks.dataset_issues():  # one at a time: there may be many
                self.issues.append(self._located(issue))
        return StreamedReport(
            schema_version=version,
            records=self.records,
            issues=self.issues.store(),
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


def _several(entities: Sequence[str]) -> str:
    """Record types as a message lists them: "a project or a pipeline project"."""
    names = [ARTICLES[entity] for entity in entities]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _type_issues(found: Detection, rid: str | None) -> list[Issue]:
    """The issues of a record whose type cannot be told, or whose fields contradict its type."""
    fields = _several(found.fields) if found.fields else ""
    if found.entity is None and found.claimed_by is None:
        start = f"its id {rid!r} has no known prefix" if rid else "it has no id"
        end = f"its fields fit {fields}" if fields else "it has no field of any record type"
        why = f"{start} and {end}"
        return [Issue.make("record.unknown-type", params={"why": why}, record=rid)]
    if found.claimed_by is None:
        return []
    if found.claimed_by == "prefix" and found.prefix is not None:
        claim = f"its id has the prefix of {ARTICLES[found.prefix]} ({ID_PREFIXES[found.prefix]})"
        outcome = (
            f"it was validated as {ARTICLES[found.entity]}, as its fields say"
            if found.entity is not None
            else "its type cannot be told, so it was not validated; pass --type to say which it is"
        )
    else:
        named = ARTICLES[str(found.entity)]
        claim = (
            f"its type was given as {named}"
            if found.claimed_by == "given"
            else f"it is listed among the {PLURALS[str(found.entity)]}"
        )
        outcome = f"it was validated as {named}"
    params = {"found": fields, "claim": claim, "outcome": outcome}
    return [Issue.make("record.type-mismatch", params=params, entity=found.entity, record=rid, path="/id")]


def _dataset_cells(item: SourcedRecord, pointers: list[str]) -> dict[str, CellRef]:
    """The cells of the fields (and, under "", of the row) of ``item`` at ``pointers``."""
    pointers = [*pointers, ""]
    return {ptr: cell for ptr in pointers if (cell := item.locate(ptr)) is not None}


def _with_source(issue: Issue, source: Source) -> Issue:
    """``issue`` with ``source`` (made directly: ``attrs.evolve`` costs three times as much)."""
    return Issue(
        issue.severity, issue.code, issue.message, issue.entity, issue.record, issue.path, issue.title, source
    )


def _notice_issue(notice: Notice) -> Issue:
    return notice.to_issue()


def validate(
    data: Input, *, schema_version: str | None = None, entity: str | None = None, **options: Any
) -> Report:
    """Validate a record, a list of records, a dataset package, JSON text or a path.

    The schema version is the package's own, else ``schema_version``, else the latest
    (with a ``version.assumed`` warning). ``entity`` forces the record type of plain records.
    ``options`` are those of :class:`Validation`: ``skip`` and ``only`` (issue codes),
    ``max_issues`` and ``checks``. Input of any other type raises
    :class:`~indigo_standard.errors.InputTypeError`; text that is neither JSON nor an existing
    path, :class:`~indigo_standard.errors.InputError`. A NaN or infinite number in data given
    in memory is an error of the data (``record.not-finite``), as it is in a file.
    """
    with Validation(schema_version=schema_version, entity=entity, **options) as run:
        in_memory = isinstance(data, (dict, list))
        for item in _sources(data, schema_version):
            run.add(item)
            if in_memory and item.entity != NOTICES_ONLY:
                run.issues.extend(_not_finite(item))
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

"""Running the selected checks on records as they are read, and across the dataset at the end."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..catalogue import CodeInfo
from ..fields import title_for_pointer
from ..validation.result import Issue, Source
from .context import Check, RecordContext
from .dataset import DatasetIndex
from .prefetch import builtin_queries


def make_issue(info: CodeInfo, params: Mapping[str, Any], **where: Any) -> Issue:
    """An issue of a check, its message filled in from the check's template."""
    return Issue(severity=info.severity, code=info.code, message=info.message.format(**params), **where)


def _title(version: str | None, entity: str, path: str) -> str:
    if version is None:
        return ""
    try:
        return title_for_pointer(version, entity, path)
    except Exception:  # an unknown version or record type has no titles
        return ""


class CheckRunner:
    """Runs record checks on each record and dataset checks once every record has been seen."""

    def __init__(self, checks: Iterable[Check]) -> None:
        self.checks = tuple(checks)
        self.record_checks = tuple(check for check in self.checks if check.record is not None)
        self.dataset_checks = tuple(check for check in self.checks if check.dataset is not None)
        self.index = DatasetIndex()
        self._applying: dict[tuple[str, str], tuple[Check, ...]] = {}

    def _applicable(self, entity: str, version: str) -> tuple[Check, ...]:
        """The record checks that run on records of ``entity`` in ``version`` (worked out once)."""
        found = self._applying.get((entity, version))
        if found is None:
            found = tuple(check for check in self.record_checks if check.applies(entity, version))
            self._applying[(entity, version)] = found
        return found

    def record_issues(
        self,
        version: str,
        entity: str,
        data: Mapping[str, Any],
        record_id: str | None,
        file: str | None = None,
    ) -> Iterator[Issue]:
        """The issues the record checks find in one record; also indexes it for the dataset checks."""
        ctx = RecordContext(version, entity, data, record_id, queries=builtin_queries(version, entity))
        source = Source(file) if file else None
        for check in self._applicable(entity, version):
            if check.record is None:
                continue
            for finding in check.record(ctx):
                yield make_issue(
                    check.info,
                    finding.params,
                    entity=entity,
                    record=record_id,
                    path=finding.path,
                    title=_title(version, entity, finding.path),
                    source=source,
                )
        if self.dataset_checks:
            self.index.collect(ctx, file)

    def dataset_issues(self) -> Iterator[Issue]:
        """The issues the dataset checks find across every record seen."""
        for check in self.dataset_checks:
            if check.dataset is None:
                continue
            for finding in check.dataset(self.index):
                if finding.version is not None and not check.applies(finding.entity, finding.version):
                    continue
                yield make_issue(
                    check.info,
                    finding.params,
                    entity=finding.entity,
                    record=finding.record,
                    path=finding.path,
                    title=_title(finding.version, finding.entity, finding.path),
                    source=Source(finding.file) if finding.file else None,
                )

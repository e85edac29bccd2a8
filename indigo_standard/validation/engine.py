"""The schema validator behind a small interface.

:class:`SchemaEngine` answers "is this record valid?" and, only when it is not, explains
why with the reference ``jsonschema`` validator. A faster engine can replace the first
question without changing any report.
"""

from __future__ import annotations

from typing import Any, Protocol

from ..registry import validator
from .pruning import error_tree, pruned
from .result import Issue
from .schema_issues import issues_from_errors


class ValidityOracle(Protocol):
    """Anything that can say whether a record is valid against one schema."""

    def is_valid(self, version: str, schema_name: str, data: Any) -> bool:
        """True when ``data`` satisfies schema ``schema_name`` of ``version``."""
        ...


class ReferenceOracle:
    """Answers validity with the reference ``jsonschema`` validator."""

    def is_valid(self, version: str, schema_name: str, data: Any) -> bool:
        """True when ``data`` satisfies schema ``schema_name`` of ``version``."""
        return bool(validator(version, schema_name).is_valid(data))


def default_oracle() -> ValidityOracle:
    """The compiled validator when jsonschema-rs is available, else the reference one."""
    from . import fast

    return fast.CompiledOracle() if fast.available() else ReferenceOracle()


class SchemaEngine:
    """Schema validation of records: a quick validity answer first, then explanations."""

    def __init__(self, oracle: ValidityOracle | None = None) -> None:
        self.oracle: ValidityOracle = oracle or default_oracle()

    def issues(self, version: str, entity: str, data: Any, record_id: str | None) -> list[Issue]:
        """Every schema issue of one record (or package envelope), or none when it is valid.

        An oracle that can explain the errors itself does (see
        :meth:`~.fast.CompiledOracle.explain`). Else, when it can say where the record fails,
        the reference validator explains a copy without the valid, optional parts (see
        :mod:`.pruning`): the issues are the same, found without walking what cannot hold one.
        """
        if self.oracle.is_valid(version, entity, data):
            return []
        explain = getattr(self.oracle, "explain", None)
        if explain is not None:
            explained: list[Issue] | None = explain(version, entity, data, record_id)
            if explained is not None:
                return explained
        locate = getattr(self.oracle, "error_paths", None)
        if locate is not None and isinstance(data, dict):
            paths = locate(version, entity, data)
            if paths is not None:
                smaller = pruned(version, entity, data, error_tree(paths))
                found = self._explain(version, entity, smaller, record_id)
                if found:
                    return found
        return self._explain(version, entity, data, record_id)

    @staticmethod
    def _explain(version: str, entity: str, data: Any, record_id: str | None) -> list[Issue]:
        errors = validator(version, entity).iter_errors(data)
        return issues_from_errors(errors, version=version, entity=entity, record_id=record_id)

"""The schema validator behind a small interface.

:class:`SchemaEngine` answers "is this record valid?" and, only when it is not, explains
why with the reference ``jsonschema`` validator. A faster engine can replace the first
question without changing any report.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Protocol

from ..registry import schema, validator
from .report import Issue
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

        When the oracle can name the top-level fields that fail, the reference validator
        explains a copy of the record without the other (valid) fields: a field the
        compiled validator finds valid has no errors to report, and the schemas' root
        keywords (``type``, ``required``, ``properties``) give the same answers with it
        left out, so the issues are the same, found without walking the valid fields.
        """
        if self.oracle.is_valid(version, entity, data):
            return []
        failing = getattr(self.oracle, "failing_keys", None)
        if failing is not None and isinstance(data, dict) and _prunable(version, entity):
            keys = failing(version, entity, data)
            if keys is not None:
                found = self._explain(version, entity, _pruned(version, entity, data, keys), record_id)
                if found:
                    return found
        return self._explain(version, entity, data, record_id)

    @staticmethod
    def _explain(version: str, entity: str, data: Any, record_id: str | None) -> list[Issue]:
        errors = validator(version, entity).iter_errors(data)
        return issues_from_errors(errors, version=version, entity=entity, record_id=record_id)


_ROOT_KEYWORDS = frozenset(
    {"$schema", "$id", "$defs", "title", "description", "type", "required", "properties", "$comment"}
)
"""Root keywords under which leaving out a valid, optional, known field changes no answer."""


@cache
def _prunable(version: str, entity: str) -> bool:
    root = schema(version, entity)
    return set(root) <= _ROOT_KEYWORDS and root.get("type") == "object"


def _pruned(version: str, entity: str, data: dict[str, Any], failing: set[str]) -> dict[str, Any]:
    root = schema(version, entity)
    known = root.get("properties", {})
    required = set(root.get("required", ()))
    return {k: v for k, v in data.items() if k in failing or k in required or k not in known}

"""The compiled fast path: jsonschema-rs answers "valid?" when it is installed.

It only ever answers validity. Records it finds invalid go to the reference validator,
which explains them, so reports are the same with or without it. Like the reference
validator it resolves ``$ref`` against the bundled schemas only: its retriever refuses
every other URI.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from ..errors import SchemaReferenceError
from ..fields import pointer
from ..registry import schema, schemas, validator
from .result import Issue
from .schema_issues import in_order, keyword_issue, make_issue

DISABLE_ENV = "INDIGO_NO_FAST_PATH"
"""Set this environment variable to a non-empty value to use the reference validator alone."""


def _refuse(uri: str) -> Any:
    raise SchemaReferenceError(f"refused to resolve $ref {uri!r}: only the bundled INDIGO schemas are used")


def available() -> bool:
    """True when jsonschema-rs is installed and not disabled through the environment."""
    if os.environ.get(DISABLE_ENV):
        return False
    try:
        import jsonschema_rs  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def _compiled(version: str, name: str) -> Any:
    import jsonschema_rs

    resources = [(data["$id"], dict(data)) for data in schemas(version).values()]
    registry = jsonschema_rs.Registry(resources, retriever=_refuse)
    compiled = jsonschema_rs.Draft202012Validator(
        dict(schema(version, name)), registry=registry, retriever=_refuse
    )
    return compiled


_KEYWORDS = {
    "Type": "type",
    "Enum": "enum",
    "Pattern": "pattern",
    "MinLength": "minLength",
    "MinItems": "minItems",
    "Required": "required",
}
"""The kinds of jsonschema-rs error :meth:`CompiledOracle.explain` turns into issues, and their keyword."""

_EXPECTED = {"enum": "options", "pattern": "pattern", "minLength": "limit", "minItems": "limit"}
"""Where the keyword's value in the schema is, on each kind of error."""

_MISSING = object()


def _at(data: Any, steps: list[Any]) -> Any:
    """The value at ``steps`` (keys and indexes) inside ``data``, or ``_MISSING``."""
    for step in steps:
        found = isinstance(data, dict) and isinstance(step, str) and step in data
        if found or (isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data)):
            data = data[step]
        else:
            return _MISSING
    return data


class CompiledOracle:
    """Answers validity with jsonschema-rs, compiled once per schema and process."""

    def is_valid(self, version: str, schema_name: str, data: Any) -> bool:
        """True when ``data`` satisfies schema ``schema_name`` of ``version``.

        A value jsonschema-rs cannot take (anything but JSON types, such as a set) is
        answered by the reference validator instead.
        """
        try:
            return bool(_compiled(version, schema_name).is_valid(data))
        except (ValueError, TypeError, OverflowError):
            return bool(validator(version, schema_name).is_valid(data))

    def explain(self, version: str, schema_name: str, data: Any, record_id: str | None) -> list[Issue] | None:
        """The schema issues of ``data`` built from jsonschema-rs's errors, or None when the reference
        validator must explain them.

        An issue's code and message depend only on the keyword that failed, its value in the
        schema, the value it failed on and where: jsonschema-rs gives all four for ``type``
        (one type), ``enum``, ``pattern``, ``minLength``, ``minItems`` and ``required``, the
        only keywords that can fail in the standard's schemas. For anything else (another
        keyword, a ``minLength`` other than 1, two errors at one place, whose order could
        differ between the validators) the answer is None. The value is read from ``data``
        itself, as the reference validator sees it.
        """
        try:
            errors = list(_compiled(version, schema_name).iter_errors(data))
        except (ValueError, TypeError, OverflowError):
            return None
        found: list[tuple[str, Issue]] = []
        for error in errors:
            steps = list(error.instance_path)
            kind = error.kind
            keyword = _KEYWORDS.get(type(kind).__name__)
            if keyword is None:
                return None
            if keyword == "required":
                steps.append(kind.property)
                code, params = "schema.required", {"field": kind.property}
            else:
                if keyword == "type":
                    if len(kind.types) != 1:
                        return None
                    expected = kind.types[0]
                else:
                    expected = getattr(kind, _EXPECTED[keyword])
                instance = _at(data, steps)
                if instance is _MISSING:
                    return None
                known = keyword_issue(keyword, expected, instance)
                if known is None:
                    return None
                code, params = known
            path = pointer(steps)
            found.append((path, make_issue(code, params, version, schema_name, record_id, path)))
        if not found or len({path for path, _ in found}) < len(found):
            return None
        return in_order(found)

    def error_paths(self, version: str, schema_name: str, data: Any) -> list[tuple[Any, ...]] | None:
        """The instance path of every error jsonschema-rs finds in ``data`` (None: cannot say)."""
        try:
            errors = list(_compiled(version, schema_name).iter_errors(data))
        except (ValueError, TypeError, OverflowError):
            return None
        return [tuple(error.instance_path) for error in errors]

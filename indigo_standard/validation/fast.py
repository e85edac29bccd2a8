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
from ..registry import schema, schemas, validator

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

    def error_paths(self, version: str, schema_name: str, data: Any) -> list[tuple[Any, ...]] | None:
        """The instance path of every error jsonschema-rs finds in ``data`` (None: cannot say)."""
        try:
            errors = list(_compiled(version, schema_name).iter_errors(data))
        except (ValueError, TypeError, OverflowError):
            return None
        return [tuple(error.instance_path) for error in errors]

"""Turning JSON Schema errors into issues a person can act on."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any, cast

from jsonschema import ValidationError

from ..fields import pointer, title_for_pointer
from ..jsontext import dumps as exact_json
from ..reading.records import type_name
from .result import Issue

DATE_PATTERN = (
    "^[0-9][0-9][0-9][0-9]$|^[0-9][0-9][0-9][0-9]-[0-9][0-9]$|^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$"
)
"""The pattern of the standard's partial dates (YYYY, YYYY-MM or YYYY-MM-DD)."""

MAX_SHOWN_CODES = 8
MAX_SHOWN_TEXT = 60

_TYPE_WORDS = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "object": "an object",
    "array": "a list",
    "boolean": "true or false",
    "null": "null",
}
_PATTERN_HINTS = {"^[0-9]+\\.[0-9]+(\\.[0-9]+)?$": " (a version such as 4.1)"}


def show(value: Any) -> str:
    """A value quoted for a message, shortened when long (a Decimal is shown digit for digit;
    NaN and the infinities, which JSON cannot hold, as Python writes them)."""
    try:
        text = exact_json(value)
    except ValueError:
        text = json.dumps(value, allow_nan=True, default=str)
    if len(text) > MAX_SHOWN_TEXT:
        text = text[: MAX_SHOWN_TEXT - 1] + "…"
    return text


def show_codes(codes: list[Any]) -> str:
    """The allowed codes of an enum, shortened when there are many."""
    shown = ", ".join(str(code) for code in codes[:MAX_SHOWN_CODES])
    if len(codes) > MAX_SHOWN_CODES:
        shown += f" … ({len(codes) - MAX_SHOWN_CODES} more)"
    return shown


def _spaced_code(value: Any, codes: list[Any]) -> str:
    """A hint naming the code ``value`` matches but for the spaces around it, else ""."""
    if not isinstance(value, str):
        return ""
    for code in codes:
        if isinstance(code, str) and code != value and code.strip() == value.strip():
            return f" (did you mean {show(code)}? only the spaces around it differ)"
    return ""


def _expected(types: Any) -> str:
    names = [types] if isinstance(types, str) else list(types)
    return " or ".join(_TYPE_WORDS.get(name, name) for name in names)


def _items(count: int) -> str:
    return "1 item" if count == 1 else f"{count} items"


def type_issue(expected: Any, instance: Any) -> tuple[str, dict[str, Any]]:
    """The code and details of a value of the wrong JSON type: ``schema.not-set`` for null (a
    value left empty), else ``schema.type`` with the type(s) expected and what was found."""
    if instance is None:
        return "schema.not-set", {}
    found = type_name(instance)
    if isinstance(instance, (str, int, float, Decimal)) and not isinstance(instance, bool):
        found += f" {show(instance)}"
    return "schema.type", {"expected": _expected(expected), "found": found}


def enum_params(instance: Any, allowed: list[Any]) -> dict[str, Any]:
    """The details of a ``schema.enum`` issue: the value, a code it differs from only by surrounding
    spaces (if any), and the codes allowed."""
    return {
        "value": show(instance),
        "suggestion": _spaced_code(instance, allowed),
        "allowed": show_codes(allowed),
    }


def keyword_issue(keyword: str, expected: Any, instance: Any) -> tuple[str, dict[str, Any]] | None:
    """The code and details of the issue a failed schema keyword raises, from the keyword, its value
    in the schema and the value it failed on; None when the issue is ``schema.invalid``, whose
    message is the validator's own."""
    if keyword == "type":
        return type_issue(expected, instance)
    if keyword == "enum":
        allowed = list(cast("list[Any]", expected))
        return "schema.enum", enum_params(instance, allowed)
    if keyword == "pattern" and expected == DATE_PATTERN:
        return "schema.partial-date", {"value": show(instance)}
    if keyword == "pattern":
        hint = _PATTERN_HINTS.get(str(expected), "")
        return "schema.pattern", {"value": show(instance), "hint": hint}
    if keyword == "minLength" and expected == 1:
        return "schema.min-length", {}
    if keyword == "minItems" and isinstance(instance, list):
        least = int(cast("int", expected))
        return "schema.min-items", {"least": _items(least), "found": len(instance)}
    return None


def _code_and_params(error: ValidationError) -> tuple[str, dict[str, Any]]:
    found = keyword_issue(str(error.validator), error.validator_value, error.instance)
    return found if found is not None else ("schema.invalid", {"detail": error.message})


def issues_from_errors(
    errors: Iterator[ValidationError],
    *,
    version: str,
    entity: str,
    record_id: str | None,
) -> list[Issue]:
    """One issue per schema error (and per missing required field), in document order."""
    found: list[tuple[str, Issue]] = []
    for error in errors:
        base = pointer(error.absolute_path)
        if error.validator == "required":
            instance = error.instance if isinstance(error.instance, dict) else {}
            for key in cast("list[str]", error.validator_value):
                if key in instance:
                    continue
                path = f"{base}/{key}"
                issue = make_issue("schema.required", {"field": key}, version, entity, record_id, path)
                found.append((path, issue))
            continue
        code, params = _code_and_params(error)
        found.append((base, make_issue(code, params, version, entity, record_id, base)))
    return in_order(found)


def in_order(found: Iterable[tuple[str, Issue]]) -> list[Issue]:
    """The issues of one record, each (path, code, message) once, in document order of their paths
    (issues at the same path in the order found)."""
    unique: dict[tuple[str, str, str], Issue] = {}
    for path, issue in found:
        unique.setdefault((path, issue.code, issue.message), issue)
    return sorted(unique.values(), key=lambda issue: _sort_key(issue.path))


def make_issue(
    code: str, params: Mapping[str, Any], version: str, entity: str, record_id: str | None, path: str
) -> Issue:
    """A schema issue of a record, with the title of its field."""
    title = title_for_pointer(version, entity, path) if entity != "package" else ""
    return Issue.make(code, params=params, entity=entity, record=record_id, path=path, title=title)


def _sort_key(path: str) -> list[tuple[int, int, str]]:
    return [(0, int(p), "") if p.isascii() and p.isdigit() else (1, 0, p) for p in path.split("/")]

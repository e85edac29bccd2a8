"""Compare two schema versions and classify the release by the standard's SemVer rules.

The rules, as the standard applies them to data (not to code):

- **major**: data that was valid may become invalid, or loses a field: a field, schema
  file or code removed or respelled, a type narrowed, a pattern tightened, a field made
  required, a new constraint (including a new cross-reference between ids);
- **minor**: everything valid stays valid and there is more to say: a field, code or
  schema file added, a type widened, a pattern loosened, a constraint dropped;
- **patch**: nothing about validity changes: titles, descriptions, codelist titles and
  other annotations.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from ..registry import RECORD_SCHEMAS
from .schemaset import SCHEMA_SUFFIX, SchemaSet
from .walk import nodes

LEVELS = ("none", "patch", "minor", "major")
"""Release levels, smallest first."""

VALIDATION_KEYWORDS = frozenset(
    {
        "type",
        "enum",
        "const",
        "pattern",
        "required",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "format",
        "minItems",
        "maxItems",
        "uniqueItems",
        "additionalProperties",
        "patternProperties",
        "propertyNames",
        "minProperties",
        "maxProperties",
        "dependentRequired",
        "dependentSchemas",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "if",
        "then",
        "else",
        "contains",
        "minContains",
        "maxContains",
        "prefixItems",
        "unevaluatedItems",
        "unevaluatedProperties",
    }
)
"""Keywords that decide validity; any change to one not handled specially counts as major."""

HANDLED = frozenset({"type", "enum", "pattern", "required", "title", "description", "references"})
RESPELLING = 0.8
"""How alike a removed and an added code must be (difflib ratio) to be reported as a respelling."""


@attrs.frozen
class Change:
    """One difference between two versions, with the release level it needs and why."""

    level: str
    kind: str
    schema: str
    """The record type (``project``), ``package``, or the file the change is in."""
    path: str
    """The field's path, ``[]`` marking list items; empty for the schema itself."""
    message: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        """The change as a JSON-ready dict."""
        return attrs.asdict(self)


@attrs.frozen
class Diff:
    """Every change from ``old`` to ``new``, the level they require and the level declared."""

    old: str
    new: str
    old_release: str
    new_release: str
    changes: tuple[Change, ...]

    @property
    def required(self) -> str:
        """The smallest release level that covers every change."""
        return max((c.level for c in self.changes), key=LEVELS.index, default="none")

    @property
    def declared(self) -> str:
        """The level of the bump from OLD's release number to NEW's (``none`` when equal or lower)."""
        return bump(self.old_release, self.new_release)

    @property
    def ok(self) -> bool:
        """True when the declared bump is at least as large as the changes require."""
        return LEVELS.index(self.declared) >= LEVELS.index(self.required)

    def as_dict(self) -> dict[str, Any]:
        """The diff as a JSON-ready dict."""
        return {
            "old": self.old,
            "new": self.new,
            "old_release": self.old_release,
            "new_release": self.new_release,
            "required": self.required,
            "declared": self.declared,
            "ok": self.ok,
            "changes": [c.as_dict() for c in self.changes],
        }


_NUMBER = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?$")


def _parts(number: str) -> tuple[int, int, int] | None:
    match = _NUMBER.match(number.strip())
    if not match:
        return None
    return int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)


def bump(old: str, new: str) -> str:
    """The SemVer level of the step from release ``old`` to ``new``: major, minor, patch or none."""
    a, b = _parts(old), _parts(new)
    if a is None or b is None or b <= a:
        return "none"
    if b[0] != a[0]:
        return "major"
    return "minor" if b[1] != a[1] else "patch"


def _split_alternatives(pattern: str) -> frozenset[str]:
    """The top-level ``|`` alternatives of a regular expression."""
    parts, depth, klass, escaped, start = [], 0, False, False, 0
    for i, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif klass:
            klass = char != "]"
        elif char == "[":
            klass = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    parts.append(pattern[start:])
    return frozenset(parts)


def _types(value: Any) -> frozenset[str]:
    if value is None:
        return frozenset()
    types = {value} if isinstance(value, str) else set(value)
    if "number" in types:
        types.add("integer")
    return frozenset(types)


class _Comparer:
    def __init__(self, schema: str) -> None:
        self.schema = schema
        self.changes: list[Change] = []

    def add(self, level: str, kind: str, path: str, message: str, reason: str) -> None:
        self.changes.append(Change(level, kind, self.schema, path, message, reason))

    def node(self, path: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        self.type(path, old.get("type"), new.get("type"))
        self.enum(path, old.get("enum"), new.get("enum"))
        self.pattern(path, old.get("pattern"), new.get("pattern"))
        self.required(path, old.get("required", []), new.get("required", []))
        for key in ("title", "description"):
            if old.get(key) != new.get(key):
                self.add(
                    "patch",
                    f"{key}-changed",
                    path,
                    f"{key} changed from {old.get(key)!r} to {new.get(key)!r}",
                    f"a {key} is documentation; validity does not change",
                )
        self.references(path, old.get("references"), new.get("references"))
        for key in sorted((set(old) | set(new)) - HANDLED):
            if old.get(key) == new.get(key):
                continue
            shown = f"{key} changed from {old.get(key)!r} to {new.get(key)!r}"
            if key in VALIDATION_KEYWORDS:
                self.add(
                    "major",
                    "constraint-changed",
                    path,
                    shown,
                    f"{key} decides validity and the change cannot be shown to accept all data it accepted",
                )
            else:
                self.add(
                    "patch",
                    "annotation-changed",
                    path,
                    shown,
                    f"{key} is an annotation; validity does not change",
                )

    def type(self, path: str, old: Any, new: Any) -> None:
        if old == new:
            return
        before, after = _types(old), _types(new)
        message = f"type changed from {old!r} to {new!r}"
        if not before or (after and before <= after):
            if before:
                self.add(
                    "minor", "type-changed", path, message, "the new type accepts every value the old one did"
                )
            else:
                self.add("major", "type-changed", path, message, "values of other types are now refused")
        else:
            self.add("major", "type-changed", path, message, "values of the old type are now refused")

    def enum(self, path: str, old: Any, new: Any) -> None:
        if old == new:
            return
        if old is None:
            self.add(
                "major",
                "enum-added",
                path,
                f"values restricted to {len(new)} codes",
                "free values that were valid are now refused unless they are one of the codes",
            )
            return
        if new is None:
            self.add(
                "minor",
                "enum-removed",
                path,
                "values no longer restricted to a code list",
                "every code stays valid and other values are now allowed too",
            )
            return
        removed = [v for v in old if v not in new]
        added = [v for v in new if v not in old]
        for gone in list(removed):
            match = difflib.get_close_matches(str(gone), [str(a) for a in added], n=1, cutoff=RESPELLING)
            if match:
                twin = next(a for a in added if str(a) == match[0])
                removed.remove(gone)
                added.remove(twin)
                self.add(
                    "major",
                    "enum-value-renamed",
                    path,
                    f"code {gone!r} respelled as {twin!r}",
                    "a respelled code is a removal: data using the old spelling becomes invalid",
                )
        for gone in removed:
            self.add(
                "major",
                "enum-value-removed",
                path,
                f"code {gone!r} removed",
                "data using this code becomes invalid",
            )
        for new_code in added:
            self.add(
                "minor",
                "enum-value-added",
                path,
                f"code {new_code!r} added",
                "every code valid before stays valid",
            )
        if not removed and not added and sorted(map(str, old)) == sorted(map(str, new)):
            self.add("patch", "enum-reordered", path, "codes reordered", "the same codes are allowed")

    def pattern(self, path: str, old: Any, new: Any) -> None:
        if old == new:
            return
        message = f"pattern changed from {old!r} to {new!r}"
        if old is None:
            self.add("major", "pattern-tightened", path, message, "values must now match a pattern")
        elif new is None:
            self.add("minor", "pattern-loosened", path, message, "any value of the type is now accepted")
        else:
            before, after = _split_alternatives(old), _split_alternatives(new)
            if before < after:
                self.add(
                    "minor",
                    "pattern-loosened",
                    path,
                    message,
                    "the new pattern keeps every old alternative and adds more",
                )
            elif after < before:
                self.add(
                    "major",
                    "pattern-tightened",
                    path,
                    message,
                    "the new pattern drops alternatives that matched before",
                )
            else:
                self.add(
                    "major",
                    "pattern-tightened",
                    path,
                    message,
                    "the new pattern is not shown to accept every value the old one did",
                )

    def required(self, path: str, old: list[str], new: list[str]) -> None:
        for name in new:
            if name not in old:
                self.add(
                    "major",
                    "required-added",
                    path,
                    f"{name!r} is now required",
                    "data without it becomes invalid",
                )
        for name in old:
            if name not in new:
                self.add(
                    "minor",
                    "required-removed",
                    path,
                    f"{name!r} is no longer required",
                    "data may now leave it out; everything valid before stays valid",
                )

    def references(self, path: str, old: Any, new: Any) -> None:
        if old == new:
            return
        if old is None:
            self.add(
                "major",
                "references-added",
                path,
                f"values must now be ids of {new}",
                "values that pointed nowhere were accepted and are now reported",
            )
        elif new is None:
            self.add(
                "minor",
                "references-removed",
                path,
                f"values no longer have to be ids of {old}",
                "every value valid before stays valid",
            )
        else:
            self.add(
                "major",
                "references-changed",
                path,
                f"values must be ids of {new}, not {old}",
                "ids that were valid may now point nowhere",
            )


def _tree(schemas: SchemaSet, name: str) -> dict[str, dict[str, Any]]:
    keep = {file for file in RECORD_SCHEMAS.values() if file != name}
    return dict(nodes(schemas.schemas[name], schemas.resolver(name), keep_refs=keep))


def _subtree_size(paths: Iterable[str], top: str) -> int:
    return sum(1 for p in paths if p != top and (p.startswith(top + "/") or p.startswith(top + "[]")))


def _compare_trees(schema: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[Change]:
    comparer = _Comparer(schema)

    def top_only(paths: set[str]) -> list[str]:
        return [
            p
            for p in paths
            if not any(p != q and (p.startswith(q + "/") or p.startswith(q + "[]")) for q in paths)
        ]

    order = {p: i for i, p in enumerate([*new, *[q for q in old if q not in new]])}
    removed, added = set(old) - set(new), set(new) - set(old)
    for path in sorted(top_only(removed), key=order.__getitem__):
        inside = _subtree_size(removed, path)
        more = f" with {inside} field{'s' if inside != 1 else ''} inside" if inside else ""
        comparer.add(
            "major",
            "field-removed",
            path,
            f"field removed{more}",
            "data using it no longer fits the standard",
        )
    for path in sorted(top_only(added), key=order.__getitem__):
        inside = _subtree_size(added, path)
        more = f" with {inside} field{'s' if inside != 1 else ''} inside" if inside else ""
        comparer.add(
            "minor",
            "field-added",
            path,
            f"field added{more}",
            "a new optional field: everything valid before stays valid",
        )
    for path in sorted(set(old) & set(new), key=order.__getitem__):
        comparer.node(path, old[path], new[path])
    return iter(comparer.changes)


def _compare_codelists(old: SchemaSet, new: SchemaSet) -> Iterator[Change]:
    names = sorted(n for n in set(old.texts) | set(new.texts) if n.startswith("codelists/"))
    for name in names:
        if name not in old.texts or name not in new.texts:
            continue  # the enums that use it say what changed; lint checks nothing is left unused
        if old.texts[name] == new.texts[name]:
            continue
        before = {r.get("code"): r for r in old.codelist(name.removeprefix("codelists/"))}
        after = {r.get("code"): r for r in new.codelist(name.removeprefix("codelists/"))}
        for code in before.keys() & after.keys():
            if before[code] != after[code]:
                yield Change(
                    "patch",
                    "codelist-title-changed",
                    name,
                    str(code),
                    f"row changed from {dict(before[code])} to {dict(after[code])}",
                    "codelist titles and groupings document codes; validity does not change",
                )


def diff(old: SchemaSet, new: SchemaSet) -> Diff:
    """Every change from ``old`` to ``new``, classified."""
    changes: list[Change] = []
    names = sorted(set(old.schemas) | set(new.schemas), key=lambda n: (n not in RECORD_SCHEMAS.values(), n))
    entity_of = {file: entity for entity, file in RECORD_SCHEMAS.items()}
    for name in names:
        label = entity_of.get(name, name.removesuffix(SCHEMA_SUFFIX))
        if name not in new.schemas:
            changes.append(
                Change(
                    "major",
                    "schema-removed",
                    name,
                    "",
                    "schema file removed",
                    "data validated against it can no longer be",
                )
            )
        elif name not in old.schemas:
            changes.append(
                Change(
                    "minor", "schema-added", name, "", "schema file added", "a new schema takes nothing away"
                )
            )
        elif name in entity_of or name == "package.schema.json":
            changes.extend(_compare_trees(label, _tree(old, name), _tree(new, name)))
    changes.extend(_compare_codelists(old, new))
    return Diff(old.label, new.label, old.release_number, new.release_number, tuple(changes))


def render_text(result: Diff) -> str:
    """The diff as lines of text for people."""
    lines = [
        f"{result.old} ({result.old_release}) -> {result.new} ({result.new_release}): "
        f"{len(result.changes)} change{'s' if len(result.changes) != 1 else ''}; "
        f"this needs a {result.required.upper()} release",
    ]
    if result.required == "none":
        lines[0] = f"{result.old} ({result.old_release}) -> {result.new} ({result.new_release}): no changes"
    for change in result.changes:
        where = f"{change.schema} {change.path}" if change.path else change.schema
        lines.append(f"  {change.level:<5}  {where}: {change.message} ({change.reason})")
    verdict = "ok" if result.ok else "TOO SMALL"
    lines.append(
        f"declared: {result.declared} ({result.old_release} -> {result.new_release}); "
        f"required: {result.required}; {verdict}"
    )
    return "\n".join(lines) + "\n"

"""The check registry: every check beyond the schema, built in or added by other packages.

Built-in checks take their severity, title, description, message and applicability from
the issue catalogue (``codes.json``). Other packages add checks through the
``indigo_standard.checks`` entry point group: each entry point names a :class:`Check`
or an iterable of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib.metadata import entry_points
from typing import Any

from ..catalogue import catalogue
from ..errors import IndigoError
from . import dataset, iso_codes, meaning, references
from .context import Check, DatasetFunc, RecordFunc

ENTRY_POINT_GROUP = "indigo_standard.checks"


class CheckError(IndigoError):
    """A check cannot be found, loaded or selected."""


def _builtin_functions() -> Mapping[str, tuple[RecordFunc | None, DatasetFunc | None]]:
    found: dict[str, tuple[RecordFunc | None, DatasetFunc | None]] = {}
    for record_checks in (references.CHECKS, meaning.CHECKS, iso_codes.CHECKS):
        found.update({code: (func, None) for code, func in record_checks.items()})
    found.update({code: (None, func) for code, func in dataset.CHECKS.items()})
    return found


@cache
def builtin_checks() -> tuple[Check, ...]:
    """The checks that come with indigo-standard, in catalogue order."""
    functions = _builtin_functions()
    checks = []
    for info in catalogue().values():
        if info.scope is None:
            continue
        if info.code not in functions:
            raise CheckError(f"the catalogue lists check {info.code} but no function implements it")
        record, whole = functions[info.code]
        checks.append(Check(info=info, record=record, dataset=whole))
    missing = set(functions) - {check.code for check in checks}
    if missing:
        raise CheckError(f"checks without a catalogue entry: {', '.join(sorted(missing))}")
    return tuple(checks)


def _as_checks(loaded: Any, name: str) -> list[Check]:
    items = (
        [loaded] if isinstance(loaded, Check) else list(loaded) if isinstance(loaded, Iterable) else [loaded]
    )
    for item in items:
        if not isinstance(item, Check):
            raise CheckError(
                f"check plugin {name!r} gave {type(item).__name__}, not an indigo_standard Check"
            )
        if (item.record is None) == (item.dataset is None):
            raise CheckError(
                f"check plugin {name!r}: check {item.code} needs exactly one of record or dataset"
            )
    return items


def plugin_checks() -> tuple[Check, ...]:
    """The checks other installed packages add through the ``indigo_standard.checks`` entry points."""
    found: list[Check] = []
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name):
        try:
            loaded = point.load()
        except Exception as error:  # a broken plug-in must not crash validation with a traceback
            problem = f"{type(error).__name__}: {error}"
            where = f"check plugin {point.name!r} ({point.value})"
            raise CheckError(f"{where} could not be loaded: {problem}") from None
        origin = point.dist.name if point.dist is not None else point.name
        found.extend(
            check if check.origin != "indigo-standard" else _with_origin(check, origin)
            for check in _as_checks(loaded, point.name)
        )
    return tuple(found)


def _with_origin(check: Check, origin: str) -> Check:
    return Check(info=check.info, record=check.record, dataset=check.dataset, origin=origin)


def all_checks() -> tuple[Check, ...]:
    """Every check: the built-in ones, then those of installed plug-ins."""
    checks = builtin_checks() + plugin_checks()
    seen: set[str] = set()
    for check in checks:
        if check.code in seen or (check.origin != "indigo-standard" and check.code in catalogue()):
            raise CheckError(f"check code {check.code} is defined twice (last by {check.origin})")
        seen.add(check.code)
    return checks


def known_codes(checks: Iterable[Check]) -> set[str]:
    """Every code a report can carry: the catalogue's and those of the given checks."""
    return set(catalogue()) | {check.code for check in checks}


def parse_codes(values: Sequence[str] | None) -> list[str]:
    """Codes given on the command line, repeated or comma-separated."""
    return [code.strip() for value in values or () for code in value.split(",") if code.strip()]


def check_selection(checks: Iterable[Check], skip: Iterable[str], only: Iterable[str]) -> None:
    """Refuse a code to skip or keep that neither the catalogue nor any check defines."""
    known = known_codes(checks)
    for option, codes in (("--skip", skip), ("--only", only)):
        for code in codes:
            if code not in known:
                raise CheckError(f"{option} {code}: no such issue code (see `indigo-standard checks`)")


def render_docs() -> str:
    """The Markdown page of every built-in check, as committed in ``docs/checks.md``."""
    lines = [
        "# Checks beyond the schema",
        "",
        "JSON Schema cannot see that a result points at an outcome metric that does not exist, or",
        "that a service ends before it starts. These checks can. Each has a stable code; skip one",
        "with `indigo-standard validate --skip CODE` or run only some with `--only CODE`, and list",
        "them (plug-ins included) with `indigo-standard checks`. This page is generated from",
        "`indigo_standard/codes.json`; a test keeps it current.",
        "",
        "Record checks look at one record at a time; dataset checks look across every record",
        "validated together (a package, a folder or several files).",
        "",
        "Checks that read particular fields (dates, amounts, SDGs, identifiers, references) find",
        "them by their paths in the schema of the record's version, in one pass over the record.",
        "A key the schema does not define is not read by them, even when its name looks like one",
        "they check (an extra `start_date` in an object the schema does not know, say).",
        "",
        "| Code | Severity | Scope | Record types | Versions | What it checks |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for check in builtin_checks():
        applies = check.info.applies_to
        types = ", ".join(applies.types) if applies and applies.types else "all"
        versions = ", ".join(applies.versions) if applies and applies.versions else "all"
        lines.append(
            f"| `{check.code}` | {check.info.severity} | {check.info.scope} | {types} | {versions} "
            f"| {check.info.description} |"
        )
    lines += [
        "",
        "## Adding checks from another package",
        "",
        "A package can add checks without forking: build `indigo_standard.checks.Check` objects",
        "and name them (or a list of them) in the `indigo_standard.checks` entry point group:",
        "",
        "```toml",
        '[project.entry-points."indigo_standard.checks"]',
        'my_checks = "my_package.checks:CHECKS"',
        "```",
        "",
        "```python",
        "from indigo_standard.catalogue import CodeInfo",
        "from indigo_standard.checks import Check, Finding",
        "",
        "def name_is_short(ctx):",
        '    name = (ctx.data.get("name") or {}).get("value")',
        "    if isinstance(name, str) and len(name) > 200:",
        '        yield Finding("/name/value", {"length": len(name)})',
        "",
        "CHECKS = [Check(",
        "    info=CodeInfo(",
        '        code="acme.long-name", severity="warning", title="Long name",',
        '        description="A record\'s name is over 200 characters.",',
        '        message="the name is {length} characters long",',
        '        applies_to={"types": ["project"], "versions": ["4.1"]}, scope="record",',
        "    ),",
        "    record=name_is_short,",
        ")]",
        "```",
    ]
    return "\n".join(lines) + "\n"

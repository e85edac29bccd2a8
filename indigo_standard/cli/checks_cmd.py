"""``indigo-standard checks``: list every check beyond the schema, plug-ins included."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from typing import Any

from ..checks import Check, all_checks

WIDTH = 80


def register(commands: Any) -> None:
    """Add the ``checks`` command."""
    parser = commands.add_parser(
        "checks",
        help="list the checks beyond the schema",
        description="List every check beyond the schema, with its code, severity, the record types "
        "and versions it applies to and what it checks. Skip one with validate --skip CODE.",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="listing format")
    parser.set_defaults(run=run)


def describe(check: Check) -> dict[str, Any]:
    """One check as the JSON listing shows it."""
    applies = check.info.applies_to
    return {
        "code": check.code,
        "severity": check.info.severity,
        "scope": "record" if check.record is not None else "dataset",
        "types": list(applies.types) if applies else [],
        "versions": list(applies.versions) if applies else [],
        "title": check.info.title,
        "description": check.info.description,
        "origin": check.origin,
    }


def render_text(checks: tuple[Check, ...]) -> str:
    """The listing for a terminal: a heading line per check, then its description."""
    lines: list[str] = []
    for check in checks:
        item = describe(check)
        types = ", ".join(item["types"]) or "all types"
        versions = ", ".join(item["versions"]) or "all versions"
        lines.append(f"{item['code']}  {item['severity']}, {item['scope']}")
        lines.extend(
            textwrap.wrap(
                f"{types}; INDIGO {versions}", WIDTH, initial_indent="    ", subsequent_indent="    "
            )
        )
        lines.extend(
            textwrap.wrap(item["description"], WIDTH, initial_indent="    ", subsequent_indent="    ")
        )
        if check.origin != "indigo-standard":
            lines.append(f"    (from {check.origin})")
        lines.append("")
    lines.append(f"{len(checks)} checks. Skip one with: indigo-standard validate --skip CODE PATH")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    """Print the listing."""
    checks = all_checks()
    if args.format == "json":
        sys.stdout.write(json.dumps([describe(check) for check in checks], indent=2) + "\n")
    else:
        sys.stdout.write(render_text(checks))
    return 0

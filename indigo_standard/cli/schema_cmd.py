"""``indigo-standard schema``: tools for the bundled schema versions."""

from __future__ import annotations

import argparse
from typing import Any

from ..registry import release, schemas
from ..versions import SUPPORTED_VERSIONS


def register(commands: Any) -> None:
    """Add the ``schema`` command group."""
    parser = commands.add_parser("schema", help="list and inspect the bundled schema versions")
    actions = parser.add_subparsers(dest="schema_command", metavar="ACTION", parser_class=type(parser))
    listing = actions.add_parser("list", help="list the supported schema versions")
    listing.set_defaults(run=run_list)


def run_list(args: argparse.Namespace) -> int:
    """Print each supported version with its release date and schema files."""
    for version in SUPPORTED_VERSIONS:
        meta = release(version)
        print(f"{version}  (INDIGO {meta['standard_version']}, released {meta['date']}), "
              f"{len(schemas(version))} schema files")
    return 0

"""``indigo-standard template``: an empty workbook (or CSV folder) with every column, to fill in."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..versions import LATEST_VERSION, SUPPORTED_VERSIONS, normalise_version
from ..writing.convert import template
from ..writing.targets import check_output_name


def register(commands: Any) -> None:
    """Add the ``template`` command."""
    parser = commands.add_parser(
        "template",
        help="write an empty workbook with every column, for publishers to fill in",
        description="Write every sheet of the INDIGO flat layout, each with every column of the "
        "chosen schema version and no rows: an .xlsx workbook, a .zip of CSVs, or a folder of CSVs. "
        "The workbook has a dropdown on every coded column and on every column that holds another "
        "record's id, each column's description as a comment on its header, and Instructions, "
        "Fields and Codelists sheets.",
    )
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="the workbook (.xlsx), zip (.zip) or folder to write",
    )
    parser.add_argument(
        "--schema-version",
        metavar="V",
        default=LATEST_VERSION,
        help=f"the version ({', '.join(SUPPORTED_VERSIONS)}; default {LATEST_VERSION})",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write the template."""
    version = normalise_version(args.schema_version)
    check_output_name(args.output, None)
    template(args.output, version)
    print(f"wrote an empty INDIGO {version} template to {args.output}", file=sys.stderr)
    return 0

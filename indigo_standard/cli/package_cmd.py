"""``indigo-standard package``: assemble records into a dataset package, combine or split packages."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..errors import InputError
from ..publishing.packages import (
    add_records,
    build_package,
    combine_packages,
    package_version,
    write_package,
    write_split,
)
from ..publishing.packages import collect as collect_inputs
from ..reading.records import PACKAGE_LISTS
from ..versions import LATEST_VERSION, normalise_version


def register(commands: Any) -> None:
    """Add the ``package`` command."""
    parser = commands.add_parser(
        "package",
        help="assemble records (or combine packages) into one dataset package, or split one by record type",
        description="Put records from any supported input into one dataset package. Packages given as "
        "input are combined (they must declare the same schema version). With --split DIR, write one "
        "package per record type into DIR instead (projects.json, organisations.json, ...).",
    )
    parser.add_argument(
        "inputs", nargs="+", metavar="IN", help="records, lists, packages, JSON Lines or folders"
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("-o", "--output", metavar="OUT", help="the package file to write (.json)")
    where.add_argument("--split", metavar="DIR", help="write one package per record type into this folder")
    parser.add_argument(
        "--publisher", metavar="NAME", help="the publisher's name (required unless a package gives it)"
    )
    parser.add_argument("--publisher-url", metavar="URL", help="a web page about the publisher")
    parser.add_argument("--licence", metavar="URL", help="the URL of the licence")
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="the publication date")
    parser.add_argument(
        "--schema-version", metavar="V", help="the schema version the records follow (default: latest)"
    )
    parser.set_defaults(run=run)


def _override(package: dict[str, Any], args: argparse.Namespace) -> None:
    if args.publisher:
        package["publisher"] = {"name": args.publisher}
        if args.publisher_url:
            package["publisher"]["url"] = args.publisher_url
    if args.licence:
        package["licence"] = args.licence
    if args.date:
        fresh = build_package([], publication_date=args.date)
        package["publication_date"] = fresh["publication_date"]


def run(args: argparse.Namespace) -> int:
    """Build, combine or split, and say what was written."""
    packages, loose = collect_inputs(args.inputs)
    wanted = normalise_version(args.schema_version) if args.schema_version else None
    if packages:
        package = combine_packages(packages)
        declared = package_version(package, packages[0][0])
        if wanted and declared and wanted != declared:
            raise InputError(
                f"{packages[0][0]}: declares schema version {declared}, not {wanted}; upgrade it first"
            )
        package["schema_version"] = declared or wanted or LATEST_VERSION
        _override(package, args)
        add_records(package, loose)
    else:
        package = build_package(
            [],
            publisher=args.publisher,
            publisher_url=args.publisher_url,
            licence=args.licence,
            publication_date=args.date,
            **({"schema_version": wanted} if wanted else {}),
        )
        add_records(package, loose)
    if "publisher" not in package and not args.split:
        raise InputError("name the publisher with --publisher NAME")
    counts = ", ".join(f"{len(package[k])} {k}" for k in PACKAGE_LISTS if package.get(k))
    if args.split:
        names = write_split(package, args.split)
        sys.stdout.write(f"split {counts or 'no records'} into {args.split}: {', '.join(names)}\n")
    else:
        write_package(package, args.output)
        sys.stdout.write(
            f"wrote {args.output}: schema version {package['schema_version']}, {counts or 'no records'}\n"
        )
    return 0

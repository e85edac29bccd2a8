"""``indigo-standard schema``: list the bundled versions, and the maintainer tools
(lint, diff, docs, manifest, new) that work on bundled versions and on folders alike."""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..maintainers.diff import diff, render_text
from ..maintainers.docs import write_docs
from ..maintainers.lint import lint
from ..maintainers.manifest import check_manifest, next_manifest
from ..maintainers.schemaset import (
    BASE_ID,
    MANIFEST_FILE,
    RELEASE_FILE,
    SCHEMA_SUFFIX,
    dump_json,
    load_schema_set,
)
from ..registry import release, schemas
from ..versions import SUPPORTED_VERSIONS
from ..writing.atomic import write_text


def register(commands: Any) -> None:
    """Add the ``schema`` command group."""
    parser = commands.add_parser(
        "schema", help="list the schema versions; lint, diff, document and release them"
    )
    actions = parser.add_subparsers(dest="schema_command", metavar="ACTION", parser_class=type(parser))
    listing = actions.add_parser("list", help="list the supported schema versions")
    listing.set_defaults(run=run_list)

    linting = actions.add_parser("lint", help="check a schema folder (default: every bundled version)")
    linting.add_argument("folders", nargs="*", metavar="DIR", help="schema folders or bundled versions")
    linting.set_defaults(run=run_lint)

    diffing = actions.add_parser(
        "diff", help="list the changes between two versions and classify the release"
    )
    diffing.add_argument("old", metavar="OLD", help="a bundled version (e.g. 4.0) or a schema folder")
    diffing.add_argument("new", metavar="NEW", help="a bundled version (e.g. 4.1) or a schema folder")
    diffing.add_argument(
        "--check",
        action="store_true",
        help="exit 1 when NEW's declared version bump is smaller than its changes need",
    )
    diffing.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    diffing.set_defaults(run=run_diff)

    docs = actions.add_parser("docs", help="generate the Markdown data dictionary")
    docs.add_argument("-o", "--output", metavar="DIR", required=True, help="the folder to write into")
    docs.add_argument(
        "--schema",
        action="append",
        metavar="V_OR_DIR",
        help="a bundled version or a schema folder (repeatable; default: every bundled version)",
    )
    docs.set_defaults(run=run_docs)

    manifest = actions.add_parser("manifest", help="record (or --check) the checksums of a released folder")
    manifest.add_argument("folder", metavar="DIR", help="the schema folder, e.g. schema/4.2")
    manifest.add_argument("--check", action="store_true", help="only check; exit 1 on any problem")
    manifest.add_argument(
        "--changelog", metavar="FILE", help="the CHANGELOG that must name every patch release"
    )
    manifest.set_defaults(run=run_manifest)

    new = actions.add_parser("new", help="start a new version folder as a copy of an existing one")
    new.add_argument("version", metavar="VERSION", help="the new MAJOR.MINOR version, e.g. 4.2")
    new.add_argument("--from", dest="source", required=True, metavar="V_OR_DIR", help="the version to copy")
    new.add_argument("-o", "--output", metavar="DIR", required=True, help="the new folder (must not exist)")
    new.set_defaults(run=run_new)


def run_list(args: argparse.Namespace) -> int:
    """Print each supported version with its release date and schema files."""
    for version in SUPPORTED_VERSIONS:
        meta = release(version)
        print(
            f"{version}  (INDIGO {meta['standard_version']}, released {meta['date']}), "
            f"{len(schemas(version))} schema files"
        )
    return 0


def run_lint(args: argparse.Namespace) -> int:
    """Lint each folder; exit 1 when any has problems."""
    targets = args.folders or list(SUPPORTED_VERSIONS)
    failed = False
    for target in targets:
        issues = lint(load_schema_set(target))
        for issue in issues:
            print(f"{target}/{issue}")
        print(f"{target}: {'ok' if not issues else f'{len(issues)} problem(s)'}", file=sys.stderr)
        failed = failed or bool(issues)
    return 1 if failed else 0


def run_diff(args: argparse.Namespace) -> int:
    """Print the diff; with --check, exit 1 when the declared bump is too small."""
    result = diff(load_schema_set(args.old), load_schema_set(args.new))
    if args.format == "json":
        sys.stdout.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_text(result))
    if args.check and not result.ok:
        print(
            f"indigo-standard: error: {args.new} declares a {result.declared} release "
            f"({result.old_release} -> {result.new_release}) but its changes need a {result.required} one",
            file=sys.stderr,
        )
        return 1
    return 0


def run_docs(args: argparse.Namespace) -> int:
    """Generate the data dictionary pages."""
    sets = [load_schema_set(s) for s in (args.schema or SUPPORTED_VERSIONS)]
    written = write_docs(sets, Path(args.output))
    print(f"wrote {len(written)} pages to {args.output}", file=sys.stderr)
    return 0


def run_manifest(args: argparse.Namespace) -> int:
    """Write the folder's manifest (appending a release entry), or check it."""
    folder = Path(args.folder)
    schema_set = load_schema_set(folder)
    changelog = None
    if args.changelog:
        try:
            changelog = Path(args.changelog).read_text(encoding="utf-8")
        except OSError as error:
            raise InputError(f"{args.changelog}: cannot be read ({error.strerror})") from None
    if args.check:
        problems = check_manifest(schema_set, changelog)
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    previous = json.loads(schema_set.texts[MANIFEST_FILE]) if MANIFEST_FILE in schema_set.texts else None
    manifest = next_manifest(schema_set.texts, schema_set.release, previous)
    write_text(folder / MANIFEST_FILE, dump_json(manifest), make_folder=True)
    print(
        f"{folder / MANIFEST_FILE}: release {manifest['releases'][-1]['release']} recorded", file=sys.stderr
    )
    return 0


def run_new(args: argparse.Namespace) -> int:
    """Copy a version folder into a new one, with the new version in every $id and release.json."""
    source = load_schema_set(args.source)
    version = args.version.strip()
    if not (version.isascii() and version.replace(".", "").isdigit()) or version.count(".") != 1:
        raise InputError(f"{version!r} is not a MAJOR.MINOR version")
    out = Path(args.output)
    if out.exists():
        raise InputError(f"{out}: already exists; give a new folder")
    texts: dict[str, str] = {}
    for name, text in source.texts.items():
        if name == MANIFEST_FILE:
            continue
        if name.endswith(SCHEMA_SUFFIX) and "/" not in name:
            data = dict(source.schemas[name])
            data["$id"] = f"{BASE_ID}/{version}/{name}"
            text = dump_json(data)
        texts[name] = text
    texts[RELEASE_FILE] = dump_json(
        {
            "version": version,
            "standard_version": f"{version}.0",
            "date": datetime.date.today().isoformat(),
            "patches": [],
        }
    )
    for name, text in texts.items():
        write_text(out / name, text, make_folder=True)
    print(f"created {out} from {args.source} ({len(texts)} files)", file=sys.stderr)
    return 0

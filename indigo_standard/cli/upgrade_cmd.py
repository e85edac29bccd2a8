"""``indigo-standard upgrade``: upgrade a file of INDIGO data to a newer version."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..detect import RECORD_TYPES
from ..errors import InputError
from ..jsontext import dumps as exact_json
from ..migrations import EXTENSION_KEY, upgrade_result
from ..reading.files import decode, open_regular
from ..reading.json_input import JSON_LINES_SUFFIXES, parse_json
from ..versions import LATEST_VERSION, SUPPORTED_VERSIONS
from ..writing.atomic import write_text


def register(commands: Any) -> None:
    """Add the ``upgrade`` command."""
    parser = commands.add_parser(
        "upgrade",
        help="upgrade INDIGO data to a newer schema version",
        description="Upgrade a record, a list of records, a dataset package or a JSON Lines file to a "
        f"newer INDIGO version. Fields the new version has no place for are kept under {EXTENSION_KEY} "
        "(with a warning) unless --drop-removed is given.",
    )
    parser.add_argument("input", metavar="IN", help="the JSON or JSON Lines file to upgrade")
    parser.add_argument("-o", "--output", metavar="OUT", required=True, help="where to write the result")
    parser.add_argument(
        "--to",
        metavar="V",
        default=LATEST_VERSION,
        help=f"the version to upgrade to (default {LATEST_VERSION}; one of {', '.join(SUPPORTED_VERSIONS)})",
    )
    parser.add_argument(
        "--from",
        dest="from_version",
        metavar="V",
        help="the version the data follows, when neither a package nor the data says",
    )
    parser.add_argument("--type", choices=RECORD_TYPES, help="the record type, when ids do not tell")
    parser.add_argument(
        "--drop-removed",
        action="store_true",
        help="discard fields the new version has no place for, instead of keeping them",
    )
    parser.set_defaults(run=run)


FLAT_INPUT = (".csv", ".zip", ".xlsx", ".xlsm", ".sqlite", ".sqlite3")


def _read(path: Path) -> tuple[Any, bool]:
    if path.is_dir() or path.suffix.lower() in FLAT_INPUT:
        raise InputError(
            f"{path}: upgrade reads JSON or JSON Lines; flat data (CSV, zip, XLSX) is read in the "
            "version its column titles match, so convert it to JSON first "
            "(indigo-standard convert IN OUT.json)"
        )
    with open_regular(path) as handle:
        raw = handle.read()
    text = decode(raw, str(path))
    if path.suffix.lower() in JSON_LINES_SUFFIXES:
        lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
        return [parse_json(line, f"{path} line {n}", exact=True) for n, line in lines], True
    return parse_json(text, str(path), exact=True), False


def run(args: argparse.Namespace) -> int:
    """Upgrade IN, write OUT atomically, and print each note as a warning on stderr.

    Numbers are read and written exactly (decimals as Decimal), as ``convert`` does.
    """
    source = Path(args.input)
    data, lines = _read(source)
    result = upgrade_result(
        data, args.to, from_version=args.from_version, entity=args.type, drop_removed=args.drop_removed
    )
    if lines:
        text = "".join(exact_json(item) + "\n" for item in result.data)
    else:
        text = exact_json(result.data, indent=2) + "\n"
    write_text(Path(args.output), text, make_folder=True)
    for note in result.notes:
        print(f"indigo-standard: warning: {note}", file=sys.stderr)
    count, fixed = len(result.upgraded), len(result.fixed)
    summary = f"upgraded {count} record{'s' if count != 1 else ''} to INDIGO {result.target}"
    if fixed:
        summary += f"; corrected old spellings in {fixed} other record{'s' if fixed != 1 else ''}"
    print(f"{summary}; wrote {args.output}", file=sys.stderr)
    return 0

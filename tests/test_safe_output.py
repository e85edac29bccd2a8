"""What we write is safe to open and reads back exactly; output failures and interrupts are one line.

Each command-line case runs in a subprocess and checks the exit code, a one-line message
without traceback, and where an output existed before, that it is byte-identical after.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

import indigo_standard as indigo
from indigo_standard.errors import (
    IndigoError,
    InputError,
    InputTypeError,
    OutputError,
    UnknownEntityError,
)
from indigo_standard.flat.cells import needs_protection, protect_csv_text, unprotect_csv_text
from indigo_standard.flat.xlsx import escape_text, unescape_text
from indigo_standard.writing.atomic import atomic_folder, atomic_path, remove_leftovers

EXPORT = FIXTURES / "golab-indigo-export"
EXAMPLES = FIXTURES.parent.parent / "examples"

TRICKY = [
    "=1+1",
    "+44 20 7946 0000",
    "-debt",
    "@SUM(A1)",
    "\tTab",
    "\r=1+1",
    "'=quoted",
    "''@x",
    "-5",
    "'-5",
    "a\rb",
    "line\r\nend",
    '=HYPERLINK("http://example.org")',
    "-2+3+cmd|' /C calc'!A0",
    "_x000D_ literal",
    "plain",
]
"""Text a spreadsheet could take for a formula, text that only looks like it, and some that is plain."""


def _records() -> list[dict[str, Any]]:
    """One organisation per tricky text (name and an extra column), and a project with negative numbers."""
    records: list[dict[str, Any]] = [
        {"id": f"INDIGO-ORG-{n:04d}", "name": {"value": text}, "extra_columns": {"=cmd()": text}}
        for n, text in enumerate(TRICKY)
    ]
    records.append(
        {
            "id": "INDIGO-POJ-0001",
            "name": {"value": "Negative numbers"},
            "investments": [
                {"id": "i1", "maximum_potential_return": {"value": -5}},
                {"id": "i2", "maximum_potential_return": {"value": -12.5}},
            ],
        }
    )
    return records


def one_line(result: subprocess.CompletedProcess[str], code: int = 2, *phrases: str) -> str:
    """The one-line message of a failed run, checked for its exit code and ``phrases``."""
    assert result.returncode == code, (result.returncode, result.stderr)
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    for phrase in phrases:
        assert phrase in result.stderr, (phrase, result.stderr)
    return result.stderr


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(_records()), encoding="utf-8")
    return path


def _back(path: Path, tmp_path: Path, *flags: str) -> list[dict[str, Any]]:
    """The records of ``path`` read back through the command line, as JSON Lines."""
    out = tmp_path / f"back-{path.name}.jsonl"
    result = run_cli("convert", str(path), str(out), *flags)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in out.read_text(encoding="utf-8").split("\n") if line]


def _by_id(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {record["id"]: record for record in records}


# -- the rules ---------------------------------------------------------------------------------------

SPECIAL = st.sampled_from(
    [
        "'",
        "=",
        "+",
        "-",
        "@",
        "\t",
        "\r",
        "\n",
        "_",
        "x",
        "_x",
        "000D",
        "005F",
        "0041",
        "5",
        ".",
        "e",
        "\x01",
        "\x1f",
        "a",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(SPECIAL | st.characters(), max_size=12).map("".join))
def test_csv_protection_and_xlsx_escapes_are_undone_exactly(text: str) -> None:
    assert unprotect_csv_text(protect_csv_text(text)) == text
    assert unescape_text(escape_text(text)) == text
    assert (
        not needs_protection(unprotect_csv_text(protect_csv_text(text))) or protect_csv_text(text)[0] == "'"
    )


def test_protection_is_undone_exactly_and_keeps_numbers() -> None:
    for text in [*TRICKY, "", "'", "''", "'plain", "-", "=", "-1e5", "+5", "'+5"]:
        assert unprotect_csv_text(protect_csv_text(text)) == text, text
    assert protect_csv_text("-5") == "-5" and protect_csv_text("-2.5e3") == "-2.5e3"
    assert protect_csv_text("=1+1") == "'=1+1" and protect_csv_text("'=1+1") == "''=1+1"
    assert protect_csv_text("+5") == "'+5" and protect_csv_text("'plain") == "'plain"


# -- CSV -----------------------------------------------------------------------------------------


def test_csv_output_holds_no_live_formula_and_reads_back_exactly(source: Path, tmp_path: Path) -> None:
    for target in (tmp_path / "out", tmp_path / "out.zip"):
        result = run_cli("convert", str(source), str(target))
        assert result.returncode == 0, result.stderr
        if target.suffix == ".zip":
            with zipfile.ZipFile(target) as archive:
                text = archive.read("organisations.csv").decode("utf-8")
        else:
            text = (target / "organisations.csv").read_bytes().decode("utf-8")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert len(rows) == 1 + len(TRICKY)  # a lone CR is quoted: it starts no row of its own
        cells = [cell for row in rows for cell in row if cell]
        assert cells
        for cell in cells:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
            assert not cell.startswith("-") or cell == "-5", cell
        header = rows[0]
        name = header.index("Name")
        assert header[-1] == "'=cmd()"
        assert [row[name] for row in rows[1:]] == [protect_csv_text(text) for text in TRICKY]
        back = _by_id(_back(target, tmp_path))
        assert [back[f"INDIGO-ORG-{n:04d}"]["name"]["value"] for n in range(len(TRICKY))] == TRICKY
        assert back["INDIGO-ORG-0000"]["extra_columns"] == {"=cmd()": "=1+1"}
        returns = [
            item["maximum_potential_return"]["value"] for item in back["INDIGO-POJ-0001"]["investments"]
        ]
        assert json.dumps(returns) == "[-5, -12.5]"


def test_raw_csv_writes_and_reads_text_as_it_is(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "raw"
    assert run_cli("convert", str(source), str(target), "--raw-csv").returncode == 0
    rows = list(
        csv.reader(io.StringIO((target / "organisations.csv").read_bytes().decode("utf-8"), newline=""))
    )
    assert [row[rows[0].index("Name")] for row in rows[1:]] == TRICKY
    back = _by_id(_back(target, tmp_path, "--raw-csv"))
    assert [back[f"INDIGO-ORG-{n:04d}"]["name"]["value"] for n in range(len(TRICKY))] == TRICKY


def test_a_cell_over_128_kib_reads_back(tmp_path: Path) -> None:
    big = "x" * 200_000 + "\r\n" + "y" * 200_000
    source = tmp_path / "in.json"
    source.write_text(json.dumps([{"id": "INDIGO-ORG-0001", "name": {"value": big}}]), encoding="utf-8")
    assert run_cli("convert", str(source), str(tmp_path / "out")).returncode == 0
    assert _back(tmp_path / "out", tmp_path)[0]["name"]["value"] == big


# -- XLSX ----------------------------------------------------------------------------------------


def test_xlsx_holds_no_formula_and_reads_back_exactly(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    assert run_cli("convert", str(source), str(target)).returncode == 0
    book = load_workbook(target)
    cells = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    assert len(cells) > 100
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    sheet = book["organisations"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        cell = row[header.index("Name")]
        assert cell.data_type == "s"
        assert cell.quotePrefix == unescape_text(str(cell.value)).startswith(("=", "+", "-", "@", "\t", "\r"))
    investments = load_workbook(target)["projects_investments"]
    column = [cell.value for cell in investments[1]].index("Maximum Potential Return - (Value)")
    assert [row[column].value for row in investments.iter_rows(min_row=2)] == [-5, -12.5]
    assert [row[column].data_type for row in investments.iter_rows(min_row=2)] == ["n", "n"]
    back = _by_id(_back(target, tmp_path))
    assert [back[f"INDIGO-ORG-{n:04d}"]["name"]["value"] for n in range(len(TRICKY))] == TRICKY
    assert json.dumps(back, sort_keys=True) == json.dumps(_by_id(_records()), sort_keys=True)


def test_carriage_returns_survive_json_to_xlsx_to_json(tmp_path: Path) -> None:
    texts = ["a\rb", "c\r\nd", "\r", "e\n\r\nf", "_x000D_ is how Excel writes \r", "_x005F_x000D_"]
    records = [{"id": f"INDIGO-ORG-{n:04d}", "name": {"value": text}} for n, text in enumerate(texts)]
    source = tmp_path / "in.json"
    source.write_text(json.dumps(records), encoding="utf-8")
    assert run_cli("convert", str(source), str(tmp_path / "out.xlsx")).returncode == 0
    back = _back(tmp_path / "out.xlsx", tmp_path)
    assert json.dumps([r["name"]["value"] for r in back]) == json.dumps(texts)


def test_what_a_sheet_cannot_hold_is_refused_naming_record_field_and_limit(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"the previous workbook")
    source = tmp_path / "in.json"
    source.write_text(
        json.dumps([{"id": "INDIGO-ORG-0007", "name": {"value": "x" * 40_001}}]), encoding="utf-8"
    )
    one_line(
        run_cli("convert", str(source), str(target)),
        2,
        "record INDIGO-ORG-0007, field 'Name'",
        "40,001 characters, more than the 32,767 a cell holds",
        "write CSV or JSON instead",
    )
    wide = {"id": "INDIGO-ORG-0008", "extra_columns": {f"column {n}": "v" for n in range(20_000)}}
    source.write_text(json.dumps([wide]), encoding="utf-8")
    one_line(
        run_cli("convert", str(source), str(target)),
        2,
        "record INDIGO-ORG-0008",
        "sheet organisations",
        "columns, more than the 16,384 a sheet holds",
    )
    assert target.read_bytes() == b"the previous workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.json", "out.xlsx"]


# -- lone surrogates -------------------------------------------------------------------------------


def test_a_lone_surrogate_is_one_error_naming_record_and_field(tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    record = '{"id": "INDIGO-ORG-0001", "name": {"value": "ok"}, "notes": {"value": "bad \\ud800 text"}}'
    previous = b'{"previous": true}\n'
    for suffix in (".json", ".jsonl"):
        source = tmp_path / f"in{suffix}"
        source.write_text(f"[{record}]" if suffix == ".json" else record + "\n", encoding="utf-8")
        for command in (
            ["convert", str(source), str(tmp_path / "out.xlsx")],
            ["convert", str(source), str(tmp_path / "out.json")],
            ["publish", str(source), "-o", str(tmp_path / "out.json"), "--missing-status", "public"],
            ["normalise", str(source), "-o", str(tmp_path / "out.json")],
            ["upgrade", str(source), "-o", str(tmp_path / "out.json")],
            ["validate", str(source)],
        ):
            (tmp_path / "out.json").write_bytes(previous)
            one_line(
                run_cli(*command),
                2,
                source.name,
                "record INDIGO-ORG-0001, field /notes/value",
                "lone surrogate (\\ud800)",
            )
            assert (tmp_path / "out.json").read_bytes() == previous
            assert not (tmp_path / "out.xlsx").exists()
    pair = tmp_path / "pair.json"
    pair.write_text('[{"id": "INDIGO-ORG-0001", "name": {"value": "\\ud83d\\ude00"}}]', encoding="utf-8")
    assert _back(pair, tmp_path)[0]["name"]["value"] == "\U0001f600"


# -- the Python API ----------------------------------------------------------------------------


def test_the_api_refuses_bad_arguments_with_typed_errors(tmp_path: Path) -> None:
    cases: list[tuple[Any, type[IndigoError], str]] = [
        (lambda: indigo.validate(None), InputTypeError, "cannot validate None"),
        (lambda: indigo.validate(123), InputTypeError, "cannot validate an int"),
        (lambda: indigo.validate({1, 2}), InputTypeError, "cannot validate a set"),
        (lambda: indigo.validate(b"..."), InputError, "holds no JSON object or list"),
        (lambda: indigo.validate(b"\xff{"), InputError, "not valid UTF-8"),
        (lambda: indigo.validate("hello world"), InputError, "'hello world' is neither JSON text"),
        (lambda: indigo.validate(""), InputError, "'' is neither JSON text"),
        (lambda: indigo.validate("{bad"), InputError, "malformed JSON at line 1, column 2"),
        (
            lambda: indigo.validate({"id": "x"}, entity="planet"),
            UnknownEntityError,
            "the record types are project, organisation, fund, pipeline",
        ),
        (lambda: indigo.fields("4.1", "planet"), UnknownEntityError, "no schema 'planet' in version 4.1"),
        (
            lambda: indigo.dump(None),  # type: ignore[arg-type]
            InputTypeError,
            "cannot dump None",
        ),
        (
            lambda: indigo.dump(42),  # type: ignore[arg-type]
            InputTypeError,
            "cannot dump an int",
        ),
        (
            lambda: indigo.split_package(None),  # type: ignore[arg-type]
            InputTypeError,
            "cannot split None",
        ),
        (lambda: indigo.write_package({"schema_version": "4.1"}, tmp_path), OutputError, "is a folder"),
    ]
    for call, kind, phrase in cases:
        with pytest.raises(kind, match=phrase.replace("(", r"\(")) as raised:
            call()
        assert isinstance(raised.value, IndigoError) and "\n" not in str(raised.value)
    assert indigo.validate(b'{"id": "INDIGO-ORG-0001", "name": {"value": "x"}}').valid
    assert isinstance(UnknownEntityError("x"), KeyError) and isinstance(InputTypeError("x"), TypeError)


@pytest.mark.parametrize("number", [float("nan"), float("inf"), float("-inf")])
def test_a_number_json_cannot_hold_is_invalid(number: float) -> None:
    record = json.loads((EXAMPLES / "project.json").read_text(encoding="utf-8"))
    assert indigo.validate(record).valid
    record["overall_project_finance"]["total_investment_commitment"]["amount"]["exact"]["value"] = number
    report = indigo.validate(record)
    assert not report.valid
    found = [issue for issue in report.issues if issue.code == "record.not-finite"]
    assert [(issue.severity, issue.path) for issue in found] == [
        ("error", "/overall_project_finance/total_investment_commitment/amount/exact/value")
    ]


# -- output failures ---------------------------------------------------------------------------


def test_an_output_path_that_is_a_folder_is_one_line(tmp_path: Path) -> None:
    source = EXAMPLES / "organisation.json"
    folder = tmp_path / "taken.json"
    folder.mkdir()
    (folder / "keep.txt").write_text("kept", encoding="utf-8")
    for command in (
        ["convert", str(source), str(folder)],
        ["publish", str(source), "-o", str(folder)],
        ["normalise", str(source), "-o", str(folder)],
        ["upgrade", str(source), "-o", str(folder)],
        ["convert", str(source), str(folder), "--to", "xlsx"],
        ["template", "-o", str(folder) + "/"],
    ):
        if command[0] == "template":
            book = tmp_path / "book.xlsx"
            book.mkdir(exist_ok=True)
            command = ["template", "-o", str(book)]
        one_line(run_cli(*command), 2, "is a folder")
    assert [p.name for p in folder.iterdir()] == ["keep.txt"]


def _limited(size: int) -> None:
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


@pytest.fixture(scope="session")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real export as a JSON package (about 4 MB)."""
    path = tmp_path_factory.mktemp("package") / "export.json"
    assert run_cli("convert", str(EXPORT), str(path)).returncode == 0
    return path


def _contents(target: Path) -> dict[str, bytes]:
    """The bytes of an output file, or of each file of an output folder."""
    return {p.name: p.read_bytes() for p in (target.iterdir() if target.is_dir() else [target])}


def _old_output(target: Path) -> dict[str, bytes]:
    """Put a previous output in place (a CSV folder for a name without suffix); returns its contents."""
    if target.suffix:
        target.write_bytes(b"old output")
    else:
        target.mkdir()
        (target / "projects.csv").write_bytes(b"old projects")
    return _contents(target)


@pytest.mark.skipif(sys.platform == "win32", reason="file size limits need a POSIX system")
@pytest.mark.parametrize("name", ["out.json", "out.jsonl", "out.xlsx", "out.zip", "out", "template.xlsx"])
def test_a_full_disk_is_one_line_naming_the_output(name: str, package: Path, tmp_path: Path) -> None:
    """A write that fails part way (here a file size limit, EFBIG) leaves the old output as it was."""
    target = tmp_path / name
    before = _old_output(target)
    args = (
        ["template", "-o", str(target)]
        if name.startswith("template")
        else ["convert", str(package), str(target)]
    )
    result = subprocess.run(
        [sys.executable, "-m", "indigo_standard", *args],
        capture_output=True,
        text=True,
        preexec_fn=lambda: _limited(20_000),
        timeout=300,
        check=False,
    )
    message = one_line(result, 2, f"{target}: cannot be written (File too large); nothing was changed")
    assert ".tmp" not in message
    assert _contents(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def _unshare() -> bool:
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True, check=False)
    return probe.returncode == 0


@pytest.mark.skipif(not _unshare(), reason="needs root and unshare (util-linux) for a private tmpfs mount")
def test_a_full_and_a_read_only_file_system_are_one_line(package: Path, tmp_path: Path) -> None:
    """A real small file system, mounted in a private mount namespace that only the test sees."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    run = f"{sys.executable} -m indigo_standard"
    script = (
        f"mount -t tmpfs -o size=200k tmpfs {mount} || exit 99\n"
        f"printf old > {mount}/out.xlsx; printf old > {mount}/out.json\n"
        f"{run} convert {package} {mount}/out.xlsx 2> {tmp_path}/full-xlsx\n"
        f"{run} convert {package} {mount}/out.json 2> {tmp_path}/full-json\n"
        f"{run} publish {package} -o {mount}/out.json --missing-status public 2> {tmp_path}/full-publish\n"
        f"ls -A {mount} > {tmp_path}/listing; cat {mount}/out.xlsx {mount}/out.json > {tmp_path}/contents\n"
        f"mount -o remount,ro {mount}\n"
        f"{run} convert {package} {mount}/out.xlsx 2> {tmp_path}/ro-xlsx\n"
        f"{run} template -o {mount}/t.xlsx 2> {tmp_path}/ro-template\n"
    )
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=600, check=False
    )
    if done.returncode == 99:
        pytest.skip("tmpfs cannot be mounted here")
    for name, output, reason in (
        ("full-xlsx", "out.xlsx", "No space left on device"),
        ("full-json", "out.json", "No space left on device"),
        ("full-publish", "out.json", "No space left on device"),
        ("ro-xlsx", "out.xlsx", "Read-only file system"),
        ("ro-template", "t.xlsx", "Read-only file system"),
    ):
        expected = f"{mount}/{output}: cannot be written ({reason}); nothing was changed"
        assert (tmp_path / name).read_text(encoding="utf-8") == f"indigo-standard: error: {expected}\n"
    assert (tmp_path / "listing").read_text(encoding="utf-8").split() == ["out.json", "out.xlsx"]
    assert (tmp_path / "contents").read_text(encoding="utf-8") == "oldold"


def test_failures_in_process_name_the_output_not_the_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")

    def full(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with (
        pytest.raises(
            OutputError, match=r"out\.json: cannot be written \(No space left on device\)"
        ) as raised,
        atomic_path(target) as temp,
    ):
        monkeypatch.setattr(os, "replace", full)
        temp.write_text("new", encoding="utf-8")
    assert ".tmp" not in str(raised.value)
    monkeypatch.undo()
    monkeypatch.setattr(os, "open", full)  # making the temporary file fails
    with pytest.raises(OutputError, match=r"out\.json: cannot be written"), atomic_path(target):
        pass
    assert target.read_text(encoding="utf-8") == "old" and [p.name for p in tmp_path.iterdir()] == [
        "out.json"
    ]


# -- interrupts --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def large(package: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real export five times over (about 20 MB): publish takes seconds to write it."""
    data = json.loads(package.read_text(encoding="utf-8"))
    records = [record for key in ("projects", "organisations", "funds", "pipelines") for record in data[key]]
    path = tmp_path_factory.mktemp("large") / "large.json"
    path.write_text(json.dumps(records * 5), encoding="utf-8")
    return path


def _temporary(folder: Path) -> Iterator[Path]:
    return (p for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.skipif(sys.platform == "win32", reason="signals need a POSIX system")
@pytest.mark.parametrize(
    ("command", "output", "number"),
    [
        (["convert"], "out.xlsx", signal.SIGINT),
        (["convert"], "out.xlsx", signal.SIGTERM),
        (["convert"], "out.zip", signal.SIGTERM),
        (["convert"], "out", signal.SIGINT),
        (["convert"], "out.json", signal.SIGTERM),
        (["publish", "--missing-status", "public", "-o"], "out.json", signal.SIGTERM),
        (["validate", "--format", "json", "-o"], "report.json", signal.SIGTERM),
        (["validate", "-o"], "report.txt", signal.SIGINT),
    ],
)
def test_an_interrupt_part_way_through_a_write_leaves_the_old_output(
    command: list[str], output: str, number: int, package: Path, large: Path, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    spool = tmp_path / "spool"
    work.mkdir()
    spool.mkdir()
    target = work / output
    before = _old_output(target)
    source = large if command[0] in ("publish", "validate") else package
    args = [command[0], str(source), *command[1:], str(target)]
    env = {**os.environ, "TMPDIR": str(spool)}
    child = subprocess.Popen(
        [sys.executable, "-m", "indigo_standard", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    # stop the run once its temporary output has appeared (publish and convert stream into it as
    # they read; validate writes its report into it once every record is checked)
    deadline = time.monotonic() + 240
    while not any(_temporary(work)) and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    assert child.poll() is None, "the run ended before it could be interrupted"
    child.send_signal(number)
    _, stderr = child.communicate(timeout=120)
    expected = 130 if number == signal.SIGINT else 143
    assert child.returncode == expected, stderr
    assert stderr.count("\n") == 1 and "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    assert "nothing was left half-written" in stderr
    assert not list(_temporary(work)) and not list(spool.iterdir())
    assert _contents(target) == before


@pytest.mark.parametrize("make", [atomic_path, atomic_folder])
def test_a_temporary_output_an_interrupt_orphans_is_removed_on_the_way_out(make: Any, tmp_path: Path) -> None:
    """An interrupt can strike once a temporary path is made but before the ``with`` that would
    remove it has taken charge (Python runs a signal handler inside ``contextlib``'s
    ``__enter__``); the command line then removes it through ``remove_leftovers``."""
    target = tmp_path / ("out.json" if make is atomic_path else "out")
    orphaned = make(target)
    temp = orphaned.__enter__()  # entered, and never exited: as when __enter__ is interrupted
    assert temp.exists() and temp.name.endswith(".tmp")
    remove_leftovers()
    assert not temp.exists() and sorted(tmp_path.iterdir()) == []
    remove_leftovers()  # nothing left to do, and no error

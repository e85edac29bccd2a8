"""Hostile and oversized input: archives and workbooks with limits, special files, misleading CSV.

Every case runs the real command line in a subprocess and checks the exit code, that the
message is one line naming the file (and the limit or flag where there is one), and that
no traceback is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, run_cli
from openpyxl import Workbook

from indigo_standard.cli import build_parser

EXPORT = FIXTURES / "golab-indigo-export"
PROJECT = "ID,Impact Bond Name - (Value)\nINDIGO-POJ-0001,A project\n"
FIFO = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")


def refused(result: subprocess.CompletedProcess[str], *phrases: str) -> str:
    """The one-line message of a run that could not run (exit 2), checked to hold ``phrases``."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    for phrase in phrases:
        assert phrase in result.stderr, (phrase, result.stderr)
    return result.stderr


def _zip(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.fixture(scope="session")
def export_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real export as a zip, the way a publisher would send it."""
    path = tmp_path_factory.mktemp("zip") / "export.zip"
    return _zip(path, {p.name: p.read_bytes() for p in sorted(EXPORT.glob("*.csv"))})


@pytest.fixture(scope="session")
def export_xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "export.xlsx"
    assert run_cli("convert", str(EXPORT), str(path)).returncode == 0
    return path


# -- limits on archives and workbooks ---------------------------------------------------------------


def _bomb(path: Path, size: int) -> Path:
    """A zip whose one CSV member unpacks ``size`` bytes of near-empty rows (a ratio near 500)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book, book.open("projects.csv", "w") as out:
        out.write(b"ID,Impact Bond Name - (Value)\n")
        padding = b" " * 1000
        for number in range(size // (len(padding) + 20)):
            out.write(b"INDIGO-POJ-%07d," % number + padding + b"\n")
    return path


def test_the_real_export_passes_the_default_limits(export_zip: Path, export_xlsx: Path) -> None:
    for source in (export_zip, export_xlsx):
        result = run_cli("validate", str(source), "--format", "json")
        assert result.returncode == 1, result.stderr  # the export has errors of its data, not of its form
        report = json.loads(result.stdout)
        assert report["records"] == 2021 and report["errors"] > 0
        # the pipeline repeats the bare headers its layout repeats: not a duplicate column
        assert report["counts"]["by_code"].get("flat.duplicate-column") is None


def test_a_zip_bomb_is_refused_by_its_compression_ratio(tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / "bomb.zip", 2_000_000)
    assert bomb.stat().st_size < 20_000
    for command in (["validate"], ["convert"], ["report"], ["publish", "-o", str(tmp_path / "out.json")]):
        args = [command[0], str(bomb), *command[1:]]
        if command == ["convert"]:
            args.append(str(tmp_path / "out.json"))
        refused(
            run_cli(*args),
            "bomb.zip",
            "'projects.csv'",
            "compressed",
            "times",
            "limit on compression ratio (100)",
            "--max-compression-ratio",
        )
    assert not (tmp_path / "out.json").exists()
    allowed = run_cli("validate", str(bomb), "--max-compression-ratio", "2000")
    assert allowed.returncode == 0, allowed.stderr


def test_an_archive_beyond_the_size_limit_is_refused(export_zip: Path, export_xlsx: Path) -> None:
    for source in (export_zip, export_xlsx):
        message = refused(
            run_cli("validate", str(source), "--max-uncompressed-size", "2MB"),
            source.name,
            "unpacks to more than 2 MiB, the limit on uncompressed size",
            "--max-uncompressed-size",
        )
        assert message.startswith("indigo-standard: error: ")
    assert run_cli("validate", str(export_zip), "--max-uncompressed-size", "3MB").returncode == 1


def test_a_workbook_is_checked_as_a_zip_before_openpyxl_opens_it(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "projects"
    sheet.append(["ID", "Impact Bond Name - (Value)"])
    sheet.append(["INDIGO-POJ-0001", "A project"])
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":  # whitespace XML allows, 5 MB of it
                data = data.replace(b"</worksheet>", b" " * 5_000_000 + b"</worksheet>")
            out.writestr(info.filename, data)
    assert path.stat().st_size < 30_000
    member = "'xl/worksheets/sheet1.xml'"
    refused(run_cli("validate", str(path)), "bomb.xlsx", member, "--max-compression-ratio")
    assert run_cli("validate", str(path), "--max-compression-ratio", "10000").returncode == 0


def test_limit_flags_are_checked_and_shared_by_every_reading_command() -> None:
    bad = run_cli("validate", str(EXPORT), "--max-uncompressed-size", "lots")
    assert bad.returncode == 2 and "expected a size such as 500MB or 2GB" in bad.stderr
    assert run_cli("validate", str(EXPORT), "--max-compression-ratio", "0.5").returncode == 2
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    for command in ("validate", "report", "convert", "publish", "normalise", "package"):
        text = commands[command].format_help()
        for flag in ("--max-uncompressed-size", "--max-compression-ratio", "--raw-csv"):
            assert flag in text, (command, flag)


def test_a_large_member_is_read_as_a_stream(tmp_path: Path) -> None:
    """A 40 MB member takes no more memory than a small one: it is never held whole."""
    measure = (
        "import os, subprocess, sys\n"
        "child = subprocess.Popen([sys.executable, '-m', 'indigo_standard', 'validate', sys.argv[1]],"
        " stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "_, status, usage = os.wait4(child.pid, 0)\n"
        "print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)\n"
    )
    peaks = []
    for rows in (100, 2500):
        lines = [b"ID,Impact Bond Name - (Value)"]
        lines += [b"INDIGO-POJ-%04d," % n + os.urandom(5000).hex().encode() for n in range(rows)]
        source = _zip(tmp_path / f"{rows}.zip", {"projects.csv": b"\n".join(lines) + b"\n"})
        code, peak = subprocess.run(
            [sys.executable, "-c", measure, str(source)], capture_output=True, text=True, check=True
        ).stdout.split()
        assert code == "0"
        peaks.append(int(peak))
    assert peaks[1] < peaks[0] + 25_000, peaks


@pytest.mark.parametrize(
    ("members", "method", "phrases"),
    [
        (
            {"projects.csv": PROJECT.encode(), "../evil.csv": b"ID\n"},
            zipfile.ZIP_DEFLATED,
            ["'../evil.csv' leads out of the archive"],
        ),
        ({"/etc/evil.csv": b"ID\n"}, zipfile.ZIP_STORED, ["'/etc/evil.csv' leads out of the archive"]),
        ({"projects.csv": PROJECT.encode()}, zipfile.ZIP_BZIP2, ["compressed with bzip2, which is not read"]),
        ({"projects.csv": PROJECT.encode()}, zipfile.ZIP_LZMA, ["compressed with LZMA, which is not read"]),
    ],
)
def test_unsafe_or_unreadable_members_are_refused(
    members: dict[str, bytes], method: int, phrases: list[str], tmp_path: Path
) -> None:
    refused(run_cli("validate", str(_zip(tmp_path / "in.zip", members, method))), "in.zip", *phrases)


def test_symbolic_link_and_encrypted_members_are_refused(tmp_path: Path) -> None:
    link = tmp_path / "link.zip"
    with zipfile.ZipFile(link, "w") as archive:
        info = zipfile.ZipInfo("projects.csv")
        info.external_attr = 0o120777 << 16
        archive.writestr(info, "/etc/passwd")
    refused(run_cli("validate", str(link)), "link.zip", "'projects.csv' is a symbolic link")
    locked = _zip(tmp_path / "locked.zip", {"projects.csv": PROJECT.encode()})
    data = bytearray(locked.read_bytes())
    for signature, flags in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # set "encrypted" in both headers
        data[data.find(signature) + flags] |= 1
    locked.write_bytes(bytes(data))
    refused(run_cli("validate", str(locked)), "locked.zip", "is encrypted")


def test_damaged_archives_and_workbooks_are_one_line(
    export_zip: Path, export_xlsx: Path, tmp_path: Path
) -> None:
    for source in (export_zip, export_xlsx):
        data = bytearray(source.read_bytes())
        data[3000:3100] = b"\0" * 100
        damaged = tmp_path / f"damaged{source.suffix}"
        damaged.write_bytes(bytes(data))
        refused(run_cli("validate", str(damaged)), damaged.name)
    truncated = tmp_path / "cut.zip"
    truncated.write_bytes(export_zip.read_bytes()[: export_zip.stat().st_size // 2])
    refused(run_cli("validate", str(truncated)), "cut.zip", "not a valid zip archive")
    ole = tmp_path / "locked.xlsx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    refused(run_cli("validate", str(ole)), "locked.xlsx", "an encrypted workbook or an old .xls file")


# -- special files -------------------------------------------------------------------------------


@FIFO
def test_a_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    for name in ("data.json", "data.jsonl", "data.zip", "book.xlsx"):
        pipe = tmp_path / name
        os.mkfifo(pipe)
        refused(run_cli("validate", str(pipe), timeout=60), name, "is a named pipe (FIFO), not a regular")
        if name == "data.json":
            refused(run_cli("publish", str(pipe), "-o", str(tmp_path / "out.json"), timeout=60), name)
            refused(run_cli("upgrade", str(pipe), "-o", str(tmp_path / "out.json"), timeout=60), name)
        pipe.unlink()
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a.json").write_text('{"id": "INDIGO-ORG-0001"}', encoding="utf-8")
    os.mkfifo(folder / "b.json")
    refused(run_cli("validate", str(folder), timeout=60), "b.json", "is a named pipe")


def test_a_device_is_refused() -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero on this system")
    refused(run_cli("validate", "/dev/zero", timeout=60), "/dev/zero: is a device, not a regular file")


@pytest.fixture
def export_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "export"
    shutil.copytree(EXPORT, folder)
    (folder / "projects_results.csv").unlink()
    return folder


@pytest.mark.parametrize("kind", ["folder", "broken link", "link to /dev/zero", "link out", "pipe"])
def test_an_export_table_that_is_not_a_file_is_an_error_naming_it(kind: str, export_copy: Path) -> None:
    table = export_copy / "projects_results.csv"
    if kind == "folder":
        table.mkdir()
        phrase = "is a folder, not a regular file"
    elif kind == "broken link":
        table.symlink_to("missing.csv")
        phrase = "a symbolic link to missing.csv, which does not exist"
    elif kind == "link to /dev/zero":
        table.symlink_to("/dev/zero")
        phrase = "a symbolic link to /dev/zero, outside the folder"
    elif kind == "link out":
        table.symlink_to(EXPORT / "projects_results.csv")
        phrase = "outside the folder"
    else:
        if not hasattr(os, "mkfifo"):
            pytest.skip("named pipes need a POSIX system")
        os.mkfifo(table)
        phrase = "is a named pipe"
    for command in ("validate", "convert"):
        out = [str(export_copy.parent / "out.json")] if command == "convert" else []
        args = [command, str(export_copy), *out]
        refused(run_cli(*args, timeout=60), "projects_results.csv", phrase)
    assert not (export_copy.parent / "out.json").exists()


def test_a_link_inside_the_folder_is_read(export_copy: Path) -> None:
    shutil.copy(EXPORT / "projects_results.csv", export_copy / "results-copy.bin")
    (export_copy / "projects_results.csv").symlink_to("results-copy.bin")
    result = run_cli("validate", str(export_copy), "--format", "json")
    assert result.returncode == 1 and json.loads(result.stdout)["records"] == 2021


def test_a_link_out_of_a_folder_of_json_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "a.json").write_text('{"id": "INDIGO-ORG-0001"}', encoding="utf-8")
    (folder / "b.json").symlink_to(FIXTURES.parent.parent / "examples" / "project.json")
    refused(run_cli("validate", str(folder)), "b.json", "outside the folder")


# -- misleading flat input ---------------------------------------------------------------------------


def _flat(tmp_path: Path, text: str, name: str = "projects.csv") -> Path:
    folder = tmp_path / "flat"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def _issues(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    issues: list[dict[str, Any]] = json.loads(result.stdout)["issues"]
    assert issues
    return issues


def test_a_header_repeated_in_another_case_or_spacing_is_an_error(tmp_path: Path) -> None:
    header = 'ID,Impact Bond Name - (Value),id,"Impact Bond Name -\n(Value)",IMPACT BOND NAME - (VALUE)\n'
    folder = _flat(tmp_path, header + "INDIGO-POJ-0001,Real name,INDIGO-POJ-0002,Other name,Third\n")
    result = run_cli("validate", str(folder), "--format", "json")
    assert result.returncode == 1
    repeats = [i for i in _issues(result) if i["code"] == "flat.duplicate-column"]
    assert [(i["source"]["column"], i["severity"]) for i in repeats] == [
        ("id", "error"),
        ("Impact Bond Name -\n(Value)", "error"),
        ("IMPACT BOND NAME - (VALUE)", "error"),
    ]
    assert "repeats column 'ID'" in repeats[0]["message"]
    assert not [i for i in _issues(result) if i["code"] == "flat.unknown-column"]
    refused_run = run_cli("convert", str(folder), str(tmp_path / "out.json"))
    assert refused_run.returncode == 1 and not (tmp_path / "out.json").exists()


def test_a_semicolon_separated_csv_names_its_separator(tmp_path: Path) -> None:
    folder = _flat(tmp_path, "ID;Impact Bond Name - (Value)\nINDIGO-POJ-0001;x\n")
    refused(run_cli("validate", str(folder)), "projects.csv", "separated by semicolons (';'), not commas")


def test_rows_with_extra_cells_are_reported_with_file_and_row(tmp_path: Path) -> None:
    folder = _flat(tmp_path, PROJECT + "INDIGO-POJ-0002,B,stray,cells\n")
    result = run_cli("validate", str(folder), "--format", "json")
    extra = [i for i in _issues(result) if i["code"] == "flat.extra-cells"]
    assert [(i["source"]["file"].endswith("projects.csv"), i["source"]["row"]) for i in extra] == [(True, 3)]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "projects"
    for row in ([*PROJECT.splitlines()[0].split(",")], ["INDIGO-POJ-0001", "A", "stray"]):
        sheet.append(row)
    book.save(tmp_path / "book.xlsx")
    result = run_cli("validate", str(tmp_path / "book.xlsx"), "--format", "json")
    extra = [i for i in _issues(result) if i["code"] == "flat.extra-cells"]
    where = [(i["source"]["file"], i["source"]["row"]) for i in extra]
    assert where == [(f"{tmp_path}/book.xlsx/projects", 2)]


def test_a_cell_over_the_csv_field_limit_is_refused(tmp_path: Path) -> None:
    folder = _flat(tmp_path, PROJECT + 'INDIGO-POJ-0002,"' + "x\n" * 8_500_000 + '"\n')
    refused(
        run_cli("validate", str(folder)),
        "projects.csv",
        "at row 3 holds a cell longer than 16,777,216",
        "docs/limits.md",
    )
    folder = _flat(tmp_path, PROJECT + "INDIGO-POJ-0002," + "x" * 17_000_000 + "\n")
    refused(run_cli("validate", str(folder)), "projects.csv", "line 3 is longer than 16,777,216 bytes")

"""``publish`` streams: on a 50 MB JSON Lines input it peaks no higher than ``convert`` on the same input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

MEASURE = """
import os, subprocess, sys
child = subprocess.Popen([sys.executable, "-m", "indigo_standard", *sys.argv[1:]],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def _peak_kib(*args: str) -> int:
    code, peak = subprocess.run(
        [sys.executable, "-c", MEASURE, *args], capture_output=True, text=True, check=True
    ).stdout.split()
    assert code == "0", args
    return int(peak)


def _projects(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            record = {
                "id": f"INDIGO-POJ-{n}",
                "status": "PUBLIC",
                "name": {"value": "Project " + "p" * 1500},
                "notes": {"value": "private " + "q" * 1500, "status": "PRIVATE"},
                "results": [{"status": "PUBLIC", "notes": "r" * 500}, {"notes": "no status " + "s" * 500}],
                "sources": [{"id": f"s{n}", "status": "PUBLIC", "name": {"value": "t" * 400}}],
            }
            out.write(json.dumps(record) + "\n")


def test_publish_takes_no_more_memory_than_convert_on_the_same_input(tmp_path: Path) -> None:
    small, large = tmp_path / "small.jsonl", tmp_path / "large.jsonl"
    _projects(small, 200)
    _projects(large, 11_000)
    assert large.stat().st_size > 50_000_000
    convert_peak = _peak_kib("convert", str(large), str(tmp_path / "converted.jsonl"))
    publish_small = _peak_kib("publish", str(small), "-o", str(tmp_path / "small-out.jsonl"))
    publish_large = _peak_kib("publish", str(large), "-o", str(tmp_path / "large-out.jsonl"))
    assert publish_large < convert_peak + 15_000, (publish_large, convert_peak)
    assert publish_large < publish_small + 25_000, (publish_large, publish_small)
    lines = (tmp_path / "large-out.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 11_000 and "private" not in lines[-1] and "no status" not in lines[-1]
    assert json.loads(lines[-1])["results"] == [{"notes": "r" * 500}]

"""Every Python block of docs/model.md runs, in order, from the repository root."""

from __future__ import annotations

import contextlib
import io
import os
import re

from conftest import ROOT

BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def test_model_guide_code_runs() -> None:
    text = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    blocks = BLOCK.findall(text)
    assert len(blocks) >= 6
    namespace: dict[str, object] = {}
    output = io.StringIO()
    before = os.getcwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(output):
            for number, block in enumerate(blocks, 1):
                exec(compile(block, f"docs/model.md block {number}", "exec"), namespace)
    finally:
        os.chdir(before)
    printed = output.getvalue()
    assert "2018 year" in printed and "Decimal('1245496.654657746')" in printed
    assert "('source2', 'source4')" in printed and "{'x-reviewed': True}" in printed
    assert "2020-06-30" in printed and "2019-03" in printed
    assert "2 problems" in printed and "'UK' is not an ISO 3166-1" in printed

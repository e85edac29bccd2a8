"""Sheet names: how CSV file names fit Excel's 31-character limit on sheet names.

The mapping is documented in ``docs/flat-formats.md``: a file name (without ``.csv``)
of 31 characters or fewer is the sheet name as it is; a longer one is cut to its first
31 characters (``projects_outcome_payment_commitments`` becomes
``projects_outcome_payment_commit``). Reading maps a sheet name back to the one file
name of any supported version that gives it; the tests check that no two do.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from ..versions import SUPPORTED_VERSIONS

MAX_SHEET_TITLE = 31


def sheet_title(name: str) -> str:
    """The sheet name for a CSV file name (without ``.csv``)."""
    return name[:MAX_SHEET_TITLE]


@cache
def known_titles() -> Mapping[str, str]:
    """Sheet name to CSV name, for every sheet of every supported version."""
    from .layout import layout

    titles: dict[str, str] = {}
    for version in SUPPORTED_VERSIONS:
        for sheet in layout(version).sheets:
            titles[sheet_title(sheet.name)] = sheet.name
    return titles


def sheet_for_title(title: str) -> str:
    """The CSV file name (without ``.csv``) a sheet name stands for."""
    return known_titles().get(title, title)

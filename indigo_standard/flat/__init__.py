"""The flat formats: the INDIGO CSV export layout (folder or zip), XLSX workbooks and SQLite databases.

See ``docs/flat-formats.md`` and ``docs/analysis.md``. Reading yields records in the standard's
JSON form, each knowing the file, row and column of its values; writing is atomic.
"""

from __future__ import annotations

from .kept import KeptColumn
from .layout import EXTRA_KEY, Column, Layout, Sheet, layout
from .sheets import sheet_for_title, sheet_title
from .sources import is_flat_file, is_flat_folder, read_flat
from .sqlite import read_sqlite, write_sqlite
from .writer import write_csv_folder, write_zip
from .xlsx import write_xlsx

__all__ = [
    "EXTRA_KEY",
    "Column",
    "KeptColumn",
    "Layout",
    "Sheet",
    "is_flat_file",
    "is_flat_folder",
    "layout",
    "read_flat",
    "read_sqlite",
    "sheet_for_title",
    "sheet_title",
    "write_csv_folder",
    "write_sqlite",
    "write_xlsx",
    "write_zip",
]

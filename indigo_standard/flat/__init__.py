"""The flat formats: the INDIGO CSV export layout (folder or zip), XLSX workbooks and SQLite databases.

See ``docs/flat-formats.md`` and ``docs/analysis.md``. Reading yields records in the standard's
JSON form, each knowing the file, row and column of its values; writing is atomic.

The readers and writers are imported on first use, so that importing one submodule
(``flat.layout``, say) does not import openpyxl and sqlite3: a command that never touches a
workbook starts sooner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

# Imported now, not on first use: ``layout`` is also the name of a submodule, which importing
# binds in this package, so the function must be bound after it (and both are light).
from .layout import EXTRA_KEY, Column, Layout, Sheet, layout
from .sheets import sheet_for_title, sheet_title

if TYPE_CHECKING:
    from .kept import KeptColumn
    from .sources import is_flat_file, is_flat_folder, read_flat
    from .sqlite import read_sqlite, write_sqlite
    from .writer import write_csv_folder, write_zip
    from .xlsx import write_xlsx

_HOMES = {
    **dict.fromkeys(["is_flat_file", "is_flat_folder", "read_flat"], ".sources"),
    **dict.fromkeys(["read_sqlite", "write_sqlite"], ".sqlite"),
    **dict.fromkeys(["write_csv_folder", "write_zip"], ".writer"),
    "write_xlsx": ".xlsx",
    "KeptColumn": ".kept",
}
"""The module that defines each public name."""

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


__getattr__, __dir__ = lazy_names(__name__, _HOMES)

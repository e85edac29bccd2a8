"""Merged cells of an XLSX sheet: the value of a merged range belongs to every cell it covers.

A spreadsheet shows one value across a merged range, but the file stores it only in the
range's first (top-left) cell. Reading the others as empty would lose it: a ``PRIVATE``
merged over three rows of a status column must make all three rows private. openpyxl's
read-only mode does not report merged ranges, so they are read here from the sheet's XML
(a quick byte scan first, so sheets without any merge cost little), and :func:`spread`
copies each range's value into its other cells as the rows stream past.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from openpyxl.utils.cell import range_boundaries

Range = tuple[int, int, int, int]
"""A merged range: first column, first row, last column, last row (counting from 1)."""

_MARK = b"mergeCell"
_CHUNK = 1 << 20


def _mentions_merges(source: Any) -> bool:
    tail = b""
    while True:
        block = source.read(_CHUNK)
        if not block:
            return False
        if _MARK in tail + block:
            return True
        tail = block[-len(_MARK) :]


def merged_ranges(sheet: Any) -> list[Range]:
    """The merged ranges of a read-only openpyxl worksheet, by first row."""
    from openpyxl.xml.functions import iterparse

    with sheet._get_source() as source:
        if not _mentions_merges(source):
            return []
    found: list[Range] = []
    with sheet._get_source() as source:
        for _, element in iterparse(source):
            if element.tag.endswith("}mergeCell"):
                ref = element.get("ref")
                bounds = range_boundaries(ref) if ref and ":" in ref else (None,)
                numbers = [b for b in bounds if isinstance(b, int)]
                if len(numbers) == 4:
                    found.append((numbers[0], numbers[1], numbers[2], numbers[3]))
            if element.tag.endswith("}row"):
                element.clear()
    return sorted(found, key=lambda r: (r[1], r[0]))


def spread(rows: Iterable[tuple[int, list[Any]]], ranges: list[Range]) -> Iterator[tuple[int, list[Any]]]:
    """Rows (numbered as the sheet numbers them) with each merged range's value in all its cells.

    Only the ranges that reach the current row are held, so memory stays small.
    """
    pending = list(reversed(ranges))
    active: list[tuple[Range, Any]] = []
    for number, cells in rows:
        while pending and pending[-1][1] <= number:
            merge = pending.pop()
            first_col, first_row = merge[0], merge[1]
            value = cells[first_col - 1] if first_row == number and first_col <= len(cells) else None
            active.append((merge, value))
        active = [(merge, value) for merge, value in active if merge[3] >= number]
        for (first_col, first_row, last_col, _), value in active:
            if value is None:
                continue
            if len(cells) < last_col:
                cells.extend([None] * (last_col - len(cells)))
            for column in range(first_col, last_col + 1):
                if (column, number) != (first_col, first_row):
                    cells[column - 1] = value
        yield number, cells

"""The blank XLSX template: every sheet of the flat layout, made to help the person filling it in.

Beyond the empty sheets that :func:`~indigo_standard.flat.xlsx.write_xlsx` writes, the template has:

- a dropdown on every coded column, a list validation pointing at that code list's column on a
  ``Codelists`` sheet (the lists are too long to inline), which refuses other values;
- a dropdown on every column that holds another record's id (the first column of a list's
  sheet, organisation ids, ...), pointing at that record sheet's ``ID`` column, which only warns,
  since the record may be published elsewhere;
- each column's title path, description, priority and code list as a comment on its header,
  and all of them on a ``Fields`` sheet;
- readable column widths, an autofilter on the header row and frozen header and id column;
- an ``Instructions`` sheet first, saying how the sheets link to each other by id.

The helper sheets are named in the workbook property ``indigo_template_sheets``, which the
reader honours, so a template read back (filled in or not) holds only the data sheets.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from ..registry import codelist, priorities
from ..versions import normalise_version
from ..writing.atomic import atomic_path
from .layout import FILE_PREFIX, ID_COLUMN, Column, Layout, Sheet, layout
from .sheets import sheet_title
from .xlsx import TEMPLATE_SHEETS_PROPERTY, VERSION_PROPERTY

INSTRUCTIONS = "Instructions"
FIELDS = "Fields"
CODELISTS = "Codelists"
HELPER_SHEETS = (INSTRUCTIONS, FIELDS, CODELISTS)
LAST_ROW = 1048576
"""The last row of an XLSX sheet: validations cover every row below the header."""
MIN_WIDTH, MAX_WIDTH = 10, 45
FIELDS_HEADER = (
    "Sheet",
    "Column",
    "Title path",
    "JSON path",
    "Type",
    "Priority",
    "Codes",
    "Links to",
    "Description",
)


@attrs.frozen
class CodeColumn:
    """One code list as a column of the Codelists sheet."""

    header: str
    codes: tuple[str, ...]
    titles: tuple[str, ...]
    letter: str
    """The column letter of its codes on the Codelists sheet (titles are in the next column)."""

    @property
    def formula(self) -> str:
        """The range of its codes, as a list validation refers to it."""
        return f"{CODELISTS}!${self.letter}$2:${self.letter}${len(self.codes) + 1}"


@attrs.frozen
class Link:
    """A column that holds the id of a record, or of an item in a list of the same record."""

    sheet: str
    column: str
    target_sheet: str
    target_column: str
    meaning: str
    several: bool = False
    """True when the cell holds several ids, comma-separated (``source_ids``): no dropdown then."""


@attrs.frozen
class _Plan:
    """What every sheet of the template needs to know about the others."""

    version: str
    layout: Layout
    codes: Mapping[tuple[str, ...], CodeColumn]
    links: tuple[Link, ...]

    def link(self, sheet: str, column: str) -> Link | None:
        """The link a column makes, if any."""
        return next((ln for ln in self.links if ln.sheet == sheet and ln.column == column), None)

    def column_letter(self, sheet: str, header: str) -> str:
        """The letter of a column on a data sheet."""
        found = self.layout.sheet(sheet)
        assert found is not None
        return _letter(found.headers.index(header) + 1)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _codelist_name(column: Column) -> str:
    name = column.field.codelist or column.field.title or column.field.path.rsplit("/", 2)[-2]
    return name.removesuffix(".csv")


def code_columns(version: str, lay: Layout) -> dict[tuple[str, ...], CodeColumn]:
    """One Codelists column per distinct list of codes, keyed by the codes."""
    found: dict[tuple[str, ...], CodeColumn] = {}
    used: set[str] = set()
    for sheet in lay.sheets:
        for column in sheet.columns:
            codes = column.field.enum
            if codes is None or codes in found:
                continue
            header = base = _codelist_name(column)
            number = 1
            while header in used:
                number += 1
                header = f"{base} ({number})"
            used.add(header)
            titles = _titles(version, column.field.codelist)
            found[codes] = CodeColumn(
                header, codes, tuple(titles.get(code, "") for code in codes), _letter(2 * len(found) + 1)
            )
    return found


def _titles(version: str, name: str | None) -> Mapping[str, str]:
    if not name:
        return {}
    try:
        rows = codelist(version, name)
    except FileNotFoundError:
        return {}
    return {row.get("code", ""): row.get("title", "") or "" for row in rows}


def _id_column(sheet: Sheet) -> str | None:
    """The header of a list sheet's own id column (``Id``), if its items have ids."""
    for column in sheet.columns:
        if column.field.path.endswith(("[]/id", "[]/id/value")):
            return column.header
    return None


def _holds_several(column: Column) -> bool:
    keys = [key for key in column.keys if key != "value"]
    return bool(keys) and keys[-1].endswith("ids")


def links(lay: Layout) -> list[Link]:
    """Every link between sheets by id: each list sheet to its records, then ids of other records,
    then ids of items in the same record (single ids before comma-separated ones), in sheet order."""
    parents = {sheet.name: sheet.key_column for sheet in lay.sheets if sheet.list_keys is not None}
    records = set(FILE_PREFIX.values())

    def rank(link: Link) -> int:
        if parents.get(link.sheet) == link.column:
            return 0
        if link.target_sheet in records:
            return 1
        return 3 if link.several else 2

    return sorted(_links(lay), key=rank)


def _links(lay: Layout) -> list[Link]:
    own = {entity: FILE_PREFIX[entity] for entity in FILE_PREFIX}
    found: list[Link] = []
    for sheet in lay.sheets:
        if sheet.list_keys is not None:
            found.append(
                Link(
                    sheet.name,
                    sheet.key_column,
                    own[sheet.entity],
                    ID_COLUMN,
                    f"the {sheet.entity} this row belongs to",
                )
            )
        for column in sheet.columns:
            target = column.field.references
            if not target:
                continue
            several = _holds_several(column)
            if target in own:
                article = "an" if target[0] in "aeiou" else "a"
                what = f"{target}s" if several else f"{article} {target}"
                found.append(Link(sheet.name, column.header, own[target], ID_COLUMN, what, several))
                continue
            list_sheet = lay.sheet(f"{own[sheet.entity]}_{target.strip('/').replace('/', '')}")
            id_column = _id_column(list_sheet) if list_sheet is not None else None
            if list_sheet is not None and id_column is not None:
                items = "items" if several else "an item"
                found.append(
                    Link(
                        sheet.name,
                        column.header,
                        list_sheet.name,
                        id_column,
                        f"{items} of the same {sheet.entity}'s {target.strip('/')}",
                        several,
                    )
                )
    return found


def _priority(version: str, column: Column) -> int | None:
    return priorities(version).get(column.field.entity, {}).get(column.field.path)


def _comment_text(column: Column, version: str, codes: CodeColumn | None, link: Link | None) -> str:
    field = column.field
    lines = [field.title_path or column.header]
    if field.description:
        lines += ["", field.description]
    details = [f"Type: {field.type}"]
    level = _priority(version, column)
    if level is not None:
        details.append(f"Priority: {level}")
    if codes is not None:
        details.append(f"Codes: pick one from the list ({codes.header} on the {CODELISTS} sheet)")
    if link is not None:
        details.append(f"Links to: {_link_text(link)}")
    return "\n".join([*lines, "", *details])


def _link_text(link: Link | None) -> str:
    if link is None:
        return ""
    several = " (several, comma-separated)" if link.several else ""
    return f"{link.target_sheet} {link.target_column}{several}"


def _key_comment(sheet: Sheet, link: Link | None) -> str:
    if sheet.list_keys is None:
        prefix = {
            "project": "INDIGO-POJ-",
            "organisation": "INDIGO-ORG-",
            "fund": "INDIGO-FUND-",
            "pipeline": "INDIGO-PL-",
        }[sheet.entity]
        return f"The {sheet.entity}'s id, such as {prefix}0001: one row per {sheet.entity}."
    assert link is not None
    return (
        f"The ID of the {sheet.entity} this row belongs to, as on the {link.target_sheet} sheet: "
        f"one row per item of its {'/'.join(sheet.list_keys)} list."
    )


def _width(texts: Iterable[str]) -> float:
    longest = max((len(text) for text in texts), default=0)
    return float(min(max(longest + 2, MIN_WIDTH), MAX_WIDTH))


def _style_header(cells: Iterable[Any]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in cells:
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _validation(formula: str, *, strict: bool, title: str, message: str) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    return DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop" if strict else "warning",
        errorTitle=title,
        error=message,
    )


def _data_sheet(book: Any, sheet: Sheet, plan: _Plan) -> None:
    from openpyxl.comments import Comment
    from openpyxl.utils import quote_sheetname

    ws = book.create_sheet(sheet_title(sheet.name))
    ws.append(list(sheet.headers))
    _style_header(ws[1])
    key_link = plan.link(sheet.name, sheet.key_column)
    columns: list[tuple[str, Column | None]] = [
        (sheet.key_column, None),
        *((c.header, c) for c in sheet.columns),
    ]
    for index, (header, column) in enumerate(columns, start=1):
        letter = _letter(index)
        link = plan.link(sheet.name, header)
        code = plan.codes.get(column.field.enum) if column is not None and column.field.enum else None
        text = (
            _key_comment(sheet, key_link)
            if column is None
            else _comment_text(column, plan.version, code, link)
        )
        ws.cell(row=1, column=index).comment = Comment(
            text, "indigo-standard", width=320, height=min(60 + 15 * (len(text) // 45), 400)
        )
        ws.column_dimensions[letter].width = _width([header[:MAX_WIDTH], *(code.codes if code else ())])
        if code is not None:
            rule = _validation(
                code.formula,
                strict=True,
                title="Not a code of this column",
                message=f"Pick a code from the list ({code.header} on the {CODELISTS} sheet).",
            )
        elif link is not None and not link.several:
            ids = plan.column_letter(link.target_sheet, link.target_column)
            where = quote_sheetname(sheet_title(link.target_sheet))
            rule = _validation(
                f"{where}!${ids}$2:${ids}${LAST_ROW}",
                strict=False,
                title="Not an id in this workbook",
                message=f"No {link.target_column} on the {link.target_sheet} sheet has this "
                "value; keep it only if that record is published elsewhere.",
            )
        else:
            continue
        rule.add(f"{letter}2:{letter}{LAST_ROW}")
        ws.add_data_validation(rule)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{_letter(len(columns))}1"
    ws.row_dimensions[1].height = 45


INSTRUCTIONS_TEXT = (
    "Each record type has its own sheet (projects, organisations, funds, pipeline) with one row per record; "
    "its ID column holds the record's id, such as INDIGO-POJ-0001.",
    "Each list inside a record (a project's investments, sources, ...) has its own sheet, named after the "
    "record's sheet and the list, with one row per item; its first column holds the ID of the record the "
    "item belongs to.",
    "Columns with a dropdown take a code from the Codelists sheet. Hover over a header to read what the "
    "column holds; the Fields sheet lists every column with its description and priority.",
    "Leave a cell empty when the value is not known. Dates are written YYYY, YYYY-MM or YYYY-MM-DD.",
    "Check the filled-in workbook with: indigo-standard validate FILE.xlsx",
)
LINKS_HEADER = ("Sheet", "Column", "holds the id of", "found on sheet", "in column")


def _instructions(book: Any, version: str, found: Iterable[Link]) -> None:
    from openpyxl.styles import Alignment, Font

    ws = book.active
    ws.title = INSTRUCTIONS
    ws.append([f"INDIGO {version} data template"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    ws.append(["How the sheets fit together"])
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    for text in INSTRUCTIONS_TEXT:
        ws.append([text])
        row = ws.max_row
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(LINKS_HEADER))
        ws.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = 32
    ws.append([])
    ws.append(["Links between sheets, by id"])
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    ws.append(list(LINKS_HEADER))
    _style_header(ws[ws.max_row])
    ws.freeze_panes = f"A{ws.max_row + 1}"
    for link in found:
        meaning = f"{link.meaning} (comma-separated)" if link.several else link.meaning
        ws.append([link.sheet, link.column, meaning, link.target_sheet, link.target_column])
    for letter, width in zip("ABCDE", (36, 40, 40, 36, 34), strict=True):
        ws.column_dimensions[letter].width = width


def _fields(book: Any, plan: _Plan) -> None:
    from openpyxl.styles import Alignment

    ws = book.create_sheet(FIELDS)
    ws.append(list(FIELDS_HEADER))
    _style_header(ws[1])
    for sheet in plan.layout.sheets:
        key_link = plan.link(sheet.name, sheet.key_column)
        key_target = _link_text(key_link)
        ws.append(
            [
                sheet.name,
                sheet.key_column,
                "",
                "/id" if sheet.list_keys is None else "",
                "string",
                None,
                "",
                key_target,
                _key_comment(sheet, key_link),
            ]
        )
        for column in sheet.columns:
            field = column.field
            code = plan.codes.get(field.enum) if field.enum is not None else None
            link = plan.link(sheet.name, column.header)
            ws.append(
                [
                    sheet.name,
                    column.header,
                    field.title_path,
                    field.path,
                    field.type,
                    _priority(plan.version, column),
                    code.header if code else "",
                    _link_text(link),
                    field.description,
                ]
            )
    for letter, width in zip("ABCDEFGHI", (30, 40, 50, 45, 10, 9, 28, 28, 80), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2, min_col=9, max_col=9):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:I{ws.max_row}"


def _codelists(book: Any, codes: Iterable[CodeColumn]) -> None:
    ws = book.create_sheet(CODELISTS)
    for index, code in enumerate(codes):
        column = 2 * index + 1
        ws.cell(row=1, column=column, value=code.header)
        ws.cell(row=1, column=column + 1, value=f"{code.header} (title)")
        for number, (value, title) in enumerate(zip(code.codes, code.titles, strict=True), start=2):
            ws.cell(row=number, column=column, value=value).data_type = "s"
            if title:
                ws.cell(row=number, column=column + 1, value=title)
        ws.column_dimensions[_letter(column)].width = _width([code.header, *code.codes])
        ws.column_dimensions[_letter(column + 1)].width = _width([f"{code.header} (title)", *code.titles])
    _style_header(ws[1])
    ws.freeze_panes = "A2"


def write_template(target: str | Path, version: str) -> None:
    """Write the blank XLSX template of ``version`` to ``target``, atomically."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty

    version = normalise_version(version)
    lay = layout(version)
    plan = _Plan(version, lay, code_columns(version, lay), tuple(links(lay)))
    book = Workbook()
    _instructions(book, version, plan.links)
    for sheet in lay.sheets:
        _data_sheet(book, sheet, plan)
    _fields(book, plan)
    _codelists(book, plan.codes.values())
    props = getattr(book, "custom_doc_props")  # noqa: B009 (missing from the stubs)
    props.append(StringProperty(name=VERSION_PROPERTY, value=version))
    props.append(StringProperty(name=TEMPLATE_SHEETS_PROPERTY, value=",".join(HELPER_SHEETS)))
    # Built in memory (a template is small) so that a write that fails, such as on a full disk,
    # fails in our own write and not inside openpyxl's sheet writers.
    content = io.BytesIO()
    book.save(content)
    with atomic_path(Path(target)) as temp:
        temp.write_bytes(content.getvalue())

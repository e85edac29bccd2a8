"""The design of the SQLite database, derived from the flat layout: tables, columns, keys, links, views.

Every CSV file of the export is a table of the same name (``organisations_org-idssecondary``
becomes ``organisations_org_idssecondary``), and every CSV column a column of it, in the same
order. A column is named after its field's JSON path inside the row's object, so that SQL
can name it without quotes (``Stage of Development - (Value)`` is ``stage_development_value``);
the ``fields`` table keeps each column's CSV header, title, description and priority.

- A record table's key is ``id`` (its primary key). A list table's rows carry their record's
  id (``project_id`` ...) and their place in the record's list (``list_index``, from 0, as in
  a JSON pointer); the two are the primary key, and the record id a foreign key to the record.
- Text columns are declared ``TEXT``. Number columns are declared with no type, so SQLite
  keeps each value as it is given (see :func:`.sqlite.sql_number` for which): a column declared
  INTEGER, REAL or NUMERIC would turn text that looks like a number into one (`` 5`` into 5,
  ``0.1000000000000000000001`` into 0.1), and the CSV cell could not come back.
- References to other records (the fields the checks follow) are one row per id in a link
  table per record type (``organisation_references``, ``fund_references``,
  ``project_references``): a cell may name several ids (``INDIGO-ORG-0171,INDIGO-ORG-1061``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache

import attrs

from ..fields import Field, escape
from ..registry import codelist, priorities, schema
from .datapackage import column_description
from .kept import kept_description
from .layout import PARENT_COLUMN, Sheet, layout

LIST_INDEX = "list_index"
RECORD_KEY = "id"

LINK_TABLES: Mapping[str, tuple[str, str, str]] = {
    "organisation": ("organisation_references", "organisations", "organisation_id"),
    "fund": ("fund_references", "funds", "fund_id"),
    "project": ("project_references", "projects", "project_id"),
}
"""For each record type that fields refer to: its link table, its own table and the link's id column."""

NUMBER_NOTE = "number: INTEGER or REAL, TEXT when not exactly a number"


def quote(name: str) -> str:
    """An SQL identifier, quoted."""
    return '"' + name.replace('"', '""') + '"'


def sql_name(text: str) -> str:
    """A name SQL can use without quotes: letters, digits and underscores, not starting with a digit."""
    name = re.sub(r"[^0-9A-Za-z_]+", "_", text).strip("_").lower() or "column"
    return f"c_{name}" if name[0].isdigit() else name


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name_2``, ``name_3`` ... when taken (SQLite compares names without case)."""
    chosen, number = name, 1
    while chosen.lower() in taken:
        number += 1
        chosen = f"{name}_{number}"
    taken.add(chosen.lower())
    return chosen


@attrs.frozen
class DbColumn:
    """One column of a table: a CSV column, the record key or the list index."""

    name: str
    header: str | None
    """The CSV header; None for ``list_index``, which the CSV export has no column for."""
    field: Field | None = None
    pointer: str = ""
    """The JSON pointer from the row's object to the value (``/organisation_id/value``)."""
    target: str | None = None
    """The record type whose ids the column holds, when the checks follow it."""

    @property
    def numeric(self) -> bool:
        """True when the schema types the field as a number."""
        return self.field is not None and bool({"number", "integer"} & set(self.field.type.split("|")))

    @property
    def declared(self) -> str:
        """The declared SQL type (empty for numbers: see the module's docstring)."""
        if self.header is None:
            return "INTEGER NOT NULL"
        return "" if self.numeric else "TEXT"


@attrs.frozen
class DbTable:
    """One table: a sheet of the flat layout."""

    name: str
    sheet: Sheet
    parent: str | None
    """The record table a list table's rows belong to; None for a record table."""
    key: DbColumn
    columns: tuple[DbColumn, ...]
    """The sheet's columns, in order (after the key and, in a list table, ``list_index``)."""

    @property
    def list_pointer(self) -> str:
        """The JSON pointer from the record to the list (empty for a record table)."""
        return "".join("/" + escape(key) for key in self.sheet.list_keys or ())

    def column_for(self, path: str) -> DbColumn | None:
        """The column holding the field with this JSON path, if the version has it."""
        return next((c for c in self.columns if c.field is not None and c.field.path == path), None)


def _references(version: str, entity: str) -> Mapping[str, str]:
    from ..checks.dataset import record_references  # the fields the dataset checks follow

    return record_references(version, entity)


def _table(version: str, sheet: Sheet, parent: str | None) -> DbTable:
    references = _references(version, sheet.entity)
    key_name = RECORD_KEY if sheet.list_keys is None else sql_name(PARENT_COLUMN[sheet.entity])
    taken = {key_name, LIST_INDEX}
    columns = []
    for column in sheet.columns:
        name = unique_name(sql_name("_".join(column.keys)), taken)
        pointer = "".join("/" + escape(key) for key in column.keys)
        columns.append(
            DbColumn(name, column.header, column.field, pointer, references.get(column.field.path))
        )
    return DbTable(sql_name(sheet.name), sheet, parent, DbColumn(key_name, sheet.key_column), tuple(columns))


@cache
def design(version: str) -> tuple[DbTable, ...]:
    """Every table of ``version``'s layout, record tables before their lists."""
    tables: list[DbTable] = []
    owner: dict[str, str] = {}
    for sheet in layout(version).sheets:
        if sheet.list_keys is None:
            owner[sheet.entity] = sql_name(sheet.name)
        tables.append(_table(version, sheet, None if sheet.list_keys is None else owner[sheet.entity]))
    return tuple(tables)


def _comment(text: str) -> str:
    return " ".join(text.split())


def _column_sql(column: DbColumn) -> str:
    note = f"{column.header} ({NUMBER_NOTE})" if column.numeric else column.header
    if column.header is None:
        note = "the row's place in its record's list, from 0"
    declared = f" {column.declared}" if column.declared else ""
    return f"  -- {_comment(note or '')}\n  {quote(column.name)}{declared}"


def create_table(table: DbTable) -> str:
    """The ``CREATE TABLE`` statement of a table, with each column's CSV header as a comment."""
    parts = []
    if table.parent is None:
        parts.append(_column_sql(table.key) + " PRIMARY KEY")
    else:
        parts.append(_column_sql(table.key))
        parts.append(_column_sql(DbColumn(LIST_INDEX, None)))
    parts.extend(_column_sql(column) for column in table.columns)
    if table.parent is not None:
        key = quote(table.key.name)
        parts.append(f"  PRIMARY KEY ({key}, {quote(LIST_INDEX)})")
        parts.append(f"  FOREIGN KEY ({key}) REFERENCES {quote(table.parent)} ({quote(RECORD_KEY)})")
    return f"CREATE TABLE {quote(table.name)} (\n" + ",\n".join(parts) + "\n)"


def extra_column_sql(name: str) -> str:
    """The definition of a column kept from the input that no field of the schema has."""
    return f"{quote(name)} TEXT"


def create_links(target: str, declare_key: bool) -> list[str]:
    """The link table of references to records of type ``target``, and its indexes.

    The foreign key to the record is declared only when ``declare_key`` (the dataset holds
    such records at all): the checks report unknown references only then.
    """
    table, records, column = LINK_TABLES[target]
    key = f" REFERENCES {quote(records)} ({quote(RECORD_KEY)})" if declare_key else ""
    return [
        f"CREATE TABLE {quote(table)} (\n"
        "  -- the table and row that hold the reference\n"
        "  table_name TEXT NOT NULL,\n"
        "  record_id TEXT,\n"
        f"  {LIST_INDEX} INTEGER,\n"
        "  column_name TEXT NOT NULL,\n"
        "  -- where the reference is inside the record, as validation reports name it\n"
        "  pointer TEXT NOT NULL,\n"
        f"  {column} TEXT NOT NULL{key}\n"
        ")",
        f"CREATE INDEX {quote(table + '_' + column)} ON {quote(table)} ({quote(column)})",
        f"CREATE INDEX {quote(table + '_row')} ON {quote(table)} (table_name, record_id, {LIST_INDEX})",
    ]


LINK_STAGING = "CREATE TEMP TABLE {name} (table_name, record_id, list_index, column_name, pointer, target)"

METADATA = (
    "CREATE TABLE dataset (\n"
    "  -- schema_version, generator, and the package envelope (JSON) when the input had one\n"
    "  key TEXT PRIMARY KEY,\n  value TEXT\n)",
    "CREATE TABLE tables (\n"
    "  table_name TEXT PRIMARY KEY,\n  csv_file TEXT NOT NULL,\n  record_type TEXT NOT NULL,\n"
    "  list_path TEXT,\n  parent_table TEXT,\n  title TEXT,\n  description TEXT\n)",
    "CREATE TABLE fields (\n"
    "  table_name TEXT NOT NULL REFERENCES tables (table_name),\n  column_name TEXT NOT NULL,\n"
    "  position INTEGER NOT NULL,\n"
    "  -- the column's header in the CSV export (none for list_index)\n  csv_header TEXT,\n"
    "  path TEXT,\n  title TEXT,\n  title_path TEXT,\n  description TEXT,\n  type TEXT,\n"
    "  codelist TEXT,\n  priority INTEGER,\n  refers_to TEXT,\n"
    "  PRIMARY KEY (table_name, column_name)\n)",
    "CREATE TABLE codes (\n"
    "  codelist TEXT NOT NULL,\n  code TEXT NOT NULL,\n  title TEXT,\n  PRIMARY KEY (codelist, code)\n)",
)
"""The tables that describe the data: the dataset, its tables, its columns and the codelists."""


def table_rows(version: str, tables: Sequence[DbTable]) -> list[tuple[object, ...]]:
    """The rows of the ``tables`` table."""
    rows: list[tuple[object, ...]] = []
    for table in tables:
        sheet = table.sheet
        if sheet.list_keys is None:
            root = schema(version, sheet.entity)
            title, description = root.get("title", ""), root.get("description", "")
            list_path = None
        else:
            list_path = "/" + "/".join(sheet.list_keys)
            found = next(f for f in _fields_of(version, sheet.entity) if f.path == list_path)
            title, description = found.title_path, found.description
        rows.append(
            (table.name, f"{sheet.name}.csv", sheet.entity, list_path, table.parent, title, description)
        )
    return rows


def _fields_of(version: str, entity: str) -> tuple[Field, ...]:
    from ..fields import fields

    return fields(version, entity)


KEY_DESCRIPTION = "The record's id."
PARENT_DESCRIPTION = "The id of the {entity} this row belongs to."
INDEX_DESCRIPTION = "The row's place in its record's list, from 0 (as in a JSON pointer); not a CSV column."
EXTRA_DESCRIPTION = "A column of the input that no field of the schema has, kept as text."


def field_rows(
    version: str, table: DbTable, extras: Sequence[tuple[str, str]] = ()
) -> list[tuple[object, ...]]:
    """The rows of the ``fields`` table for one table; ``extras`` are (column, header) kept from the input."""
    ranks = priorities(version).get(table.sheet.entity, {})
    rows: list[tuple[object, ...]] = []
    if table.parent is None:
        rows.append(
            (
                table.name,
                table.key.name,
                0,
                table.key.header,
                "/id",
                "ID",
                "ID",
                KEY_DESCRIPTION,
                "string",
                None,
                ranks.get("/id"),
                None,
            )
        )
    else:
        rows.append(
            (
                table.name,
                table.key.name,
                0,
                table.key.header,
                None,
                table.key.header,
                table.key.header,
                PARENT_DESCRIPTION.format(entity=table.sheet.entity),
                "string",
                None,
                None,
                table.sheet.entity,
            )
        )
        rows.append(
            (
                table.name,
                LIST_INDEX,
                1,
                None,
                None,
                None,
                None,
                INDEX_DESCRIPTION,
                "integer",
                None,
                None,
                None,
            )
        )
    for column in table.columns:
        field = column.field
        assert field is not None, "schema columns have a field"
        rows.append(
            (
                table.name,
                column.name,
                len(rows),
                column.header,
                field.path,
                field.title,
                field.title_path,
                column_description(version, field),
                field.type,
                field.codelist,
                ranks.get(field.path),
                column.target,
            )
        )
    for name, header in extras:
        rows.append(
            (
                table.name,
                name,
                len(rows),
                header,
                None,
                None,
                None,
                kept_description(header) or EXTRA_DESCRIPTION,
                "string",
                None,
                None,
                None,
            )
        )
    return rows


def code_rows(version: str, tables: Sequence[DbTable]) -> list[tuple[str, str, str]]:
    """The rows of the ``codes`` table: every codelist a column of the tables uses."""
    names = sorted({c.field.codelist for t in tables for c in t.columns if c.field and c.field.codelist})
    rows = []
    for name in names:
        for entry in codelist(version, name):
            rows.append((name, entry.get("code", ""), entry.get("title") or entry.get("name") or ""))
    return rows


PROJECT_OVERVIEW: tuple[tuple[str, str], ...] = (
    ("name", "/name/value"),
    ("stage", "/stage_development/value"),
    ("outcomes_contract_signed", "/dates/outcomes_contract_signed/value"),
    ("service_start", "/dates/start_date_of_service_provision/value"),
    ("service_end_anticipated", "/dates/anticipated_end_date_of_service_provision/value"),
    ("service_end_actual", "/dates/actual_end_date_of_service_provision/value"),
    ("total_investment_usd_min", "/overall_project_finance/total_investment_commitment/amount_usd/min/value"),
    (
        "total_investment_usd_exact",
        "/overall_project_finance/total_investment_commitment/amount_usd/exact/value",
    ),
    ("total_investment_usd_max", "/overall_project_finance/total_investment_commitment/amount_usd/max/value"),
    (
        "max_outcome_payment_usd",
        "/overall_project_finance/maximum_potential_outcome_payment_v2/amount_usd/value",
    ),
)
"""The columns of the ``project_overview`` view: (name, field path)."""

PAYMENT_OVERVIEW: tuple[tuple[str, str], ...] = (
    ("period_start", "/outcome_payments[]/period/start_date/value"),
    ("period_end", "/outcome_payments[]/period/end_date/value"),
    ("type", "/outcome_payments[]/type/value"),
    ("payer_organisation_ids", "/outcome_payments[]/payer_organisation_id/value"),
    ("recipient_organisation_ids", "/outcome_payments[]/recipient_organisation_id/value"),
    ("currency", "/outcome_payments[]/money/currency/value"),
    ("amount", "/outcome_payments[]/money/amount/value"),
    ("amount_usd", "/outcome_payments[]/money/amount_usd/value"),
)
"""The columns of the ``outcome_payment_overview`` view, before the organisation names."""


def _select(table: DbTable, alias: str, columns: Sequence[tuple[str, str]]) -> list[str]:
    found = []
    for name, path in columns:
        column = table.column_for(path)
        found.append(f"{alias}.{quote(column.name)} AS {name}" if column else f"NULL AS {name}")
    return found


def _names(payments: DbTable, organisations: DbTable, path: str) -> str:
    """The names of the organisations a payment's column names, in the order it names them."""
    column = payments.column_for(path)
    name = organisations.column_for("/name/value")
    if column is None or name is None:
        return "NULL"
    return (
        f"(SELECT group_concat(name, '; ') FROM (SELECT o.{quote(name.name)} AS name "
        "FROM organisation_references r JOIN organisations o ON o.id = r.organisation_id "
        f"WHERE r.table_name = '{payments.name}' AND r.record_id = op.{quote(payments.key.name)} "
        f"AND r.list_index = op.list_index AND r.column_name = '{column.name}' ORDER BY r.rowid))"
    )


def _countries(projects: DbTable, locations: DbTable | None) -> list[str]:
    """A project's country codes and names: its jurisdiction, or else the countries of its delivery
    locations (each once, in code order; codes joined by ", ", names by "; ")."""
    jurisdiction = projects.column_for("/jurisdiction/jurisdiction/value")
    located = locations.column_for("/delivery_locations[]/location_country/value") if locations else None
    parts = []
    if jurisdiction is not None:
        parts.append(
            f"SELECT p.{quote(jurisdiction.name)} AS code WHERE p.{quote(jurisdiction.name)} IS NOT NULL"
        )
    if locations is not None and located is not None:
        fallback = f"p.{quote(jurisdiction.name)} IS NULL AND " if jurisdiction is not None else ""
        parts.append(
            f"SELECT d.{quote(located.name)} FROM {quote(locations.name)} d WHERE {fallback}"
            f"d.{quote(locations.key.name)} = p.id AND d.{quote(located.name)} IS NOT NULL"
        )
    if not parts:
        return ["NULL AS country_code", "NULL AS country"]
    codes = "(" + " UNION ".join(parts) + " ORDER BY 1)"
    field = (jurisdiction or located or projects.key).field
    codelist = field.codelist if field is not None and field.codelist else "countries.csv"
    return [
        f"(SELECT group_concat(x.code, ', ') FROM {codes} x) AS country_code",
        f"(SELECT group_concat(coalesce(c.title, x.code), '; ') FROM {codes} x "
        f"LEFT JOIN codes c ON c.codelist = '{codelist}' AND c.code = x.code) AS country",
    ]


def create_views(tables: Sequence[DbTable]) -> list[str]:
    """The views for the questions people ask most (those the version's tables can answer)."""
    named = {table.name: table for table in tables}
    views = []
    projects = named.get("projects")
    if projects is not None:
        columns = ["p.id AS id", *_select(projects, "p", PROJECT_OVERVIEW)]
        columns[2:2] = _countries(projects, named.get("projects_delivery_locations"))
        views.append("CREATE VIEW project_overview AS\nSELECT " + ",\n  ".join(columns) + "\nFROM projects p")
    payments = named.get("projects_outcome_payments")
    organisations = named.get("organisations")
    if projects is not None and payments is not None and organisations is not None:
        name = projects.column_for("/name/value")
        columns = [
            f"op.{quote(payments.key.name)} AS project_id",
            "op.list_index AS list_index",
            f"p.{quote(name.name)} AS project_name" if name else "NULL AS project_name",
            *_select(payments, "op", PAYMENT_OVERVIEW),
            _names(payments, organisations, "/outcome_payments[]/payer_organisation_id/value")
            + " AS payer_names",
            _names(payments, organisations, "/outcome_payments[]/recipient_organisation_id/value")
            + " AS recipient_names",
        ]
        views.append(
            "CREATE VIEW outcome_payment_overview AS\nSELECT "
            + ",\n  ".join(columns)
            + f"\nFROM {quote(payments.name)} op LEFT JOIN projects p "
            f"ON p.id = op.{quote(payments.key.name)}"
        )
    return views

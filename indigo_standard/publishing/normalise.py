"""The normaliser: fix the formatting mistakes publishers commonly make, and report each fix.

The field inventory says what every field holds, so each value is read as what it should
be: numbers (amounts written as "250,000", "$250000", "250k", "GBP 1.2m" or "1.2 million";
a currency in the cell moves to the empty currency beside it), partial dates ("March
2019", "2019-3-1"; "01/03/2019" only with a day-first or month-first order), countries
given by name, and codelist values with stray spaces or the wrong letter case. Every
change is reported with the record, the JSON pointer, the value before and after; a value
that cannot be read is left as it is and reported. For flat input (CSV, zip, XLSX) each
change also names the file, row and column of its cell, as ``validate`` does.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from typing import Any, Literal

import attrs

from ..detect import detect_entity, record_id
from ..fields import Field, field_for_pointer, field_index, pointer
from ..reading.records import PACKAGE_LISTS, CellRef, SourcedRecord, is_package
from ..versions import LATEST_VERSION, normalise_version
from .cells import Reading, currency_codes, read_amount, read_country, read_date

DateOrder = Literal["dayfirst", "monthfirst"]
PARTIAL_DATE = (
    "^[0-9][0-9][0-9][0-9]$|^[0-9][0-9][0-9][0-9]-[0-9][0-9]$|^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$"
)


@attrs.frozen
class Change:
    """One value the normaliser changed (``after`` set) or could not read (``problem`` set)."""

    record: str | None
    path: str
    before: Any
    after: Any = None
    problem: str | None = None
    source: CellRef | None = None
    """For flat input: the file, row and column of the cell (the one the value goes to, if it was empty)."""

    @property
    def changed(self) -> bool:
        """Whether the value was changed (else it was only reported)."""
        return self.problem is None

    def to_dict(self) -> dict[str, Any]:
        """The change as JSON-ready data."""
        out = {"record": self.record, "path": self.path, "before": self.before}
        if self.changed:
            out["after"] = self.after
        else:
            out["problem"] = self.problem
        if self.source is not None:
            out["source"] = {"file": self.source.file, "row": self.source.row, "column": self.source.column}
        return out

    def describe(self) -> str:
        """One line for people."""
        where = f"{self.record or '(record without id)'} {self.path}"
        if self.source is not None:
            cell = self.source
            where = f"{cell.file}, row {cell.row}, column {cell.column!r}: {where}"
        if self.changed:
            return (
                f"fixed {where}: {json.dumps(self.before, ensure_ascii=False)} -> "
                f"{json.dumps(self.after, ensure_ascii=False)}"
            )
        return f"left  {where}: {json.dumps(self.before, ensure_ascii=False)}: {self.problem}"


@attrs.define
class NormaliseReport:
    """Every change and every value left as it was."""

    changes: list[Change] = attrs.field(factory=list)

    @property
    def fixed(self) -> list[Change]:
        """The values that were changed."""
        return [c for c in self.changes if c.changed]

    @property
    def left(self) -> list[Change]:
        """The values that could not be read and were left as they were."""
        return [c for c in self.changes if not c.changed]

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "fixed": len(self.fixed),
            "left": len(self.left),
            "changes": [c.to_dict() for c in self.changes],
        }


class _Record:
    """Normalising one record in place."""

    def __init__(
        self,
        record: dict[str, Any],
        entity: str,
        version: str,
        order: DateOrder | None,
        report: NormaliseReport,
    ) -> None:
        self.record = record
        self.rid = record_id(record)
        self.index = field_index(version, entity)
        self.version = version
        self.order = order
        self.report = report

    def run(self) -> None:
        for parts, schema_path, container, key in list(_leaves(self.record, (), "")):
            found = self.index.get(schema_path)
            if found is not None and isinstance(container[key], str):
                self.value(found, parts, schema_path, container, key)

    def note(
        self, parts: tuple[Any, ...], before: Any, after: Any = None, problem: str | None = None
    ) -> None:
        self.report.changes.append(Change(self.rid, pointer(parts), before, after, problem))

    def value(self, found: Field, parts: tuple[Any, ...], schema_path: str, container: Any, key: Any) -> None:
        text: str = container[key]
        reading: Reading | None = None
        if found.enum is not None:
            reading = self.enum(found, text)
        elif found.type == "number":
            reading = self.amount(parts, schema_path, text, container)
        elif found.pattern == PARTIAL_DATE:
            reading = None if _matches(text) else read_date(text, self.order)
        elif schema_path.endswith("/currency/value"):
            reading = self.currency(text)
        if reading is None:
            return
        if reading.problem:
            self.note(parts, text, problem=reading.problem)
        elif reading.value != text:
            container[key] = reading.value
            self.note(parts, text, reading.value)

    def enum(self, found: Field, text: str) -> Reading | None:
        assert found.enum is not None
        if text in found.enum:
            return None
        squeezed = " ".join(text.split())
        matches = [code for code in found.enum if code.casefold() == squeezed.casefold()]
        if len(matches) == 1:
            return Reading(matches[0])
        if found.codelist and found.codelist.startswith("countries"):
            return read_country(text, self.version, found.codelist)
        return Reading(problem="not a code of this field's codelist")

    def currency(self, text: str) -> Reading | None:
        code = " ".join(text.split()).upper()
        if text in currency_codes():
            return None
        if code in currency_codes():
            return Reading(code)
        candidates = read_amount(f"{text.strip()} 1").currencies
        if len(candidates) == 1:
            return Reading(candidates[0])
        if candidates:
            return Reading(problem=f"the symbol could stand for {', '.join(candidates)}")
        return None

    def amount(self, parts: tuple[Any, ...], schema_path: str, text: str, wrapper: Any) -> Reading:
        """Read an amount; a currency the cell names moves to the empty currency beside it, which
        gets the status (and sandboxes) of the amount's ``wrapper`` when the schema gives it one."""
        reading = read_amount(text)
        if reading.problem or (not reading.currencies and reading.symbol is None):
            return reading
        if "/amount_usd/" in schema_path:
            if "USD" not in reading.currencies:
                return Reading(problem=f"an amount in US dollars, but the cell says {reading.symbol}")
            return reading
        place = self.currency_place(parts, schema_path)
        if place is None:
            return Reading(
                problem=f"the cell names a currency ({reading.symbol}) but the field has no currency field"
            )
        holder, currency_parts, holder_schema = place
        existing = (
            holder.get("currency", {}).get("value") if isinstance(holder.get("currency"), dict) else None
        )
        if existing in (None, ""):
            if len(reading.currencies) != 1:
                problem = (
                    f"the amount was written with {reading.symbol}, which could stand for "
                    f"{', '.join(reading.currencies)}; set the currency yourself"
                )
                self.note((*currency_parts, "currency", "value"), existing, problem=problem)
                return reading
            currency = holder.setdefault("currency", {})
            currency["value"] = reading.currencies[0]
            self.note((*currency_parts, "currency", "value"), existing, reading.currencies[0])
            self.inherit(currency, wrapper, (*currency_parts, "currency"), f"{holder_schema}/currency")
        elif str(existing).strip().upper() not in reading.currencies:
            return Reading(problem=f"the cell says {reading.symbol} but the currency is {existing}")
        return reading

    def inherit(self, currency: dict[str, Any], amount: Any, parts: tuple[Any, ...], schema: str) -> None:
        """Give a currency wrapper that has no status the status and sandboxes of the amount it was
        read from, where the schema gives the currency wrapper those fields: a new wrapper without
        a status would be withheld by ``publish`` while its amount is published."""
        if "status" in currency or not isinstance(amount, dict):
            return
        for key in ("status", "sandboxes"):
            field = self.index.get(f"{schema}/{key}")
            if key in amount and field is not None and key not in currency:
                value = copy.deepcopy(amount[key])
                coded = field.enum is not None and isinstance(value, str)
                reading = self.enum(field, value) if coded else None
                if reading is not None and reading.problem is None:
                    value = reading.value  # the code the amount's own status is normalised to
                currency[key] = value
                self.note((*parts, key), None, value)

    def currency_place(
        self, parts: tuple[Any, ...], schema_path: str
    ) -> tuple[dict[str, Any], tuple[Any, ...], str] | None:
        """The object holding this amount's currency wrapper, its path parts and its schema path."""
        path_parts = list(parts)
        schema = schema_path
        while path_parts:
            path_parts.pop()
            schema = schema.rsplit("/", 1)[0]
            if schema.endswith("[]"):
                continue
            if f"{schema}/currency/value" in self.index:
                node: Any = self.record
                for part in path_parts:
                    node = node[part]
                return (node, tuple(path_parts), schema) if isinstance(node, dict) else None
        return None


def _matches(text: str) -> bool:
    return re.match(PARTIAL_DATE, text) is not None


def _leaves(
    value: Any, parts: tuple[Any, ...], schema_path: str
) -> Iterator[tuple[tuple[Any, ...], str, Any, Any]]:
    """(pointer parts, inventory path, container, key) of every scalar in a record."""
    if isinstance(value, dict):
        for key, child in value.items():
            if isinstance(child, (dict, list)):
                yield from _leaves(child, (*parts, key), f"{schema_path}/{key}")
            else:
                yield (*parts, key), f"{schema_path}/{key}", value, key
    elif isinstance(value, list):
        for index, child in enumerate(value):
            if isinstance(child, (dict, list)):
                yield from _leaves(child, (*parts, index), f"{schema_path}[]")
            else:
                yield (*parts, index), f"{schema_path}[]", value, index


def normalise_record(
    record: Any,
    *,
    entity: str | None = None,
    schema_version: str = LATEST_VERSION,
    order: DateOrder | None = None,
    report: NormaliseReport | None = None,
) -> Any:
    """A normalised copy of one record (the input is not changed); changes go into ``report``."""
    report = report if report is not None else NormaliseReport()
    kind = detect_entity(record, context=entity)
    if not isinstance(record, dict) or kind is None:
        return record
    result = copy.deepcopy(record)
    _Record(result, kind, normalise_version(schema_version), order, report).run()
    return result


def normalise(
    data: Any,
    *,
    schema_version: str | None = None,
    order: DateOrder | None = None,
    report: NormaliseReport | None = None,
) -> Any:
    """A normalised copy of a record, a list of records or a dataset package.

    The version is the one a package declares, else ``schema_version``, else the latest.
    ``order`` ("dayfirst" or "monthfirst") says how to read dates such as 01/03/2019.
    Pass a :class:`NormaliseReport` to see every change and every value left unread.
    """
    report = report if report is not None else NormaliseReport()
    if is_package(data):
        version = normalise_version(str(data.get("schema_version") or schema_version or LATEST_VERSION))
        return {
            key: [
                normalise_record(
                    r, entity=PACKAGE_LISTS[key], schema_version=version, order=order, report=report
                )
                for r in value
            ]
            if key in PACKAGE_LISTS and isinstance(value, list)
            else value
            for key, value in data.items()
        }
    version = schema_version or LATEST_VERSION
    if isinstance(data, list):
        return [normalise_record(r, schema_version=version, order=order, report=report) for r in data]
    return normalise_record(data, schema_version=version, order=order, report=report)


def normalise_sourced(
    item: SourcedRecord,
    *,
    schema_version: str | None = None,
    order: DateOrder | None = None,
    report: NormaliseReport,
) -> Any:
    """A normalised copy of one record as a reader yields it; for flat input each change in
    ``report`` names the file, row and column of its cell.

    The version is the one the input declares or maps its columns with, else ``schema_version``.
    """
    version = normalise_version(
        item.declared_version or item.mapping_version or schema_version or LATEST_VERSION
    )
    start = len(report.changes)
    result = normalise_record(
        item.data, entity=item.entity, schema_version=version, order=order, report=report
    )
    entity = detect_entity(item.data, context=item.entity)
    if item.cells and entity is not None:
        for index in range(start, len(report.changes)):
            change = report.changes[index]
            report.changes[index] = attrs.evolve(change, source=_cell(item, change.path, version, entity))
    return result


def _cell(item: SourcedRecord, path: str, version: str, entity: str) -> CellRef | None:
    """The cell a value came from; for a value the normaliser filled in, the cell it goes to."""
    exact = item.cells.get(path) if item.cells else None
    if exact is not None:
        return exact
    row = item.locate(path)
    found = field_for_pointer(version, entity, path)
    if row is None or found is None:
        return row
    from ..flat.layout import layout

    for sheet in layout(version).for_entity(entity):
        for column in sheet.columns:
            if column.field.path == found.path:
                return CellRef(row.file, row.row, column.header)
    return row

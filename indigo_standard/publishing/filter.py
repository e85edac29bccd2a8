"""The publication filter: keep only what the public (or one sandbox) may see.

Every rule lives here; ``docs/publishing.md`` states them for readers, with each place
where they are stricter than the INDIGO data store's own filter. In short:

- A record is published only when its own status is PUBLIC.
- A status is read after trimming spaces and ignoring letter case, so ``Public`` counts
  as PUBLIC (with a warning naming the field). SANDBOX counts only in the view of a
  sandbox named in the object's own ``sandboxes`` list or, without one, in that of the
  nearest enclosing list item whose schema has such lists, and never for a whole record.
  Anything else (PRIVATE, DISPUTED, a code that is not in the standard) withholds the
  object and everything inside it.
- An object the schema gives a status (the record, a value wrapper, a list item) that has
  none (absent, null or blank) is withheld, unless the caller says missing statuses are
  public (``missing_status="public"``), which then applies at every level.
- A status is obeyed wherever it is found, also on objects the schema gives none.
- Data nested more deeply than the JSON reader accepts is refused with an InputError.
- What the filter cannot classify is withheld and named in the summary: keys the schema
  does not have at that place, a list or object where the schema has something else, a
  status key written in another letter case (the object carrying it is withheld), a
  record of unknown type, package fields and record lists the envelope does not define.
- List items never keep their own ``source_ids``; legacy organisation id fields are
  never published; ``status`` and ``sandboxes`` never appear in the output.
- Sources: a source cited in the input, but by nothing that is published, is withheld;
  the ids of withheld sources are removed from every published list of source ids. Ids
  are compared without surrounding spaces and in any letter case.
- Objects and lists that removal left empty are removed too.

The walk follows the record's schema shape, so it never descends deeper than the schema
does: nesting of any depth inside something unknown is withheld without being walked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Literal, overload

import attrs

from ..detect import RECORD_TYPES, detect_entity, record_id
from ..errors import InputError
from ..fields import escape
from ..reading.records import NOTICES_ONLY, PACKAGE_LISTS, SourcedRecord, is_package, type_name
from ..versions import LATEST_VERSION, normalise_version
from .shape import (
    LEGACY_FIELDS,
    SANDBOXES_KEY,
    SOURCE_IDS_KEY,
    SOURCE_IDS_SUFFIX,
    SOURCES_KEY,
    STATUS_KEY,
    Shape,
    envelope_shape,
    record_shape,
)

PUBLIC = "PUBLIC"
SANDBOX = "SANDBOX"
KNOWN_STATUSES = ("PUBLIC", "SANDBOX", "PRIVATE", "DISPUTED")

MissingStatus = Literal["private", "public"]
MISSING_STATUS_CHOICES: tuple[MissingStatus, ...] = ("private", "public")

JsonObject = dict[str, Any]
"""A record (or package) in the standard's JSON form."""

_SEPARATORS = re.compile(r"[\s,;]+")
_EXTRA_COLUMNS = "extra_columns"
"""Where flat readers keep the cells of columns they do not know (see :mod:`..flat.layout`)."""


@attrs.define
class Tally:
    """How often something was met, and where first: a record id and a JSON pointer."""

    count: int = 0
    first: str = ""


@attrs.define
class FilterSummary:
    """What the filter kept, withheld and could not classify, for a person to check."""

    records_kept: int = 0
    records_removed: int = 0
    records_without_status: int = 0
    """Records withheld because they carry no status (part of ``records_removed``)."""
    values_removed: int = 0
    """Objects below the record (value wrappers, list items) withheld for their status or lack of one."""
    missing_made_public: int = 0
    """Objects without a status that were published because missing statuses count as public."""
    sources_removed: int = 0
    """Sources withheld because only withheld values cite them."""
    item_source_ids_removed: int = 0
    """``source_ids`` of list items, which are never published."""
    legacy_fields_removed: int = 0
    """Legacy organisation id fields (``org-ids/company``, ``charity``, ``other``), never published."""
    unknown_statuses: dict[str, int] = attrs.field(factory=dict)
    """Status values that are not codes of the standard (treated as private), with counts."""
    respelled_statuses: dict[str, Tally] = attrs.field(factory=dict)
    """Statuses read as a code although written otherwise, by spelling and field
    (``'Public' at /notes/status read as PUBLIC``)."""
    withheld: dict[str, Tally] = attrs.field(factory=dict)
    """What the filter could not classify and withheld, by place and reason."""

    def add(self, other: FilterSummary) -> None:
        """Add another summary's counts to this one."""
        for name in (
            "records_kept",
            "records_removed",
            "records_without_status",
            "values_removed",
            "missing_made_public",
            "sources_removed",
            "item_source_ids_removed",
            "legacy_fields_removed",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for status, count in other.unknown_statuses.items():
            self.unknown_statuses[status] = self.unknown_statuses.get(status, 0) + count
        for mine, theirs in (
            (self.respelled_statuses, other.respelled_statuses),
            (self.withheld, other.withheld),
        ):
            for key, tally in theirs.items():
                found = mine.setdefault(key, Tally(0, tally.first))
                found.count += tally.count

    def note(self, table: dict[str, Tally], key: str, where: str) -> None:
        """Count one more ``key`` in ``table`` (``withheld`` or ``respelled_statuses``)."""
        found = table.get(key)
        if found is None:
            found = table[key] = Tally(0, where)
        found.count += 1


def split_ids(text: Any) -> list[str]:
    """The ids in a list of source ids: separated by commas, semicolons or spaces."""
    if not isinstance(text, str):
        return []
    return [part for part in _SEPARATORS.split(text) if part]


def status_code(raw: Any) -> str | None:
    """The status ``raw`` names, trimmed and in capitals; None when there is none (absent, null, blank)."""
    if raw is None:
        return None
    if not isinstance(raw, str):
        return repr(raw)
    code = raw.strip().upper()
    return code or None


def _looks_like_status(key: Any) -> bool:
    return isinstance(key, str) and key != STATUS_KEY and key.strip().casefold() == STATUS_KEY


def _names_status(header: Any) -> bool:
    """True for a flat column header that names a status (``Status``, ``... - (status)``)."""
    if not isinstance(header, str):
        return False
    last = header.rsplit(" - ", 1)[-1].strip().strip("()").strip()
    return last.casefold() == STATUS_KEY


_GONE: Any = object()
PACKAGE_WITHHELD = "/status: the package's own status withholds the whole package"


class _RecordWalk:
    """One pass over one record (or envelope) against its shape."""

    def __init__(
        self,
        sandbox: str | None,
        missing_public: bool,
        summary: FilterSummary,
        rid: str,
        what: str,
        legacy: frozenset[str] = frozenset(),
    ) -> None:
        self.sandbox = sandbox
        self.missing_public = missing_public
        self.summary = summary
        self.rid = rid
        self.what = what
        """How the summary names the schema: ``4.1 project``."""
        self.legacy = legacy
        self.citations: set[str] = set()
        """Source ids cited by what is kept (outside list items' own ``source_ids``), in lower case."""

    def where(self, ptr: str) -> str:
        return f"{self.rid} {ptr or '/'}"

    def withhold(self, shape_path: str, reason: str, ptr: str) -> None:
        self.summary.note(self.summary.withheld, f"{shape_path or '/'}: {reason}", self.where(ptr))

    def visible(self, raw: Any, field: str, ptr: str, lists: tuple[str, ...], record: bool) -> bool:
        """Whether a status lets its object be seen (``lists``: the sandboxes that apply)."""
        code = status_code(raw)
        if code in (PUBLIC, SANDBOX) and raw != code:
            spelling = f"{raw!r} at {field} read as {code}"
            self.summary.note(self.summary.respelled_statuses, spelling, self.where(ptr))
        if code == PUBLIC:
            return True
        if code == SANDBOX:
            return not record and self.sandbox is not None and self.sandbox in lists
        if code not in KNOWN_STATUSES:
            shown = repr(raw)
            self.summary.unknown_statuses[shown] = self.summary.unknown_statuses.get(shown, 0) + 1
        return False

    def obj(
        self, value: dict[str, Any], shape: Shape, ptr: str, lists: tuple[str, ...], item: bool, root: bool
    ) -> Any:
        """The visible part of an object, or ``_GONE``."""
        for key in value:
            if _looks_like_status(key):
                self.withhold(f"{shape.path}/{key}", "a status key in another letter case", f"{ptr}/{key}")
                return _GONE
        extra = value.get(_EXTRA_COLUMNS)
        if isinstance(extra, Mapping) and any(_names_status(header) for header in extra):
            self.withhold(
                f"{shape.path}/{_EXTRA_COLUMNS}",
                "an unknown column that names a status",
                f"{ptr}/{_EXTRA_COLUMNS}",
            )
            return _GONE
        own = lists
        if SANDBOXES_KEY in value:
            raw = value[SANDBOXES_KEY]
            own = tuple(split_by_comma(raw)) if isinstance(raw, str) else ()
            if SANDBOXES_KEY in shape.keys:  # the schema's sandbox lists also cover what is inside
                lists = own
        if status_code(value.get(STATUS_KEY)) is not None:
            if not self.visible(
                value[STATUS_KEY], f"{shape.path}/{STATUS_KEY}", f"{ptr}/{STATUS_KEY}", own, root
            ):
                return self.removed(root)
        elif shape.status:
            if not self.missing_public:
                return self.removed(root)
            self.summary.missing_made_public += 1
        kept: dict[str, Any] = {}
        for key, child in value.items():
            if key in (STATUS_KEY, SANDBOXES_KEY):
                continue
            if key == SOURCE_IDS_KEY and item:
                self.summary.item_source_ids_removed += 1
                continue
            child_ptr = f"{ptr}/{escape(key)}"
            sub = shape.keys.get(key)
            if sub is None:
                if f"{shape.path}/{key}" in self.legacy:
                    self.summary.legacy_fields_removed += 1
                else:
                    self.withhold(f"{shape.path}/{key}", f"not a field of the {self.what} schema", child_ptr)
                continue
            result = self.node(child, sub, child_ptr, lists)
            if result is not _GONE:
                kept[key] = result
        return kept if kept or not value or root else _GONE

    def removed(self, root: bool) -> Any:
        """Count an object below the record withheld for its status (a record is counted by the caller)."""
        if not root:
            self.summary.values_removed += 1
        return _GONE

    def node(self, value: Any, shape: Shape, ptr: str, lists: tuple[str, ...]) -> Any:
        """The visible part of any value at a position of the given shape, or ``_GONE``."""
        if value is None:
            return None
        if shape.kind == "value":
            if isinstance(value, (dict, list)):
                self.withhold(shape.path, f"{type_name(value)} where the schema has a single value", ptr)
                return _GONE
            if shape.cites:
                self.citations.update(part.casefold() for part in split_ids(value))
            return value
        if shape.kind == "object":
            if not isinstance(value, dict):
                self.withhold(shape.path, f"{type_name(value)} where the schema has an object", ptr)
                return _GONE
            return self.obj(value, shape, ptr, lists, item=False, root=False)
        if not isinstance(value, list) or shape.item is None:
            self.withhold(shape.path, f"{type_name(value)} where the schema has a list", ptr)
            return _GONE
        kept = []
        for index, entry in enumerate(value):
            result = self.item(entry, shape.item, f"{ptr}/{index}", lists)
            if result is not _GONE:
                kept.append(result)
        return kept if kept or not value else _GONE

    def item(self, value: Any, shape: Shape, ptr: str, lists: tuple[str, ...]) -> Any:
        if shape.kind != "object" or not isinstance(value, dict):
            return self.node(value, shape, ptr, lists)
        return self.obj(value, shape, ptr, lists, item=True, root=False)


def split_by_comma(text: str) -> list[str]:
    """The names in a ``sandboxes`` list: comma-separated, trimmed."""
    return [part.strip() for part in text.split(",") if part.strip()]


MAX_DEPTH = 1000
"""How deeply the data given to :func:`publish` may nest: about as deep as the JSON reader
that the command line uses can parse, so both refuse the same data with the same error."""


def _scan(record: Any, where: str) -> set[str]:
    """Every id that anything in ``record`` cites as a source, in lower case; InputError when the
    record nests more than :data:`MAX_DEPTH` levels. Walked without recursion."""
    found: set[str] = set()
    stack: list[tuple[Any, int]] = [(record, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InputError(f"{where}: the data is nested too deeply to read (more than {MAX_DEPTH} levels)")
        if isinstance(value, dict):
            for key, child in value.items():
                if isinstance(key, str):
                    name = key.strip().casefold()
                    if name == SOURCE_IDS_KEY or name.endswith(SOURCE_IDS_SUFFIX):
                        text = child.get("value") if isinstance(child, dict) else child
                        found.update(part.casefold() for part in split_ids(text))
                if isinstance(child, (dict, list)):
                    stack.append((child, depth + 1))
        elif isinstance(value, list):
            stack.extend((child, depth + 1) for child in value if isinstance(child, (dict, list)))
    return found


def _source_key(source: Any) -> str | None:
    if not isinstance(source, dict) or source.get("id") is None:
        return None
    return str(source["id"]).strip()


def _without_ids(value: Any, shape: Shape, removed: set[str]) -> Any:
    """``value`` (already filtered) with the ``removed`` ids taken out of every list of source ids."""
    if isinstance(value, dict) and shape.kind == "object":
        kept: dict[str, Any] = {}
        for key, child in value.items():
            sub = shape.keys.get(key)
            result = _without_ids(child, sub, removed) if sub is not None else child
            if result is not _GONE:
                kept[key] = result
        return kept if kept or not value else _GONE
    if isinstance(value, list) and shape.item is not None:
        items = [r for r in (_without_ids(i, shape.item, removed) for i in value) if r is not _GONE]
        return items if items or not value else _GONE
    if shape.cites and isinstance(value, str):
        ids = split_ids(value)
        remaining = [i for i in ids if i.casefold() not in removed]
        if len(remaining) == len(ids):
            return value
        return ",".join(remaining) if remaining else _GONE
    return value


def _clean_sources(
    record: dict[str, Any], kept: dict[str, Any], walk: _RecordWalk, shape: Shape, cited: set[str]
) -> dict[str, Any]:
    """Withhold sources that only withheld values cite (``cited``: every id cited in the input, in
    lower case), and remove withheld sources' ids."""
    originals = record.get(SOURCES_KEY)
    if not isinstance(originals, list):
        return kept
    sources = kept.get(SOURCES_KEY)
    if isinstance(sources, list):
        remaining = []
        for source in sources:
            sid = _source_key(source)
            if sid is not None and sid.casefold() in cited and sid.casefold() not in walk.citations:
                walk.summary.sources_removed += 1
                continue
            remaining.append(source)
        if remaining:
            kept[SOURCES_KEY] = remaining
        else:
            del kept[SOURCES_KEY]
    still = {key.casefold() for key in map(_source_key, kept.get(SOURCES_KEY) or []) if key is not None}
    removed = {key.casefold() for key in map(_source_key, originals) if key is not None} - still
    if not removed:
        return kept
    result = _without_ids(kept, shape, removed)
    return result if result is not _GONE else {}


def _entity_and_version(
    data: dict[str, Any], context: str | None, version: str | None
) -> tuple[str | None, str]:
    entity = detect_entity(data, context=context if context in RECORD_TYPES else None)
    if version is None:
        from ..migrations.upgrade import detect_version

        version = detect_version(data) or LATEST_VERSION
    return entity, version


def publish_record(
    record: Any,
    sandbox: str | None = None,
    missing_status: MissingStatus = "private",
    summary: FilterSummary | None = None,
    *,
    entity: str | None = None,
    schema_version: str | None = None,
) -> JsonObject | None:
    """The public (or sandbox) view of one record, or None when the record may not be seen.

    ``entity`` is the record type when known (else it is read from the id's prefix);
    ``schema_version`` the version whose schema the record follows (else the one the
    record shows, else the latest).
    """
    summary = summary if summary is not None else FilterSummary()
    rid = record_id(record) or "(no id)"
    cited = _scan(record, f"record {rid}")
    if not isinstance(record, dict):
        summary.records_removed += 1
        summary.note(summary.withheld, f"record: {type_name(record)}, not an object", "(a record)")
        return None
    kind, version = _entity_and_version(record, entity, schema_version)
    if kind is None:
        summary.records_removed += 1
        summary.note(summary.withheld, "record: its type cannot be told from its id", rid)
        return None
    if status_code(record.get(STATUS_KEY)) is None and missing_status != "public":
        summary.records_removed += 1
        summary.records_without_status += 1
        return None
    shape = record_shape(version, kind)
    legacy = LEGACY_FIELDS.get(kind, frozenset())
    walk = _RecordWalk(sandbox, missing_status == "public", summary, rid, f"{version} {kind}", legacy)
    kept = walk.obj(record, shape, "", (), item=False, root=True)
    if kept is _GONE:
        summary.records_removed += 1
        return None
    result: JsonObject = _clean_sources(record, kept, walk, shape, cited)
    summary.records_kept += 1
    return result


def _envelope(
    data: dict[str, Any], version: str, sandbox: str | None, summary: FilterSummary
) -> JsonObject | None:
    """The visible fields of a package's envelope (record lists left out), or None when the
    envelope's own status withholds the whole package."""
    walk = _RecordWalk(sandbox, False, summary, "package", f"{version} package")
    fields = {key: value for key, value in data.items() if key not in PACKAGE_LISTS}
    _scan(fields, "package")
    for key in PACKAGE_LISTS:
        if key in data and not isinstance(data[key], list):
            walk.withhold(f"/{key}", f"a record list that is {type_name(data[key])}, not a list", f"/{key}")
    if status_code(fields.get(STATUS_KEY)) is not None and not walk.visible(
        fields[STATUS_KEY], f"/{STATUS_KEY}", f"/{STATUS_KEY}", (), record=True
    ):
        summary.note(summary.withheld, PACKAGE_WITHHELD, "package /status")
        return None
    fields.pop(STATUS_KEY, None)
    kept = walk.obj(fields, envelope_shape(version), "", (), item=False, root=True)
    return kept if kept is not _GONE else {}


def _declared(data: Mapping[str, Any], given: str | None) -> str:
    """The version a package's records follow: the one it declares, else the one given, else the latest."""
    declared = data.get("schema_version")
    if declared is not None:
        return normalise_version(str(declared))
    return given or LATEST_VERSION


@overload
def publish(
    data: list[Any],
    sandbox: str | None = None,
    *,
    missing_status: MissingStatus = "private",
    schema_version: str | None = None,
    summary: FilterSummary | None = None,
) -> list[JsonObject]: ...


@overload
def publish(
    data: Mapping[str, Any],
    sandbox: str | None = None,
    *,
    missing_status: MissingStatus = "private",
    schema_version: str | None = None,
    summary: FilterSummary | None = None,
) -> JsonObject | None: ...


def publish(
    data: list[Any] | Mapping[str, Any],
    sandbox: str | None = None,
    *,
    missing_status: MissingStatus = "private",
    schema_version: str | None = None,
    summary: FilterSummary | None = None,
) -> list[JsonObject] | JsonObject | None:
    """The part of ``data`` that the public (or one sandbox) may see; see ``docs/publishing.md``.

    ``data`` is a record (the result is the record's visible part, or None when the record
    may not be seen), a list of records (the visible records) or a dataset package (its
    visible envelope fields and records, or None when the package's own status withholds
    it). ``sandbox`` names the sandbox whose SANDBOX values are kept; ``missing_status``
    says whether an object without a status is private (the default) or public;
    ``schema_version`` is the version the records follow when no package declares one.
    ``summary`` collects what was withheld and why. The input is never changed.
    """
    _check_missing(missing_status)
    given = normalise_version(schema_version) if schema_version else None
    summary = summary if summary is not None else FilterSummary()
    if is_package(data):
        assert isinstance(data, Mapping)
        version = _declared(data, given)
        envelope = _envelope(dict(data), version, sandbox, summary)
        out: JsonObject = {}
        for key, value in data.items():
            if key in PACKAGE_LISTS and isinstance(value, list):
                records = value if envelope is not None else []
                entity = PACKAGE_LISTS[key]
                out[key] = _publish_all(records, sandbox, missing_status, summary, entity, version)
            elif envelope is not None and key in envelope:
                out[key] = envelope[key]
        if envelope is None:
            summary.records_removed += sum(
                len(v) for k, v in data.items() if k in PACKAGE_LISTS and isinstance(v, list)
            )
            return None
        return out
    if isinstance(data, list):
        return _publish_all(data, sandbox, missing_status, summary, None, given)
    if isinstance(data, Mapping):
        return publish_record(dict(data), sandbox, missing_status, summary, schema_version=given)
    raise InputError(f"publish takes a record, a list of records or a dataset package, not {type_name(data)}")


def _check_missing(missing_status: str) -> None:
    if missing_status not in MISSING_STATUS_CHOICES:
        raise ValueError(f"missing_status must be one of {', '.join(MISSING_STATUS_CHOICES)}")


def _publish_all(
    records: Iterable[Any],
    sandbox: str | None,
    missing_status: MissingStatus,
    summary: FilterSummary,
    entity: str | None,
    version: str | None,
) -> list[JsonObject]:
    kept = (
        publish_record(r, sandbox, missing_status, summary, entity=entity, schema_version=version)
        for r in records
    )
    return [r for r in kept if r is not None]


def publish_items(
    items: Iterable[SourcedRecord],
    sandbox: str | None = None,
    *,
    missing_status: MissingStatus = "private",
    schema_version: str | None = None,
    summary: FilterSummary | None = None,
) -> Iterator[SourcedRecord]:
    """The visible part of records as a reader yields them (see :func:`~indigo_standard.reading.iter_path`),
    one at a time: package envelopes (entity ``package``) and the records that may be seen.

    Records of a package whose own status withholds it are withheld with it. Items that
    carry only a reader's notices are passed over.
    """
    _check_missing(missing_status)
    given = normalise_version(schema_version) if schema_version else None
    summary = summary if summary is not None else FilterSummary()
    withheld_file: str | None = None
    for item in items:
        if item.entity == NOTICES_ONLY:
            continue
        declared = normalise_version(item.declared_version) if item.declared_version else None
        version = declared or given or item.mapping_version
        if item.entity == "package":
            envelope = _envelope(item.data, version or LATEST_VERSION, sandbox, summary)
            withheld_file = item.file if envelope is None else None
            if envelope is not None:
                yield SourcedRecord(envelope, "package", item.file, item.declared_version)
            continue
        if withheld_file is not None and item.file == withheld_file and item.entity in RECORD_TYPES:
            summary.records_removed += 1
            continue
        kept = publish_record(
            item.data, sandbox, missing_status, summary, entity=item.entity, schema_version=version
        )
        if kept is not None:
            yield SourcedRecord(kept, item.entity, item.file, item.declared_version)

"""Hypothesis strategies for realistic INDIGO records: test your pipeline with them.

``projects()``, ``organisations()``, ``funds()`` and ``pipelines()`` generate typed records
whose ``dump`` passes ``indigo.validate(..., schema_version="4.1")`` with no errors: no
schema errors and no check errors. ``datasets()`` generates lists of records of every type
whose references to each other resolve, and ``packages()`` the same as dataset packages,
which also pass the dataset checks. Half the records are full (each optional field there
seven times in eight), the others half full or sparse, so every field and every status
code of every field turns up in a modest number of examples, and records with few fields
too. Simple constraints (``country``, ``currency``, ``min_items``) are arguments, so
tests need no ``.filter``.

The records hold together the way the checks expect, by construction:

- references: source ids name sources of the record (and every source is cited),
  outcome metric, investment, technical assistance, payment plan and service provision
  ids name items of its lists, and organisation and project references are well-formed
  INDIGO ids (an organisation never controls itself); in a dataset they name its records;
- dates come in order: contract signed, then service start, then service end (fund
  launch, then end), and every period starts no later than it ends;
- amounts: min <= exact <= max, a currency wherever there is a money object, an amount in
  the original currency wherever a US dollar amount is given, no negative amounts, and
  at most as many people with positive outcomes as engaged;
- SDG goals are 1 to 17 and every target belongs to a goal given next to it;
- org-ids have the LIST-ID shape (``GB-COH-09506232``) and rates of return are plausible
  fractions (``0.05``) or percentages (``5%``).

Built from the typed model and the codelists (not from the JSON Schema), so they need
only ``hypothesis`` and this package::

    from hypothesis import given
    from indigo_standard import dump, strategies

    @given(strategies.projects())
    def test_my_pipeline(project):
        my_pipeline(dump(project))

How they stay fast: Hypothesis spends most of its time per choice it records, so each
object makes one choice for all its optional fields at once (a byte string, one byte per
field: below a threshold leaves the field out, and the byte also picks the code
of a short code list, a status, the precision of a date or the scale of an amount).
Values that need more (text, amounts, dates, ids) make their own few choices.
"""

from __future__ import annotations

import calendar
import csv
import types
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from decimal import Decimal
from enum import Enum
from functools import cache
from importlib.resources import files
from typing import Any, TypeVar, Union, cast, get_args, get_origin

import attrs
from hypothesis import strategies as st

from .detect import ID_PREFIXES
from .model import Record
from .model import _generated as model
from .model.base import Node, Status, Value
from .model.types import Country, Currency, PartialDate, country_codes, currency_codes

N = TypeVar("N", bound=Node)
Pools = Mapping[str, tuple[str, ...]]
"""Ids available for references, keyed by the list they name (``/sources``, ``/investments``)."""

_PRESENT_FROM = 32
"""An optional field of a full record is present when its decision byte is at least this: seven
times in eight."""

_FILLS = (224, 128, _PRESENT_FROM, _PRESENT_FROM)
"""How full a record is, drawn once per record: the byte from which its optional fields are
present. Half the records are full (each optional field there seven times in eight), a
quarter half full and a quarter sparse (one field in eight), as real data often is."""

ORDERS: tuple[tuple[str, ...], ...] = (
    (
        "outcomes_contract_signed",
        "start_date_of_service_provision",
        "anticipated_end_date_of_service_provision",
        "actual_end_date_of_service_provision",
    ),
    ("launch_date", "anticipated_end_date", "actual_end_date"),
    ("start_date", "end_date"),
    ("min", "exact", "max"),
    ("number_with_positive_social_outcomes", "number_engaged_in_impact_bond"),
)
"""Sibling fields whose values the strategies keep in this (non-decreasing) order."""

_RECORD_REFERENCES: Mapping[tuple[type[Node], str], str] = {
    (model.OutcomeFund, "id"): "fund",
    (model.ControlledBy, "organisation_id"): "organisation",
}
"""Attributes that name other records though the schema does not say so, with the type they name
(the dataset checks know them too: ``FUND_REFERENCES`` and the control-cycle check)."""

_COUNTRY_FIELDS: Mapping[type[Node], tuple[str, ...]] = {
    model.Project: ("jurisdiction", "jurisdiction"),
    model.Organisation: ("country",),
    model.Fund: ("country",),
    model.Pipeline: ("delivery_locations", "location_country"),
}
"""The JSON keys leading to the field that a ``country=`` constraint makes sure is present."""

_INTERNAL = ("_extra", "key_order", "problems")
_SHORT_LIST = 16
"""Code lists up to this long take their code from the field's decision byte."""
_WRAPPER_KEYS = ("status", "source_ids", "notes", "sandboxes")

# Leaf strategies are built once: building them for every draw costs more than drawing.
_GOALS = st.integers(1, 17)
_TARGET_SUFFIXES = st.sampled_from([*map(str, range(1, 11)), "a", "b", "c"])
_HOW_MANY = st.integers(1, 3)
_SEPARATORS = st.sampled_from([",", ", "])
_RETURN_TYPES = st.sampled_from(["IRR", "Average annual return", "ROI"])
_DIGITS = st.integers(0, 10**18)
_SCALES = (0, 2, 0, 2, 3, 9, -3)
"""Decimal places of amounts: whole numbers and cents most often, then rates, long fractions
and huge values (a negative scale multiplies by a power of ten)."""
_FIRST_YEAR, _LAST_YEAR = 1990, 2040
_MONTHS = st.integers(0, (_LAST_YEAR - _FIRST_YEAR + 1) * 12 - 1)
"""A year and month in one choice (a choice fewer for each date: dates are many)."""
_DAYS = st.integers(1, 31)
_PRECISIONS = st.integers(0, 2)
_RECORD_NUMBERS = st.integers(1, 9999)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_ID_TEXTS = st.text(_LETTERS + "0123456789_-", min_size=1, max_size=8)
_PICKS = st.integers(0, 2**16 - 1)
_FILL_CHOICES = st.sampled_from(_FILLS)
_LICENCES = st.sampled_from(
    [
        "https://creativecommons.org/licenses/by/4.0/",
        "https://creativecommons.org/publicdomain/zero/1.0/",
        "https://opendatacommons.org/licenses/pddl/1-0/",
    ]
)


def _option(byte: int, options: Sequence[Any]) -> Any:
    """The option a decision byte picks: the first for the smallest byte that is present."""
    return options[(byte - _PRESENT_FROM) % len(options)]


@cache
def texts(max_size: int = 12) -> st.SearchStrategy[str]:
    """Short free text, any printable Unicode."""
    return st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=max_size)


def _local_id(text: str) -> str:
    return text if text[0] in _LETTERS else f"x{text}"[:8]


@cache
def local_ids() -> st.SearchStrategy[str]:
    """Ids of items inside a record (sources, investments...): a letter first, no commas, no spaces."""
    return _ID_TEXTS.map(_local_id)


def _record_id(entity: str, number: int) -> str:
    return f"{ID_PREFIXES[entity]}{number:04d}"


@cache
def record_ids(entity: str) -> st.SearchStrategy[str]:
    """Record ids with the INDIGO prefix of ``entity``, such as ``INDIGO-POJ-0042``."""
    return _RECORD_NUMBERS.map(lambda n: _record_id(entity, n))


@cache
def org_ids() -> st.SearchStrategy[str]:
    """Register identifiers in the org-id shape LIST-ID, such as ``GB-COH-09506232``."""
    lists = st.sampled_from(["GB-COH", "GB-CHC", "GB-SC", "GB-GOR", "US-EIN", "NL-KVK", "XI-IATI"])
    numbers = st.integers(1, 10**8 - 1).map(lambda n: f"{n:08d}")
    return st.tuples(lists, numbers).map("-".join)


def _amount(digits: int, scale: int) -> Decimal:
    return Decimal(digits).scaleb(-scale)


@cache
def decimals() -> st.SearchStrategy[Decimal]:
    """Amounts and counts (never negative): whole numbers, money with cents, long fractions, huge values.

    Up to 10**18 before scaling, so whole numbers beyond 2**53 (which a float cannot hold)
    and fractions that binary cannot hold exactly both turn up.
    """
    return st.builds(_amount, _DIGITS, st.sampled_from(_SCALES))


@cache
def rates() -> st.SearchStrategy[Decimal]:
    """Plausible rates of return as fractions, from -20% to +50% (``Decimal("0.066")``)."""
    return st.decimals(min_value=Decimal("-0.2"), max_value=Decimal("0.5"), places=3)


@cache
def rate_texts() -> st.SearchStrategy[str]:
    """Rates of return as publishers write them: a fraction (``0.066``) or a percentage (``6.6%``)."""
    return st.one_of(
        rates().map(str),
        rates().map(lambda rate: f"{(rate * 100).normalize():f}%"),
    )


def _partial_date(draw: st.DrawFn, precision: int) -> PartialDate:
    """A real date between 1990 and 2040: a year (precision 0), a month (1) or a day (2)."""
    year, month = divmod(draw(_MONTHS), 12)
    year, month = _FIRST_YEAR + year, month + 1
    if precision == 0:
        return PartialDate(year)
    if precision == 1:
        return PartialDate(year, month)
    return PartialDate(year, month, min(draw(_DAYS), calendar.monthrange(year, month)[1]))


@cache
def partial_dates() -> st.SearchStrategy[PartialDate]:
    """Real dates between 1990 and 2040, at year, month or day precision."""
    return st.composite(lambda draw: _partial_date(draw, draw(_PRECISIONS)))()


@cache
def _country_codes() -> tuple[str, ...]:
    return tuple(sorted(country_codes()))


@cache
def _currency_codes() -> tuple[str, ...]:
    return tuple(sorted(currency_codes()))


@cache
def countries() -> st.SearchStrategy[Country]:
    """ISO 3166-1 alpha-2 codes from the bundled list."""
    return st.sampled_from(_country_codes()).map(Country)


@cache
def currencies() -> st.SearchStrategy[Currency]:
    """ISO 4217 codes from the bundled list."""
    return st.sampled_from(_currency_codes()).map(Currency)


@cache
def country_names() -> Mapping[str, str]:
    """The English name of each bundled ISO 3166-1 country code, as free-text country fields hold it."""
    text = files("indigo_standard.data").joinpath("countries.csv").read_text(encoding="utf-8")
    return {row["code"]: row["name"] for row in csv.DictReader(text.splitlines())}


def _target(draw: st.DrawFn, goals: Sequence[int]) -> str:
    """An SDG target under one of ``goals`` (any goal when empty), such as ``4.1`` or ``4.a``."""
    goal = goals[draw(_PICKS) % len(goals)] if goals else draw(_GOALS)
    return f"{goal}.{draw(_TARGET_SUFFIXES)}"


def _several(draw: st.DrawFn, item: Callable[[], object]) -> str:
    """One to three different items as one text, separated the ways real data separates them."""
    items = dict.fromkeys(str(item()) for _ in range(draw(_HOW_MANY)))
    return draw(_SEPARATORS).join(items)


@cache
def sdg_targets(goals: tuple[int, ...] = ()) -> st.SearchStrategy[str]:
    """SDG targets such as ``4.1`` or ``4.a``, under one of ``goals`` (any goal when empty)."""
    return st.composite(lambda draw: _target(draw, goals))()


_BY_KEY: Mapping[tuple[str, type], st.SearchStrategy[Any]] = {
    ("primary_sdg_goal", str): _GOALS.map(str),
    ("secondary_sdg_goals", str): st.composite(lambda draw: _several(draw, lambda: draw(_GOALS)))(),
    ("primary_sdg_target", str): sdg_targets(),
    ("secondary_sdg_targets", str): st.composite(lambda draw: _several(draw, lambda: _target(draw, ())))(),
    ("start_date", str): partial_dates().map(str),
    ("end_date", str): partial_dates().map(str),
    ("maximum_potential_return", str): rate_texts(),
    ("maximum_potential_return", Decimal): rates(),
    ("maximum_potential_return_type", str): _RETURN_TYPES,
    ("lat", Decimal): st.decimals(min_value=-90, max_value=90, places=4),
    ("lng", Decimal): st.decimals(min_value=-180, max_value=180, places=4),
}
"""Values for fields known by their key and type, wherever they sit."""

_BY_OWNER: Mapping[tuple[type[Node], str], st.SearchStrategy[Any]] = {
    (model.OrgIds, "primary"): org_ids(),
    (model.Secondary, "organisation_id"): org_ids(),
    (model.InternalRateOfReturn, "target"): rate_texts(),
    (model.InternalRateOfReturn, "latest"): rate_texts(),
}
"""Values for fields known by the class that holds them."""


@cache
def _sampled(options: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    return st.sampled_from(options)


@cache
def _index_sets(size: int) -> st.SearchStrategy[list[int]]:
    return st.lists(st.integers(0, size - 1), min_size=1, max_size=min(3, size), unique=True)


# -- what the model looks like, worked out once per class ------------------------------------------

_SCALARS = (str, bool, Decimal, PartialDate, Country, Currency, Status)


def _generable(tp: Any) -> Any:
    """``tp`` if the strategies can generate it, else the first member of a union they can, else None.

    Anything else in a union (None, or a class for values that could not be typed) is
    ignored: the strategies generate only the model's own classes and the scalar types.
    """
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        return next((found for arg in get_args(tp) if (found := _generable(arg)) is not None), None)
    if origin is Value:
        inner = _generable(get_args(tp)[0]) if get_args(tp) else None
        return None if inner is None else Value[inner]  # type: ignore[valid-type]
    if origin is list:
        item = _generable(get_args(tp)[0])
        return None if item is None or get_origin(item) is not None else list[item]  # type: ignore[valid-type]
    if origin is tuple:
        return tp if get_args(tp)[:1] == (str,) else None
    if not isinstance(tp, type):
        return None
    if tp in _SCALARS or (issubclass(tp, Enum) and len(tp) > 0):
        return tp
    if issubclass(tp, Node) and tp.__module__ == model.__name__:
        return tp
    return None


_Filler = Callable[[st.DrawFn, "_Context", int], Any]
"""Draws one value of a field, given the record's context and the field's decision byte."""


@attrs.frozen
class _Slot:
    """One attribute of a model class, as the strategies fill it."""

    name: str
    key: str
    kind: str
    """``value`` (a wrapper), ``list`` (of nodes), ``node`` or ``scalar``."""
    tp: Any
    """The wrapped type, the item class, the node class or the scalar type."""
    meta: Mapping[str, Any]
    byte: int
    """Where in its object's decision bytes this attribute's byte is."""
    extra_bytes: Mapping[str, int] = attrs.field(factory=dict)
    """For a wrapper: the byte of each extra key it defines (status, source_ids...)."""
    fill: _Filler | None = attrs.field(default=None, eq=False)
    """For a wrapper or a scalar: how its value is drawn."""

    @property
    def pool(self) -> str:
        """The pool key of this attribute's list (``/sources``)."""
        return f"/{self.key}"


@attrs.frozen
class _Plan:
    """How to fill one model class: its slots, the strategy for its decision bytes, and which of
    the consistency rules apply to it."""

    slots: tuple[_Slot, ...]
    flags: st.SearchStrategy[bytes]
    by_name: Mapping[str, _Slot]
    orders: tuple[tuple[str, ...], ...]
    """The sibling orders of :data:`ORDERS` that the class has at least two fields of."""
    originals: tuple[tuple[str, _Slot], ...]
    """(US dollar attribute, the attribute of the amount in its original currency)."""
    consistent: bool
    """True when some rule of :func:`_make_consistent` applies to the class."""


_PLANS: dict[type[Node], _Plan] = {}


def _plan(cls: type[Node]) -> _Plan:
    """The plan of ``cls`` and, first, of every class inside it (so nothing is worked out mid-draw)."""
    found = _PLANS.get(cls)
    if found is None:
        found = _PLANS[cls] = _make_plan(cls)
        for slot in found.slots:
            if slot.kind in ("list", "node"):
                _plan(slot.tp)
    return found


def _make_plan(cls: type[Node]) -> _Plan:
    attrs.resolve_types(cls)
    slots: list[_Slot] = []
    size = 0
    for f in attrs.fields(cls):
        tp = _generable(f.type) if f.name not in _INTERNAL else None
        if tp is None:
            continue
        key = f.metadata.get("key", f.name)
        origin = get_origin(tp)
        extra: dict[str, int] = {}
        fill: _Filler | None = None
        if origin is Value:
            kind, inner = "value", get_args(tp)[0]
            for name in _WRAPPER_KEYS:
                if name in f.metadata.get("keys", ()):
                    extra[name] = size + 1 + len(extra)
            fill = _filler(cls, key, inner, f.metadata)
        elif origin is list:
            kind, inner = "list", get_args(tp)[0]
        elif isinstance(tp, type) and issubclass(tp, Node):
            kind, inner = "node", tp
        else:
            kind, inner = "scalar", tp
            fill = _filler(cls, key, inner, f.metadata)
        slots.append(_Slot(f.name, key, kind, inner, f.metadata, size, extra, fill))
        size += 1 + len(extra)
    flags = st.binary(min_size=size, max_size=size)
    flags.validate()
    by_name = {slot.name: slot for slot in slots}
    orders = tuple(order for order in ORDERS if sum(name in by_name for name in order) > 1)
    originals = tuple(
        (name, by_name[name[: -len("_usd")]])
        for name in by_name
        if name.endswith("_usd") and name[: -len("_usd")] in by_name
    )
    consistent = bool(orders or originals or "currency" in by_name or "primary_sdg_target" in by_name)
    return _Plan(tuple(slots), flags, by_name, orders, originals, consistent)


def _slots(cls: type[Node]) -> tuple[_Slot, ...]:
    return _plan(cls).slots


@cache
def _has_own_ids(cls: type[Node]) -> bool:
    """True for items with ids of their own, which other fields of the record may name."""
    return (cls, "id") not in _RECORD_REFERENCES and any(f.name == "id" for f in attrs.fields(cls))


@cache
def _pooled_lists() -> frozenset[str]:
    """The pool keys of the lists of every record type whose items have ids of their own."""
    found = set()
    for cls in model.RECORD_CLASSES.values():
        attrs.resolve_types(cls)
        for f in attrs.fields(cls):
            tp = _generable(f.type) if f.name not in _INTERNAL else None
            if get_origin(tp) is list and _has_own_ids(get_args(tp)[0]):
                found.add(f"/{f.metadata.get('key', f.name)}")
    return frozenset(found)


def _filler(owner: type[Node], key: str, tp: Any, meta: Mapping[str, Any]) -> _Filler:
    """How to draw values of type ``tp`` for attribute ``key`` of ``owner``: worked out once."""
    special = _BY_OWNER.get((owner, key))
    if special is None:
        special = _BY_KEY.get((key, tp))
    if special is not None:
        strategy = special
        return lambda draw, ctx, byte: draw(strategy)
    target = meta.get("references") or _RECORD_REFERENCES.get((owner, key))
    if target is None and key.endswith("_id") and f"/{key[:-3]}s" in _pooled_lists():
        target = f"/{key[:-3]}s"  # service_provision_id names an item of /service_provisions
    if tp is Decimal:
        return lambda draw, ctx, byte: _amount(draw(_DIGITS), _option(byte, _SCALES))
    if tp is PartialDate:
        return lambda draw, ctx, byte: _partial_date(draw, _option(byte, (0, 1, 2)))
    if tp is Country:
        codes = _sampled(_country_codes())
        return lambda draw, ctx, byte: ctx.country or Country(draw(codes))
    if tp is Currency:
        codes = _sampled(_currency_codes())
        return lambda draw, ctx, byte: ctx.currency or Currency(draw(codes))
    if tp is Status:
        statuses = tuple(Status(code) for code in meta.get("status", tuple(Status)))
        return lambda draw, ctx, byte: _option(byte, statuses)
    if isinstance(tp, type) and issubclass(tp, Enum):
        options = tuple(tp)
        if len(options) <= _SHORT_LIST:
            return lambda draw, ctx, byte: _option(byte, options)
        sampled = _sampled(options)
        sampled.validate()
        return lambda draw, ctx, byte: draw(sampled)
    if tp is bool:
        return lambda draw, ctx, byte: _option(byte, (False, True))
    if get_origin(tp) is tuple:
        name = "" if key == "sandboxes" else key
        return lambda draw, ctx, byte: _reference(draw, ctx, target, name, byte, many=True)
    if target is not None:
        return lambda draw, ctx, byte: next(iter(_reference(draw, ctx, target, key, byte, False) or ()), None)
    if key == "id":
        return lambda draw, ctx, byte: _local_id(draw(_ID_TEXTS))
    if key == "country":  # free text that real data fills with a country's name
        names = country_names()
        codes = _sampled(_country_codes())
        return lambda draw, ctx, byte: names[ctx.country or draw(codes)]
    text = texts(30) if key == "notes" else texts()
    return lambda draw, ctx, byte: draw(text)


@cache
def _warm() -> None:
    """Get every leaf strategy ready (Hypothesis builds some lazily, such as the characters of
    text, which takes a while): then a test's first examples are drawn as fast as the rest,
    instead of counting those one-off costs against its health checks."""
    for strategy in (
        texts(),
        texts(30),
        _ID_TEXTS,
        _DIGITS,
        _MONTHS,
        _DAYS,
        _PRECISIONS,
        _RECORD_NUMBERS,
        _PICKS,
        _FILL_CHOICES,
        _GOALS,
        _TARGET_SUFFIXES,
        _HOW_MANY,
        _SEPARATORS,
        _LICENCES,
        _sampled(_country_codes()),
        _sampled(_currency_codes()),
        *_BY_KEY.values(),
        *_BY_OWNER.values(),
    ):
        strategy.validate()


# -- drawing ---------------------------------------------------------------------------------------


@attrs.frozen
class _Context:
    """What a draw inside one record needs to know besides the class it fills."""

    pools: Pools = attrs.field(factory=dict)
    """Ids of the items of the record's lists, for references inside it."""
    records: Mapping[str, tuple[str, ...]] | None = None
    """In a dataset: the ids of its records of each type, which references must name."""
    own: str | None = None
    """The record's own id, which its references to other records avoid."""
    country: Country | None = None
    currency: Currency | None = None
    forced: frozenset[tuple[type[Node], str]] = frozenset()
    """(class, attribute) pairs that are always present."""
    min_items: Mapping[tuple[type[Node], str], int] = attrs.field(factory=dict)
    """The fewest items of a list attribute of a class."""
    present_from: int = _PRESENT_FROM
    """The record's fill: see ``_FILLS``."""


def _unique(ids: Iterable[str]) -> tuple[str, ...]:
    """``ids`` in order, each repeat made distinct with its position (drawn ids are never filtered)."""
    seen: list[str] = []
    for index, ident in enumerate(ids):
        while ident in seen:
            ident = f"{ident}{index}"
        seen.append(ident)
    return tuple(seen)


def _one(draw: st.DrawFn, pool: Sequence[str], byte: int) -> str:
    """One id of ``pool``: picked by the decision byte when the pool is short."""
    if len(pool) <= _SHORT_LIST:
        return str(_option(byte, pool))
    return pool[draw(_PICKS) % len(pool)]


def _subset(draw: st.DrawFn, pool: Sequence[str], byte: int) -> tuple[str, ...]:
    """One to three ids of ``pool``; for a pool of up to three, picked by the decision byte."""
    if len(pool) <= 3:
        mask = 1 + (byte - _PRESENT_FROM) % (2 ** len(pool) - 1)
        return tuple(ident for bit, ident in enumerate(pool) if mask >> bit & 1)
    return tuple(pool[i] for i in sorted(draw(_index_sets(len(pool)))))


def _record_refs(
    draw: st.DrawFn, ctx: _Context, entity: str, byte: int, many: bool
) -> tuple[str, ...] | None:
    """Ids of records of ``entity`` (one, or one to three), never the record's own id.

    In a dataset they are ids of its records (None when it has none to name); otherwise
    well-formed ids drawn afresh.
    """
    if ctx.records is not None:
        pool = [ident for ident in ctx.records.get(entity, ()) if ident != ctx.own]
        if not pool:
            return None
        return _subset(draw, pool, byte) if many else (_one(draw, pool, byte),)
    count = 1 + (byte - _PRESENT_FROM) % 3 if many else 1
    ids = []
    for _ in range(count):
        number = draw(_RECORD_NUMBERS)
        if _record_id(entity, number) == ctx.own:  # step to the next number: drawn, never filtered
            number = number % 9999 + 1
        ids.append(_record_id(entity, number))
    return tuple(dict.fromkeys(ids))


def _reference(
    draw: st.DrawFn, ctx: _Context, target: str | None, key: str, byte: int, many: bool
) -> tuple[str, ...] | None:
    """Ids for a field that names something: items of a list of the record, or other records."""
    if target and target.startswith("/"):
        pool = ctx.pools.get(target, ())
        if not pool:
            return None
        return _subset(draw, pool, byte) if many else (_one(draw, pool, byte),)
    if target in ID_PREFIXES:
        return _record_refs(draw, ctx, str(target), byte, many)
    if "organisation" in key:
        return _record_refs(draw, ctx, "organisation", byte, many)
    if many:
        return _unique(_local_id(draw(_ID_TEXTS)) for _ in range(1 + (byte - _PRESENT_FROM) % 3))
    return None


def _value(draw: st.DrawFn, ctx: _Context, slot: _Slot, flags: bytes) -> Value[Any] | None:
    assert slot.fill is not None
    value = slot.fill(draw, ctx, flags[slot.byte])
    if value is None:
        return None
    if not slot.extra_bytes:
        return Value(value)
    extra: dict[str, Any] = {}
    for key, index in slot.extra_bytes.items():
        byte = flags[index]
        if byte < ctx.present_from:
            continue
        if key == "status":
            extra[key] = Status(_option(byte, slot.meta.get("status", tuple(Status))))
        elif key == "notes":
            extra[key] = draw(texts(30))
        else:
            extra[key] = _reference(draw, ctx, "/sources" if key == "source_ids" else None, "", byte, True)
    return Value(value, **extra)


def _with_id(node: N, item_id: str) -> N:
    """``node`` with its id set, whether the id is plain text or a value wrapper."""
    current = getattr(node, "id", None)
    if _plan(type(node)).by_name["id"].kind == "value":
        return attrs.evolve(node, id=attrs.evolve(current, value=item_id) if current else Value(item_id))  # type: ignore[call-arg]
    return attrs.evolve(node, id=item_id)  # type: ignore[call-arg]


def _list_size(ctx: _Context, cls: type[Node], slot: _Slot, byte: int, most: int) -> int:
    least = ctx.min_items.get((cls, slot.name), 0) if ctx.min_items else 0
    top = max(least, most)
    return least + (byte - _PRESENT_FROM) % (top - least + 1)


def _slot_value(
    draw: st.DrawFn, ctx: _Context, cls: type[Node], slot: _Slot, flags: bytes, pooled: bool = False
) -> Any:
    kind = slot.kind
    if kind == "value":
        return _value(draw, ctx, slot, flags)
    if kind == "scalar":
        assert slot.fill is not None
        return slot.fill(draw, ctx, flags[slot.byte])
    if kind == "node":
        return _node(draw, ctx, slot.tp)
    if pooled and slot.pool in ctx.pools:
        return [_with_id(_node(draw, ctx, slot.tp), i) for i in ctx.pools[slot.pool]]
    return [_node(draw, ctx, slot.tp) for _ in range(_list_size(ctx, cls, slot, flags[slot.byte], 2))]


def _present(ctx: _Context, cls: type[Node], slot: _Slot, byte: int) -> bool:
    if byte >= ctx.present_from:
        return True
    if ctx.forced and (cls, slot.name) in ctx.forced:
        return True
    return bool(ctx.min_items) and ctx.min_items.get((cls, slot.name), 0) > 0


def _fill(draw: st.DrawFn, ctx: _Context, cls: type[N], flags: bytes, pooled: bool = False) -> N:
    plan = _PLANS[cls]
    kwargs: dict[str, Any] = {}
    for slot in plan.slots:
        if pooled and slot.pool in ctx.pools:
            if not ctx.pools[slot.pool]:
                continue  # a list whose ids others may reference is there exactly when it has ids
        elif not _present(ctx, cls, slot, flags[slot.byte]):
            continue
        value = _slot_value(draw, ctx, cls, slot, flags, pooled)
        if value is not None:
            kwargs[slot.name] = value
    if plan.consistent:
        _make_consistent(draw, ctx, cls, kwargs, flags)
    return cls(**kwargs)


def _node(draw: st.DrawFn, ctx: _Context, cls: type[N]) -> N:
    return _fill(draw, ctx, cls, draw(_PLANS[cls].flags))


# Consistency by construction: values are drawn freely, then put in order or completed.


def _order_key(value: Any) -> Any:
    """A sort key under which partial dates compare consistently at every shared precision."""
    if isinstance(value, str):
        value = PartialDate.parse(value)
    if isinstance(value, PartialDate):
        return value.year, value.month or 0, value.day or 0
    return value


def _has_amount(value: Any) -> bool:
    """True when ``value`` holds a number somewhere (a Decimal inside a wrapper)."""
    if isinstance(value, Value):
        return isinstance(value.value, Decimal)
    if isinstance(value, Node):
        return any(_has_amount(getattr(value, slot.name)) for slot in _slots(type(value)))
    if isinstance(value, list):
        return any(_has_amount(item) for item in value)
    return False


def _put_in_order(kwargs: MutableMapping[str, Any], orders: Iterable[tuple[str, ...]]) -> None:
    for order in orders:
        wrappers = [kwargs[name] for name in order if isinstance(kwargs.get(name), Value)]
        ordered = sorted((w.value for w in wrappers), key=_order_key)
        for wrapper, value in zip(wrappers, ordered, strict=True):
            wrapper.value = value


def _goals_of(wrapper: Any) -> list[int]:
    if not isinstance(wrapper, Value) or not isinstance(wrapper.value, str):
        return []
    return [int(part) for part in wrapper.value.split(",")]


def _targets_under_goals(draw: st.DrawFn, kwargs: MutableMapping[str, Any]) -> None:
    primary = _goals_of(kwargs.get("primary_sdg_goal"))
    secondary = _goals_of(kwargs.get("secondary_sdg_goals"))
    for key, goals in (("primary_sdg_target", primary), ("secondary_sdg_targets", primary + secondary)):
        wrapper = kwargs.get(key)
        if isinstance(wrapper, Value) and goals:
            if key == "primary_sdg_target":
                wrapper.value = _target(draw, goals)
            else:
                wrapper.value = _several(draw, lambda goals=goals: _target(draw, goals))  # type: ignore[misc]


def _make_consistent(
    draw: st.DrawFn, ctx: _Context, cls: type[Node], kwargs: dict[str, Any], flags: bytes
) -> None:
    """Order dates and amounts, add currencies and original amounts, keep SDG targets under goals."""
    plan = _PLANS[cls]
    _put_in_order(kwargs, plan.orders)
    for name, original in plan.originals:
        if name not in kwargs:
            continue
        if not _has_amount(kwargs.get(original.name)):
            kwargs[original.name] = _slot_value(draw, ctx, cls, original, flags)
        if not _has_amount(kwargs[original.name]):
            del kwargs[name]
    if "currency" in plan.by_name and kwargs.get("currency") is None:
        kwargs["currency"] = _slot_value(draw, ctx, cls, plan.by_name["currency"], flags)
    if "primary_sdg_target" in plan.by_name:
        _targets_under_goals(draw, kwargs)


def _source_holders(node: Node) -> Iterator[tuple[Any, str]]:
    """Every (object, attribute) inside ``node`` that may hold source ids."""
    for slot in _slots(type(node)):
        child = getattr(node, slot.name)
        if child is None:
            continue
        if slot.kind == "scalar" and slot.meta.get("references") == "/sources":
            yield node, slot.name
        elif slot.kind == "value" and "source_ids" in slot.extra_bytes:
            yield child, "source_ids"
        elif slot.kind == "node":
            yield from _source_holders(child)
        elif slot.kind == "list":
            for item in child:
                yield from _source_holders(item)


def _cite_every_source(draw: st.DrawFn, record: Node, sources: tuple[str, ...]) -> None:
    """Add each source no field cites to the source ids of a field that may cite it.

    A record in which no field may cite a source lists no sources.
    """
    holders = list(_source_holders(record))
    if not holders:
        if sources:
            record.sources = None  # type: ignore[attr-defined]
        return
    cited = {ident for holder, name in holders for ident in getattr(holder, name) or ()}
    for ident in sources:
        if ident not in cited:
            holder, name = holders[draw(_PICKS) % len(holders)]
            setattr(holder, name, (*(getattr(holder, name) or ()), ident))


def _record(draw: st.DrawFn, cls: type[N], ctx: _Context) -> N:
    """One record of ``cls``: its id (``ctx.own``, else drawn), the ids of its lists, then the rest."""
    entity: str = cls.ENTITY  # type: ignore[attr-defined]
    record_id = ctx.own or _record_id(entity, draw(_RECORD_NUMBERS))
    ctx = attrs.evolve(ctx, own=record_id, present_from=draw(_FILL_CHOICES))
    plan = _plan(cls)
    flags = draw(plan.flags)
    pools: dict[str, tuple[str, ...]] = {}
    for slot in plan.slots:
        if slot.kind != "list":
            continue
        byte = flags[slot.byte]
        names = _RECORD_REFERENCES.get((slot.tp, "id"))
        if names is not None and _present(ctx, cls, slot, byte):
            # items that each name a different record, such as a project's outcome funds
            pools[slot.pool] = _record_refs(draw, ctx, names, byte, many=True) or ()
        elif _has_own_ids(slot.tp):
            size = max(1, _list_size(ctx, cls, slot, byte, 3)) if _present(ctx, cls, slot, byte) else 0
            pools[slot.pool] = _unique(_local_id(draw(_ID_TEXTS)) for _ in range(size))
    obj = _fill(draw, attrs.evolve(ctx, pools=pools), cls, flags, pooled=True)
    obj.id = record_id  # type: ignore[attr-defined]
    _cite_every_source(draw, obj, pools.get("/sources", ()))
    return obj


# -- constraints -----------------------------------------------------------------------------------


def _constrained(
    cls: type[Node], country: str | None, currency: str | None, min_items: Mapping[str, int] | None
) -> _Context:
    """The context that makes records of ``cls`` meet the constraints; ValueError for a bad one."""
    forced: set[tuple[type[Node], str]] = set()
    least: dict[tuple[type[Node], str], int] = {}
    lists = {slot.key: slot for slot in _slots(cls) if slot.kind == "list"}
    for key, count in (min_items or {}).items():
        if key not in lists:
            raise ValueError(
                f"min_items: {cls.__name__} has no list {key!r}; its lists are {', '.join(sorted(lists))}"
            )
        if not isinstance(count, int) or count < 0:
            raise ValueError(f"min_items: {key} must be a whole number of items, not {count!r}")
        least[(cls, lists[key].name)] = count
    if country is not None:
        if country not in country_codes():
            raise ValueError(f"country: {country!r} is not an ISO 3166-1 alpha-2 code such as 'GB'")
        owner = cls
        for key in _COUNTRY_FIELDS.get(cls, ()):
            slot = next(slot for slot in _slots(owner) if slot.key == key)
            forced.add((owner, slot.name))
            if slot.kind == "list":
                least[(owner, slot.name)] = max(1, least.get((owner, slot.name), 0))
            owner = slot.tp
    if currency is not None and currency not in currency_codes():
        raise ValueError(f"currency: {currency!r} is not an ISO 4217 code such as 'GBP'")
    return _Context(
        country=Country(country) if country else None,
        currency=Currency(currency) if currency else None,
        forced=frozenset(forced),
        min_items=least,
    )


# -- public strategies -----------------------------------------------------------------------------


def instances(
    cls: type[N],
    pools: Pools | None = None,
    *,
    country: str | None = None,
    currency: str | None = None,
    min_items: Mapping[str, int] | None = None,
) -> st.SearchStrategy[N]:
    """Any model class, records and components alike.

    For a record class, the lists whose items have ids are filled from drawn id pools and
    every reference points into them. For a component, references use ``pools`` (by
    default a few source ids, so ``source_ids`` can appear) and stay empty otherwise.
    The constraints are those of :func:`projects`.
    """
    ctx = _constrained(cls, country, currency, min_items)
    _plan(cls)
    _warm()
    if cls in model.RECORD_CLASSES.values():
        return st.composite(lambda draw: _record(draw, cls, ctx))()
    if pools is None:
        return st.lists(local_ids(), min_size=1, max_size=3, unique=True).flatmap(
            lambda ids: _nodes(cls, attrs.evolve(ctx, pools={"/sources": tuple(ids)}))
        )
    return _nodes(cls, attrs.evolve(ctx, pools=pools))


def _nodes(cls: type[N], ctx: _Context) -> st.SearchStrategy[N]:
    return st.composite(lambda draw: _node(draw, ctx, cls))()


def field_values(cls: type[Node], name: str, pools: Pools | None = None) -> st.SearchStrategy[Any]:
    """What the strategies put in attribute ``name`` of ``cls``, drawn just as inside a record.

    A value wrapper, a list, a nested object or a scalar, depending on the attribute;
    references use ``pools`` (by default a few source ids), and a reference with nothing to
    name is None.
    """
    slot = _plan(cls).by_name.get(name)
    if slot is None:
        raise ValueError(f"{cls.__name__} has no attribute {name!r}")
    ctx = _Context(pools=pools if pools is not None else {"/sources": ("source1", "source2")})
    flags = _plan(cls).flags
    _warm()
    return st.composite(lambda draw: _slot_value(draw, ctx, cls, slot, draw(flags)))()


def projects(
    *, country: str | None = None, currency: str | None = None, min_items: Mapping[str, int] | None = None
) -> st.SearchStrategy[model.Project]:
    """Typed :class:`Project` records.

    Constraints (every record strategy takes them):

    - ``country``: an ISO 3166-1 alpha-2 code. Every country field holds it (free-text
      country fields its English name), and the record's main one is always there: a
      project's jurisdiction, an organisation's or fund's country, a pipeline's delivery
      location.
    - ``currency``: an ISO 4217 code that every money object uses.
    - ``min_items``: the fewest items of some of the record's lists, by JSON key, such as
      ``{"investments": 2, "outcome_metrics": 1, "results": 1}``.
    """
    return instances(model.Project, country=country, currency=currency, min_items=min_items)


def organisations(
    *, country: str | None = None, currency: str | None = None, min_items: Mapping[str, int] | None = None
) -> st.SearchStrategy[model.Organisation]:
    """Typed :class:`Organisation` records (constraints as for :func:`projects`)."""
    return instances(model.Organisation, country=country, currency=currency, min_items=min_items)


def funds(
    *, country: str | None = None, currency: str | None = None, min_items: Mapping[str, int] | None = None
) -> st.SearchStrategy[model.Fund]:
    """Typed :class:`Fund` records (constraints as for :func:`projects`)."""
    return instances(model.Fund, country=country, currency=currency, min_items=min_items)


def pipelines(
    *, country: str | None = None, currency: str | None = None, min_items: Mapping[str, int] | None = None
) -> st.SearchStrategy[model.Pipeline]:
    """Typed :class:`Pipeline` records (constraints as for :func:`projects`)."""
    return instances(model.Pipeline, country=country, currency=currency, min_items=min_items)


def records(*, country: str | None = None, currency: str | None = None) -> st.SearchStrategy[Record]:
    """Records of any of the four types (constraints as for :func:`projects`)."""
    return st.one_of(
        projects(country=country, currency=currency),
        organisations(country=country, currency=currency),
        funds(country=country, currency=currency),
        pipelines(country=country, currency=currency),
    )


_DATASET_ORDER = ("organisation", "fund", "project", "pipeline")
"""The order of record types in a generated dataset (all ids are drawn first, so a record may
name any record of the dataset)."""


def _counts(name: str, count: int | tuple[int, int]) -> tuple[int, int]:
    least, most = (count, count) if isinstance(count, int) else count
    if not 0 <= least <= most <= 9999:
        raise ValueError(f"{name}: give a number of records or a (fewest, most) pair, not {count!r}")
    return least, most


def datasets(
    *,
    projects: int | tuple[int, int] = (1, 3),
    organisations: int | tuple[int, int] = (1, 4),
    funds: int | tuple[int, int] = (0, 2),
    pipelines: int | tuple[int, int] = (0, 2),
    country: str | None = None,
    currency: str | None = None,
) -> st.SearchStrategy[list[Record]]:
    """Lists of records of every type whose references to each other resolve.

    Each count is a number of records or a (fewest, most) pair. Every organisation, fund
    and project that a record names is a record of the list, ids are unique, an
    organisation is controlled only by organisations listed before it (so control never
    goes round in a circle), and a record never names a type the list has none of. So
    ``validate`` of the records (or of :func:`packages`) reports no dataset errors either.
    ``country`` and ``currency`` constrain every record, as in :func:`projects`.
    """
    wanted = {
        "organisation": _counts("organisations", organisations),
        "fund": _counts("funds", funds),
        "project": _counts("projects", projects),
        "pipeline": _counts("pipelines", pipelines),
    }
    numbers = {
        entity: st.lists(_RECORD_NUMBERS, min_size=least, max_size=most, unique=True)
        for entity, (least, most) in wanted.items()
    }
    contexts = {
        entity: _constrained(model.RECORD_CLASSES[entity], country, currency, None)
        for entity in _DATASET_ORDER
    }

    @st.composite
    def dataset(draw: st.DrawFn) -> list[Record]:
        ids: dict[str, tuple[str, ...]] = {}
        for entity in _DATASET_ORDER:
            ids[entity] = tuple(_record_id(entity, n) for n in draw(numbers[entity]))
        found: list[Record] = []
        for entity in _DATASET_ORDER:
            cls = model.RECORD_CLASSES[entity]
            for index, record_id in enumerate(ids[entity]):
                named = ids
                if entity == "organisation":  # controlled only by organisations before it: no cycles
                    named = {**ids, "organisation": ids["organisation"][:index]}
                ctx = attrs.evolve(contexts[entity], records=named, own=record_id)
                found.append(cast(Record, _record(draw, cls, ctx)))
        return found

    for cls in model.RECORD_CLASSES.values():
        _plan(cls)
    _warm()
    return dataset()


def packages(
    *,
    projects: int | tuple[int, int] = (1, 3),
    organisations: int | tuple[int, int] = (1, 4),
    funds: int | tuple[int, int] = (0, 2),
    pipelines: int | tuple[int, int] = (0, 2),
    country: str | None = None,
    currency: str | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """Dataset packages (the standard's JSON form, as ``indigo.build_package`` makes them) of
    :func:`datasets`, with a publisher, a licence and a publication date.

    Amounts are Decimals where a float cannot hold them: write the package with
    ``indigo.dumps`` to get JSON text.
    """
    from .model import dump
    from .publishing import build_package

    def package(
        records: list[Record], publisher: str, licence: str, published: PartialDate
    ) -> dict[str, Any]:
        return build_package(
            [dump(record) for record in records],
            publisher=publisher or "Publisher",
            licence=licence,
            publication_date=str(published),
        )

    day = st.composite(lambda draw: _partial_date(draw, 2))()
    contents = datasets(
        projects=projects,
        organisations=organisations,
        funds=funds,
        pipelines=pipelines,
        country=country,
        currency=currency,
    )
    return st.builds(package, contents, texts(), _LICENCES, day)


def investments(pools: Pools | None = None) -> st.SearchStrategy[model.Investment]:
    """Typed investments (as in a project)."""
    return instances(model.Investment, pools)


def outcome_metrics(pools: Pools | None = None) -> st.SearchStrategy[model.OutcomeMetric]:
    """Typed outcome metrics."""
    return instances(model.OutcomeMetric, pools)


def results(pools: Pools | None = None) -> st.SearchStrategy[model.Result]:
    """Typed results."""
    return instances(model.Result, pools)


def sources(pools: Pools | None = None) -> st.SearchStrategy[model.ProjectSource]:
    """Typed sources (as in a project)."""
    return instances(model.ProjectSource, pools)


def values(inner: type[Any], pools: Pools | None = None) -> st.SearchStrategy[Value[Any]]:
    """``Value`` wrappers of ``inner`` (Decimal, PartialDate, Country, an enum...) with every key."""
    meta = {"keys": ("value", *_WRAPPER_KEYS), "status": tuple(s.value for s in Status)}
    extra = {key: index for index, key in enumerate(_WRAPPER_KEYS, start=1)}
    slot = _Slot("value", "value", "value", inner, meta, 0, extra, _filler(Value, "value", inner, meta))
    ctx = _Context(pools=pools if pools is not None else {"/sources": ("source1", "source2")})
    flags = st.binary(min_size=1 + len(_WRAPPER_KEYS), max_size=1 + len(_WRAPPER_KEYS))
    _warm()

    @st.composite
    def wrapper(draw: st.DrawFn) -> Value[Any]:
        found = _value(draw, ctx, slot, draw(flags))
        assert found is not None  # a field named "value" references nothing, so it is always drawn
        return found

    return wrapper()

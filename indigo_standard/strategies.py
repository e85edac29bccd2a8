"""Hypothesis strategies for realistic INDIGO records: test your pipeline with them.

``projects()``, ``organisations()``, ``funds()`` and ``pipelines()`` generate typed records
whose ``dump`` passes ``indigo.validate(..., schema_version="4.1")`` with no errors: no
schema errors and no check errors. Each optional field is present seven times in eight,
so every field and every status code of every field turns up in a modest number of
examples.

The records hold together the way the checks expect, by construction:

- references: source ids name sources of the record (and every source is cited),
  outcome metric, investment, technical assistance, payment plan and service provision
  ids name items of its lists, and organisation and project references are well-formed
  INDIGO ids (an organisation never controls itself);
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
"""

from __future__ import annotations

import datetime
import types
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, TypeVar, Union, get_args, get_origin

import attrs
from hypothesis import strategies as st

from .detect import ID_PREFIXES
from .model import _generated as model
from .model.base import Invalid, Node, Status, Value
from .model.types import Country, Currency, PartialDate, country_codes, currency_codes

N = TypeVar("N", bound=Node)
Pools = Mapping[str, tuple[str, ...]]
"""Ids available for references, keyed by the list they name (``/sources``, ``/investments``)."""

_INTERNAL = ("_extra", "key_order", "problems")
_OWN_ID = "#id"
"""Pool key of the record's own id, which its references to other records avoid."""

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

# Leaf strategies are built once: building them for every draw costs more than drawing.
_PRESENT = st.integers(0, 7).map(bool)
_LIST_SIZE = st.integers(0, 2)
_GOALS = st.integers(1, 17)
_TARGET_SUFFIX = st.one_of(st.integers(1, 10).map(str), st.sampled_from("abc"))
_RETURN_TYPES = st.sampled_from(["IRR", "Average annual return", "ROI"])


@cache
def texts(max_size: int = 12) -> st.SearchStrategy[str]:
    """Short free text, any printable Unicode."""
    return st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=max_size)


@cache
def local_ids() -> st.SearchStrategy[str]:
    """Ids of items inside a record (sources, investments...): no commas, no spaces."""
    first = st.sampled_from("abcdefghijklmnopqrstuvwxyz")
    rest = st.text("abcdefghijklmnopqrstuvwxyz0123456789_-", max_size=7)
    return st.tuples(first, rest).map("".join)


@cache
def record_ids(entity: str) -> st.SearchStrategy[str]:
    """Record ids with the INDIGO prefix of ``entity``, such as ``INDIGO-POJ-0042``."""
    return st.integers(1, 9999).map(lambda n: f"{ID_PREFIXES[entity]}{n:04d}")


@cache
def org_ids() -> st.SearchStrategy[str]:
    """Register identifiers in the org-id shape LIST-ID, such as ``GB-COH-09506232``."""
    lists = st.sampled_from(["GB-COH", "GB-CHC", "GB-SC", "GB-GOR", "US-EIN", "NL-KVK", "XI-IATI"])
    numbers = st.integers(1, 10**8 - 1).map(lambda n: f"{n:08d}")
    return st.tuples(lists, numbers).map("-".join)


@cache
def decimals() -> st.SearchStrategy[Decimal]:
    """Amounts and counts (never negative): whole numbers, money with cents, long fractions, huge values."""
    return st.one_of(
        st.integers(0, 10**15).map(Decimal),
        st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False),
        st.decimals(min_value=0, allow_nan=False, allow_infinity=False),
        st.sampled_from([Decimal("1E+21"), Decimal("1234567.89"), Decimal("0.066")]),
    )


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


@cache
def partial_dates() -> st.SearchStrategy[PartialDate]:
    """Real dates between 1990 and 2040, at year, month or day precision."""
    days = st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2040, 12, 31))
    return st.tuples(days, st.sampled_from(["year", "month", "day"])).map(
        lambda pair: PartialDate(
            pair[0].year,
            pair[0].month if pair[1] != "year" else None,
            pair[0].day if pair[1] == "day" else None,
        )
    )


@cache
def countries() -> st.SearchStrategy[Country]:
    """ISO 3166-1 alpha-2 codes from the bundled list."""
    return st.sampled_from(sorted(country_codes())).map(Country)


@cache
def currencies() -> st.SearchStrategy[Currency]:
    """ISO 4217 codes from the bundled list."""
    return st.sampled_from(sorted(currency_codes())).map(Currency)


@cache
def sdg_targets(goals: tuple[int, ...] = ()) -> st.SearchStrategy[str]:
    """SDG targets such as ``4.1`` or ``4.a``, under one of ``goals`` (any goal when empty)."""
    goal = st.sampled_from(goals) if goals else _GOALS
    return st.tuples(goal, _TARGET_SUFFIX).map(lambda pair: f"{pair[0]}.{pair[1]}")


def _joined(items: st.SearchStrategy[Any], max_size: int = 3) -> st.SearchStrategy[str]:
    """Several items as one text, separated the ways real data separates them."""
    return st.tuples(
        st.lists(items, min_size=1, max_size=max_size, unique=True), st.sampled_from([",", ", "])
    ).map(lambda pair: pair[1].join(str(item) for item in pair[0]))


_BY_KEY: Mapping[tuple[str, type], st.SearchStrategy[Any]] = {
    ("primary_sdg_goal", str): _GOALS.map(str),
    ("secondary_sdg_goals", str): _joined(_GOALS),
    ("primary_sdg_target", str): sdg_targets(),
    ("secondary_sdg_targets", str): _joined(sdg_targets()),
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
def _statuses(codes: tuple[str, ...]) -> st.SearchStrategy[Status]:
    return st.sampled_from([Status(code) for code in codes])


@cache
def _index_sets(size: int) -> st.SearchStrategy[list[int]]:
    return st.lists(st.integers(0, size - 1), min_size=1, max_size=min(3, size), unique=True)


@cache
def _id_lists(entity: str | None) -> st.SearchStrategy[list[str]]:
    ids = record_ids(entity) if entity else local_ids()
    return st.lists(ids, min_size=1, max_size=3, unique=True)


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


def _strip_none(tp: Any) -> Any:
    """``tp`` without None and Invalid (which lenient loading may put anywhere; strategies never do)."""
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None) and a is not Invalid]
        return args[0] if len(args) == 1 else tp
    return tp


_SLOTS: dict[type[Node], tuple[_Slot, ...]] = {}


def _slots(cls: type[Node]) -> tuple[_Slot, ...]:
    """The attributes of ``cls`` the strategies fill, worked out once per class."""
    if cls not in _SLOTS:
        _SLOTS[cls] = _find_slots(cls)
    return _SLOTS[cls]


def _find_slots(cls: type[Node]) -> tuple[_Slot, ...]:
    attrs.resolve_types(cls)
    found = []
    for f in attrs.fields(cls):
        if f.name in _INTERNAL:
            continue
        tp = _strip_none(f.type)
        origin = get_origin(tp)
        if origin is Value:
            kind, inner = "value", _strip_none(get_args(tp)[0])
        elif origin is list:
            kind, inner = "list", _strip_none(get_args(tp)[0])
        elif isinstance(tp, type) and issubclass(tp, Node):
            kind, inner = "node", tp
        else:
            kind, inner = "scalar", tp
        found.append(_Slot(f.name, f.metadata.get("key", f.name), kind, inner, f.metadata))
    return tuple(found)


def _pick_some(draw: st.DrawFn, pool: Sequence[str]) -> tuple[str, ...]:
    return tuple(pool[i] for i in draw(_index_sets(len(pool))))


def _record_refs(draw: st.DrawFn, entity: str, pools: Pools) -> tuple[str, ...]:
    """One to three ids of records of ``entity``, never the record's own id."""
    own = pools.get(_OWN_ID, ())
    found = []
    for ident in draw(_id_lists(entity)):
        if ident in own:  # step to the next number instead: ids stay drawn, never filtered
            number = int(ident[len(ID_PREFIXES[entity]) :]) % 9999 + 1
            ident = f"{ID_PREFIXES[entity]}{number:04d}"
        found.append(ident)
    return tuple(dict.fromkeys(found))


def _reference_ids(draw: st.DrawFn, refs: str | None, key: str, pools: Pools) -> tuple[str, ...] | None:
    """A non-empty set of ids for an id-list field, or None when nothing can be referenced."""
    if refs and refs.startswith("/"):
        pool = pools.get(refs, ())
        return _pick_some(draw, pool) if pool else None
    if refs in ID_PREFIXES:
        return _record_refs(draw, str(refs), pools)
    if "organisation" in key:
        return _record_refs(draw, "organisation", pools)
    return tuple(draw(_id_lists(None)))


def _scalar(
    draw: st.DrawFn, owner: type[Node], tp: Any, meta: Mapping[str, Any], key: str, pools: Pools
) -> Any:
    special = _BY_OWNER.get((owner, key))
    if special is None:
        special = _BY_KEY.get((key, tp))
    if special is not None:
        return draw(special)
    refs = meta.get("references")
    if refs is None and key.endswith("_id") and f"/{key[:-3]}s" in pools:
        refs = f"/{key[:-3]}s"  # service_provision_id names an item of /service_provisions
    if tp is Decimal:
        return draw(decimals())
    if tp is PartialDate:
        return draw(partial_dates())
    if tp is Country:
        return draw(countries())
    if tp is Currency:
        return draw(currencies())
    if tp is Status:
        return draw(_statuses(tuple(meta["status"])))
    if isinstance(tp, type) and issubclass(tp, Enum):
        return draw(_sampled(tuple(tp)))
    if tp is bool:
        return draw(st.booleans())
    if get_origin(tp) is tuple:
        if key == "sandboxes":
            return tuple(draw(_id_lists(None)))
        return _reference_ids(draw, refs, key, pools)
    if isinstance(refs, str) and refs in ID_PREFIXES:
        return _record_refs(draw, refs, pools)[0]
    if owner is model.ControlledBy and key == "organisation_id":
        return _record_refs(draw, "organisation", pools)[0]
    if refs:
        pool = pools.get(refs, ())
        return pool[draw(st.integers(0, len(pool) - 1))] if pool else None
    if key == "id":
        return draw(local_ids())
    return draw(texts())


def _value(draw: st.DrawFn, owner: type[Node], slot: _Slot, pools: Pools) -> Value[Any] | None:
    value = _scalar(draw, owner, slot.tp, slot.meta, slot.key, pools)
    if value is None:
        return None
    keys = slot.meta.get("keys", ("value",))
    result: Value[Any] = Value(value)
    if "status" in keys and draw(_PRESENT):
        result.status = draw(_statuses(tuple(slot.meta["status"])))
    if "source_ids" in keys and draw(_PRESENT):
        result.source_ids = _reference_ids(draw, "/sources", "source_ids", pools)
    if "notes" in keys and draw(_PRESENT):
        result.notes = draw(texts(30))
    if "sandboxes" in keys and draw(_PRESENT):
        result.sandboxes = tuple(draw(_id_lists(None)))
    return result


def _has_id(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, Node) and any(slot.name == "id" for slot in _slots(cls))


def _with_id(node: N, item_id: str) -> N:
    """``node`` with its id set, whether the id is plain text or a value wrapper."""
    current = getattr(node, "id", None)
    slot = next(slot for slot in _slots(type(node)) if slot.name == "id")
    if slot.kind == "value":
        return attrs.evolve(node, id=attrs.evolve(current, value=item_id) if current else Value(item_id))  # type: ignore[call-arg]
    return attrs.evolve(node, id=item_id)  # type: ignore[call-arg]


def _slot_value(draw: st.DrawFn, cls: type[Node], slot: _Slot, pools: Pools, pooled: bool) -> Any:
    if slot.kind == "value":
        return _value(draw, cls, slot, pools)
    if slot.kind == "list":
        if pooled and f"/{slot.key}" in pools:
            return [_with_id(_node(draw, slot.tp, pools), i) for i in pools[f"/{slot.key}"]]
        return [_node(draw, slot.tp, pools) for _ in range(draw(_LIST_SIZE))]
    if slot.kind == "node":
        return _node(draw, slot.tp, pools)
    return _scalar(draw, cls, slot.tp, slot.meta, slot.key, pools)


def _node(draw: st.DrawFn, cls: type[N], pools: Pools, pooled: bool = False) -> N:
    kwargs: dict[str, Any] = {}
    for slot in _slots(cls):
        if not (pooled and pools.get(f"/{slot.key}")) and not draw(_PRESENT):
            continue  # a list whose ids others may reference is always there
        value = _slot_value(draw, cls, slot, pools, pooled)
        if value is not None:
            kwargs[slot.name] = value
    _make_consistent(draw, cls, kwargs, pools)
    return cls(**kwargs)


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


def _put_in_order(kwargs: MutableMapping[str, Any]) -> None:
    for order in ORDERS:
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
            wanted = sdg_targets(tuple(dict.fromkeys(goals)))
            wrapper.value = draw(wanted if key == "primary_sdg_target" else _joined(wanted))


def _make_consistent(draw: st.DrawFn, cls: type[Node], kwargs: dict[str, Any], pools: Pools) -> None:
    """Order dates and amounts, add currencies and original amounts, keep SDG targets under goals."""
    _put_in_order(kwargs)
    slots = {slot.name: slot for slot in _slots(cls)}
    for name in [name for name in kwargs if name.endswith("_usd") and name[: -len("_usd")] in slots]:
        original = slots[name[: -len("_usd")]]
        if not _has_amount(kwargs.get(original.name)):
            kwargs[original.name] = _slot_value(draw, cls, original, pools, False)
        if not _has_amount(kwargs[original.name]):
            del kwargs[name]
    if "currency" in slots and kwargs.get("currency") is None:
        kwargs["currency"] = _slot_value(draw, cls, slots["currency"], pools, False)
    if "primary_sdg_target" in slots:
        _targets_under_goals(draw, kwargs)


def _source_holders(node: Node) -> Iterator[tuple[Any, str]]:
    """Every (object, attribute) inside ``node`` that may hold source ids."""
    for slot in _slots(type(node)):
        child = getattr(node, slot.name)
        if child is None:
            continue
        if slot.kind == "scalar" and slot.meta.get("references") == "/sources":
            yield node, slot.name
        elif slot.kind == "value" and "source_ids" in slot.meta.get("keys", ()):
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
            holder, name = holders[draw(st.integers(0, len(holders) - 1))]
            setattr(holder, name, (*(getattr(holder, name) or ()), ident))


_POOL_IDS = st.lists(local_ids(), min_size=1, max_size=3, unique=True)


@st.composite
def _pools(draw: st.DrawFn, cls: type[Node]) -> dict[str, tuple[str, ...]]:
    pools: dict[str, tuple[str, ...]] = {}
    for slot in _slots(cls):
        if slot.kind == "list" and _has_id(slot.tp):
            pools[f"/{slot.key}"] = tuple(draw(_POOL_IDS)) if draw(_PRESENT) else ()
    return pools


def instances(cls: type[N], pools: Pools | None = None) -> st.SearchStrategy[N]:
    """Any model class, records and components alike.

    For a record class, the lists whose items have ids are filled from drawn id pools and
    every reference points into them. For a component, references use ``pools`` (by
    default a few source ids, so ``source_ids`` can appear) and stay empty otherwise.
    """
    if cls in model.RECORD_CLASSES.values():
        entity = cls.ENTITY  # type: ignore[attr-defined]

        @st.composite
        def record(draw: st.DrawFn) -> N:
            record_id = draw(record_ids(entity))
            drawn = {**draw(_pools(cls)), _OWN_ID: (record_id,)}
            obj = _node(draw, cls, drawn, pooled=True)
            obj.id = record_id  # type: ignore[attr-defined]
            _cite_every_source(draw, obj, drawn.get("/sources", ()))
            return obj

        return record()
    if pools is None:
        return st.lists(local_ids(), min_size=1, max_size=3, unique=True).flatmap(
            lambda ids: _nodes(cls, {"/sources": tuple(ids)})
        )
    return _nodes(cls, pools)


def _nodes(cls: type[N], pools: Pools) -> st.SearchStrategy[N]:
    return st.composite(lambda draw: _node(draw, cls, pools))()


def field_values(cls: type[Node], name: str, pools: Pools | None = None) -> st.SearchStrategy[Any]:
    """What the strategies put in attribute ``name`` of ``cls``, drawn just as inside a record.

    A value wrapper, a list, a nested object or a scalar, depending on the attribute;
    references use ``pools`` (by default a few source ids), and a reference with nothing to
    name is None.
    """
    slot = next((slot for slot in _slots(cls) if slot.name == name), None)
    if slot is None:
        raise ValueError(f"{cls.__name__} has no attribute {name!r}")
    chosen = pools if pools is not None else {"/sources": ("source1", "source2")}
    return st.composite(lambda draw: _slot_value(draw, cls, slot, chosen, False))()


def projects() -> st.SearchStrategy[model.Project]:
    """Typed :class:`Project` records."""
    return instances(model.Project)


def organisations() -> st.SearchStrategy[model.Organisation]:
    """Typed :class:`Organisation` records."""
    return instances(model.Organisation)


def funds() -> st.SearchStrategy[model.Fund]:
    """Typed :class:`Fund` records."""
    return instances(model.Fund)


def pipelines() -> st.SearchStrategy[model.Pipeline]:
    """Typed :class:`Pipeline` records."""
    return instances(model.Pipeline)


def records() -> st.SearchStrategy[Node]:
    """Records of any of the four types."""
    return st.one_of(projects(), organisations(), funds(), pipelines())


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
    meta = {
        "keys": ("value", "status", "source_ids", "notes", "sandboxes"),
        "status": tuple(s.value for s in Status),
    }
    slot = _Slot("value", "value", "value", inner, meta)
    chosen = pools if pools is not None else {"/sources": ("source1", "source2")}

    @st.composite
    def wrapper(draw: st.DrawFn) -> Value[Any]:
        found = _value(draw, Value, slot, chosen)
        assert found is not None  # a field named "value" references nothing, so it is always drawn
        return found

    return wrapper()

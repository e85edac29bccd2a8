"""Hypothesis strategies for realistic INDIGO records: test your pipeline with them.

``projects()``, ``organisations()``, ``funds()`` and ``pipelines()`` generate typed records
whose ``dump`` validates against the 4.1 schemas. Each optional field is present seven
times in eight, so every field and every status code turns up in a modest number of
examples. References hold together inside a record: source ids name sources of the
record, and outcome metric, investment, technical assistance and payment plan ids name
items of its lists. Organisation and project references use well-formed INDIGO ids.

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
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar, Union, get_args, get_origin

import attrs
from hypothesis import strategies as st

from .detect import ID_PREFIXES
from .model import _generated as model
from .model.base import Node, Status, Value
from .model.types import Country, Currency, PartialDate, country_codes, currency_codes

N = TypeVar("N", bound=Node)
Pools = Mapping[str, tuple[str, ...]]
"""Ids available for references, keyed by the list they name (``/sources``, ``/investments``)."""

_INTERNAL = ("extra", "key_order")


def _present() -> st.SearchStrategy[bool]:
    return st.integers(0, 7).map(bool)


def texts(max_size: int = 12) -> st.SearchStrategy[str]:
    """Short free text, any printable Unicode."""
    return st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=max_size)


def local_ids() -> st.SearchStrategy[str]:
    """Ids of items inside a record (sources, investments...): no commas, no spaces."""
    return st.from_regex(r"[a-z][a-z0-9_-]{0,7}", fullmatch=True)


def record_ids(entity: str) -> st.SearchStrategy[str]:
    """Record ids with the INDIGO prefix of ``entity``, such as ``INDIGO-POJ-0042``."""
    return st.integers(1, 9999).map(lambda n: f"{ID_PREFIXES[entity]}{n:04d}")


def decimals() -> st.SearchStrategy[Decimal]:
    """Amounts and counts (never negative): whole numbers, money with cents, long fractions, huge values."""
    return st.one_of(
        st.integers(0, 10**15).map(Decimal),
        st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False),
        st.decimals(min_value=0, allow_nan=False, allow_infinity=False),
        st.sampled_from([Decimal("1E+21"), Decimal("1234567.89"), Decimal("0.066")]),
    )


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


def countries() -> st.SearchStrategy[Country]:
    """ISO 3166-1 alpha-2 codes from the bundled list."""
    return st.sampled_from(sorted(country_codes())).map(Country)


def currencies() -> st.SearchStrategy[Currency]:
    """ISO 4217 codes from the bundled list."""
    return st.sampled_from(sorted(currency_codes())).map(Currency)


_HINTS: dict[type[Node], dict[str, Any]] = {}


def _hints(cls: type[Node]) -> dict[str, Any]:
    if cls not in _HINTS:
        attrs.resolve_types(cls)
        _HINTS[cls] = {f.name: f.type for f in attrs.fields(cls)}
    return _HINTS[cls]


def _strip_none(tp: Any) -> Any:
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else tp
    return tp


def _reference_ids(draw: st.DrawFn, refs: str | None, key: str, pools: Pools) -> tuple[str, ...] | None:
    """A non-empty set of ids for an id-list field, or None when nothing can be referenced."""
    if refs and refs.startswith("/"):
        pool = pools.get(refs, ())
        if not pool:
            return None
        return tuple(draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True)))
    if refs == "organisation" or "organisation" in key:
        return tuple(draw(st.lists(record_ids("organisation"), min_size=1, max_size=3, unique=True)))
    return tuple(draw(st.lists(local_ids(), min_size=1, max_size=3, unique=True)))


def _scalar(draw: st.DrawFn, tp: Any, meta: Mapping[str, Any], key: str, pools: Pools) -> Any:
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
        return draw(st.sampled_from([Status(code) for code in meta["status"]]))
    if isinstance(tp, type) and issubclass(tp, Enum):
        return draw(st.sampled_from(list(tp)))
    if tp is bool:
        return draw(st.booleans())
    if get_origin(tp) is tuple:
        if key == "sandboxes":
            return tuple(draw(st.lists(local_ids(), min_size=1, max_size=2, unique=True)))
        return _reference_ids(draw, refs, key, pools)
    if isinstance(refs, str) and refs in ID_PREFIXES:
        return draw(record_ids(refs))
    if refs:
        pool = pools.get(refs, ())
        return draw(st.sampled_from(pool)) if pool else None
    if key == "id":
        return draw(local_ids())
    return draw(texts())


def _value(draw: st.DrawFn, inner: Any, meta: Mapping[str, Any], key: str, pools: Pools) -> Value[Any] | None:
    value = _scalar(draw, inner, meta, key, pools)
    if value is None:
        return None
    keys = meta.get("keys", ("value",))
    result: Value[Any] = Value(value)
    if "status" in keys and draw(_present()):
        result.status = draw(st.sampled_from([Status(code) for code in meta["status"]]))
    if "source_ids" in keys and draw(_present()):
        result.source_ids = _reference_ids(draw, "/sources", "source_ids", pools)
    if "notes" in keys and draw(_present()):
        result.notes = draw(texts(30))
    if "sandboxes" in keys and draw(_present()):
        result.sandboxes = tuple(draw(st.lists(local_ids(), min_size=1, max_size=2, unique=True)))
    return result


def _has_id(cls: Any) -> bool:
    return attrs.has(cls) and any(f.name == "id" for f in attrs.fields(cls))


def _with_id(node: N, item_id: str) -> N:
    """``node`` with its id set, whether the id is plain text or a value wrapper."""
    current = getattr(node, "id", None)
    wrapped = get_origin(_strip_none(_hints(type(node))["id"])) is Value
    if wrapped:
        return attrs.evolve(node, id=attrs.evolve(current, value=item_id) if current else Value(item_id))  # type: ignore[call-arg]
    return attrs.evolve(node, id=item_id)  # type: ignore[call-arg]


def _node(draw: st.DrawFn, cls: type[N], pools: Pools, pooled: bool = False) -> N:
    kwargs: dict[str, Any] = {}
    for f in attrs.fields(cls):
        if f.name in _INTERNAL:
            continue
        key = f.metadata.get("key", f.name)
        if not (pooled and pools.get(f"/{key}")) and not draw(_present()):
            continue  # a list whose ids others may reference is always there
        tp = _strip_none(_hints(cls)[f.name])
        origin = get_origin(tp)
        value: Any
        if origin is Value:
            value = _value(draw, get_args(tp)[0], f.metadata, key, pools)
        elif origin is list:
            item = get_args(tp)[0]
            if pooled and f"/{key}" in pools:
                value = [_with_id(_node(draw, item, pools), i) for i in pools[f"/{key}"]]
            else:
                value = draw(st.lists(_nodes(item, pools), max_size=2))
        elif isinstance(tp, type) and issubclass(tp, Node):
            value = _node(draw, tp, pools)
        else:
            value = _scalar(draw, tp, f.metadata, key, pools)
        if value is not None:
            kwargs[f.name] = value
    return cls(**kwargs)


def _nodes(cls: type[N], pools: Pools) -> st.SearchStrategy[N]:
    return st.composite(lambda draw: _node(draw, cls, pools))()


@st.composite
def _pools(draw: st.DrawFn, cls: type[Node]) -> dict[str, tuple[str, ...]]:
    pools: dict[str, tuple[str, ...]] = {}
    hints = _hints(cls)
    for f in attrs.fields(cls):
        tp = _strip_none(hints.get(f.name))
        if get_origin(tp) is list and _has_id(get_args(tp)[0]):
            key = f.metadata.get("key", f.name)
            pools[f"/{key}"] = tuple(draw(st.lists(local_ids(), max_size=3, unique=True)))
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
            drawn = draw(_pools(cls))
            obj = _node(draw, cls, drawn, pooled=True)
            obj.id = draw(record_ids(entity))  # type: ignore[attr-defined]
            return obj

        return record()
    if pools is None:
        return st.lists(local_ids(), min_size=1, max_size=3, unique=True).flatmap(
            lambda ids: _nodes(cls, {"/sources": tuple(ids)})
        )
    return _nodes(cls, pools)


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
    chosen = pools if pools is not None else {"/sources": ("source1", "source2")}
    return st.composite(lambda draw: _value(draw, inner, meta, "value", chosen))().filter(
        lambda v: v is not None
    )  # type: ignore[return-value]

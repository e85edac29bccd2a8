"""The Hypothesis strategies: datasets whose references resolve, constraints, and how they see the model."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs
import pytest
from conftest import ROOT
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

import indigo_standard as indigo
from indigo_standard import strategies
from indigo_standard.checks.dataset import record_references
from indigo_standard.detect import ID_PREFIXES
from indigo_standard.model import Country, Currency, Investment, Node, PartialDate, Status, Value
from indigo_standard.model.base import field
from indigo_standard.reading.records import PACKAGE_LISTS

pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")  # records are big

SEARCH = settings(max_examples=300, derandomize=True, phases=[Phase.generate], database=None)
"""For find(): the first example found, not shrunk (the search is the point, and shrinking is slow)."""
EXTRA_REFERENCES = {
    "/controlled_by[]/organisation_id/value": "organisation",
    "/sources[]/publishing_organisation_ids/value": "organisation",
}
"""Fields that name records though the dataset checks do not follow them: the strategies resolve them too."""


def _at(data: Any, path: str) -> Iterator[Any]:
    """The values at a field path such as ``/investments[]/organisation_id/value``."""
    if not path.strip("/"):
        yield data
        return
    step, _, rest = path.strip("/").partition("/")
    many = step.endswith("[]")
    child = data.get(step.removesuffix("[]")) if isinstance(data, dict) else None
    for item in child if many and isinstance(child, list) else [] if many else [child]:
        if item is not None:
            yield from _at(item, rest)


def _references(record: dict[str, Any], entity: str, checked: bool = False) -> Iterator[tuple[str, str]]:
    """(record type named, id) for every reference to another record in ``record`` (only those
    the dataset checks follow, when ``checked``)."""
    wanted = {**record_references("4.1", entity), **({} if checked else EXTRA_REFERENCES)}
    for path, target in wanted.items():
        for value in _at(record, path):
            for ident in value if isinstance(value, list | tuple) else str(value).split(","):
                yield target, ident.strip()


def _by_type(package: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {entity: package.get(key, []) for key, entity in PACKAGE_LISTS.items()}


def _resolves(package: dict[str, Any], checked: bool = False) -> bool:
    records = _by_type(package)
    ids = {entity: {r["id"] for r in found} for entity, found in records.items()}
    return all(
        ident in ids[target]
        for entity, found in records.items()
        for record in found
        for target, ident in _references(record, entity, checked)
    )


def test_records_drawn_one_by_one_do_not_make_a_dataset() -> None:
    """Why datasets() exists: independent records name organisations and funds that are not there."""

    def package_of(records: tuple[Any, ...]) -> dict[str, Any]:
        return indigo.build_package([indigo.dump(r) for r in records])

    records = find(
        st.tuples(strategies.organisations(), strategies.funds(), strategies.projects()),
        lambda found: not _resolves(package_of(found), checked=True),
        settings=SEARCH,
    )
    package = package_of(records)
    report = indigo.validate(json.loads(indigo.dumps(package)))
    assert {i.code for i in report.issues} & {"dataset.unknown-organisation", "dataset.unknown-fund"}


@pytest.mark.parametrize(
    ("what", "entity", "path"),
    [
        ("a project names an organisation", "project", "/investments[]/organisation_id/value"),
        ("a project names an outcomes fund", "project", "/outcome_funds[]/id"),
        ("a fund names an organisation", "fund", "/organisations[]/organisation_id/value"),
        ("a pipeline names a project", "pipeline", "/projects[]/project/value"),
        ("an organisation controls another", "organisation", "/controlled_by[]/organisation_id/value"),
    ],
)
def test_datasets_hold_references_that_resolve(what: str, entity: str, path: str) -> None:
    """The property above is not empty: datasets do hold each kind of reference, and it resolves."""

    def named(records: list[Any]) -> list[str]:
        return [v for r in records if entity == r.ENTITY for v in _at(indigo.dump(r), path)]

    every_type = strategies.datasets(funds=2, pipelines=(1, 2))
    records = find(every_type, lambda found: bool(named(found)), settings=SEARCH)
    target = dict(record_references("4.1", entity), **EXTRA_REFERENCES)[path]
    ids = {r.id for r in records if target == r.ENTITY}
    assert set(named(records)) <= ids, what
    assert all(ident.startswith(ID_PREFIXES[target]) for ident in ids)


def test_dataset_ids_are_unique_and_control_never_goes_round() -> None:
    @settings(max_examples=15, deadline=None)
    @given(strategies.datasets(organisations=(3, 5), projects=0, funds=0, pipelines=0))
    def check(records: list[Any]) -> None:
        ids = [r.id for r in records]
        assert len(ids) == len(set(ids)) and 3 <= len(ids) <= 5
        order = {ident: n for n, ident in enumerate(ids)}
        for record in records:
            for link in record.controlled_by or []:
                if link.organisation_id is not None:  # only organisations listed before it: no cycle
                    assert order[link.organisation_id.value] < order[record.id]

    check()


def test_dataset_counts() -> None:
    @settings(max_examples=10, deadline=None)
    @given(strategies.datasets(projects=2, organisations=(0, 1), funds=(1, 2), pipelines=0))
    def check(records: list[Any]) -> None:
        kinds = [r.ENTITY for r in records]
        assert kinds.count("project") == 2 and kinds.count("organisation") <= 1
        assert 1 <= kinds.count("fund") <= 2 and "pipeline" not in kinds
        if "organisation" not in kinds:  # then nothing names one
            data = indigo.build_package([indigo.dump(r) for r in records])
            named = [t for r in data["projects"] for t, _ in _references(r, "project")]
            assert "organisation" not in named

    check()


# -- constraints ------------------------------------------------------------------------------------


def _leaves(value: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, Node):
        for f in attrs.fields(type(value)):
            if f.name not in ("extra", "key_order"):
                yield from _leaves(getattr(value, f.name), f.name)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item, key)
    elif value is not None:
        yield key, value


def test_constraints_hold_in_every_example_without_filtering() -> None:
    """Default settings, health checks included: a constrained strategy needs no .filter."""
    wanted = {"investments": 2, "outcome_metrics": 1, "results": 3}

    @settings(max_examples=15, deadline=None)
    @given(strategies.projects(country="GB", currency="EUR", min_items=wanted))
    def check(project: indigo.Project) -> None:
        assert project.jurisdiction is not None and project.jurisdiction.jurisdiction is not None
        countries = [v for _, v in _leaves(project) if isinstance(v, Country)]
        currencies = [v for _, v in _leaves(project) if isinstance(v, Currency)]
        assert countries and set(countries) == {"GB"}
        assert set(currencies) <= {"EUR"}
        for key, least in wanted.items():
            assert len(getattr(project, key) or []) >= least
        report = indigo.validate(json.loads(indigo.dumps(project)), schema_version="4.1")
        assert [i.code for i in report.issues if i.severity == "error"] == []

    check()


@pytest.mark.parametrize(
    ("make", "country", "check"),
    [
        (strategies.organisations, "FR", lambda r: r.country.value == "France"),
        (strategies.funds, "JP", lambda r: r.country.value == "Japan"),
        (
            strategies.pipelines,
            "KE",
            lambda r: (
                r.delivery_locations and all(d.location_country.value == "KE" for d in r.delivery_locations)
            ),
        ),
    ],
)
def test_country_constraint_for_each_record_type(make: Any, country: str, check: Any) -> None:
    @settings(max_examples=8, deadline=None)
    @given(make(country=country))
    def run(record: Any) -> None:
        assert check(record)
        assert all(v == country for _, v in _leaves(record) if isinstance(v, Country))

    run()


def test_dataset_constraints_reach_every_record() -> None:
    @settings(max_examples=8, deadline=None)
    @given(strategies.datasets(country="NZ", currency="NZD"))
    def check(records: list[Any]) -> None:
        for record in records:
            assert all(v == "NZ" for _, v in _leaves(record) if isinstance(v, Country))
            assert all(v == "NZD" for _, v in _leaves(record) if isinstance(v, Currency))

    check()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: strategies.projects(min_items={"investment": 1}), "Project has no list 'investment'"),
        (lambda: strategies.projects(min_items={"results": -1}), "results must be a whole number"),
        (lambda: strategies.projects(country="UK"), "'UK' is not an ISO 3166-1 alpha-2 code"),
        (lambda: strategies.funds(currency="Euro"), "'Euro' is not an ISO 4217 code"),
        (lambda: strategies.datasets(projects=(3, 1)), "projects: give a number of records"),
        (lambda: strategies.field_values(indigo.Project, "nope"), "Project has no attribute 'nope'"),
    ],
)
def test_bad_constraints_are_refused_with_a_clear_error(call: Any, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        call()


# -- how the strategies read the model --------------------------------------------------------------


class NotTyped:
    """Stands for what a model may add to its unions: a value that could not be typed."""


class NotTypedNode(Node):
    """The same, as a model object."""


@attrs.define
class Future(Node):
    """A model class whose fields carry extra union members, as a lenient model may have them."""

    amount: Value[Decimal | NotTyped] | NotTyped | None = field(  # noqa: RUF009 (attrs, as in the model)
        "amount", keys=("value", "status"), status=("PUBLIC",)
    )
    signed: Value[PartialDate] | NotTypedNode | None = field("signed", keys=("value",))  # noqa: RUF009
    sources: tuple[str, ...] | NotTyped | None = field("source_ids", references="/sources")  # noqa: RUF009
    investments: list[Investment] | NotTyped | None = field("investments")  # noqa: RUF009
    status: NotTyped | Status | None = field("status", status=("PUBLIC", "PRIVATE"))  # noqa: RUF009
    raw: NotTyped | None = field("raw")  # noqa: RUF009


def test_extra_union_members_are_ignored() -> None:
    """Only the types the strategies can generate are drawn; the rest of a union is left alone."""
    seen: dict[str, set[type]] = {}

    @settings(max_examples=40, deadline=None, database=None)
    @given(strategies.instances(Future))
    def check(value: Future) -> None:
        assert value.raw is None
        for name in ("amount", "signed", "sources", "investments", "status"):
            found = getattr(value, name)
            if found is not None:
                inner = found.value if isinstance(found, Value) else found
                seen.setdefault(name, set()).update({type(found), type(inner)})
        for name, leaf in _leaves(value):
            assert not isinstance(leaf, NotTyped | NotTypedNode), name

    check()
    assert seen["amount"] == {Value, Decimal} and seen["signed"] == {Value, PartialDate}
    assert seen["status"] == {Status} and seen["investments"] == {list} and seen["sources"] == {tuple}


def test_a_project_is_drawn_with_few_choices() -> None:
    """What keeps the strategies fast: one choice per object for its optional fields, and a few
    per free value. Drawing a choice per field (the old way) took about 1,000 per project."""
    counts: list[int] = []

    @settings(max_examples=40, derandomize=True, deadline=None, database=None, phases=[Phase.generate])
    @given(st.data())
    def count(data: st.DataObject) -> None:
        data.draw(strategies.projects())
        counts.append(len(data.conjecture_data.choices))

    count()
    assert counts and sum(counts) / len(counts) < 350, counts


@pytest.mark.benchmark_smoke
def test_the_benchmark_prints_rates(tmp_path: Any) -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "strategies.py"), "--examples", "3", "--runs", "1"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].split() == ["strategy", "per", "second"]
    rates = {line.split()[0]: float(line.split()[1]) for line in lines[1:]}
    assert set(rates) == {"projects()", "organisations()", "funds()", "pipelines()", "packages()"}
    assert all(rate > 0 for rate in rates.values())

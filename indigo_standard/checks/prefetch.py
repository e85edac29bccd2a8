"""The fields the built-in checks read, so that one pass over a record finds them all."""

from __future__ import annotations

from functools import cache

from . import dataset, iso_codes, meaning, references


@cache
def builtin_queries(version: str, entity: str) -> tuple[frozenset[str], ...]:
    """Each set of schema paths a built-in check selects in records of ``entity`` in ``version``
    (without repeats or empty sets): one pass over a record finds the fields of them all."""
    queries = (
        references.source_id_fields(version, entity),
        *(references.coded_paths(version, entity, code) for code in references.LIST_CODES.values()),
        meaning.date_fields(version, entity),
        meaning.periods(version, entity),
        meaning.ranges(version, entity),
        meaning.money_containers(version, entity),
        meaning.never_negative(version, entity),
        meaning.usd_fields(version, entity),
        meaning.sdg_parents(version, entity),
        meaning.ORG_ID_FIELDS,
        iso_codes.currency_fields(version, entity),
        iso_codes.country_fields(version, entity),
        dataset.record_paths(version, entity),
    )
    return tuple(dict.fromkeys(query for query in queries if query))


@cache
def builtin_paths(version: str, entity: str) -> frozenset[str]:
    """Every schema path a built-in check selects in records of ``entity`` in ``version``."""
    return frozenset().union(*builtin_queries(version, entity))

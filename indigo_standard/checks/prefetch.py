"""The fields the built-in checks read, so that one pass over a record finds them all."""

from __future__ import annotations

from functools import cache

from . import dataset, iso_codes, meaning, references


@cache
def builtin_paths(version: str, entity: str) -> frozenset[str]:
    """Every schema path a built-in check selects in records of ``entity`` in ``version``."""
    return frozenset().union(
        references.source_id_fields(version, entity),
        references.list_references(version, entity),
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
        dataset.record_references(version, entity),
    )

"""The bundled schemas: loaded once through importlib.resources and resolved offline.

Every ``$ref`` resolves through a :class:`referencing.Registry` that holds only the schema
files shipped in this package. Anything else is refused with
:class:`~indigo_standard.errors.SchemaReferenceError`; nothing is ever fetched.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

import referencing
import referencing.exceptions
from jsonschema import Draft202012Validator
from referencing.jsonschema import DRAFT202012

from .errors import SchemaReferenceError, UnknownEntityError
from .versions import normalise_version

if TYPE_CHECKING:
    from importlib.abc import Traversable

    from referencing._core import Resolver

RECORD_SCHEMAS: Mapping[str, str] = {
    "project": "project.schema.json",
    "organisation": "organisation.schema.json",
    "fund": "fund.schema.json",
    "pipeline": "pipeline.schema.json",
}
"""The schema file of each record type."""

COMPONENT_SCHEMAS: Mapping[str, str] = {
    "investment": "investment.schema.json",
    "outcome-metric": "outcome-metric.schema.json",
    "result": "result.schema.json",
    "money": "money.schema.json",
    "source": "source.schema.json",
    "partial-date": "partial-date.schema.json",
    "value": "value.schema.json",
    "package": "package.schema.json",
}
"""The component schemas, which can also be validated on their own."""


def _version_folder(version: str) -> Traversable:
    return files("indigo_standard.schema").joinpath(normalise_version(version))


@cache
def schemas(version: str) -> Mapping[str, Mapping[str, Any]]:
    """Every schema file of ``version``, parsed, keyed by file name."""
    folder = _version_folder(version)
    loaded = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".schema.json"):
            loaded[entry.name] = json.loads(entry.read_text(encoding="utf-8"))
    return loaded


def schema(version: str, name: str) -> Mapping[str, Any]:
    """One schema of ``version`` by record type, component name or file name."""
    file = RECORD_SCHEMAS.get(name) or COMPONENT_SCHEMAS.get(name) or name
    try:
        return schemas(version)[file]
    except KeyError:
        known = ", ".join([*RECORD_SCHEMAS, *COMPONENT_SCHEMAS])
        raise UnknownEntityError(f"no schema {name!r} in version {normalise_version(version)}; the record "
                                 f"types and components are {known}") from None


def release(version: str) -> Mapping[str, Any]:
    """The release metadata of ``version`` (its number, date and patches)."""
    data: Mapping[str, Any] = json.loads(_version_folder(version).joinpath("release.json").read_text("utf-8"))
    return data


@cache
def codelist(version: str, name: str) -> tuple[Mapping[str, str], ...]:
    """The rows of one bundled codelist CSV (columns ``code``, ``title`` and any grouping)."""
    text = _version_folder(version).joinpath("codelists").joinpath(name).read_text(encoding="utf-8")
    return tuple(csv.DictReader(io.StringIO(text)))


def _refuse(uri: str) -> referencing.Resource[Any]:
    raise SchemaReferenceError(f"refused to resolve $ref {uri!r}: only the bundled INDIGO schemas are used")


@cache
def registry(version: str) -> referencing.Registry[Any]:
    """A registry of the bundled schemas of ``version`` that refuses every other URI."""
    resources = [(data["$id"], DRAFT202012.create_resource(data)) for data in schemas(version).values()]
    # attrs names the field `_retrieve` and aliases it; mypy's attrs plugin misses the alias.
    empty: referencing.Registry[Any] = referencing.Registry(retrieve=_refuse)  # type: ignore[call-arg]
    return empty.with_resources(resources).crawl()


@cache
def validator(version: str, name: str) -> Draft202012Validator:
    """A reference validator for one schema of ``version``, built once per process."""
    return Draft202012Validator(schema(version, name), registry=registry(version))


def resolver(version: str, base_uri: str) -> Resolver[Any]:
    """A resolver over the bundled schemas of ``version``, starting from ``base_uri``."""
    return registry(version).resolver(base_uri=base_uri)


@cache
def priorities(version: str) -> Mapping[str, Mapping[str, int]]:
    """The standard's priority (1 = most important) of each field that has one, per record type."""
    text = _version_folder(version).joinpath("priorities.json").read_text(encoding="utf-8")
    data: Mapping[str, Mapping[str, int]] = json.loads(text)
    return data

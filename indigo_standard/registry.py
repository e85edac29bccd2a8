"""The bundled schemas: loaded once through importlib.resources and resolved offline.

The schema folders are the subpackage ``indigo_standard.schema`` of an installed package
(the wheel maps the repository's top-level ``schema/`` folder in as that subpackage). Code
run straight from a source checkout has no such subpackage, so there the ``schema/``
folder beside the package is used instead: see :func:`schema_root`.

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
from pathlib import Path
from typing import TYPE_CHECKING, Any

import referencing
import referencing.exceptions
from jsonschema import Draft202012Validator
from referencing.jsonschema import DRAFT202012

from .errors import IndigoError, SchemaReferenceError, UnknownEntityError
from .versions import LATEST_VERSION, normalise_version

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


SCHEMA_PACKAGE = "indigo_standard.schema"


def _find_schema_root() -> Traversable | None:
    try:
        return files(SCHEMA_PACKAGE)
    except ModuleNotFoundError as error:
        if error.name != SCHEMA_PACKAGE:
            raise
    checkout = Path(__file__).resolve().parent.parent / "schema"
    if (checkout / LATEST_VERSION / RECORD_SCHEMAS["project"]).is_file():
        return checkout
    return None


_SCHEMA_ROOT = _find_schema_root()
"""Looked for once, when this module is imported: importing the subpackage binds the name
``schema`` in the package, and ``indigo_standard/__init__.py`` binds the public function of that
name after importing this module, so the function is what ``indigo_standard.schema`` stays."""


def schema_root() -> Traversable:
    """The folder holding one folder of schema files per version: the installed package's
    ``indigo_standard.schema``, or in a source checkout that lacks it, the ``schema/`` folder."""
    if _SCHEMA_ROOT is None:
        checkout = Path(__file__).resolve().parent.parent / "schema"
        raise IndigoError(
            f"the bundled schemas are missing (no package {SCHEMA_PACKAGE}, no folder {checkout}); "
            "reinstall indigo-standard"
        )
    return _SCHEMA_ROOT


def version_folder(version: str) -> Traversable:
    """The bundled folder of one version (``4.1``): its ``*.schema.json`` files and ``codelists/``."""
    return schema_root().joinpath(normalise_version(version))


@cache
def schemas(version: str) -> Mapping[str, Mapping[str, Any]]:
    """Every schema file of ``version``, parsed, keyed by file name."""
    folder = version_folder(version)
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
        raise UnknownEntityError(
            f"no schema {name!r} in version {normalise_version(version)}; the record "
            f"types and components are {known}"
        ) from None


def release(version: str) -> Mapping[str, Any]:
    """The release metadata of ``version`` (its number, date and patches)."""
    data: Mapping[str, Any] = json.loads(version_folder(version).joinpath("release.json").read_text("utf-8"))
    return data


@cache
def codelist(version: str, name: str) -> tuple[Mapping[str, str], ...]:
    """The rows of one bundled codelist CSV (columns ``code``, ``title`` and any grouping)."""
    text = version_folder(version).joinpath("codelists").joinpath(name).read_text(encoding="utf-8")
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
    text = version_folder(version).joinpath("priorities.json").read_text(encoding="utf-8")
    data: Mapping[str, Mapping[str, int]] = json.loads(text)
    return data

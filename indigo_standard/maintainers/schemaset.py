"""A schema version folder loaded on its own: the bundled versions, ``schema/NEXT`` or any
directory laid out like ``schema/<version>/``.

A :class:`SchemaSet` holds the text of every file in the folder and resolves ``$ref``\\ s
through a registry of that folder's schemas only: nothing is fetched, and nothing is
borrowed from the bundled versions.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import attrs
import referencing
from jsonschema import Draft202012Validator
from referencing.jsonschema import DRAFT202012

from ..errors import InputError, SchemaReferenceError
from ..fields import Field, fields_from
from ..registry import COMPONENT_SCHEMAS, RECORD_SCHEMAS, version_folder
from ..versions import normalise_version

if TYPE_CHECKING:
    from importlib.abc import Traversable

    from referencing._core import Resolver

SCHEMA_SUFFIX = ".schema.json"
BASE_ID = "https://indigo-standard.org/schema"
"""Every schema's ``$id`` is ``BASE_ID/<version>/<file name>``."""
RELEASE_FILE = "release.json"
MANIFEST_FILE = "manifest.json"
PRIORITIES_FILE = "priorities.json"


def dump_json(data: Any) -> str:
    """The one formatting every JSON file in a schema folder uses."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _read_tree(folder: Traversable, prefix: str = "") -> dict[str, str]:
    texts: dict[str, str] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith((".", "__")):
            continue
        if entry.is_dir():
            texts.update(_read_tree(entry, f"{prefix}{entry.name}/"))
        elif entry.name.endswith((".json", ".csv")):
            texts[prefix + entry.name] = entry.read_text(encoding="utf-8")
    return texts


def _refuse(uri: str) -> referencing.Resource[Any]:
    raise SchemaReferenceError(f"refused to resolve $ref {uri!r}: it is not a schema of this folder")


@attrs.frozen
class SchemaSet:
    """Every file of one schema version folder, as text, with an offline resolver over them."""

    label: str
    """How the user named it: a version such as ``4.1`` or a folder path."""
    texts: Mapping[str, str]
    """File text keyed by path inside the folder (``project.schema.json``, ``codelists/x.csv``)."""
    folder: Path | None = None
    """The folder on disk, for folders given by path; None for bundled versions."""

    @cached_property
    def schemas(self) -> Mapping[str, Mapping[str, Any]]:
        """Each ``*.schema.json`` file, parsed."""
        parsed = {}
        for name, text in self.texts.items():
            if "/" not in name and name.endswith(SCHEMA_SUFFIX):
                try:
                    parsed[name] = json.loads(text)
                except json.JSONDecodeError as error:
                    raise InputError(
                        f"{self.label}/{name}: malformed JSON at line {error.lineno}: {error.msg}"
                    ) from None
        return parsed

    @cached_property
    def release(self) -> Mapping[str, Any]:
        """The folder's ``release.json``."""
        return cast("Mapping[str, Any]", self._json(RELEASE_FILE))

    @property
    def version(self) -> str:
        """The MAJOR.MINOR version the folder's release metadata declares."""
        return str(self.release.get("version", ""))

    @property
    def release_number(self) -> str:
        """The full number of the latest release recorded: the last patch, else the release itself."""
        patches = self.release.get("patches") or []
        if patches:
            return str(patches[-1]["version"])
        return str(self.release.get("standard_version", ""))

    @cached_property
    def priorities(self) -> Mapping[str, Mapping[str, int]]:
        """Field priorities (1 = most important) per record type and path, where recorded."""
        if PRIORITIES_FILE not in self.texts:
            return {}
        return cast("Mapping[str, Mapping[str, int]]", self._json(PRIORITIES_FILE))

    def _json(self, name: str) -> Any:
        if name not in self.texts:
            raise InputError(f"{self.label}: no {name} in this schema folder")
        try:
            return json.loads(self.texts[name])
        except json.JSONDecodeError as error:
            raise InputError(
                f"{self.label}/{name}: malformed JSON at line {error.lineno}: {error.msg}"
            ) from None

    def codelist(self, name: str) -> tuple[Mapping[str, str], ...]:
        """The rows of one codelist CSV of this folder."""
        text = self.texts.get(f"codelists/{name}")
        if text is None:
            raise InputError(f"{self.label}: no codelist {name}")
        return tuple(csv.DictReader(io.StringIO(text)))

    @cached_property
    def registry(self) -> referencing.Registry[Any]:
        """A registry of this folder's schemas that refuses every other URI."""
        resources = [
            (data["$id"], DRAFT202012.create_resource(data))
            for data in self.schemas.values()
            if isinstance(data, dict) and isinstance(data.get("$id"), str)
        ]
        empty: referencing.Registry[Any] = referencing.Registry(retrieve=_refuse)  # type: ignore[call-arg]
        return empty.with_resources(resources)

    def schema(self, name: str) -> Mapping[str, Any]:
        """One schema by record type, component name or file name."""
        file = RECORD_SCHEMAS.get(name) or COMPONENT_SCHEMAS.get(name) or name
        try:
            return self.schemas[file]
        except KeyError:
            raise InputError(f"{self.label}: no schema {file}") from None

    def resolver(self, name: str) -> Resolver[Any]:
        """A resolver starting from one schema's ``$id``."""
        return self.registry.resolver(base_uri=str(self.schema(name).get("$id", "")))

    def fields(self, entity: str) -> tuple[Field, ...]:
        """Every field of record type ``entity``, as :func:`indigo_standard.fields` gives them."""
        return fields_from(entity, self.schema(entity), self.resolver(entity))

    def validator(self, name: str) -> Draft202012Validator:
        """A validator for one schema of this folder."""
        return Draft202012Validator(self.schema(name), registry=self.registry)


def bundled_folder(version: str) -> Traversable:
    """The folder of one bundled version."""
    return version_folder(version)


def load_schema_set(where: str | Path) -> SchemaSet:
    """A bundled version (``"4.1"``) or a folder laid out like ``schema/<version>/``.

    An existing directory wins over a version number of the same spelling.
    """
    path = Path(where)
    if path.is_dir():
        texts = _read_tree(path)
        if not any(name.endswith(SCHEMA_SUFFIX) for name in texts):
            raise InputError(f"{path}: no *.schema.json files in this folder")
        return SchemaSet(str(where), texts, path)
    if path.exists():
        raise InputError(f"{path}: not a folder; give a schema version such as 4.1 or a folder")
    version = normalise_version(str(where))
    return SchemaSet(version, _read_tree(bundled_folder(version)))

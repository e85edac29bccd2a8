"""Released versions are immutable: each version folder carries a manifest of checksums.

``manifest.json`` lists, for the release and for every patch release after it, the
SHA-256 of each file of the folder (the manifest itself excepted). History is only ever
appended to: when a file changes, the change must come with a patch release recorded
in ``release.json`` (``patches``) and in the CHANGELOG, and a new manifest entry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from ..errors import IndigoError
from .schemaset import MANIFEST_FILE, SchemaSet


class ManifestError(IndigoError):
    """Released files changed without a patch release to account for them."""


def checksums(texts: Mapping[str, str]) -> dict[str, str]:
    """The SHA-256 of each file's UTF-8 bytes, keyed by its path in the folder (manifest excepted)."""
    return {
        name: "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
        for name, text in sorted(texts.items())
        if name != MANIFEST_FILE
    }


def releases(release: Mapping[str, Any]) -> list[str]:
    """Every release number ``release.json`` records: the release, then each patch in order."""
    return [str(release["standard_version"]), *(str(p["version"]) for p in release.get("patches", []))]


def _changed(old: Mapping[str, str], new: Mapping[str, str]) -> list[str]:
    return sorted(name for name in set(old) | set(new) if old.get(name) != new.get(name))


def next_manifest(
    texts: Mapping[str, str], release: Mapping[str, Any], previous: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The manifest a folder should carry, given the one it has (None for a first release).

    Unchanged files keep the manifest as it is; changed files need a release number that
    the manifest has not seen yet (a new patch), else :class:`ManifestError`.
    """
    current = checksums(texts)
    latest = releases(release)[-1]
    if previous is None:
        return {"version": release["version"], "releases": [{"release": latest, "files": current}]}
    entries = list(previous.get("releases", []))
    if entries and entries[-1].get("files") == current:
        return dict(previous)
    if any(entry.get("release") == latest for entry in entries):
        changed = _changed(entries[-1].get("files", {}) if entries else {}, current)
        raise ManifestError(
            f"version {release['version']}: released file(s) changed without a patch release: "
            f"{', '.join(changed)}; record a patch in release.json and in CHANGELOG.md first"
        )
    return {**previous, "releases": [*entries, {"release": latest, "files": current}]}


def check_manifest(schemas: SchemaSet, changelog: str | None = None) -> list[str]:
    """Problems that break immutability, one message each; empty when the folder is intact.

    The files must match the manifest's last entry, that entry must be the latest release
    recorded in ``release.json``, and every patch must be in ``changelog`` when given.
    """
    label = schemas.label
    if MANIFEST_FILE not in schemas.texts:
        return [f"{label}: no {MANIFEST_FILE}; run `indigo-standard schema manifest` when releasing"]
    manifest = json.loads(schemas.texts[MANIFEST_FILE])
    entries = manifest.get("releases") or []
    problems: list[str] = []
    if not entries:
        return [f"{label}: {MANIFEST_FILE} records no release"]
    recorded = releases(schemas.release)
    last = entries[-1]
    for name in _changed(last.get("files", {}), checksums(schemas.texts)):
        problems.append(
            f"{label}: {name} differs from release {last.get('release')} and no later patch release "
            f"is recorded in the manifest"
        )
    if last.get("release") != recorded[-1]:
        problems.append(
            f"{label}: the manifest's latest release is {last.get('release')}, "
            f"but release.json records {recorded[-1]}"
        )
    for entry in entries:
        if entry.get("release") not in recorded:
            problems.append(
                f"{label}: the manifest lists release {entry.get('release')}, "
                f"which release.json does not record"
            )
    if changelog is not None:
        for patch in schemas.release.get("patches", []):
            if str(patch["version"]) not in changelog:
                problems.append(f"{label}: patch release {patch['version']} is not in the CHANGELOG")
    return problems

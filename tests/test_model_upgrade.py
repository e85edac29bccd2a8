"""``load`` reads older versions by upgrading them first, and says so."""

from __future__ import annotations

import json
import warnings

import pytest
from conftest import EXAMPLES, FIXTURES

import indigo_standard as indigo
from indigo_standard.migrations import EXTENSION_KEY, UpgradeWarning

OLD_PROJECT = FIXTURES / "migrations" / "project-3.1.json"


def test_loading_3_1_data_upgrades_it_with_a_warning() -> None:
    with pytest.warns(UpgradeWarning) as caught:
        project = indigo.load(OLD_PROJECT)
    messages = [str(w.message) for w in caught]
    assert any("upgraded from INDIGO 3.1 to 4.1" in m for m in messages), messages
    assert any("scenarios" in m for m in messages), messages
    dumped = indigo.dump(project)
    assert "scenarios" not in dumped and "scenarios" in dumped[EXTENSION_KEY]
    assert indigo.validate(json.loads(indigo.dumps(project)), schema_version="4.1").errors == 0
    roles = [
        s["organisation_role_category"]["value"]
        for s in dumped.get("intermediary_services", [])
        if "organisation_role_category" in s
    ]
    assert "Financial and commercial modeling" not in roles


def test_current_data_loads_without_any_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        project = indigo.load(EXAMPLES / "project.json")
    assert indigo.dump(project) == json.loads((EXAMPLES / "project.json").read_text(encoding="utf-8"))


def test_a_stated_version_is_believed() -> None:
    record = json.loads((EXAMPLES / "fund.json").read_text(encoding="utf-8"))
    with pytest.warns(UpgradeWarning, match="upgraded from INDIGO 4.0 to 4.1"):
        fund = indigo.load(record, schema_version="4.0")
    assert indigo.dump(fund) == record

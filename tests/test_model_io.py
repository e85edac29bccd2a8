"""load and dump: examples round-trip, unknown keys kept in place, every problem listed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from conftest import EXAMPLES

import indigo_standard as indigo
from indigo_standard.model import IdList, Invalid, Investment, StructureError, Value, load_as

EXAMPLE_FILES = sorted(p for p in EXAMPLES.glob("*.json") if p.name != "package.json")

UNKNOWN_TYPE = (
    "cannot tell whether this record is a project, organisation, fund or pipeline: "
    "its id 'X-1' has no known prefix"
)


def _package_records() -> list[tuple[str, dict[str, Any]]]:
    package = json.loads((EXAMPLES / "package.json").read_text(encoding="utf-8"))
    lists = ("projects", "organisations", "funds", "pipelines")
    return [(key[:-1], record) for key in lists for record in package[key]]


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_every_example_round_trips_with_key_order(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    record = indigo.load(path)
    assert type(record).__name__.lower() == path.stem
    assert indigo.dump(record) == json.loads(text)
    assert json.dumps(indigo.dump(record), indent=2, ensure_ascii=False) + "\n" == text
    assert indigo.dumps(record, indent=2) + "\n" == text
    assert indigo.load(text) == record == indigo.load(json.loads(text))


def test_package_records_round_trip() -> None:
    for entity, data in _package_records():
        assert json.dumps(indigo.dump(indigo.load(data, entity=entity))) == json.dumps(data)


def test_typed_values() -> None:
    data = json.loads((EXAMPLES / "project.json").read_text(encoding="utf-8"))
    project = indigo.load(EXAMPLES / "project.json")
    assert isinstance(project, indigo.Project) and project.dates is not None
    signed = project.dates.outcomes_contract_signed
    assert signed is not None and signed.value is not None
    assert str(signed.value) == data["dates"]["outcomes_contract_signed"]["value"]
    assert isinstance(signed.value, indigo.PartialDate)
    if "jurisdiction" in data:
        assert project.jurisdiction is not None and project.jurisdiction.jurisdiction is not None
        assert project.jurisdiction.jurisdiction.value == data["jurisdiction"]["jurisdiction"]["value"]
        assert isinstance(project.jurisdiction.jurisdiction.value, indigo.model.Country)
    if "source_ids" in data["dates"]:
        assert isinstance(project.dates.source_ids, IdList)
        assert ",".join(project.dates.source_ids) == data["dates"]["source_ids"].replace(" ", "")


def test_unknown_keys_are_kept_where_they_were() -> None:
    data = {
        "x-first": 1,
        "id": "INDIGO-POJ-9",
        "name": {"ext": [1, {"a": None}], "value": "N", "status": "PUBLIC"},
        "dates": {"outcomes_contract_signed": {"value": "2020-06"}, "x-note": "kept"},
        "investments": [{"id": "i1", "x-rank": 2}],
    }
    project = indigo.load(data)
    assert isinstance(project, indigo.Project)
    assert project.extra == {"x-first": 1}
    # the schema gives a project's name no status, so that key is kept as an unknown one too
    assert isinstance(project.name, Value) and project.name.status is None
    assert project.name.extra == {"ext": [1, {"a": None}], "status": "PUBLIC"}
    assert project.dates is not None and project.dates.extra == {"x-note": "kept"}
    dumped = indigo.dump(project)
    assert dumped == data
    assert list(dumped) == list(data) and list(dumped["name"]) == ["ext", "value", "status"]


def test_changes_are_written_and_new_keys_follow_the_read_ones() -> None:
    project = indigo.load(EXAMPLES / "project.json")
    assert isinstance(project, indigo.Project)
    assert project.status is None
    project.status = indigo.model.Status.PRIVATE
    project.notes = attrs.evolve(project.notes, value="checked") if project.notes else Value("checked")
    dumped = indigo.dump(project)
    assert list(dumped)[-1] == "status" and dumped["status"] == "PRIVATE"
    assert dumped["notes"]["value"] == "checked"
    assert list(dumped)[:-1] == list(json.loads((EXAMPLES / "project.json").read_text(encoding="utf-8")))


def test_id_lists_keep_their_original_text() -> None:
    dates = {"source_ids": "s1, s2", "outcomes_contract_signed": {"value": "2020"}}
    data = {"id": "INDIGO-POJ-1", "dates": dates}
    project = indigo.load(data)
    assert isinstance(project, indigo.Project) and project.dates is not None
    assert project.dates.source_ids == ("s1", "s2")
    assert indigo.dump(project) == data
    project.dates.source_ids = ("s1", "s3")
    assert indigo.dump(project)["dates"]["source_ids"] == "s1,s3"


def test_amounts_are_exact_decimals() -> None:
    text = '{"id": "INDIGO-POJ-1", "overall_project_finance": {"total_outcome_payments_made": {"amount": {"value": 1234567.89}, "amount_usd": {"value": 1e21}}}}'  # noqa: E501
    project = indigo.load(text)
    assert isinstance(project, indigo.Project)
    finance = project.overall_project_finance
    assert finance is not None and finance.total_outcome_payments_made is not None
    amount = finance.total_outcome_payments_made.amount
    usd = finance.total_outcome_payments_made.amount_usd
    assert amount is not None and amount.value == Decimal("1234567.89")
    assert usd is not None and usd.value == Decimal("1E+21") and str(usd.value) == "1E+21"
    assert indigo.dump(project) == json.loads(text)
    written = indigo.dumps(project)
    # 1e21 is not how a float writes itself (1e+21), so it was read as a Decimal and stays one
    assert written == text.replace("1e21", "1E+21")
    assert indigo.dumps(indigo.load(json.loads(text))) == json.dumps(json.loads(text))
    # Digits a float cannot hold stay a Decimal in dump() and are written exactly by dumps().
    amount.value = Decimal("0.12345678901234567890123")
    dumped = indigo.dump(project)["overall_project_finance"]["total_outcome_payments_made"]
    assert dumped["amount"]["value"] == amount.value
    assert "0.12345678901234567890123" in indigo.dumps(project)
    assert indigo.load(indigo.dumps(project)) == project


def test_malformed_record_lists_every_problem_with_its_path() -> None:
    data = {
        "id": "INDIGO-POJ-1",
        "status": "OPEN",
        "sources": {"id": "s1"},
        "dates": {
            "actual_duration_of_service_provision": {"value": "TBD"},
            "outcomes_contract_signed": {"value": "March 2019"},
        },
        "jurisdiction": {"jurisdiction": {"value": "XX"}},
        "investments": [{"id": "i1"}, {"investment_commitment": {"currency": {"value": "Russian Ruble"}}}],
        "name": {"value": None},
    }
    with pytest.raises(StructureError) as caught:
        indigo.load(data, strict=True)
    problems = {p.path: p.message for p in caught.value.problems}
    assert set(problems) == {
        "/status",
        "/sources",
        "/dates/actual_duration_of_service_provision/value",
        "/dates/outcomes_contract_signed/value",
        "/jurisdiction/jurisdiction/value",
        "/investments/1/investment_commitment/currency/value",
        "/name/value",
    }
    assert "TBD" in problems["/dates/actual_duration_of_service_provision/value"]
    assert "ISO 4217" in problems["/investments/1/investment_commitment/currency/value"]
    message = str(caught.value)
    assert message.startswith("cannot load Project INDIGO-POJ-1: 7 problems:")
    assert all(path in message for path in problems)
    assert isinstance(caught.value, indigo.IndigoError)
    # Leniently (the default), the same problems are on the record and every value is kept.
    project = indigo.load(data)
    assert isinstance(project, indigo.Project)
    assert [(p.code, p.path) for p in project.problems] == [(p.code, p.path) for p in caught.value.problems]
    assert json.dumps(indigo.dump(project)) == json.dumps(data)
    assert project.status == Invalid("OPEN", project.problems[0])
    assert project.problems[0].code == "schema.enum"
    assert isinstance(project.sources, Invalid) and project.sources.raw == {"id": "s1"}


def test_lenient_dates_only_when_asked() -> None:
    data = {"id": "INDIGO-POJ-1", "dates": {"outcomes_contract_signed": {"value": "March 2019"}}}
    with pytest.raises(StructureError):
        indigo.load(data, strict=True)
    project = indigo.load(data, lenient_dates=True)
    assert isinstance(project, indigo.Project) and project.dates is not None
    assert project.dates.outcomes_contract_signed == Value(indigo.PartialDate(2019, 3))
    assert indigo.dump(project)["dates"]["outcomes_contract_signed"] == {"value": "2019-03"}


def test_bad_inputs_raise_input_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"id": ', encoding="utf-8")
    with pytest.raises(indigo.InputError, match=r"broken\.json: not valid JSON"):
        indigo.load(broken)
    with pytest.raises(indigo.InputError, match=r"missing\.json: no such file or directory"):
        indigo.load(tmp_path / "missing.json")
    with pytest.raises(indigo.InputError, match=UNKNOWN_TYPE):
        indigo.load({"id": "X-1"})
    with pytest.raises(indigo.InputError, match="one record"):
        indigo.load("[1, 2]")
    with pytest.raises(indigo.InputError, match="not valid JSON"):
        indigo.load('{"id": "INDIGO-POJ-1", "x": NaN}')


def test_components_load_on_their_own() -> None:
    investment = load_as(Investment, {"id": "i1", "investment_commitment": {"currency": {"value": "GBP"}}})
    assert investment.investment_commitment is not None
    assert investment.investment_commitment.currency == Value(indigo.model.Currency("GBP"))
    assert indigo.dump(investment) == {"id": "i1", "investment_commitment": {"currency": {"value": "GBP"}}}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_load_of_a_named_pipe_or_a_device_is_refused_at_once(tmp_path: Path) -> None:
    """Nothing writes to the pipe: a load that opened it as a file would wait forever (the
    subprocess is killed after its timeout, and the test fails)."""
    pipe = tmp_path / "record.json"
    os.mkfifo(pipe)
    script = (
        "import sys, indigo_standard as indigo\n"
        "for path in sys.argv[1:]:\n"
        "    try:\n"
        "        indigo.load(path)\n"
        "    except indigo.InputError as error:\n"
        "        print(error)\n"
    )
    devices = [device for device in ("/dev/zero", "/dev/null") if Path(device).exists()]
    done = subprocess.run(
        [sys.executable, "-c", script, str(pipe), *devices],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"{pipe}: is a named pipe (FIFO), not a regular file; only regular files are read",
        *(f"{device}: is a device, not a regular file; only regular files are read" for device in devices),
    ]

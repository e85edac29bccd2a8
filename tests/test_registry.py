"""The schema registry works offline: bundled files only, and other references refused."""

from __future__ import annotations

import http.server
import threading
import typing
from collections.abc import Iterator

import pytest
import referencing.exceptions
from jsonschema import Draft202012Validator

import indigo_standard as indigo
from indigo_standard.errors import SchemaReferenceError, UnknownVersionError
from indigo_standard.registry import registry, schema, schemas, validator
from indigo_standard.versions import normalise_version


class CountingHandler(http.server.BaseHTTPRequestHandler):
    requests: typing.ClassVar[list[str]] = []

    def do_GET(self) -> None:
        CountingHandler.requests.append(self.path)
        body = b'{"type": "string"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def loopback_server() -> Iterator[str]:
    CountingHandler.requests = []
    server = http.server.HTTPServer(("127.0.0.1", 0), CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_ref_to_a_live_server_is_refused_and_never_requested(loopback_server: str) -> None:
    url = f"{loopback_server}/evil.schema.json"
    # The server answers when asked directly, so a silent fetch would have succeeded.
    import urllib.request

    with urllib.request.urlopen(url) as response:
        assert response.status == 200
    CountingHandler.requests.clear()

    sneaky = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": url}
    checker = Draft202012Validator(sneaky, registry=registry("4.1"))
    with pytest.raises(referencing.exceptions.Unresolvable) as caught:
        checker.is_valid("anything")
    assert any(isinstance(error, SchemaReferenceError) for error in causes(caught.value))
    assert CountingHandler.requests == []


def causes(error: BaseException) -> list[BaseException]:
    """The error and everything it wraps, through causes, contexts and jsonschema's wrapper."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [error]
    while todo:
        current = todo.pop()
        if current is None or any(current is s for s in seen):
            continue
        seen.append(current)
        todo += [current.__cause__, current.__context__, getattr(current, "_wrapped", None)]
    return seen


def test_schemas_load_once_and_are_cached() -> None:
    assert schemas("4.1") is schemas("4.1")
    assert validator("4.1", "project") is validator("4.1", "project")
    assert schema("4.1", "project")["title"] == "Project"


@pytest.mark.parametrize(
    ("given", "expected"), [("4.1", "4.1"), ("4.1.0", "4.1"), ("3.1.1", "3.1"), ("v4.0", "4.0")]
)
def test_version_strings_normalise(given: str, expected: str) -> None:
    assert normalise_version(given) == expected


@pytest.mark.parametrize("given", ["4.2", "5", "", "latest", "2.0.0"])
def test_unknown_versions_name_the_supported_ones(given: str) -> None:
    with pytest.raises(UnknownVersionError, match=r"supported versions are 3\.1, 4\.0, 4\.1"):
        normalise_version(given)


def test_validate_api_accepts_dicts_lists_text_and_paths(tmp_path: object) -> None:
    from conftest import EXAMPLES

    record = {"id": "INDIGO-FUND-0099", "stage_development": {"value": "Dormant"}}
    report = indigo.validate(record, schema_version="4.1")
    assert not report.valid and report.errors == 1
    issue = report.issues[0]
    assert (issue.code, issue.entity, issue.record, issue.path, issue.title) == (
        "schema.enum",
        "fund",
        "INDIGO-FUND-0099",
        "/stage_development/value",
        "Stage of Development - (Value)",
    )
    assert indigo.validate([record, record], schema_version="4.1").errors == 3  # the second is a duplicate
    assert indigo.validate('{"id": "INDIGO-FUND-1"}', schema_version="4.0").valid
    assert indigo.validate(EXAMPLES / "package.json").valid
    assert indigo.validate(str(EXAMPLES / "project.json"), schema_version="4.1").valid
    with pytest.raises(indigo.InputError):
        indigo.validate("{broken", schema_version="4.1")


def test_each_version_validates_against_its_own_schema() -> None:
    record = {"id": "INDIGO-POJ-7", "scenarios": [{"id": "s1", "name": {"value": 3}}]}
    assert not indigo.validate(record, schema_version="3.1").valid  # scenarios exist in 3.1: 3 is not text
    assert indigo.validate(record, schema_version="4.0").valid  # an unknown extension key in 4.0

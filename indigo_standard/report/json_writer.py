"""The JSON report of the command-line contract, written as its issues are read back.

The report is one object: ``valid``, ``schema_version``, ``records``, ``errors``,
``warnings``, ``partial``, ``max_issues`` and ``counts``, then every issue kept (in the
order found) and the same issues grouped (in the order of :mod:`.grouping`). The issues
are read from the run's store while they are written, so a report of any size is written
in bounded memory. :func:`write_json` lays out exactly what ``json.dumps(..., indent=2,
ensure_ascii=False)`` gives for the same value, with the C string encoder.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring
from typing import IO, Any

from ..validation.issue_store import IssueStore, StreamedReport, streamed
from ..validation.result import Issue, Report
from .grouping import ordered_groups


class Lazy:
    """A JSON list whose items are produced while it is written."""

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items


class LazyObject(dict[str, Any]):
    """A JSON object holding :class:`Lazy` lists (directly or deeper): written member by member."""


def report_body(report: Report | StreamedReport) -> LazyObject:
    """The report's JSON object, its two issue lists written as they are read."""
    report = streamed(report)
    return LazyObject(
        {
            **report.summary(),
            "issues": Lazy(_texts(report.issues, location=False)),
            "groups": Lazy(_groups(report.issues)),
        }
    )


def _groups(store: IssueStore) -> Iterator[LazyObject]:
    for group in ordered_groups(store.groups()):
        yield LazyObject(
            {
                "code": group.code,
                "severity": group.severity,
                "entity": group.entity,
                "field": group.field,
                "title": group.title,
                "count": group.count,
                "locations": Lazy(_texts(store.members(group), location=True)),
            }
        )


def _texts(issues: Iterable[Issue], *, location: bool) -> Iterator[IssueText]:
    """The issues as :class:`IssueText`, one at a time."""
    for issue in issues:
        yield IssueText(issue, location=location)


class IssueText:
    """An issue written straight as JSON text: as :meth:`Issue.to_dict` gives it in the report's
    ``issues`` list, or as a group's location (record, path, message and source)."""

    def __init__(self, issue: Issue, *, location: bool) -> None:
        self.issue = issue
        self.location = location

    def encode(self, pad: str) -> str:
        """The text ``encode_indented`` gives for the issue's dict, lines continued with ``pad``."""
        issue, inner = self.issue, pad + "  "
        record = "null" if issue.record is None else encode_basestring(issue.record)
        if self.location:
            text = (
                f'{{{inner}"record": {record},{inner}"path": {encode_basestring(issue.path)},'
                f'{inner}"message": {encode_basestring(issue.message)}'
            )
        else:
            entity = "null" if issue.entity is None else encode_basestring(issue.entity)
            text = (
                f'{{{inner}"severity": {encode_basestring(issue.severity)},'
                f'{inner}"code": {encode_basestring(issue.code)},{inner}"entity": {entity},'
                f'{inner}"record": {record},{inner}"path": {encode_basestring(issue.path)},'
                f'{inner}"title": {encode_basestring(issue.title)},'
                f'{inner}"message": {encode_basestring(issue.message)}'
            )
        source = issue.source
        if source is None:
            return text + pad + "}"
        deeper = inner + "  "
        file, row, column = source.file, source.row, source.column
        if file is not None and row is not None and column is not None:  # a cell of flat input
            return (
                f'{text},{inner}"source": {{{deeper}"file": {encode_basestring(file)},'
                f'{deeper}"row": {int.__repr__(row)},{deeper}"column": {encode_basestring(column)}'
                f"{inner}}}{pad}}}"
            )
        where = [
            f'{deeper}"{key}": {_scalar(value)}'
            for key, value in (("file", file), ("row", row), ("column", column))
            if value is not None
        ]
        found = "{" + ",".join(where) + inner + "}" if where else "{}"
        return f'{text},{inner}"source": {found}{pad}}}'


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return encode_basestring(value)
    return "null" if value is None else encode_indented(value)


def write_json(value: Any, out: IO[str], depth: int = 0) -> None:
    """``json.dumps(value, indent=2, ensure_ascii=False)``, with :class:`Lazy` lists written as they come."""
    pad = "\n" + "  " * (depth + 1)
    if isinstance(value, IssueText):
        out.write(value.encode(pad[:-2]))
    elif isinstance(value, Lazy):
        empty = True
        for item in value.items:
            if isinstance(item, IssueText):  # most items: written here, without a call for each
                out.write(("[" if empty else ",") + pad + item.encode(pad))
            else:
                out.write(("[" if empty else ",") + pad)
                write_json(item, out, depth + 1)
            empty = False
        out.write("[]" if empty else pad[:-2] + "]")
    elif isinstance(value, LazyObject) and value:
        for number, (key, item) in enumerate(value.items()):
            out.write(("{" if number == 0 else ",") + pad + json.dumps(key, ensure_ascii=False) + ": ")
            write_json(item, out, depth + 1)
        out.write(pad[:-2] + "}")
    else:
        out.write(encode_indented(value, pad[:-2]))


def encode_indented(value: Any, pad: str = "\n") -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)`` with every line break followed by ``pad``.

    The same text, built with the standard library's C string encoder: ``json.dumps`` with
    ``indent`` encodes in pure Python, and on a large report that is most of the time spent.
    """
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        if not value:
            return "{}"
        inner = pad + "  "
        members = [
            f"{inner}{encode_basestring(key)}: {encode_indented(item, inner)}" for key, item in value.items()
        ]
        return "{" + ",".join(members) + pad + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        inner = pad + "  "
        return "[" + ",".join(inner + encode_indented(item, inner) for item in value) + pad + "]"
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", pad)


def render_json(report: Report | StreamedReport) -> str:
    """The JSON report as a string (without a final line break)."""
    out = io.StringIO()
    write_json(report_body(report), out)
    return out.getvalue()

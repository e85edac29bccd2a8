"""JSON text with exact numbers: :class:`~decimal.Decimal` values read and written digit for digit.

The standard library's encoder cannot write a Decimal, and a float cannot hold
``12345678901234567.891``. :func:`dumps` writes Decimals exactly and everything else
exactly as ``json.dumps`` does, with the same C encoder; :func:`loads` reads each number
with a decimal point or an exponent as a float when the float's shortest form is the text
itself (``1.5``, ``1e+21``), and otherwise as a Decimal (``1.50``, ``12345678901234567.891``),
so that writing it again gives the same text.
"""

from __future__ import annotations

import json
import re
import secrets
from decimal import Decimal
from typing import Any


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def exact_number(text: str) -> float | Decimal:
    """A JSON number with a point or an exponent: a float if its shortest form is ``text``, else a Decimal."""
    value = float(text)
    return value if repr(value) == text else Decimal(text)


def loads(text: str | bytes) -> Any:
    """Parse JSON, every number exact: see :func:`exact_number`.

    NaN and Infinity are refused (``ValueError``); malformed text raises
    ``json.JSONDecodeError`` as ``json.loads`` does.
    """
    return json.loads(text, parse_float=exact_number, parse_constant=_refuse_constant)


def dumps(value: Any, *, indent: int | None = None, ensure_ascii: bool = False) -> str:
    """``json.dumps(value, indent=indent, ensure_ascii=ensure_ascii)``, writing each Decimal exactly.

    A Decimal is written as its own digits (``Decimal("1.50")`` as ``1.50``); NaN and
    infinities are refused with ``ValueError``, as for floats.
    """
    found: list[str] = []
    nonce = ""

    def number(item: Any) -> str:
        nonlocal nonce
        if not isinstance(item, Decimal):
            raise TypeError(f"{type(item).__name__} is not a JSON value")
        if not item.is_finite():
            raise ValueError(f"{item} cannot be written as JSON")
        nonce = nonce or secrets.token_hex(8)
        found.append(str(item))
        return f"\0{nonce}:{len(found) - 1}\0"

    text = json.dumps(value, indent=indent, ensure_ascii=ensure_ascii, allow_nan=False, default=number)
    if not found:
        return text
    # Each Decimal was written as a string holding a marker no JSON text of ours can contain
    # (a NUL, which JSON escapes, and a fresh random nonce); put its digits in its place.
    marker = re.compile(r'"\\u0000' + nonce + r':([0-9]+)\\u0000"')
    return marker.sub(lambda match: found[int(match.group(1))], text)

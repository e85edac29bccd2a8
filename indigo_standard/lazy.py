"""Names a package offers but imports only on first use (PEP 562), so that start-up stays quick."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(
    package: str, homes: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``, for names whose module ``homes`` gives.

    ``homes`` maps each name to its module, relative to ``package`` (``".records"``); the first
    access imports that module and keeps the value in the package, so later ones cost nothing.
    """
    namespace = sys.modules[package].__dict__

    def find(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home, package), name)
        namespace[name] = value
        return value

    def listing() -> list[str]:
        return sorted({*namespace, *homes})

    return find, listing

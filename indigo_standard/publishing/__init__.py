"""Publishing: the public/sandbox filter, dataset packages and the normaliser."""

from __future__ import annotations

from .filter import FilterSummary, publish
from .normalise import NormaliseReport, normalise
from .packages import build_package, combine_packages, read_package, split_package, write_package

__all__ = [
    "FilterSummary",
    "NormaliseReport",
    "build_package",
    "combine_packages",
    "normalise",
    "publish",
    "read_package",
    "split_package",
    "write_package",
]

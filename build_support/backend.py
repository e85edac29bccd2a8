"""The build backend: setuptools', compiling the hot modules with mypyc when it can.

A wheel (``pip install .``) holds modules compiled by mypyc when :func:`compiled.wanted`
says so; mypy (which brings mypyc) is then asked for as a build requirement, and only then.
An editable install (``pip install -e .``) is always pure Python: a compiled module would
take precedence over its source file, so edits to that file would not be seen.
"""

from __future__ import annotations

import os
from typing import Any

import compiled
from setuptools import build_meta as _setuptools
from setuptools.build_meta import (  # noqa: F401  (the hooks kept as setuptools has them)
    build_sdist,
    get_requires_for_build_sdist,
    prepare_metadata_for_build_wheel,
)

Settings = dict[str, Any] | None


def _compile(flag: bool) -> None:
    """Tell ``setup.py`` (run in this process) whether to compile."""
    if flag:
        os.environ[compiled.COMPILE_ENV] = "1"
    else:
        os.environ.pop(compiled.COMPILE_ENV, None)


def get_requires_for_build_wheel(config_settings: Settings = None) -> list[str]:
    """setuptools' requirements, and mypy when the wheel is to be compiled."""
    _compile(False)
    found: list[str] = _setuptools.get_requires_for_build_wheel(config_settings)
    return [*found, compiled.MYPYC] if compiled.wanted() else found


def build_wheel(wheel_directory: str, config_settings: Settings = None,
                metadata_directory: str | None = None) -> str:
    """A wheel, compiled when :func:`compiled.wanted` says so."""
    _compile(compiled.wanted())
    try:
        name: str = _setuptools.build_wheel(wheel_directory, config_settings, metadata_directory)
    finally:
        _compile(False)
    return name


def get_requires_for_build_editable(config_settings: Settings = None) -> list[str]:
    """setuptools' requirements (an editable install is never compiled)."""
    _compile(False)
    found: list[str] = _setuptools.get_requires_for_build_editable(config_settings)
    return found


def prepare_metadata_for_build_editable(metadata_directory: str, config_settings: Settings = None) -> str:
    """The metadata of an editable install."""
    _compile(False)
    name: str = _setuptools.prepare_metadata_for_build_editable(metadata_directory, config_settings)
    return name


def build_editable(wheel_directory: str, config_settings: Settings = None,
                   metadata_directory: str | None = None) -> str:
    """An editable install: pure Python, so that every edit of a source file is seen."""
    _compile(False)
    name: str = _setuptools.build_editable(wheel_directory, config_settings, metadata_directory)
    return name

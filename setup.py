"""Compiled extension modules for the wheel, when the build backend asks for them.

Everything else about the package is in ``pyproject.toml``. The build backend
(``build_support/backend.py``) sets ``INDIGO_BUILD_COMPILED`` when a wheel is built on a
machine with a C compiler (and ``INDIGO_PURE_PYTHON`` is not set); then mypyc compiles the
modules listed in ``build_support/compiled.py``. Otherwise the package is pure Python.
"""

import os
import sys

from setuptools import setup

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "build_support"))

from compiled import COMPILE_ENV, MODULES

extensions = []
if os.environ.get(COMPILE_ENV):
    from mypyc.build import mypycify

    extensions = mypycify(list(MODULES), opt_level="3")

setup(ext_modules=extensions)

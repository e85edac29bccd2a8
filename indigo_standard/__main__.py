"""``python -m indigo_standard``: the same as the ``indigo-standard`` command."""

import sys

from .cli import main

sys.exit(main())

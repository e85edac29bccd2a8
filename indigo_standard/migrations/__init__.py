"""Migrations between INDIGO versions: 3.1 to 4.0 to 4.1, one module per step.

``upgrade(data, to="4.1")`` upgrades a record, a list of records or a dataset package
(whose ``schema_version`` it updates). Each step is a small function working on a copy;
what a newer version has no place for is kept under :data:`EXTENSION_KEY` (or dropped on
request), never silently lost. See ``docs/migrations.md``.
"""

from __future__ import annotations

from .step import EXTENSION_KEY, Step, StepContext
from .upgrade import STEPS, UpgradeResult, UpgradeWarning, detect_version, upgrade, upgrade_result

__all__ = [
    "EXTENSION_KEY",
    "STEPS",
    "Step",
    "StepContext",
    "UpgradeResult",
    "UpgradeWarning",
    "detect_version",
    "upgrade",
    "upgrade_result",
]

"""INDIGO 4.0 to 4.1 (minor).

4.1 only adds an optional field (pipeline ``purpose_and_classifications/policy_sector/
early_childhood_education``), so every 4.0 record is already a valid 4.1 record.
"""

from __future__ import annotations

from typing import Any

from .step import Step, StepContext


def upgrade(record: dict[str, Any], context: StepContext) -> dict[str, Any]:
    """Upgrade one 4.0 record (a copy) to 4.1: nothing to change."""
    return record


STEP = Step("4.0", "4.1", upgrade)

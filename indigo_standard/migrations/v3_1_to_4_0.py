"""INDIGO 3.1 to 4.0 (major).

- project ``scenarios`` are gone: kept under ``x_indigo_removed`` (or dropped on request);
- project ``transactions[].grant_id`` is gone: kept the same way, on each transaction;
- the project intermediary services role code "Financial and commercial modeling" is
  spelled "Financial and commercial modelling" (the 3.1.1 patch); a spelling fix, made in
  data of any version (4.x data with the old spelling is common); pipeline projects keep
  the old spelling in 4.0 and 4.1, so theirs is left alone;
- project ``outcome_payment_plans`` is new and optional: nothing to do.
"""

from __future__ import annotations

from typing import Any

from .step import Step, StepContext

OLD_MODELLING = "Financial and commercial modeling"
NEW_MODELLING = "Financial and commercial modelling"
RESPELLED_IN = "3.1.1"
"""The patch release of the standard that corrected the spelling."""


def upgrade(record: dict[str, Any], context: StepContext) -> dict[str, Any]:
    """Upgrade one 3.1 record (a copy) to 4.0."""
    if context.entity != "project":
        return record
    context.remove(record, "scenarios", "/scenarios")
    transactions = record.get("transactions")
    if isinstance(transactions, list):
        for index, transaction in enumerate(transactions):
            if isinstance(transaction, dict):
                context.remove(transaction, "grant_id", f"/transactions/{index}/grant_id")
    services = record.get("intermediary_services")
    if isinstance(services, list):
        for index, service in enumerate(services):
            if isinstance(service, dict):
                context.rename_code(
                    service.get("organisation_role_category"),
                    OLD_MODELLING,
                    NEW_MODELLING,
                    f"/intermediary_services/{index}/organisation_role_category",
                    since=RESPELLED_IN,
                )
    return record


STEP = Step("3.1", "4.0", upgrade)

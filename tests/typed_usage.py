"""How a typed pipeline uses the model; ``tests/test_model_typing.py`` runs ``mypy --strict`` on it.

Not collected by pytest (no ``test_`` prefix): it only has to type-check.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import attrs

import indigo_standard as indigo
from indigo_standard.model import Investment, PartialDate, Project, Status, Value, load_as


def signed_after(project: Project, when: datetime.date) -> bool:
    """True when the outcomes contract was signed after ``when``."""
    if project.dates is None or project.dates.outcomes_contract_signed is None:
        return False
    signed: PartialDate | None = project.dates.outcomes_contract_signed.value
    return signed is not None and signed.start() > when


def committed(investment: Investment) -> Decimal:
    """The exact commitment of one investment, or zero."""
    commitment = investment.investment_commitment
    if commitment is None or commitment.amount is None or commitment.amount.exact is None:
        return Decimal(0)
    exact: Decimal | None = commitment.amount.exact.value
    return exact or Decimal(0)


def total_committed(data: str) -> Decimal:
    """Sum of the exact investment commitments of one project given as JSON text."""
    project = load_as(Project, data)
    return sum((committed(i) for i in project.investments or []), Decimal(0))


def mark_private(data: dict[str, object]) -> dict[str, object]:
    """Load any record, make its name private and write it back."""
    record = indigo.load(data)
    if isinstance(record, Project) and record.name is not None:
        record.name = attrs.evolve(record.name, status=Status.PRIVATE)
        sources: tuple[str, ...] | None = record.name.source_ids
        assert sources is None or all(isinstance(s, str) for s in sources)
    return indigo.dump(record)


def misspelt(project: Project) -> object:
    """An attribute the model does not have: mypy must reject it (the ignore must be needed)."""
    return project.outcome_contract_signed  # type: ignore[attr-defined]


def wrong_value_type() -> Value[Decimal]:
    """A value of the wrong type inside a typed wrapper: mypy must reject it too."""
    return Value[Decimal]("TBD")  # type: ignore[arg-type]

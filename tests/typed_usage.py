"""How a typed pipeline uses the model; ``tests/test_model_typing.py`` runs ``mypy --strict`` on it.

Not collected by pytest (no ``test_`` prefix): it only has to type-check. Loading is lenient,
so any attribute may hold an :class:`Invalid` value: the annotations make a pipeline narrow
with ``isinstance`` before it computes, and the ``type: ignore`` lines show mypy refusing
code that forgets to.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import attrs

import indigo_standard as indigo
from indigo_standard.model import (
    Invalid,
    Investment,
    InvestmentCommitment,
    InvestmentCommitmentAmount,
    PartialDate,
    Project,
    ProjectDates,
    Status,
    Value,
    load_as,
)


def signed_after(project: Project, when: datetime.date) -> bool:
    """True when the outcomes contract was signed after ``when``."""
    dates = project.dates
    if not isinstance(dates, ProjectDates) or not isinstance(dates.outcomes_contract_signed, Value):
        return False
    signed: PartialDate | Invalid | None = dates.outcomes_contract_signed.value
    return isinstance(signed, PartialDate) and signed.start() > when


def committed(investment: Investment | Invalid) -> Decimal | Invalid:
    """The exact commitment of one investment, zero when not given, or the value that is not a number."""
    if isinstance(investment, Invalid):
        return investment
    commitment = investment.investment_commitment
    if not isinstance(commitment, InvestmentCommitment) or not isinstance(
        commitment.amount, InvestmentCommitmentAmount
    ):
        return Decimal(0)
    exact = commitment.amount.exact
    if not isinstance(exact, Value):
        return exact or Decimal(0)
    return exact.value or Decimal(0)


def total_committed(data: str) -> tuple[Decimal, list[Invalid]]:
    """Sum of the exact investment commitments of a project given as JSON text, and what is not a number."""
    project = load_as(Project, data)
    investments = project.investments if isinstance(project.investments, list) else []
    amounts = [committed(item) for item in investments]
    total = sum((a for a in amounts if isinstance(a, Decimal)), Decimal(0))
    return total, [a for a in amounts if isinstance(a, Invalid)]


def careless_total(project: Project) -> Decimal:
    """Forgetting that a value may be Invalid: mypy must reject it (the ignores must be needed)."""
    first = project.investments[0]  # type: ignore[index]
    return first.investment_commitment.amount.exact.value  # type: ignore[union-attr, return-value]


def mark_private(data: dict[str, object]) -> dict[str, object]:
    """Load any record, make its name private and write it back."""
    record = indigo.load(data)
    if isinstance(record, Project) and isinstance(record.name, Value):
        record.name = attrs.evolve(record.name, status=Status.PRIVATE)
        sources = record.name.source_ids
        assert sources is None or isinstance(sources, Invalid) or all(isinstance(s, str) for s in sources)
    return indigo.dump(record)


def problems_of_a_file(path: Path) -> list[indigo.Issue]:
    """Every value of a file that could not be typed, with its code and pointer."""
    found: list[indigo.Issue] = []
    for record in indigo.read(path):
        found.extend(record.problems)
    indigo.write(indigo.read(path), path.with_suffix(".jsonl"))
    return found


def misspelt(project: Project) -> object:
    """An attribute the model does not have: mypy must reject it (the ignore must be needed)."""
    return project.outcome_contract_signed  # type: ignore[attr-defined]


def wrong_value_type() -> Value[Decimal]:
    """A value of the wrong type inside a typed wrapper: mypy must reject it too."""
    return Value[Decimal]("TBD")  # type: ignore[arg-type]

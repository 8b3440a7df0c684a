"""Rows the evaluation tests set up directly, where the workflow itself is not under test."""

from typing import Any

from buendnis.agreements.models import Agreement
from buendnis.evaluation.models import Evaluation
from buendnis.evaluation.periods import calendar_year


def evaluation_of_year(agreement: Agreement, year: int, status: str, **extra: Any) -> Evaluation:
    """An evaluation of a calendar year in the given status, written without the services."""
    period = calendar_year(year)
    return Evaluation.objects.create(
        agreement=agreement,
        period_kind=period.kind,
        starts_on=period.start,
        ends_on=period.end,
        status=status,
        **extra,
    )

"""Rows the evaluation tests set up directly, where the workflow itself is not under test."""

from typing import Any

from buendnis.accounts.models import Organisation, User
from buendnis.agreements.models import Agreement, Goal, Indicator, IndicatorTarget
from buendnis.evaluation import services
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


def setup_goals(agreement: Agreement) -> Agreement:
    """Two goals, a counted indicator and a manual one (its value lets a test see freezing)."""
    z1 = Goal.objects.create(agreement=agreement, code="Z1", title="Väter reflektieren")
    Goal.objects.create(agreement=agreement, code="Z3", title="Multiplikator*innen")
    counted = Indicator.objects.create(
        agreement=agreement,
        goal=z1,
        code="Z1.1",
        name="Vätergruppen durchgeführt",
        unit="Veranstaltungen",
        level=1,
        source=Indicator.Source.ACTIVITIES,
        filter={"metric": "count", "goals": ["Z1"]},
    )
    IndicatorTarget.objects.create(indicator=counted, year=2000, value=40)
    manual = Indicator.objects.create(
        agreement=agreement,
        goal=z1,
        code="Z1.9",
        name="Organisationen mit Öffnungsschritten",
        unit="Organisationen",
        level=7,
        source=Indicator.Source.MANUAL,
    )
    IndicatorTarget.objects.create(indicator=manual, year=2000, value=3)
    return agreement


def agree(
    evaluation: Evaluation,
    koordination: User,
    referentin: User,
    partner_org: Organisation,
    ministry_org: Organisation,
) -> Evaluation:
    services.evaluation_approve(evaluation=evaluation, organisation=partner_org, by=koordination)
    services.evaluation_approve(evaluation=evaluation, organisation=ministry_org, by=referentin)
    evaluation.refresh_from_db()
    return evaluation


def goal(agreement: Agreement, code: str) -> Goal:
    return Goal.objects.get(agreement=agreement, code=code)

"""Reads for open data: which years of which agreements are published, and may be."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from buendnis.activities.grid import HELD_STATUSES
from buendnis.activities.models import Activity
from buendnis.agreements.models import Agreement
from buendnis.counselling.models import Contact
from buendnis.feedback.models import Response
from buendnis.opendata.models import Decision


def has_data(agreement: Agreement, year: int) -> bool:
    """Whether the calendar year holds held activities, counselling contacts or feedback.

    Three index seeks (agreement and date), so a page can ask for every year of every
    agreement at a million activities.
    """
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=tz)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=tz)
    return (
        Activity.objects.filter(
            agreement=agreement, status__in=HELD_STATUSES, starts_at__gte=start, starts_at__lt=end
        ).exists()
        or Contact.objects.filter(agreement=agreement, date__year=year).exists()
        or Response.objects.filter(agreement=agreement, submitted_on__year=year).exists()
    )


def agreed_years(agreement: Agreement, *, today: datetime.date | None = None) -> list[int]:
    """The years that may be published: whole calendar years since the agreement came into
    force, already over (a year still running would be published again as its data grow,
    and two releases side by side would tell the difference), that hold data."""
    if agreement.in_force_on is None:
        return []
    today = today or timezone.localdate()
    return [y for y in range(agreement.in_force_on.year, today.year) if has_data(agreement, y)]


def decisions(agreement: Agreement) -> list[Decision]:
    """Every switch of the agreement, newest first, with who decided."""
    return list(agreement.opendata_decisions.select_related("decided_by"))  # type: ignore[attr-defined]


def _published(history: list[Decision], year: int) -> Decision | None:
    """The newest decision covering the year, if it publishes."""
    for decision in history:  # newest first
        if decision.year in (None, year):
            return decision if decision.published else None
    return None


def is_published(agreement: Agreement, year: int, *, today: datetime.date | None = None) -> bool:
    """Whether the year is an agreed year and the newest decision covering it publishes it."""
    if year not in agreed_years(agreement, today=today):
        return False
    return _published(decisions(agreement), year) is not None


@dataclass
class Release:
    """A published year of an agreement, with the decision that published it."""

    agreement: Agreement
    year: int
    decision: Decision


def releases(*, today: datetime.date | None = None) -> list[Release]:
    """Every published year of every agreement, by agreement title, newest year first."""
    found = []
    with_decisions = Agreement.objects.filter(opendata_decisions__published=True).distinct()
    for agreement in with_decisions.order_by("title"):
        history = decisions(agreement)
        for year in reversed(agreed_years(agreement, today=today)):
            decision = _published(history, year)
            if decision is not None:
                found.append(Release(agreement, year, decision))
    return found


@dataclass
class YearState:
    """One agreed year on the switch page: published or not, and by which decision."""

    year: int
    decision: Decision | None


def year_states(agreement: Agreement, *, today: datetime.date | None = None) -> list[YearState]:
    history = decisions(agreement)
    return [
        YearState(year, _published(history, year)) for year in agreed_years(agreement, today=today)
    ]


def all_years_on(agreement: Agreement) -> bool:
    """Whether the newest "every agreed year" decision publishes."""
    for decision in decisions(agreement):
        if decision.year is None:
            return decision.published
    return False

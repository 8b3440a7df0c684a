"""The report's figures for one agreement and period: exact, JSON-safe, summed in SQL.

``report_data`` is what an evaluation freezes into its snapshot when it goes to review, so
it holds numbers and the names found in the data, never translated headings (those come
from ``tables.SPECS`` when the report is shown). The number of queries is fixed: it does
not grow with the number of activities, contacts or answers.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buendnis.agreements.models import Agreement, Goal, Indicator
from buendnis.evaluation.engine import Measures, indicator_values, measured
from buendnis.evaluation.periods import Period
from buendnis.evaluation.report import activity_figures, counselling_feedback

SCHEMA = 1
Progress = Callable[[int, int, str], None]
RATE_SOURCES = (Indicator.Source.FEEDBACK, Indicator.Source.TIMELINESS)


def period_dict(period: Period) -> dict[str, str]:
    """A period as JSON-safe data."""
    return {"kind": period.kind, "start": period.start.isoformat(), "end": period.end.isoformat()}


def period_from(data: dict[str, str]) -> Period:
    """The period a report's data describe."""
    return Period(
        data["kind"],
        datetime.date.fromisoformat(data["start"]),
        datetime.date.fromisoformat(data["end"]),
    )


def _meta(agreement: Agreement, period: Period, today: datetime.date) -> dict[str, Any]:
    """What the report is about: agreement, partners, period, goals."""
    partners = agreement.partners.select_related("organisation").order_by("position", "id")
    return {
        "schema": SCHEMA,
        "agreement": {
            "slug": agreement.slug,
            "title": agreement.title,
            "subtitle": agreement.subtitle,
            "topic": agreement.topic,
            "in_force_on": agreement.in_force_on.isoformat() if agreement.in_force_on else None,
        },
        "partners": [
            {"name": p.organisation.name, "short_name": p.organisation.short_name, "role": p.role}
            for p in partners
        ],
        "period": period_dict(period),
        "previous": period_dict(period.previous()),
        "computed_on": today.isoformat(),
        "feedback_minimum": settings.FEEDBACK_MIN_RESPONSES,
        "goals": list(
            Goal.objects.filter(agreement=agreement)
            .order_by("code")
            .values("code", "title", "description")
        ),
    }


def indicator_rows(agreement: Agreement, period: Period, today: datetime.date) -> list[dict]:
    """The engine's values, with the raw counts behind last period's rates (for protection)."""
    taken: Measures = {}
    values = [
        value.as_dict()
        for value in indicator_values(agreement=agreement, period=period, today=today, taken=taken)
    ]
    previous = period.previous()
    details = {}
    rates = Indicator.objects.filter(agreement=agreement, source__in=RATE_SOURCES)
    for indicator in rates.select_related("agreement"):
        # measured already for the previous column: no query here
        details[indicator.code] = dict(measured(indicator, previous, today, taken).detail)
    for value in values:
        value["previous_detail"] = details.get(value["code"], {})
    return values


def report_data(
    *,
    agreement: Agreement,
    period: Period,
    today: datetime.date | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Every figure of the report, exact, for the agreement and period (see the module)."""
    today = today or timezone.localdate()
    window = activity_figures.Window(period)
    data = _meta(agreement, period, today)
    data.update({"indicators": [], "facts": {}, "tables": {}, "feedback_omitted": 0})
    steps: list[tuple[Any, Callable[[], dict[str, Any]]]] = [
        (_("Indikatoren"), lambda: {"indicators": indicator_rows(agreement, period, today)}),
        (_("Aktivitäten und Formate"), lambda: activity_figures.input_output(agreement, window)),
        (_("Reichweite"), lambda: activity_figures.reach(agreement, window)),
        (_("Kreise"), lambda: activity_figures.kreise(agreement, window)),
        (
            _("Zeitnahe Dokumentation"),
            lambda: activity_figures.documentation(agreement, window, today),
        ),
        (_("Beratung"), lambda: counselling_feedback.counselling(agreement, period)),
        (_("Rückmeldungen"), lambda: counselling_feedback.feedback(agreement, period)),
    ]
    for done, (label, step) in enumerate(steps):
        if progress is not None:
            progress(done, len(steps), str(label))
        part = step()
        data["tables"].update(part.pop("tables", {}))
        data["facts"].update(part.pop("facts", {}))
        data.update(part)
    if progress is not None:
        progress(len(steps), len(steps), str(_("Zahlen berechnet")))
    return data

"""Source ``evaluation`` (§ 8): did the partners hold their yearly evaluation in time?

Metric ``held_within_12_months``. The reference day is ``today`` or the period's last day,
whichever is earlier. The value is 1 ("ja") when the agreement was not overdue on that
day — the latest evaluation agreed on or before it is less than a year old
(``add_years(agreed_on, 1) > reference``), or no evaluation was due yet because the
agreement came into force less than a year before — and 0 ("nein") otherwise. Without an
in-force date and without an agreed evaluation there is no value. ``detail`` holds
``last_agreed_on`` (ISO date or None).
"""

import datetime
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from buendnis.agreements.models import Indicator
from buendnis.agreements.selectors import add_years
from buendnis.evaluation.models import Evaluation
from buendnis.evaluation.periods import Period
from buendnis.evaluation.sources.base import Measure, metric_of


def last_agreed_on(*, agreement_id: int, reference: datetime.date) -> datetime.date | None:
    """The day the latest evaluation agreed on or before ``reference`` was agreed."""
    return (
        Evaluation.objects.filter(
            agreement_id=agreement_id,
            status=Evaluation.Status.AGREED,
            agreed_on__lte=reference,
        )
        .order_by("-agreed_on")
        .values_list("agreed_on", flat=True)
        .first()
    )


def measure(*, indicator: Indicator, period: Period, today: datetime.date) -> Measure:
    """1 if the yearly evaluation was not overdue on the reference day, else 0."""
    metric_of(indicator.filter, ("held_within_12_months",))
    reference = min(today, period.end)
    last = last_agreed_on(agreement_id=indicator.agreement_id, reference=reference)
    in_force = indicator.agreement.in_force_on
    detail: dict[str, int | str | None] = {"last_agreed_on": last.isoformat() if last else None}
    if last is None and in_force is None:
        note = _("Die Vereinbarung hat kein Datum des Inkrafttretens: kein Wert.")
        return Measure(actual=None, rate=True, note=note, detail=detail)
    if last is not None:
        note = _("Zuletzt vereinbart am %(day)s.") % {"day": formats.date_format(last)}
    else:
        note = _("Noch keine Auswertung vereinbart.")
    held = (last is not None and add_years(last, 1) > reference) or (
        in_force is not None and add_years(in_force, 1) > reference
    )
    return Measure(actual=Decimal(1 if held else 0), rate=True, note=note, detail=detail)

"""Remember the live indicator values of an agreement until its data change.

The agreement page shows every indicator's value for the year so far. Computing them reads
all of the year's held activities several times (seconds at a large partner), so the
engine's answer is kept in the shared cache under a *data version*: cheap, index-served
reads of everything the sources and the indicator definitions read. Any write that can
change a figure changes the version — a new, edited or deleted activity (count and latest
``updated_at``; reach, goals and network partners are written together with the activity),
a contact, a feedback response, a manual value, an evaluation's state, the indicators and
their targets, formats, reach categories, goals and the documentation procedure — so the
next view computes afresh and nothing is ever invalidated by hand.

What is cached are the engine's exact values; who sees them exactly is decided on every
view afterwards (the protected publication for everyone else), so the stored values never
depend on the viewer. ``agreement_figures`` keys its exact totals the same way, and the
evaluation page and the API keep a period's values with ``live_indicator_rows``.
The answers are kept by ``buendnis.core.versioned.remembered``.
"""

import copy
import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, Max

from buendnis.activities.models import Activity, Format, ReachCategory
from buendnis.agreements.models import (
    Agreement,
    DocumentationProcedure,
    Goal,
    Indicator,
    IndicatorTarget,
)
from buendnis.operations.stamps import change_stamps

if TYPE_CHECKING:
    from buendnis.evaluation.periods import Period


def indicator_data_version(
    *,
    agreement: Agreement,
    today: datetime.date,
    activities: tuple | None = None,
    between: tuple[datetime.date, datetime.date] | None = None,
) -> tuple:
    """Everything the live indicator values depend on, read cheaply.

    ``activities`` is ``activities_version(agreement)`` if the caller has just read it (the
    stamps are read in one statement otherwise).
    With ``between`` (first and last day) only activities, contacts and answers dated in
    those days count: a period's values do not change with another year's data.
    """
    from buendnis.counselling.models import Contact
    from buendnis.evaluation.models import Evaluation, ManualValue
    from buendnis.feedback.models import Response

    if activities is None:
        stamps = change_stamps((Activity, Contact, Response), agreement.pk, between=between)
    else:
        stamps = [activities, *change_stamps((Contact, Response), agreement.pk, between=between)]
    indicators = Indicator.objects.filter(agreement=agreement)
    return (
        agreement.pk,
        agreement.in_force_on,
        today,
        *stamps,
        ManualValue.objects.filter(indicator__agreement=agreement).aggregate(
            n=Count("id"), last=Max("entered_at")
        ),
        list(
            Evaluation.objects.filter(agreement=agreement)
            .order_by("pk")
            .values_list("pk", "status", "agreed_on")
        ),
        list(indicators.order_by("pk").values()),
        list(IndicatorTarget.objects.filter(indicator__in=indicators).order_by("pk").values()),
        list(Goal.objects.filter(agreement=agreement).order_by("pk").values_list("pk", "code")),
        list(
            Format.objects.filter(agreement=agreement)
            .order_by("pk")
            .values_list("pk", "key", "status")
        ),
        list(
            ReachCategory.objects.filter(agreement=agreement)
            .order_by("pk")
            .values_list("pk", "key", "dimension")
        ),
        list(
            DocumentationProcedure.objects.filter(agreement=agreement)
            .order_by("pk")
            .values_list("pk", "version")
        ),
    )


def live_indicator_rows(agreement: Agreement, period: "Period", today: datetime.date) -> list[dict]:
    """The engine's values for a period with their details (``report.data.indicator_rows``),
    kept until the agreement's data change.

    The evaluation page and the API read them on every view of a draft; at a large partner
    the computation takes seconds. The values read the period and the one before it (the
    previous column), so only data dated in those two periods change them. A copy is handed
    out: callers may change their rows.
    """
    from django.utils import translation

    from buendnis.core.versioned import remembered
    from buendnis.evaluation.report.data import indicator_rows

    version = (
        translation.get_language(),
        period.kind,
        period.start,
        period.end,
        indicator_data_version(
            agreement=agreement, today=today, between=(period.previous().start, period.end)
        ),
    )
    return copy.deepcopy(
        remembered("indicator-rows", version, lambda: indicator_rows(agreement, period, today))
    )

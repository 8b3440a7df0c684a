"""Remember the live indicator values of an agreement until its data change.

The agreement page shows every indicator's value for the year so far. Computing them reads
all of the year's held activities several times (seconds at a large partner), so the
engine's answer is kept in the shared cache under a *data version*: the change stamps
(``operations.stamps``) of everything the sources and the indicator definitions read, in one
statement. Any write that can change a figure changes the version — a new, edited or deleted
activity (reach, goals and network partners are written together with the activity), a
contact, a feedback response, a manual value, an evaluation, the indicators and their
targets, formats, reach categories, goals, the documentation procedure and its approvals —
so the next view computes afresh and nothing is ever invalidated by hand.

What is cached are the engine's exact values; who sees them exactly is decided on every
view afterwards (the protected publication for everyone else), so the stored values never
depend on the viewer. ``agreement_figures`` keys its exact totals the same way, and the
evaluation page and the API keep a period's values with ``live_indicator_rows``.
The answers are kept by ``buendnis.core.versioned.remembered``.
"""

import copy
import datetime
from typing import TYPE_CHECKING, NamedTuple

from django.db.models import Model

from buendnis.activities.models import Activity, Format, ReachCategory
from buendnis.agreements.models import (
    Agreement,
    DocumentationProcedure,
    Goal,
    Indicator,
    IndicatorTarget,
    ProcedureApproval,
)
from buendnis.operations.stamps import change_stamps

if TYPE_CHECKING:
    from buendnis.evaluation.periods import Period


class DataVersion(NamedTuple):
    """What the live indicator values depend on (``indicator_data_version``)."""

    agreement_id: int
    in_force_on: datetime.date | None
    today: datetime.date
    activities: tuple  # the activities' stamp: ``activities_version`` without ``between``
    others: tuple  # contacts, feedback responses and the definitions


def indicator_data_version(
    *,
    agreement: Agreement,
    today: datetime.date,
    between: tuple[datetime.date, datetime.date] | None = None,
) -> DataVersion:
    """Everything the live indicator values depend on: the agreement's in-force date, the
    day, and the change stamps of every table they read, in one statement.

    With ``between`` (first and last day) only activities, contacts and answers dated in
    those days count: a period's values do not change with another year's data.
    """
    sources = (*_data(), *_definitions())
    activities, *others = change_stamps(sources, agreement.pk, between=between)
    return DataVersion(agreement.pk, agreement.in_force_on, today, activities, tuple(others))


def _data() -> tuple[type[Model], ...]:
    """The dated rows the sources count (activities first)."""
    from buendnis.counselling.models import Contact
    from buendnis.feedback.models import Response

    return (Activity, Contact, Response)


def _definitions() -> tuple[type[Model], ...]:
    """The definitions the engine computes by (``operations.stamps.DEFINITIONS``)."""
    from buendnis.evaluation.models import Evaluation, ManualValue

    return (
        Indicator,
        IndicatorTarget,
        Goal,
        Format,
        ReachCategory,
        DocumentationProcedure,
        ProcedureApproval,
        Evaluation,
        ManualValue,
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

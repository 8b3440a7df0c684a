"""Source ``activities``: how many held activities, and their attendances or staff hours.

Metrics: ``count`` (number of held activities), ``participants`` (sum of attendances;
a person who came twice counts twice) and ``staff_hours`` (sum of the staff hours
recorded). The activity filter keys of ``base`` apply. Summed in one query.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, Sum

from buendnis.agreements.models import Indicator
from buendnis.evaluation.periods import Period
from buendnis.evaluation.sources.base import Measure, held_activities, metric_of

METRICS = ("count", "participants", "staff_hours")


def measure(*, indicator: Indicator, period: Period, today: datetime.date) -> Measure:
    """The number, attendances or staff hours of the period's held activities."""
    metric = metric_of(indicator.filter, METRICS)
    held = held_activities(agreement=indicator.agreement, period=period, filter=indicator.filter)
    totals = held.aggregate(
        count=Count("id"),
        participants=Sum("participants", default=0),
        staff_hours=Sum("staff_hours", default=Decimal(0)),
    )
    return Measure(actual=Decimal(totals[metric]), detail={"activities": totals["count"]})

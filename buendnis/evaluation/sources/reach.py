"""Source ``reach``: people reached, estimated from the anonymous counts per category.

The app never identifies people, so "unduplicated" reach is the sum of the activities'
first-timers. Metrics: ``unduplicated`` and ``first_time`` (both: people reached for the
first time) and ``attendances`` (participants, repeat visits included).

Category filters narrow to part of the people: ``groups`` (keys of the ``group``
dimension), ``migration`` (``migration`` dimension) and ``sectors`` (``sector``
dimension). Sectors refine the multipliers' group, so when ``sectors`` is given it
replaces the group factor. Per activity the estimate is

    base × Π over filtered dimensions (chosen categories' counts / participants)

with base = first-timers (``unduplicated``, ``first_time``) or participants
(``attendances``); an activity with no participants contributes 0. The estimates are
summed over the period's held activities (activity filter keys apply) and rounded half
up to a whole number — all in one SQL query (conditional sums over the reach counts,
computed as floating point). ``detail["activities"]`` counts the activities with people.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, FloatField, Q, Sum
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, Coalesce

from buendnis.activities.models import ReachCategory
from buendnis.agreements.models import Indicator
from buendnis.evaluation.periods import Period
from buendnis.evaluation.sources.base import Measure, held_activities, keys_of, metric_of

Dimension = ReachCategory.Dimension
BASES = {
    "unduplicated": "first_timers",
    "first_time": "first_timers",
    "attendances": "participants",
}
# Sums of floats differ in their last bits with the order of addition; six decimals are
# far more than a count of people needs and make the rounding below reproducible.
STABLE = Decimal("0.000001")


def dimensions(filter: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The (dimension, category keys) pairs the filter narrows by; sectors replace groups."""
    chosen = []
    if sectors := keys_of(filter, "sectors"):
        chosen.append((Dimension.SECTOR.value, sectors))
    elif groups := keys_of(filter, "groups"):
        chosen.append((Dimension.GROUP.value, groups))
    if migration := keys_of(filter, "migration"):
        chosen.append((Dimension.MIGRATION.value, migration))
    return chosen


def round_estimate(total: float | None) -> Decimal:
    """Round a summed estimate half up to a whole number of people."""
    if not total:
        return Decimal(0)
    return Decimal(repr(total)).quantize(STABLE).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def measure(*, indicator: Indicator, period: Period, today: datetime.date) -> Measure:
    """Estimate the people (or attendances) of the chosen categories in the period."""
    base = BASES[metric_of(indicator.filter, tuple(BASES))]
    chosen = dimensions(indicator.filter)
    held = held_activities(agreement=indicator.agreement, period=period, filter=indicator.filter)
    if not chosen:
        totals = held.aggregate(
            total=Sum(base, default=0), activities=Count("id", filter=Q(participants__gt=0))
        )
        return Measure(actual=Decimal(totals["total"]), detail={"activities": totals["activities"]})
    shares = {
        f"n{index}": Coalesce(
            Sum(
                "reach__count",
                filter=Q(reach__category__dimension=dimension, reach__category__key__in=keys),
            ),
            0,
        )
        for index, (dimension, keys) in enumerate(chosen)
    }
    term: Combinable = Cast(base, FloatField())
    for name in shares:
        term = term * Cast(F(name), FloatField()) / Cast("participants", FloatField())
    rows = held.filter(participants__gt=0).annotate(**shares).annotate(term=term)
    totals = rows.aggregate(total=Sum("term"), activities=Count("id"))
    return Measure(
        actual=round_estimate(totals["total"]), detail={"activities": totals["activities"]}
    )

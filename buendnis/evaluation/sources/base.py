"""What every indicator source shares: its answer, its errors and the held activities.

"Held" activities are those of the agreement with status held, documented or reviewed
(not planned, not cancelled) whose ``starts_at`` falls on a local (Europe/Berlin, the
current time zone) day of the period: ``[period.start 00:00, period.stop 00:00)``.

The optional activity filter keys of an indicator narrow them: ``formats`` (format keys),
``goals`` (goal codes; an activity linked to any of them counts once), ``online`` (true or
false) and ``kreise`` (AGS keys). An empty list does not narrow.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from buendnis.activities.models import Activity
from buendnis.activities.selectors import DOCUMENTED_STATUSES
from buendnis.agreements.models import Agreement
from buendnis.evaluation.periods import Period

HELD_STATUSES = (Activity.Status.HELD, *DOCUMENTED_STATUSES)
GoalLink = Activity.goals.through


@dataclass(frozen=True)
class Measure:
    """A source's answer for one period: the actual value and what lies behind it."""

    actual: Decimal | None
    rate: bool = False
    note: str = ""
    detail: dict[str, int | str | None] = field(default_factory=dict)
    lower_is_better: bool = False


class SourceError(ValueError):
    """The indicator names a source, metric or filter the engine cannot compute."""


def metric_of(filter: dict[str, Any], known: tuple[str, ...]) -> str:
    """The filter's ``metric`` if this source knows it, else raise ``SourceError``."""
    metric = filter.get("metric")
    if metric not in known:
        raise SourceError(_("Unbekannte Kennzahl „%(metric)s“.") % {"metric": metric})
    return str(metric)


def keys_of(filter: dict[str, Any], name: str) -> list[str]:
    """A list-valued filter key as strings; an empty list when it is missing."""
    value = filter.get(name) or []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SourceError(
            _("Der Filter „%(name)s“ muss eine Liste von Kürzeln sein.") % {"name": name}
        )
    return value


def local_bounds(period: Period) -> tuple[datetime.datetime, datetime.datetime]:
    """The period as aware datetimes: its first local midnight and the one after its end."""
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(period.start, datetime.time.min, tz),
        datetime.datetime.combine(period.stop, datetime.time.min, tz),
    )


def held_activities(
    *, agreement: Agreement, period: Period, filter: dict[str, Any]
) -> QuerySet[Activity]:
    """The agreement's held activities that started in the period, narrowed by the filter."""
    start, stop = local_bounds(period)
    activities = Activity.objects.filter(
        agreement=agreement, status__in=HELD_STATUSES, starts_at__gte=start, starts_at__lt=stop
    )
    if formats := keys_of(filter, "formats"):
        activities = activities.filter(format__key__in=formats)
    if goals := keys_of(filter, "goals"):
        linked = GoalLink.objects.filter(activity_id=OuterRef("pk"), goal__code__in=goals)
        activities = activities.filter(Exists(linked))
    if "online" in filter:
        if not isinstance(filter["online"], bool):
            raise SourceError(_("Der Filter „online“ muss true oder false sein."))
        activities = activities.filter(online=filter["online"])
    if kreise := keys_of(filter, "kreise"):
        activities = activities.filter(kreis_id__in=kreise)
    return activities.order_by()

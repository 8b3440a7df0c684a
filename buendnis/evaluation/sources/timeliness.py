"""Source ``timeliness`` (§ 7): were held activities documented within the agreed deadline?

The deadline is that of the newest version of the agreement's documentation procedure;
without a procedure there is no value. Counted are the period's held activities that are
documented (or reviewed), or whose deadline (end + deadline days) ended before ``today``
began (local time): ``due``. Of these, ``within`` were documented no later than end +
deadline, ``late`` later, ``undocumented`` not yet.

Metrics: ``share_within_deadline`` = within / due in percent (one decimal, half up; no
value while nothing is due) and ``median_lag_days``, the median of the documented ones'
days from the local day of the end to the local day of documentation (lower is better).
The median is found in the database with two queries whatever the number of activities:
the aggregate counts, then the one or two middle lags by ``ORDER BY … OFFSET``.
``detail["median_lag_days"]`` is a whole number, or a string like ``"4.5"``.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buendnis.activities.models import Activity
from buendnis.activities.selectors import DOCUMENTED_STATUSES, current_deadline_days
from buendnis.agreements.models import Indicator
from buendnis.evaluation.periods import Period
from buendnis.evaluation.sources.base import Measure, held_activities, metric_of

METRICS = ("share_within_deadline", "median_lag_days")


def median_lag_days(documented: QuerySet[Activity], count: int) -> Decimal | None:
    """The median of the documentation lags in days, read from the database's middle rows."""
    if not count:
        return None
    tz = timezone.get_current_timezone()
    lag = ExpressionWrapper(
        TruncDate("documented_at", tzinfo=tz) - TruncDate("ends_at", tzinfo=tz),
        output_field=DurationField(),
    )
    lags = documented.annotate(lag=lag).order_by("lag").values_list("lag", flat=True)
    middle = list(lags[(count - 1) // 2 : count // 2 + 1])
    return Decimal(sum(item.days for item in middle)) / len(middle)


def _plain(value: Decimal) -> int | str:
    """A whole number as int, else its decimal text (JSON-safe)."""
    return int(value) if value == value.to_integral_value() else str(value.normalize())


def measure(*, indicator: Indicator, period: Period, today: datetime.date) -> Measure:
    """The share documented within the deadline, or the median lag, for the period."""
    metric = metric_of(indicator.filter, METRICS)
    lower_is_better = metric == "median_lag_days"
    deadline_days = current_deadline_days(indicator.agreement)
    if deadline_days is None:
        note = _("Kein Dokumentationsverfahren nach § 7 vereinbart: kein Wert.")
        return Measure(actual=None, rate=True, note=note, lower_is_better=lower_is_better)
    deadline = datetime.timedelta(days=deadline_days)
    cutoff = datetime.datetime.combine(today, datetime.time.min, timezone.get_current_timezone())
    documented = Q(status__in=DOCUMENTED_STATUSES)
    held = held_activities(agreement=indicator.agreement, period=period, filter=indicator.filter)
    totals = held.aggregate(
        due=Count("id", filter=documented | Q(ends_at__lt=cutoff - deadline)),
        documented=Count("id", filter=documented),
        dated=Count("id", filter=documented & Q(documented_at__isnull=False)),
        within=Count("id", filter=documented & Q(documented_at__lte=F("ends_at") + deadline)),
    )
    median = median_lag_days(held.filter(documented, documented_at__isnull=False), totals["dated"])
    detail: dict[str, int | str | None] = {
        "due": totals["due"],
        "within": totals["within"],
        "late": totals["documented"] - totals["within"],
        "undocumented": totals["due"] - totals["documented"],
        "median_lag_days": None if median is None else _plain(median),
    }
    note = ""
    if median is not None:
        days = formats.number_format(median.normalize())
        note = ngettext(
            "Median %(days)s Tag bis zur Dokumentation",
            "Median %(days)s Tage bis zur Dokumentation",
            1 if median == 1 else 2,
        ) % {"days": days}
    if lower_is_better:
        actual = median
    elif totals["due"]:
        actual = (Decimal(totals["within"] * 100) / totals["due"]).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    else:
        actual = None
    return Measure(
        actual=actual, rate=True, note=note, detail=detail, lower_is_better=lower_is_better
    )

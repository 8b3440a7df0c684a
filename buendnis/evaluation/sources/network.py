"""Source ``network`` (§ 5 „Vernetzung“): cooperation with partners from the register.

Metrics: ``active_partners`` (distinct network partners linked to at least one held
activity of the period) and ``joint_activities`` (held activities of the period with at
least one network partner). The activity filter keys of ``base`` apply.
"""

import datetime
from decimal import Decimal

from django.db.models import Exists, OuterRef

from buendnis.activities.models import Activity
from buendnis.agreements.models import Indicator
from buendnis.evaluation.periods import Period
from buendnis.evaluation.sources.base import Measure, held_activities, metric_of

PartnerLink = Activity.network_partners.through
METRICS = ("active_partners", "joint_activities")


def measure(*, indicator: Indicator, period: Period, today: datetime.date) -> Measure:
    """Count the partners active in the period, or the activities held with partners."""
    metric = metric_of(indicator.filter, METRICS)
    held = held_activities(agreement=indicator.agreement, period=period, filter=indicator.filter)
    if metric == "active_partners":
        value = (
            PartnerLink.objects.filter(activity__in=held.values("pk"))
            .values("networkpartner_id")
            .distinct()
            .count()
        )
    else:
        value = held.filter(Exists(PartnerLink.objects.filter(activity_id=OuterRef("pk")))).count()
    return Measure(actual=Decimal(value))

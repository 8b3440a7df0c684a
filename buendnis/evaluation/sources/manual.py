"""Source ``manual``: a value entered by hand for exactly this period, with its source.

The value is the ``ManualValue`` of the indicator whose first and last day are the
period's; without one there is no value. The note is the value's source note. A manual
indicator is a rate (not pro-rated, not summed) when its unit is ``%`` or ``ja/nein``.
"""

import datetime

from django.utils.translation import gettext as _

from buendnis.agreements.models import Indicator
from buendnis.evaluation.models import ManualValue
from buendnis.evaluation.periods import Period
from buendnis.evaluation.sources.base import Measure

RATE_UNITS = {"%", "ja/nein", "yes/no", "prozent", "percent"}


def is_rate(indicator: Indicator) -> bool:
    """Shares and yes/no values are not additive."""
    return indicator.unit.strip().lower() in RATE_UNITS


def measure(*, indicator: Indicator, period: Period, today: datetime.date) -> Measure:
    """The value entered for the period, or none."""
    entered = (
        ManualValue.objects.filter(
            indicator_id=indicator.pk, starts_on=period.start, ends_on=period.end
        )
        .values("value", "source_note")
        .first()
    )
    rate = is_rate(indicator)
    if entered is None:
        return Measure(actual=None, rate=rate, note=_("Noch kein Wert erfasst."))
    return Measure(actual=entered["value"], rate=rate, note=entered["source_note"])

"""Source ``counselling`` (§ 5): contacts from the anonymous counselling log.

Delegates to ``counselling.selectors.contacts_actual`` for the days of the period
(its ``end`` is exclusive, so the period's ``stop`` is passed). Metrics: ``contacts``,
``minutes`` and ``referrals``; filter keys ``kinds``, ``sought_by``, ``channels``,
``topics`` and ``first_contact`` (see that selector).
"""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from buendnis.agreements.models import Indicator
from buendnis.counselling.selectors import contacts_actual
from buendnis.evaluation.periods import Period
from buendnis.evaluation.sources.base import Measure, SourceError


def measure(*, indicator: Indicator, period: Period, today: datetime.date) -> Measure:
    """Count the period's counselling contacts (or their minutes or referrals)."""
    try:
        value = contacts_actual(
            agreement=indicator.agreement,
            start=period.start,
            end=period.stop,
            filter=indicator.filter,
        )
    except ValueError as error:
        metric = indicator.filter.get("metric")
        raise SourceError(_("Unbekannte Kennzahl „%(metric)s“.") % {"metric": metric}) from error
    return Measure(actual=Decimal(value))

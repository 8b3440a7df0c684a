"""The indicator sources: one module per ``Indicator.Source``, each with ``measure()``.

A source turns an indicator and a period into a ``Measure`` (the actual value, whether it
is a rate, a note and the raw counts behind it), aggregating in the database with a fixed
number of queries. ``SourceError`` means the indicator asks for something the source
does not know; the engine shows that as "no data" with the error as note.
"""

import datetime
from collections.abc import Callable

from django.utils.translation import gettext as _

from buendnis.agreements.models import Indicator
from buendnis.evaluation.periods import Period
from buendnis.evaluation.sources import (
    activities,
    counselling,
    duty,
    feedback,
    manual,
    network,
    reach,
    timeliness,
)
from buendnis.evaluation.sources.base import Measure, SourceError

Source = Indicator.Source
SOURCES: dict[str, Callable[..., Measure]] = {
    Source.ACTIVITIES: activities.measure,
    Source.REACH: reach.measure,
    Source.COUNSELLING: counselling.measure,
    Source.FEEDBACK: feedback.measure,
    Source.NETWORK: network.measure,
    Source.TIMELINESS: timeliness.measure,
    Source.EVALUATION: duty.measure,
    Source.MANUAL: manual.measure,
}

__all__ = ["SOURCES", "Measure", "SourceError", "measure"]


def measure(*, indicator: Indicator, period: Period, today: datetime.date) -> Measure:
    """Ask the indicator's source for its value; raise ``SourceError`` if it cannot say."""
    source = SOURCES.get(indicator.source)
    if source is None:
        raise SourceError(_("Unbekannte Quelle „%(source)s“.") % {"source": indicator.source})
    if not isinstance(indicator.filter, dict):
        raise SourceError(_("Der Filter muss ein Objekt sein."))
    return source(indicator=indicator, period=period, today=today)

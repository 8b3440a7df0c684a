"""Source ``feedback``: the share of anonymous answers that agree (4 or 5 of 5).

Metric ``share_agree`` with ``question`` (the question key, the same across
questionnaires and versions). Counted by the day the answer was given, first and last
day of the period included. The value is a percentage with one decimal, or no value
while there are fewer than ``FEEDBACK_MIN_RESPONSES`` answers; ``detail`` holds
``agree`` and ``total``.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from buendnis.agreements.models import Indicator
from buendnis.evaluation.periods import Period
from buendnis.evaluation.sources.base import Measure, SourceError, metric_of
from buendnis.feedback.selectors import share_agree_counts


def measure(*, indicator: Indicator, period: Period, today: datetime.date) -> Measure:
    """The percentage of agreeing answers to the indicator's question in the period."""
    metric_of(indicator.filter, ("share_agree",))
    question = indicator.filter.get("question")
    if not isinstance(question, str) or not question:
        raise SourceError(_("Der Filter nennt keine Frage („question“)."))
    share = share_agree_counts(
        agreement=indicator.agreement, question_key=question, start=period.start, end=period.end
    )
    detail: dict[str, int | str | None] = {"agree": share.agree, "total": share.total}
    minimum = settings.FEEDBACK_MIN_RESPONSES
    if share.total == 0 or share.total < minimum:
        note = _("Weniger als %(minimum)s Antworten: kein Wert.") % {"minimum": minimum}
        return Measure(actual=None, rate=True, note=note, detail=detail)
    actual: Decimal = share.percent
    return Measure(actual=actual, rate=True, detail=detail)

"""Reads for feedback: which questionnaire a link uses, whether it is open, indicator values."""

import datetime
import enum
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from buendnis.activities.models import Activity
from buendnis.agreements.models import Agreement, Indicator
from buendnis.evaluation.locks import activity_day, locking_evaluation
from buendnis.feedback.models import (
    Answer,
    FeedbackLink,
    FormatQuestionnaire,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Response,
)


class LinkState(enum.StrEnum):
    OPEN = "open"
    NOT_YET = "not_yet"
    CLOSED = "closed"
    FULL = "full"
    LOCKED = "locked"  # the activity's period is evaluated and agreed (evaluation.locks)


def current_version(questionnaire: Questionnaire | None) -> QuestionnaireVersion | None:
    """The newest version: new responses always answer it."""
    if questionnaire is None:
        return None
    return questionnaire.versions.order_by("-number").first()


def format_questionnaire(activity: Activity) -> Questionnaire | None:
    """The questionnaire attached to the activity's format, if any."""
    default = (
        FormatQuestionnaire.objects.filter(format_id=activity.format_id)
        .select_related("questionnaire")
        .first()
    )
    return default.questionnaire if default else None


def effective_questionnaire(
    activity: Activity, link: FeedbackLink | None = None
) -> Questionnaire | None:
    """The activity's own choice, else its format's questionnaire."""
    if link is not None and link.questionnaire_id:
        return link.questionnaire
    return format_questionnaire(activity)


def _versions_for(link: FeedbackLink) -> QuerySet[QuestionnaireVersion]:
    """The versions of the questionnaire the link answers, as ``effective_questionnaire``."""
    if link.questionnaire_id:
        return QuestionnaireVersion.objects.filter(questionnaire_id=link.questionnaire_id)
    return QuestionnaireVersion.objects.filter(
        questionnaire__format_defaults__format_id=link.activity.format_id
    )


def link_version(link: FeedbackLink) -> QuestionnaireVersion | None:
    """The newest version the link's form shows, in one query."""
    return _versions_for(link).order_by("-number").first()


def link_version_answered(link: FeedbackLink, version_id: object) -> QuestionnaireVersion | None:
    """The submitted version if it belongs to the link's questionnaire (any of its versions)."""
    try:
        pk = int(str(version_id))
    except ValueError:
        return None
    return _versions_for(link).filter(pk=pk).first()


def questions_of(version: QuestionnaireVersion) -> list[Question]:
    """The version's questions in their order (without joining the version for it)."""
    return list(Question.objects.filter(version_id=version.pk).order_by("position", "id"))


def window(link: FeedbackLink) -> tuple[datetime.datetime, datetime.date]:
    """From the start of the activity's day to the last day answers are taken (inclusive).

    The whole day, not the starting time: a handout printed ahead lies on the table, and
    participants who scan it on arrival should find the form open (issue 17).
    """
    activity = link.activity
    closes_on = link.closes_on or timezone.localdate(activity.ends_at) + datetime.timedelta(
        days=settings.FEEDBACK_WINDOW_DAYS
    )
    day = timezone.localdate(activity.starts_at)
    opens_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return opens_at, closes_on


def cap(link: FeedbackLink) -> int:
    """How many responses the activity takes: the override, else 3× participants, ≥ 30."""
    if link.max_responses is not None:
        return link.max_responses
    return max(
        settings.FEEDBACK_CAP_FACTOR * link.activity.participants, settings.FEEDBACK_CAP_MINIMUM
    )


def link_state(link: FeedbackLink, *, now: datetime.datetime | None = None) -> LinkState:
    """Whether the link takes answers now; counts the responses only when the window is open."""
    now = now or timezone.now()
    opens_at, closes_on = window(link)
    if link.activity.status == Activity.Status.CANCELLED or timezone.localdate(now) > closes_on:
        return LinkState.CLOSED
    if now < opens_at:
        return LinkState.NOT_YET
    if locking_evaluation(
        agreement_id=link.activity.agreement_id, day=activity_day(link.activity.starts_at)
    ):
        return LinkState.LOCKED
    if Response.objects.filter(activity_id=link.activity_id).count() >= cap(link):
        return LinkState.FULL
    return LinkState.OPEN


def response_count(activity: Activity) -> int:
    return Response.objects.filter(activity=activity).count()


@dataclass(frozen=True)
class Share:
    """Agreeing answers (4 or 5 on the scale) among all answers to a scale question."""

    agree: int
    total: int

    @property
    def percent(self) -> Decimal:
        return (Decimal(self.agree * 100) / self.total).quantize(Decimal("0.1"))


def share_agree_counts(
    *, agreement: Agreement, question_key: str, start: datetime.date, end: datetime.date
) -> Share:
    """Count agreeing and all scale answers to the question in the days ``start``–``end``."""
    totals = Answer.objects.filter(
        response__agreement=agreement,
        response__submitted_on__gte=start,
        response__submitted_on__lte=end,
        question__key=question_key,
        scale__isnull=False,
    ).aggregate(total=Count("id"), agree=Count("id", filter=Q(scale__gte=4)))
    return Share(agree=totals["agree"], total=totals["total"])


def share_agree(
    *, agreement: Agreement, question_key: str, start: datetime.date, end: datetime.date
) -> Decimal | None:
    """Percentage (0–100) of answers 4–5 to the question; None with fewer than the minimum.

    Counted in the database over every questionnaire and version of the agreement that asks
    a question with this key, by the day the answer was given (``start`` and ``end``
    included). Below ``FEEDBACK_MIN_RESPONSES`` answers there is no value to show.
    """
    share = share_agree_counts(agreement=agreement, question_key=question_key, start=start, end=end)
    if share.total == 0 or share.total < settings.FEEDBACK_MIN_RESPONSES:
        return None
    return share.percent


def indicator_actual(
    indicator: Indicator, start: datetime.date, end: datetime.date
) -> Decimal | None:
    """The actual value of an indicator whose source is feedback, for the evaluation."""
    if indicator.source != Indicator.Source.FEEDBACK:
        raise ValueError(f"{indicator.code} is not measured by feedback")
    metric = indicator.filter.get("metric")
    if metric != "share_agree":
        raise ValueError(f"{indicator.code}: unknown feedback metric {metric!r}")
    return share_agree(
        agreement=indicator.agreement,
        question_key=indicator.filter["question"],
        start=start,
        end=end,
    )


def feedback_indicators(*, agreement: Agreement, year: int) -> list[tuple[Indicator, object]]:
    """The agreement's feedback indicators with their exact value for a calendar year."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    indicators = (
        Indicator.objects.filter(agreement=agreement, source=Indicator.Source.FEEDBACK)
        .select_related("agreement", "goal")
        .prefetch_related("targets")
    )
    shown: list[tuple[Indicator, object]] = []
    for indicator in indicators:
        indicator.year_target = indicator.target_in(year)  # type: ignore[attr-defined]
        share = share_agree_counts(
            agreement=agreement,
            question_key=indicator.filter.get("question", ""),
            start=start,
            end=end,
        )
        if share.total == 0 or share.total < settings.FEEDBACK_MIN_RESPONSES:
            shown.append((indicator, None))
        else:
            shown.append((indicator, share.percent))
    return shown

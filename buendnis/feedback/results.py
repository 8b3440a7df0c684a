"""Reads for results: distributions, means and agreement shares, counted in the database.

Nothing is shown for fewer than ``FEEDBACK_MIN_RESPONSES`` responses (or answers to one
question). These are the exact results, for the organisation that ran the activities;
everyone else reads the protected publication (``feedback.published``).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils.translation import get_language

from buendnis.accounts.policy import AnyUser, sees_exact
from buendnis.activities.models import Activity
from buendnis.agreements.models import Agreement
from buendnis.feedback.models import SOURCE_LANGUAGE, Answer, Question, Questionnaire, Response
from buendnis.feedback.texts import SCALE_POINTS

TENTH = Decimal("0.1")


@dataclass
class Bar:
    label: str
    count: int | str
    percent: Decimal | None


@dataclass
class QuestionResult:
    key: str
    label: str
    kind: str
    answered: int = 0
    shown: bool = False
    bars: list[Bar] = field(default_factory=list)
    mean: Decimal | None = None
    share_agree: Decimal | None = None
    texts: list[str] = field(default_factory=list)


@dataclass
class Section:
    """The results of one questionnaire (all its versions) over a set of responses."""

    questionnaire: Questionnaire
    responses: int | str
    shown: bool
    questions: list[QuestionResult] = field(default_factory=list)


def label_of(labels: dict[str, str]) -> str:
    """Staff read the page's language where the questionnaire has it, else German."""
    return labels.get(get_language() or SOURCE_LANGUAGE) or labels.get(SOURCE_LANGUAGE, "")


def questions_by_key(questionnaire_ids: list[int]) -> dict[int, dict[str, Question]]:
    """Each questionnaire's questions by key, newest wording first; old-only keys at the end."""
    found: dict[int, dict[str, Question]] = defaultdict(dict)
    for question in (
        Question.objects.filter(version__questionnaire_id__in=questionnaire_ids)
        .select_related("version")
        .order_by("-version__number", "position")
    ):
        found[question.version.questionnaire_id].setdefault(question.key, question)
    return found


def _scale_labels(question: Question) -> list[str]:
    texts = question.version.texts
    wanted = texts.get(get_language() or SOURCE_LANGUAGE, {})
    german = texts.get(SOURCE_LANGUAGE, {})
    return [wanted.get(f"scale_{p}") or german.get(f"scale_{p}", str(p)) for p in SCALE_POINTS]


def _result(question: Question, counts: dict[str, int], texts: list[str]) -> QuestionResult:
    answered = sum(counts.values())
    result = QuestionResult(
        key=question.key, label=label_of(question.labels), kind=question.kind, answered=answered
    )
    if question.kind == Question.Kind.TEXT:
        # Free text is individual by nature; the section's minimum of responses suffices.
        result.shown, result.texts = answered > 0, texts
        return result
    result.shown = answered >= settings.FEEDBACK_MIN_RESPONSES
    if not result.shown:
        return result
    if question.kind == Question.Kind.SCALE:
        pairs = list(zip(_scale_labels(question), (str(p) for p in SCALE_POINTS), strict=True))
    else:
        pairs = [(label_of(o["labels"]), o["key"]) for o in question.options]
    values = [counts.get(value, 0) for _label_text, value in pairs]
    for (label, _value), count in zip(pairs, values, strict=True):
        percent = (Decimal(count * 100) / answered).quantize(TENTH)
        result.bars.append(Bar(label, count, percent))
    if question.kind == Question.Kind.SCALE:
        total = sum(p * counts.get(str(p), 0) for p in SCALE_POINTS)
        agree = counts.get("4", 0) + counts.get("5", 0)
        result.mean = (Decimal(total) / answered).quantize(Decimal("0.01"))
        result.share_agree = (Decimal(agree * 100) / answered).quantize(TENTH)
    return result


def sections(responses: QuerySet[Response], *, free_text: bool) -> list[Section]:
    """Exact results per questionnaire for the given responses (protected ones: ``published``)."""
    per_questionnaire = dict(
        responses.order_by()
        .values("version__questionnaire")
        .annotate(n=Count("id"))
        .values_list("version__questionnaire", "n")
    )
    if not per_questionnaire:
        return []
    answers = Answer.objects.filter(response__in=responses.order_by().values("id"))
    counts: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    for questionnaire_id, key, scale, choice, n in (
        answers.values_list("response__version__questionnaire", "question__key", "scale", "choice")
        .annotate(n=Count("id"))
        .order_by()
    ):
        value = str(scale) if scale is not None else choice or "text"
        counts[(questionnaire_id, key)][value] = n
    texts: dict[tuple[int, str], list[str]] = defaultdict(list)
    if free_text:
        for questionnaire_id, key, text in (
            answers.filter(question__kind=Question.Kind.TEXT)
            .values_list("response__version__questionnaire", "question__key", "text")
            .order_by("text")
        ):
            texts[(questionnaire_id, key)].append(text)
    questions = questions_by_key(list(per_questionnaire))
    result = []
    for questionnaire in Questionnaire.objects.filter(pk__in=per_questionnaire).order_by("name"):
        n = per_questionnaire[questionnaire.pk]
        section = Section(
            questionnaire=questionnaire,
            responses=n,
            shown=n >= settings.FEEDBACK_MIN_RESPONSES,
        )
        if section.shown:
            section.questions = [
                _result(
                    q,
                    counts.get((questionnaire.pk, key), {}),
                    texts[(questionnaire.pk, key)],
                )
                for key, q in questions[questionnaire.pk].items()
            ]
        result.append(section)
    return result


def activity_responses(activity: Activity) -> QuerySet[Response]:
    return Response.objects.filter(activity=activity)


def agreement_responses(
    *, agreement: Agreement, year: int, format_id: int | None = None, goal_id: int | None = None
) -> QuerySet[Response]:
    """Responses of a calendar year (by the day they were given), optionally narrowed."""
    responses = Response.objects.filter(
        agreement=agreement,
        submitted_on__gte=datetime.date(year, 1, 1),
        submitted_on__lte=datetime.date(year, 12, 31),
    )
    if format_id:
        responses = responses.filter(activity__format_id=format_id)
    if goal_id:
        responses = responses.filter(activity__goals__id=goal_id)
    return responses


def exact_for(user: AnyUser, responses: QuerySet[Response]) -> bool:
    """Exact figures only when the user may see every running organisation's records exactly."""
    running = set(
        responses.order_by().values_list("activity__organisation_id", flat=True).distinct()
    )
    return sees_exact(user, running) if running else False

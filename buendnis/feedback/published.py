"""Feedback results as the protected publication shows them (outside the running organisation).

Everything is read from the agreement's feedback grid (``feedback.grid``) for a calendar
year: section sizes, answer distributions, the format comparison and the indicator shares.
A share or mean is shown only when the counts behind it are themselves published, so it
tells nothing the counts do not. Narrowing by format or goal needs exact figures: for
protected viewers the page shows the whole year instead, and says so.
"""

from decimal import Decimal

from django.conf import settings
from django.db.models import Count

from buendnis.activities.models import Format
from buendnis.agreements.models import Agreement, Indicator
from buendnis.core.disclosure.cache import publication_for
from buendnis.core.disclosure.periods import YEAR
from buendnis.core.disclosure.publication import Publication
from buendnis.feedback.comparison import Comparison
from buendnis.feedback.grid import (
    ALL,
    agree_node,
    answered_node,
    feedback_grid,
    point_node,
    responses_node,
)
from buendnis.feedback.models import Question, Questionnaire, Response
from buendnis.feedback.results import (
    TENTH,
    Bar,
    QuestionResult,
    Section,
    label_of,
    questions_by_key,
)
from buendnis.feedback.results import _scale_labels as scale_labels
from buendnis.feedback.texts import SCALE_POINTS

HUNDREDTH = Decimal("0.01")


def publication(agreement: Agreement) -> Publication:
    return publication_for(feedback_grid(agreement=agreement))


def _count(value: object) -> int | None:
    return value if isinstance(value, int) else None


def share(published: Publication, numerator: tuple, denominator: tuple) -> Decimal | None:
    """Agreeing answers in per cent, when both counts are published and enough answered."""
    part = _count(published.shown(numerator))
    whole = _count(published.shown(denominator))
    if part is None or whole is None or whole < settings.FEEDBACK_MIN_RESPONSES:
        return None
    return (Decimal(part * 100) / whole).quantize(TENTH)


def _question(
    published: Publication, question: Question, questionnaire: int, time: tuple
) -> QuestionResult:
    result = QuestionResult(key=question.key, label=label_of(question.labels), kind=question.kind)
    if question.kind == Question.Kind.TEXT:
        return result  # free text never leaves the running organisation
    if question.kind == Question.Kind.SCALE:
        pairs = list(zip(scale_labels(question), SCALE_POINTS, strict=True))
        answered = _count(published.shown(answered_node(questionnaire, ALL, question.key, time)))
    else:
        pairs = [(label_of(o["labels"]), o["key"]) for o in question.options]
        counts = [
            published.shown(point_node(questionnaire, question.key, k, time)) for _l, k in pairs
        ]
        answered = sum(counts) if all(isinstance(c, int) for c in counts) else None  # type: ignore[arg-type]
    result.answered = answered or 0
    result.shown = answered is not None and answered >= settings.FEEDBACK_MIN_RESPONSES
    if not result.shown:
        return result
    counts = [published.shown(point_node(questionnaire, question.key, k, time)) for _l, k in pairs]
    for (label, _key), count in zip(pairs, counts, strict=True):
        percent = (
            (Decimal(count * 100) / answered).quantize(TENTH)
            if isinstance(count, int) and answered
            else None
        )
        result.bars.append(Bar(label, count, percent))
    if question.kind == Question.Kind.SCALE and all(isinstance(c, int) for c in counts):
        total = sum(p * c for p, c in zip(SCALE_POINTS, counts, strict=True))  # type: ignore[misc]
        result.mean = (Decimal(total) / answered).quantize(HUNDREDTH)  # type: ignore[operator]
        result.share_agree = share(
            published,
            agree_node(questionnaire, ALL, question.key, time),
            answered_node(questionnaire, ALL, question.key, time),
        )
    return result


def sections(*, agreement: Agreement, year: int) -> list[Section]:
    """Results per questionnaire for the calendar year, as published."""
    published = publication(agreement)
    time = (YEAR, year)
    questionnaire_ids = list(
        Response.objects.filter(agreement=agreement, submitted_on__year=year)
        .order_by()
        .values_list("version__questionnaire", flat=True)
        .distinct()
    )
    questions = questions_by_key(questionnaire_ids)
    found = []
    for questionnaire in Questionnaire.objects.filter(pk__in=questionnaire_ids).order_by("name"):
        n = published.shown(responses_node(questionnaire.pk, ALL, time))
        section = Section(
            questionnaire=questionnaire,
            responses=n,
            shown=isinstance(n, int) and n >= settings.FEEDBACK_MIN_RESPONSES,
        )
        if section.shown:
            section.questions = [
                _question(published, q, questionnaire.pk, time)
                for q in questions[questionnaire.pk].values()
            ]
        found.append(section)
    return found


def format_comparison(*, agreement: Agreement, year: int) -> list[Comparison]:
    """Per questionnaire, each format's share of agreeing answers, as published."""
    published = publication(agreement)
    time = (YEAR, year)
    pairs = list(
        Response.objects.filter(agreement=agreement, submitted_on__year=year)
        .order_by()
        .values_list("version__questionnaire", "activity__format")
        .annotate(n=Count("id"))
        .values_list("version__questionnaire", "activity__format")
    )
    questionnaire_ids = sorted({q for q, _f in pairs})
    questions = questions_by_key(questionnaire_ids)
    formats = Format.objects.in_bulk({f for _q, f in pairs})
    comparisons = []
    for questionnaire in Questionnaire.objects.filter(pk__in=questionnaire_ids).order_by("name"):
        columns = sorted(
            (formats[f] for q, f in pairs if q == questionnaire.pk), key=lambda fmt: fmt.name
        )
        rows = [
            (
                label_of(question.labels),
                [
                    share(
                        published,
                        agree_node(questionnaire.pk, fmt.pk, question.key, time),
                        answered_node(questionnaire.pk, fmt.pk, question.key, time),
                    )
                    for fmt in columns
                ],
            )
            for question in questions[questionnaire.pk].values()
            if question.kind == Question.Kind.SCALE
        ]
        shown = [
            (fmt, published.shown(responses_node(questionnaire.pk, fmt.pk, time)))
            for fmt in columns
        ]
        comparisons.append(Comparison(questionnaire, shown, rows))
    return comparisons


def indicator_shares(*, agreement: Agreement, year: int) -> list[tuple[Indicator, object]]:
    """The feedback indicators' shares for the year, as published (None: not shown)."""
    published = publication(agreement)
    time = (YEAR, year)
    found: list[tuple[Indicator, object]] = []
    for indicator in Indicator.objects.filter(
        agreement=agreement, source=Indicator.Source.FEEDBACK
    ).select_related("agreement", "goal"):
        key = indicator.filter.get("question", "")
        found.append(
            (
                indicator,
                share(
                    published, agree_node(ALL, ALL, key, time), answered_node(ALL, ALL, key, time)
                ),
            )
        )
    return found

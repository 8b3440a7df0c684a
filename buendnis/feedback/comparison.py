"""§ 4: formats side by side by their share of agreeing answers, question by question."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from buendnis.activities.models import Format
from buendnis.feedback.models import Answer, Question, Questionnaire, Response
from buendnis.feedback.results import TENTH, label_of, questions_by_key


@dataclass
class Comparison:
    """One questionnaire: a column per format, a row per scale question."""

    questionnaire: Questionnaire
    formats: list[tuple[Format, object]]  # with their number of responses
    rows: list[tuple[str, list[Decimal | None]]]  # question, share agreeing per format


def _share(answered: int, agree: int) -> Decimal | None:
    """The share, if enough answered."""
    if answered < settings.FEEDBACK_MIN_RESPONSES:
        return None
    return (Decimal(agree * 100) / answered).quantize(TENTH)


def format_comparison(responses: QuerySet[Response]) -> list[Comparison]:
    """Per questionnaire, each format's exact share of answers 4–5 to each scale question."""
    per_format = list(
        responses.order_by()
        .values("version__questionnaire", "activity__format")
        .annotate(n=Count("id"))
        .values_list("version__questionnaire", "activity__format", "n")
    )
    cells = {
        (qid, fid, key): (n, agree)
        for qid, fid, key, n, agree in Answer.objects.filter(
            response__in=responses.order_by().values("id"), question__kind=Question.Kind.SCALE
        )
        .values_list(
            "response__version__questionnaire", "response__activity__format", "question__key"
        )
        .annotate(n=Count("id"), agree=Count("id", filter=Q(scale__gte=4)))
        .order_by()
    }
    questionnaire_ids = sorted({qid for qid, _fid, _n in per_format})
    questions = questions_by_key(questionnaire_ids)
    formats = Format.objects.in_bulk({fid for _qid, fid, _n in per_format})
    comparisons = []
    for questionnaire in Questionnaire.objects.filter(pk__in=questionnaire_ids).order_by("name"):
        columns = sorted(
            ((formats[fid], n) for qid, fid, n in per_format if qid == questionnaire.pk),
            key=lambda column: column[0].name,
        )
        rows = [
            (
                label_of(question.labels),
                [
                    _share(*cells.get((questionnaire.pk, fmt.pk, question.key), (0, 0)))
                    for fmt, _n in columns
                ],
            )
            for question in questions[questionnaire.pk].values()
            if question.kind == Question.Kind.SCALE
        ]
        comparisons.append(Comparison(questionnaire, list(columns), rows))
    return comparisons

"""§ 5 counselling statistics and the participants' feedback for the report.

Counselling is counted by the contact's day (``[start, stop)``) for the period and the
one before; feedback by the day the answer was given, first and last day included, the
way the feedback indicators count it.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, Sum

from buendnis.agreements.models import Agreement
from buendnis.counselling.models import Contact
from buendnis.evaluation.periods import Period
from buendnis.evaluation.report.tables import make_table, percent
from buendnis.feedback.models import SOURCE_LANGUAGE, Answer, Question

BREAKDOWNS = (
    ("counselling_kind", "kind", Contact.Kind),
    ("counselling_channel", "channel", Contact.Channel),
    ("counselling_sought_by", "sought_by", Contact.SoughtBy),
)
HUNDREDTH = Decimal("0.01")


def counselling(agreement: Agreement, period: Period) -> dict[str, Any]:
    """Contacts by kind, channel, who sought advice, first or follow-up; topics mentioned."""
    previous = period.previous()
    contacts = Contact.objects.filter(
        agreement=agreement, date__gte=previous.start, date__lt=period.stop
    ).order_by()
    now, before = Q(date__gte=period.start), Q(date__lt=period.start)
    combos = list(
        contacts.values("kind", "channel", "sought_by", "first_contact").annotate(
            current=Count("id", filter=now), previous=Count("id", filter=before)
        )
    )
    tables = {}
    for key, field, choices in BREAKDOWNS:
        tables[key] = make_table(key, _breakdown(combos, field, [str(v) for v in choices.values]))
    first = [
        {**combo, "first": "first" if combo["first_contact"] else "follow_up"} for combo in combos
    ]
    tables["counselling_first"] = make_table(
        "counselling_first", _breakdown(first, "first", ["first", "follow_up"])
    )
    mentions = (
        Contact.topics.through.objects.filter(contact__in=contacts.values("id"))
        .order_by()
        .values("topic_id", "topic__name")
        .annotate(
            current=Count("id", filter=Q(contact__date__gte=period.start)),
            previous=Count("id", filter=Q(contact__date__lt=period.start)),
        )
    )
    topics = sorted(
        mentions, key=lambda row: (-row["current"], -row["previous"], row["topic__name"])
    )
    tables["counselling_topics"] = make_table(
        "counselling_topics",
        [
            {
                "key": str(row["topic_id"]),
                "label": row["topic__name"],
                "values": {"current": row["current"], "previous": row["previous"]},
            }
            for row in topics
        ],
    )
    return {"tables": tables}


def _breakdown(combos: list[dict[str, Any]], field: str, keys: list[str]) -> list[dict[str, Any]]:
    """Rows of one breakdown, summed from the combined counts."""
    rows = []
    for key in keys:
        matching = [combo for combo in combos if str(combo[field]) == key]
        values = {name: sum(c[name] for c in matching) for name in ("current", "previous")}
        rows.append({"key": key, "label": "", "values": values})
    return rows


def feedback(agreement: Agreement, period: Period) -> dict[str, Any]:
    """Per scale question with enough answers: answers, share agreeing, mean, distribution."""
    answers = (
        Answer.objects.filter(
            response__agreement=agreement,
            response__submitted_on__gte=period.start,
            response__submitted_on__lte=period.end,
            scale__isnull=False,
        )
        .order_by()
        .values("question__key")
        .annotate(
            answered=Count("id"),
            agree=Count("id", filter=Q(scale__gte=4)),
            points=Sum("scale"),
            **{f"c{p}": Count("id", filter=Q(scale=p)) for p in range(1, 6)},
        )
    )
    labels: dict[str, dict[str, str]] = {}
    for key, question_labels in (
        Question.objects.filter(
            version__questionnaire__agreement=agreement, kind=Question.Kind.SCALE
        )
        .order_by("version__questionnaire__name", "-version__number", "position")
        .values_list("key", "labels")
    ):
        labels.setdefault(key, question_labels)
    order = {key: position for position, key in enumerate(labels)}
    minimum = settings.FEEDBACK_MIN_RESPONSES
    rows, omitted = [], 0
    for row in sorted(
        answers, key=lambda r: (order.get(r["question__key"], len(order)), r["question__key"])
    ):
        key = row["question__key"]
        if row["answered"] < minimum:
            omitted += 1
            continue
        question_labels = labels.get(key, {})
        mean = (Decimal(row["points"]) / row["answered"]).quantize(HUNDREDTH)
        values = {
            "answered": row["answered"],
            "agree": row["agree"],
            "share": percent(row["agree"], row["answered"]),
            "mean": str(mean),
            **{f"c{p}": row[f"c{p}"] for p in range(1, 6)},
        }
        rows.append(
            {
                "key": key,
                "label": question_labels.get(SOURCE_LANGUAGE, key),
                "labels": question_labels,
                "values": values,
            }
        )
    return {"tables": {"feedback": make_table("feedback", rows)}, "feedback_omitted": omitted}

"""Synthetic feedback for the demo: plausible answers to past activities, and one open link."""

import datetime
import random

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from buendnis.activities.models import Activity
from buendnis.agreements.models import Agreement
from buendnis.feedback.models import (
    Answer,
    FeedbackLink,
    FormatQuestionnaire,
    Question,
    Questionnaire,
    Response,
)
from buendnis.feedback.selectors import LinkState, current_version, link_state
from buendnis.feedback.services import feedback_link_ensure

# Agreement leans positive, as it does in real course feedback.
SCALE_WEIGHTS = (0.04, 0.08, 0.18, 0.38, 0.32)
FREE_TEXTS = (
    "Mehr Zeit für das Gespräch am Ende.",
    "Gerne öfter, vielleicht auch am Wochenende.",
    "Die Runde war sehr offen, danke.",
    "Kinderbetreuung wäre hilfreich.",
    "Daha sık buluşalım lütfen.",
    "أتمنى أن يكون اللقاء أطول.",
    "Хотелось бы больше практических примеров.",
    "More time for questions, please.",
)
SHARE_WITH_FEEDBACK = 0.45


def _answers(rng: random.Random, question: Question) -> dict[str, object] | None:
    if question.kind == Question.Kind.SCALE:
        if rng.random() < 0.05:
            return None
        return {"scale": rng.choices(range(1, 6), weights=SCALE_WEIGHTS)[0]}
    if question.kind == Question.Kind.CHOICE:
        return {"choice": rng.choice(question.option_keys)} if rng.random() < 0.8 else None
    return {"text": rng.choice(FREE_TEXTS)} if rng.random() < 0.25 else None


@transaction.atomic
def demo_responses_generate(*, agreement: Agreement, seed: int = 1) -> int:
    """Answer a share of the held activities as their participants might have; return count."""
    rng = random.Random(f"{seed}:feedback")  # noqa: S311 - demo data, not crypto
    defaults = dict(
        FormatQuestionnaire.objects.filter(format__agreement=agreement).values_list(
            "format_id", "questionnaire_id"
        )
    )
    versions = {}
    for questionnaire in Questionnaire.objects.filter(pk__in=set(defaults.values())):
        version = current_version(questionnaire)
        versions[questionnaire.pk] = (version, list(version.questions.all()))
    activities = Activity.objects.filter(
        agreement=agreement,
        format_id__in=defaults,
        status__in=(Activity.Status.DOCUMENTED, Activity.Status.REVIEWED),
    ).order_by("pk")
    responses, answers = [], []
    for activity in activities.only("pk", "format_id", "participants", "ends_at"):
        if rng.random() > SHARE_WITH_FEEDBACK:
            continue
        version, questions = versions[defaults[activity.format_id]]
        day = timezone.localdate(activity.ends_at)
        for _ in range(rng.randint(1, max(1, min(activity.participants, 12)))):
            response = Response(
                agreement=agreement,
                activity_id=activity.pk,
                version=version,
                submitted_on=day + datetime.timedelta(days=rng.choice((0, 0, 0, 1, 2))),
            )
            responses.append(response)
            for question in questions:
                values = _answers(rng, question)
                if values:
                    answers.append(Answer(response=response, question=question, **values))
    Response.objects.bulk_create(responses, batch_size=1000)
    Answer.objects.bulk_create(answers, batch_size=2000)
    return len(responses)


def demo_open_link(*, agreement: Agreement) -> FeedbackLink | None:
    """The link of the latest activity that takes answers now, for the demo's printout."""
    window = datetime.timedelta(days=settings.FEEDBACK_WINDOW_DAYS)
    recent = Activity.objects.filter(
        agreement=agreement,
        format__feedback_default__isnull=False,
        starts_at__lte=timezone.now(),
        ends_at__gte=timezone.now() - window,
    ).exclude(status=Activity.Status.CANCELLED)
    for activity in recent.order_by("-starts_at")[:10]:
        link = feedback_link_ensure(activity=activity)
        if link_state(link) == LinkState.OPEN:
            return link
    return None

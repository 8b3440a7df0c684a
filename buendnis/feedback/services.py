"""Writes for feedback: links, anonymous responses, format defaults and the free-text purge."""

import datetime
import secrets
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from buendnis.activities.models import Activity, Format
from buendnis.core.identifiers import mask_identifiers
from buendnis.feedback.models import (
    Answer,
    FeedbackLink,
    FormatQuestionnaire,
    Question,
    Questionnaire,
    Response,
)
from buendnis.feedback.selectors import (
    LinkState,
    link_state,
    link_version_answered,
    questions_of,
)
from buendnis.feedback.texts import SCALE_POINTS

# Lower-case letters and digits without the look-alikes 0/o, 1/i/l: easy to type from paper.
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 8
FREE_TEXT_MAX = 2000


class FeedbackRefused(Exception):
    """Nothing was stored; ``reason`` names the form text that tells the participant why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


REASONS = {
    LinkState.NOT_YET: "closed",
    LinkState.CLOSED: "closed",
    LinkState.FULL: "cap_reached",
    LinkState.LOCKED: "closed",  # for participants the evaluated period is simply closed
}


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def feedback_link_ensure(*, activity: Activity) -> FeedbackLink:
    """The activity's short link, created with a fresh random code the first time."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                link, _created = FeedbackLink.objects.get_or_create(
                    activity=activity, defaults={"code": _new_code()}
                )
                return link
        except IntegrityError:  # the code was taken (or another request created the link)
            continue
    raise RuntimeError("could not find a free feedback link code")


@transaction.atomic
def feedback_link_update(
    *,
    link: FeedbackLink,
    questionnaire: Questionnaire | None,
    closes_on: datetime.date | None,
    max_responses: int | None,
) -> FeedbackLink:
    """Override the questionnaire, the last day or the cap for one activity."""
    if questionnaire is not None and questionnaire.agreement_id != link.activity.agreement_id:
        raise ValueError("questionnaire of another agreement")
    link.questionnaire, link.closes_on, link.max_responses = (
        questionnaire,
        closes_on,
        max_responses,
    )
    link.save(update_fields=["questionnaire", "closes_on", "max_responses"])
    return link


@transaction.atomic
def format_questionnaire_set(*, fmt: Format, questionnaire: Questionnaire | None) -> None:
    """Attach a questionnaire to a format (or detach it with None)."""
    if questionnaire is None:
        FormatQuestionnaire.objects.filter(format=fmt).delete()
        return
    if questionnaire.agreement_id != fmt.agreement_id:
        raise ValueError("questionnaire of another agreement")
    FormatQuestionnaire.objects.update_or_create(
        format=fmt, defaults={"questionnaire": questionnaire}
    )


def parse_answers(
    questions: Iterable[Question], raw: Mapping[str, str]
) -> list[tuple[Question, dict[str, object]]]:
    """Check submitted values against the questions; unanswered questions are skipped.

    Raises ``FeedbackRefused("invalid")`` for a value no form control could have sent.
    Free text is never refused for what it says: identifiers in it (names, phone numbers,
    e-mail addresses …) are masked here, before anything is stored.
    """
    parsed = []
    allowed_scale = {str(point) for point in SCALE_POINTS}
    for question in questions:
        value = (raw.get(question.key) or "").replace("\x00", "").strip()
        if not value:
            continue
        if question.kind == Question.Kind.SCALE:
            if value not in allowed_scale:
                raise FeedbackRefused("invalid")
            parsed.append((question, {"scale": int(value)}))
        elif question.kind == Question.Kind.CHOICE:
            if value not in question.option_keys:
                raise FeedbackRefused("invalid")
            parsed.append((question, {"choice": value}))
        else:
            if len(value) > FREE_TEXT_MAX:
                raise FeedbackRefused("invalid")
            parsed.append((question, {"text": mask_identifiers(value)}))
    return parsed


@transaction.atomic
def response_submit(
    *,
    link: FeedbackLink,
    version_id: object,
    answers: Mapping[str, str],
    now: datetime.datetime | None = None,
) -> Response:
    """Store one anonymous response, or refuse it and store nothing.

    The link row is locked so that concurrent submissions cannot overshoot the cap. Answers
    to an activity in an agreed, locked period are refused like a closed link. Only the day
    is kept; the caller passes nothing about the client.
    """
    now = now or timezone.now()
    link = (
        FeedbackLink.objects.select_for_update(of=("self",))
        .select_related("activity")
        .get(pk=link.pk)
    )
    state = link_state(link, now=now)
    if state != LinkState.OPEN:
        raise FeedbackRefused(REASONS[state])
    version = link_version_answered(link, version_id)
    if version is None:
        raise FeedbackRefused("invalid")
    parsed = parse_answers(questions_of(version), answers)
    if not parsed:
        raise FeedbackRefused("empty")
    response = Response.objects.create(
        agreement_id=link.activity.agreement_id,
        activity=link.activity,
        version=version,
        submitted_on=timezone.localdate(now),
    )
    Answer.objects.bulk_create(
        Answer(response=response, question=question, **values) for question, values in parsed
    )
    return response


def free_text_purge(*, today: datetime.date | None = None) -> int:
    """Delete free-text answers older than the retention period; return how many."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.FEEDBACK_FREE_TEXT_RETENTION_DAYS)
    deleted, _by_model = Answer.objects.filter(
        question__kind=Question.Kind.TEXT, response__submitted_on__lt=cutoff
    ).delete()
    return deleted


def free_text_mask_stored(*, batch_size: int = 1000) -> int:
    """Mask identifiers in free text stored before it was screened; return how many changed.

    Run once after an upgrade (``buendnis purge --mask-stored``); text stored since is
    masked on the way in. Only changed rows are written.
    """
    changed = 0
    texts = (
        Answer.objects.filter(question__kind=Question.Kind.TEXT)
        .exclude(text="")
        .values_list("pk", "text")
        .order_by("pk")
    )
    last = 0
    while batch := list(texts.filter(pk__gt=last)[:batch_size]):
        last = batch[-1][0]
        updates = [
            Answer(pk=pk, text=masked)
            for pk, text in batch
            if (masked := mask_identifiers(text)) != text
        ]
        with transaction.atomic():
            Answer.objects.bulk_update(updates, ["text"])
        changed += len(updates)
    return changed

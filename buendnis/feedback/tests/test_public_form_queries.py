"""The participants' form asks the database a fixed number of questions, however long it is."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buendnis.feedback.models import FeedbackLink, Question, Response
from buendnis.feedback.questionnaires import questionnaire_add_question
from buendnis.feedback.selectors import current_version

pytestmark = pytest.mark.django_db

# the link with its activity, the current version, the period lock, the responses so far
# (the cap), the questions
GET_QUERIES = 5
# the link and version the view shows errors with; in the service: the link locked, the
# period lock, the responses so far, the submitted version, its questions, the response
# and all its answers in one statement (the rate limit counts in the cache: none in tests)
POST_QUERIES = 9


def _statements(context: CaptureQueriesContext) -> list[str]:
    """What the page asked, without the savepoints of the test's transaction."""
    return [
        query["sql"]
        for query in context.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def _lengthen(link: FeedbackLink, extra: int) -> None:
    """Add scale, choice and text questions to the link's questionnaire."""
    questionnaire = link.activity.format.feedback_default.questionnaire
    for n in range(extra):
        kind = (Question.Kind.SCALE, Question.Kind.CHOICE, Question.Kind.TEXT)[n % 3]
        options = [("a", "A"), ("b", "B")] if kind == Question.Kind.CHOICE else None
        questionnaire_add_question(
            questionnaire=questionnaire, key=f"extra_{n}", kind=kind, label=f"Frage {n}",
            options=options,
        )  # fmt: skip


def _get(link: FeedbackLink, lang: str) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        response = Client().get(reverse("feedback:respond", args=[link.code]) + f"?lang={lang}")
    assert response.status_code == 200
    return _statements(context)


def _post(link: FeedbackLink) -> list[str]:
    version = current_version(link.activity.format.feedback_default.questionnaire)
    data = {"v": version.pk, "lang": "de"}
    for question in version.questions.all():
        if question.kind == Question.Kind.SCALE:
            data[f"q_{question.key}"] = "4"
        elif question.kind == Question.Kind.CHOICE:
            data[f"q_{question.key}"] = question.options[0]["key"]
        else:
            data[f"q_{question.key}"] = "Rufen Sie mich an: 0176 12345678"
    with CaptureQueriesContext(connection) as context:
        response = Client().post(reverse("feedback:respond", args=[link.code]), data)
    assert response.status_code == 302
    return _statements(context)


def test_it_shows_the_form_with_a_fixed_number_of_queries(link: FeedbackLink) -> None:
    assert len(_get(link, "de")) == GET_QUERIES
    assert len(_get(link, "de")) == GET_QUERIES  # the questions' fragment from the cache
    _lengthen(link, 9)
    queries = _get(link, "tr")
    assert len(queries) == GET_QUERIES, "\n".join(queries)


def test_it_takes_an_answer_with_a_fixed_number_of_queries(link: FeedbackLink) -> None:
    assert len(_post(link)) == POST_QUERIES
    _lengthen(link, 9)
    queries = _post(link)
    assert len(queries) == POST_QUERIES, "\n".join(queries)
    stored = Response.objects.order_by("-pk").first()
    texts = [a.text for a in stored.answers.all() if a.text]
    assert len(texts) == 4 and all("12345678" not in text for text in texts), "still masked"

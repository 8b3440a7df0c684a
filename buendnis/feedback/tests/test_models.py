"""Anonymity by construction: what a stored response row can and cannot hold."""

import pytest
from django.db import IntegrityError, connection, transaction

from buendnis.feedback.models import Answer, FeedbackLink, Question, Response
from buendnis.feedback.tests.conftest import answer

FORBIDDEN = ("ip", "addr", "agent", "cookie", "session", "time", "created", "user", "lang")


def _columns(model: type) -> list[str]:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, model._meta.db_table)
    return [column.name for column in description]


def test_it_keeps_no_address_agent_cookie_or_time_of_day_in_the_response_table(
    link: FeedbackLink,
) -> None:
    assert sorted(_columns(Response)) == [
        "activity_id", "agreement_id", "id", "submitted_on", "version_id",
    ]  # fmt: skip
    assert sorted(_columns(Answer)) == [
        "choice",
        "id",
        "question_id",
        "response_id",
        "scale",
        "text",
    ]
    for column in _columns(Response) + _columns(Answer):
        assert not any(word in column for word in FORBIDDEN), column


def test_it_stores_only_the_day_of_a_response(link: FeedbackLink) -> None:
    response = answer(link, reflect_role="5", what_different="Mehr Zeit zum Reden")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM {Response._meta.db_table} WHERE id = %s",  # noqa: S608 - our own table
            [response.pk],
        )
        names = [column[0] for column in cursor.description]
        row = dict(zip(names, cursor.fetchone(), strict=True))
    day = str(row["submitted_on"])
    assert len(day) == 10 and day.count("-") == 2  # YYYY-MM-DD, nothing finer
    assert row["activity_id"] == link.activity_id
    assert set(row) == {"id", "activity_id", "agreement_id", "version_id", "submitted_on"}


def test_it_refuses_an_answer_outside_the_scale(link: FeedbackLink) -> None:
    response = answer(link, reflect_role="4")
    question = Question.objects.get(version=response.version, key="recommend")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Answer.objects.create(response=response, question=question, scale=6)


def test_it_refuses_an_answer_with_two_values(link: FeedbackLink) -> None:
    response = answer(link, reflect_role="4")
    question = Question.objects.get(version=response.version, key="recommend")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Answer.objects.create(response=response, question=question, scale=3, text="und Text")

"""No lost update in questionnaires; no answer added to an agreed, locked period."""

import html

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buendnis.accounts.models import User
from buendnis.agreements.models import Agreement
from buendnis.core.tests.conflicts import assert_second_writer_refused, loaded_form, resend
from buendnis.evaluation.locks import evaluation_reopen
from buendnis.evaluation.models import Evaluation
from buendnis.evaluation.tests.factories import evaluation_of_year
from buendnis.feedback.models import FeedbackLink, Questionnaire, Response
from buendnis.feedback.selectors import LinkState, current_version, link_state
from buendnis.feedback.tests.conftest import client_for
from buendnis.feedback.tests.test_questionnaire_views import _language_form

pytestmark = pytest.mark.django_db


def test_the_second_translation_gets_409_and_loses_nothing(
    questionnaires: dict[str, Questionnaire], koordination: User
) -> None:
    fathers = questionnaires["fathers"]
    url = reverse("feedback:questionnaire_language", args=[fathers.pk, "en"])
    first, second = client_for(koordination), client_for(koordination)
    loaded_form(first, url)
    loaded_form(second, url)
    seen = _language_form(fathers, "en")  # both pages carry version 1
    assert first.post(url, {**seen, "text__submit": "Send"}).status_code == 302
    refused = second.post(url, {**seen, "text__submit": "Submit answers"})
    assert_second_writer_refused(refused, mine="Submit answers", stored="Send")
    assert current_version(fathers).texts["en"]["submit"] == "Send"

    assert second.post(url, resend(refused)).status_code == 302
    assert current_version(fathers).texts["en"]["submit"] == "Submit answers"


def test_a_question_added_from_a_stale_page_gets_409(
    questionnaires: dict[str, Questionnaire], koordination: User
) -> None:
    fathers = questionnaires["fathers"]
    client = client_for(koordination)
    detail = client.get(reverse("feedback:questionnaire", args=[fathers.pk]))
    seen = detail.context["question_form"].initial["version"]
    remove = reverse("feedback:question_remove", args=[fathers.pk, "reflect_role"])
    assert client.post(remove, {"version": seen}).status_code == 302
    refused = client.post(
        reverse("feedback:question_add", args=[fathers.pk]),
        {"version": seen, "key": "come_again", "kind": "text", "label": "Kommen Sie wieder?"},
    )
    assert refused.status_code == 409
    assert "Kommen Sie wieder?" in html.unescape(refused.content.decode())
    assert not current_version(fathers).questions.filter(key="come_again").exists()
    stale_remove = client.post(
        reverse("feedback:question_remove", args=[fathers.pk, "recommend"]),
        {"version": seen},
        follow=True,
    )
    assert "inzwischen geändert" in stale_remove.content.decode()
    assert current_version(fathers).questions.filter(key="recommend").exists()


def _post(link: FeedbackLink) -> object:
    version = current_version(link.activity.format.feedback_default.questionnaire)
    url = reverse("feedback:respond", args=[link.code])
    return Client().post(url, {"v": version.pk, "q_reflect_role": "5"})


def test_it_takes_no_answers_for_an_activity_in_an_agreed_period(
    link: FeedbackLink, documenting: Agreement, koordination: User, fachkraft: User
) -> None:
    assert link_state(link) == LinkState.OPEN
    year = timezone.localdate(link.activity.starts_at).year
    agreed = evaluation_of_year(documenting, year, Evaluation.Status.AGREED)
    assert link_state(link) == LinkState.LOCKED
    assert Client().get(reverse("feedback:respond", args=[link.code])).status_code == 410
    assert _post(link).status_code == 410
    assert not Response.objects.exists()
    staff = client_for(fachkraft).get(reverse("feedback:activity", args=[link.activity.pk]))
    assert "der Zeitraum ist ausgewertet und gesperrt" in staff.content.decode()

    evaluation_reopen(evaluation=agreed, by=koordination, reason="Nachträge")
    assert _post(link).status_code == 302
    assert Response.objects.count() == 1

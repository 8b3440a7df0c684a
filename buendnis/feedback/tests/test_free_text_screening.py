"""Participants' free text is masked when stored and the results page says so (issue 12)."""

from django.urls import reverse

from buendnis.accounts.models import User
from buendnis.core.identifiers import find_identifiers
from buendnis.feedback.demo import FREE_TEXTS
from buendnis.feedback.models import Answer, FeedbackLink
from buendnis.feedback.tests.conftest import answer, client_for


def _five(link: FeedbackLink, text: str) -> None:
    for scale in ("5", "4", "4", "2", "1"):
        answer(link, reflect_role=scale, what_different=text)


def test_the_results_page_shows_masked_text_and_says_it_is_masked_and_deleted(
    link: FeedbackLink, fachkraft: User, settings: object
) -> None:
    settings.FEEDBACK_FREE_TEXT_RETENTION_DAYS = 365  # type: ignore[attr-defined]
    _five(link, "Danke an Herrn Karimi, ruft mich an: 0176 12345678")
    page = client_for(fachkraft).get(reverse("feedback:activity_results", args=[link.activity_id]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Danke an Herrn [Name entfernt], ruft mich an: [Telefonnummer entfernt]" in text
    assert "Karimi" not in text and "12345678" not in text
    assert "durch Platzhalter wie „[Name entfernt]“ ersetzt" in text
    assert "Freitext-Antworten werden nach 365 Tagen gelöscht." in text


def test_the_service_masks_before_storing(link: FeedbackLink) -> None:
    answer(link, what_different="Mein Name ist Leyla Demir, leyla.demir@web.de")
    assert Answer.objects.get().text == "Mein Name ist [Name entfernt], [E-Mail entfernt]"


def test_the_demo_free_texts_hold_no_identifiers() -> None:
    for text in FREE_TEXTS:
        assert find_identifiers(text) == [], text


def test_it_denies_other_organisation(link: FeedbackLink, outsider: User) -> None:
    _five(link, "Sehr gut")
    url = reverse("feedback:activity_results", args=[link.activity_id])
    assert client_for(outsider).get(url).status_code == 404

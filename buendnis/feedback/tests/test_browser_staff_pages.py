"""The staff pages of feedback pass axe: link and QR code, results, questionnaires."""

from collections.abc import Callable

import pytest

from buendnis.accounts.models import User
from buendnis.activities.models import Activity
from buendnis.conftest import PASSWORD, ScannedPage
from buendnis.feedback.models import Questionnaire
from buendnis.feedback.services import feedback_link_ensure
from buendnis.feedback.tests.conftest import answer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_keeps_the_staff_pages_accessible(
    make_activity: Callable[..., Activity],
    questionnaires: dict[str, Questionnaire],
    koordination: User,
    page: ScannedPage,
    live_server: object,
) -> None:
    activity = make_activity()
    link = feedback_link_ensure(activity=activity)
    for scale in "54421":
        answer(link, reflect_role=scale, what_different=f"Antwort {scale}")
    base = live_server.url  # type: ignore[attr-defined]
    page.goto(f"{base}/konto/anmelden/")
    page.get_by_label("Benutzername").fill("anna")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.goto(f"{base}/aktivitaeten/{activity.pk}/")
    page.get_by_role("link", name="Link, QR-Code und Aushang").click()
    assert page.locator("[data-short-link]").inner_text().endswith(f"/r/{link.code}/")
    page.get_by_role("link", name="Ergebnisse ansehen").click()
    assert page.get_by_text("Antwort 5").is_visible()
    page.goto(f"{base}/vereinbarungen/{activity.agreement.slug}/")
    page.get_by_role("link", name="Ergebnisse nach Jahr, Format und Ziel").click()
    assert page.locator("[data-question=reflect_role]").is_visible()
    page.get_by_role("link", name="Fragebögen").first.click()
    page.get_by_role("link", name="Rückmeldung zu Väterangeboten").click()
    page.get_by_role("link", name="Texte (fa) bearbeiten").click()
    assert page.get_by_label("Name der Sprache, in ihrer eigenen Schrift").input_value() == "فارسی"

"""The shared 409 page in a browser: both versions readable, the input kept, axe and vnu clean."""

import datetime
from collections.abc import Callable

import pytest
from django.urls import reverse

from buendnis.accounts.models import User
from buendnis.conftest import PASSWORD, HtmlChecker, ScannedPage
from buendnis.counselling import services
from buendnis.counselling.models import Contact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_conflict_page_shows_both_versions_and_saves_mine_on_request(
    page: ScannedPage,
    live_server: object,
    html_checker: HtmlChecker,
    make_contact: Callable[..., Contact],
    koordination: User,
) -> None:
    contact = make_contact(duration_minutes=30)
    edit = f"{live_server.url}{reverse('counselling:detail', args=[contact.pk])}"  # type: ignore[attr-defined]
    page.goto(
        f"{live_server.url}/konto/anmelden/?next={reverse('counselling:detail', args=[contact.pk])}"
    )  # type: ignore[attr-defined]
    page.get_by_label("Benutzername").fill("anna")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    assert page.url == edit  # type: ignore[attr-defined]

    # while Anna's form is open, Lena corrects the same record
    data = services.ContactData(
        date=contact.date,
        channel=contact.channel,
        sought_by=contact.sought_by,
        kind=contact.kind,
        duration_minutes=50,
        topic_ids=[t.pk for t in contact.topics.all()],
        languages=contact.languages,
    )
    services.contact_update(contact=contact, data=data, expected_version=1)

    page.get_by_label("Notiz").fill("Rückruf am Freitag")
    with page.expect_response(edit) as answer:  # type: ignore[attr-defined]
        page.get_by_role("button", name="Speichern").click()
    response = answer.value
    assert response.status == 409
    html_checker.check(response.body(), "409 conflict page")
    page.scan()
    assert page.get_by_role("heading", name="Gleichzeitige Änderung").is_visible()
    table = page.get_by_role("table", name="Beide Fassungen im Vergleich")
    duration = table.get_by_role("row", name="Dauer in Minuten")
    assert "abweichend" in duration.inner_text() and "50" in duration.inner_text()
    note = table.get_by_role("row", name="Notiz")
    assert "Rückruf am Freitag" in note.inner_text()

    page.get_by_role("button", name="Meine Fassung trotzdem speichern").click()
    assert page.get_by_text("Der Beratungskontakt ist gespeichert.").is_visible()
    contact.refresh_from_db()
    assert (contact.note, contact.duration_minutes, contact.version) == (
        "Rückruf am Freitag",
        30,
        3,
    )
    assert contact.date <= datetime.date.today()

"""In chromium (axe on every page): a coordinator invites a Fachkraft, who joins and signs in."""

import re

import pytest
from django.core import mail

from buendnis.accounts.models import Membership, Organisation, User
from buendnis.conftest import PASSWORD, ScannedPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "ein-langes-neues-kennwort"


def test_it_invites_a_fachkraft_who_sets_a_password_and_signs_in(
    page: ScannedPage, live_server: object, koordination: User, partner_org: Organisation
) -> None:
    page.goto(f"{live_server.url}/konto/anmelden/")  # type: ignore[attr-defined]
    page.get_by_label("Benutzername").fill("anna")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()

    page.get_by_role("navigation").get_by_role("link", name="Personen").click()
    assert page.get_by_role("heading", name="Personen", level=1).is_visible()
    page.get_by_role("link", name="Person einladen").click()
    page.get_by_label("E-Mail-Adresse").fill("lea@iaf.example")
    page.get_by_label("Rolle").select_option(label="Fachkraft")
    page.get_by_role("button", name="Einladung verschicken").click()
    assert page.get_by_text("Die Einladung an lea@iaf.example ist verschickt").is_visible()
    assert page.get_by_text("lea@iaf.example als Fachkraft").is_visible()
    page.get_by_role("button", name="Abmelden (anna)").click()

    (message,) = mail.outbox
    assert message.to == ["lea@iaf.example"]
    link = re.search(r"https?://\S+/konto/einladung/\S+/", message.body).group(0)
    page.goto(link)
    assert page.get_by_role("heading", name="Willkommen bei Bündnis").is_visible()
    page.get_by_label("Vorname").fill("Lea")
    page.get_by_label("Nachname").fill("Berger")
    page.get_by_label("Benutzername").fill("lea")
    page.get_by_label("Passwort", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Passwort wiederholen").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Konto anlegen").click()
    assert page.get_by_text("Ihr Konto ist angelegt").is_visible()

    page.get_by_label("Benutzername").fill("lea")
    page.get_by_label("Passwort").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    assert page.get_by_role("heading", name="Übersicht", level=1).is_visible()
    page.get_by_role("link", name="Mein Konto").click()
    assert page.get_by_text("Fachkraft – Verband binationaler Familien").is_visible()
    assert User.objects.get(username="lea").memberships.get().role == Membership.Role.FACHKRAFT

    # The link from the e-mail works only once.
    page.goto(link)
    assert page.get_by_role("heading", name="Dieser Link gilt nicht mehr").is_visible()


def test_it_keeps_the_admin_and_password_pages_accessible(
    page: ScannedPage, live_server: object, admin_user: User, fachkraft: User
) -> None:
    """axe scans each page: reset, organisations, people, a person, my account, password."""
    page.goto(f"{live_server.url}/konto/anmelden/")  # type: ignore[attr-defined]
    page.get_by_role("link", name="Passwort vergessen?").click()
    page.get_by_label("E-Mail-Adresse").fill("niemand@example.org")
    page.get_by_role("button", name="Link schicken").click()
    assert page.get_by_role("heading", name="Bitte sehen Sie in Ihr Postfach").is_visible()
    page.get_by_role("link", name="Zurück zur Anmeldung").click()

    page.get_by_label("Benutzername").fill("root")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("navigation").get_by_role("link", name="Organisationen").click()
    page.get_by_role(
        "link", name="Verband binationaler Familien und Partnerschaften, iaf e.V.", exact=True
    ).click()
    assert page.get_by_label("Kurzname").input_value() == "iaf e.V."
    page.get_by_role("link", name="Personen dieser Organisation").click()
    page.get_by_role("link", name="samir").click()
    page.get_by_role("button", name="Konto deaktivieren").click()
    assert page.get_by_role("button", name="Konto wieder aktivieren").is_visible()
    page.get_by_role("link", name="Mein Konto").click()
    page.get_by_role("link", name="Passwort ändern").click()
    page.get_by_label("Altes Passwort").fill("falsch")
    page.get_by_label("Neues Passwort", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Neues Passwort bestätigen").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Passwort ändern").click()
    assert page.get_by_role("alert").first.is_visible()
    assert not User.objects.get(username="samir").is_active

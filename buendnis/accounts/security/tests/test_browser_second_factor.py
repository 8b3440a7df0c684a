"""In a browser: a ministry officer enrols an authenticator and signs in with codes."""

import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from buendnis.accounts.models import User
from buendnis.accounts.security.tests.conftest import totp_code
from buendnis.agreements.models import Agreement
from buendnis.conftest import PASSWORD, ScannedPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_with_password(page: ScannedPage, base: str, username: str) -> None:
    page.goto(f"{base}/konto/anmelden/?next=/vereinbarungen/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


def sign_out(page: ScannedPage) -> None:
    page.get_by_role("button", name="Abmelden (referentin)").click()


def enter_code(page: ScannedPage, code: str) -> None:
    page.get_by_label("Code aus der App oder Wiederherstellungscode").fill(code)
    page.get_by_role("button", name="Bestätigen").click()


def test_it_enrols_and_signs_in_with_an_app_code_and_a_recovery_code_once(
    page: ScannedPage, live_server: Any, referentin: User, agreement: Agreement
) -> None:
    base = live_server.url
    sign_in_with_password(page, base, "referentin")
    # The role requires a second factor: enrolment comes before anything else.
    assert page.url.startswith(base + reverse("security:enrol"))
    assert page.get_by_role("img", name="QR-Code zum Einrichten der Authenticator-App").is_visible()
    secret = page.locator("#totp-secret").inner_text()
    enrolment_step = int(time.time() // 30)
    page.get_by_label("Code aus der App").fill(totp_code(secret))
    page.get_by_role("button", name="Einrichten").click()

    assert page.url == base + reverse("security:recovery_codes")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="Ich habe die Codes gesichert").click()
    assert page.url == base + "/vereinbarungen/"
    assert page.get_by_role("heading", level=1).inner_text() == "Integrationsvereinbarungen"

    # Next login: password, then a code from the app. The one used for enrolment cannot be
    # replayed: within the enrolment's period take the next one (as the app would show half a
    # minute later), otherwise the current one — however long the machine took.
    sign_out(page)
    sign_in_with_password(page, base, "referentin")
    assert page.url.startswith(base + reverse("security:verify"))
    same_step = int(time.time() // 30) == enrolment_step
    enter_code(page, totp_code(secret, offset_steps=1 if same_step else 0))
    assert page.url == base + "/vereinbarungen/"

    page.goto(base + reverse("security:overview"))
    assert page.get_by_text("noch 10 Wiederherstellungscodes").is_visible()

    # A recovery code works once ...
    sign_out(page)
    sign_in_with_password(page, base, "referentin")
    enter_code(page, codes[0])
    assert page.url == base + "/vereinbarungen/"

    # ... and only once.
    sign_out(page)
    sign_in_with_password(page, base, "referentin")
    enter_code(page, codes[0])
    assert page.url.startswith(base + reverse("security:verify"))
    assert page.get_by_role("alert").inner_text().startswith("Der Code stimmt nicht")
    page.goto(base + "/vereinbarungen/")
    assert page.url.startswith(base + reverse("security:verify"))


def test_the_admin_pages_pass_axe(
    page: ScannedPage, live_server: Any, admin_user: User, fachkraft: User
) -> None:
    for _ in range(10):
        Client(REMOTE_ADDR="203.0.113.7").post(
            reverse("accounts:login"), {"username": "samir", "password": "falsch"}
        )
    base = live_server.url
    page.goto(f"{base}/konto/anmelden/")
    page.get_by_label("Benutzername").fill("root")
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Code aus der App").fill(totp_code(secret))
    page.get_by_role("button", name="Einrichten").click()
    page.goto(base + reverse("security:manage"))
    assert page.get_by_role("row", name="Benutzername „samir“").is_visible()
    page.get_by_role("button", name="Entsperren – samir").click()
    assert page.get_by_text("Die Sperre ist aufgehoben.").is_visible()
    page.goto(base + reverse("security:overview"))
    assert page.get_by_role(
        "link", name="Sperren und Zwei-Faktor aller Konten verwalten"
    ).is_visible()


def test_it_shows_the_lock_after_ten_failures(
    page: ScannedPage, live_server: Any, fachkraft: User
) -> None:
    page.goto(f"{live_server.url}/konto/anmelden/")
    for _ in range(10):
        page.get_by_label("Benutzername").fill("samir")
        page.get_by_label("Passwort", exact=True).fill("falsch")
        page.get_by_role("button", name="Anmelden").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Anmeldung vorübergehend gesperrt"
    assert "15 Minuten gesperrt" in page.get_by_role("alert").inner_text()

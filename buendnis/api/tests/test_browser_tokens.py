"""In chromium (axe on every page): a coordinator creates a token, uses it, revokes it."""

import re

import pytest
from django.test import Client

from buendnis.accounts.models import User
from buendnis.conftest import PASSWORD, ScannedPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_creates_uses_and_revokes_a_token_and_lists_the_endpoints(
    page: ScannedPage, live_server: object, koordination: User
) -> None:
    page.goto(f"{live_server.url}/konto/anmelden/")  # type: ignore[attr-defined]
    page.get_by_label("Benutzername").fill("anna")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("link", name="Mein Konto").click()
    page.get_by_role("link", name="Neuen API-Schlüssel erstellen").click()
    page.get_by_label("Bezeichnung").fill("Terminverwaltung")
    page.get_by_label("Berechtigung").select_option(label="Lesen")
    page.get_by_role("button", name="Schlüssel erstellen").click()
    secret = page.locator("#api-token-secret").inner_text()
    assert re.fullmatch(r"bnd_[\w-]{40,}", secret)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert Client().get("/api/v1/agreements/", **bearer).status_code == 200

    page.get_by_role("link", name="Zurück zu „Mein Konto“").click()
    assert page.get_by_role("cell", name="Terminverwaltung", exact=True).is_visible()
    assert secret not in page.content()
    page.get_by_role("button", name="„Terminverwaltung“ widerrufen").click()
    assert page.get_by_text("ist widerrufen").is_visible()
    assert Client().get("/api/v1/agreements/", **bearer).status_code == 401

    page.goto(f"{live_server.url}/api/v1/docs/")  # type: ignore[attr-defined]
    operation = page.get_by_role("heading", name="GET /api/v1/activities/", exact=True)
    operation.wait_for()
    assert page.get_by_role("heading", name="POST /api/v1/activities/").is_visible()

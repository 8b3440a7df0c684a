"""In chromium (axe and vnu on every page): a coordinator pseudonymises a departed Fachkraft,
and a Fachkraft finds the download of their own account data."""

import pytest

from buendnis.accounts.models import Pseudonymisation, User
from buendnis.conftest import PASSWORD, ScannedPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: ScannedPage, live_server: object, username: str) -> None:
    page.goto(f"{live_server.url}/konto/anmelden/")  # type: ignore[attr-defined]
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


def test_it_pseudonymises_a_departed_fachkraft_after_a_confirmation(
    page: ScannedPage, live_server: object, koordination: User, fachkraft: User
) -> None:
    fachkraft.first_name, fachkraft.last_name = "Samir", "Haddad"
    fachkraft.save()
    _sign_in(page, live_server, "anna")
    page.get_by_role("navigation").get_by_role("link", name="Personen").click()
    page.get_by_role("link", name="Samir Haddad").click()
    page.get_by_role("link", name="Konto pseudonymisieren …").click()
    assert page.get_by_text("Das kann nicht rückgängig gemacht werden.").is_visible()

    page.get_by_role("button", name="Endgültig pseudonymisieren").click()
    assert page.get_by_text("Bitte bestätigen Sie").is_visible()
    assert not Pseudonymisation.objects.exists()

    page.get_by_label("Ich weiß, dass die Pseudonymisierung nicht rückgängig").check()
    page.get_by_role("button", name="Endgültig pseudonymisieren").click()
    record = Pseudonymisation.objects.get(user=fachkraft)
    name = f"ehemalige Fachkraft #{record.pk}"
    assert page.get_by_role("heading", name=name, level=1).is_visible()
    assert page.get_by_text("pseudonymisiert am").is_visible()


def test_it_offers_my_account_data_on_my_account(
    page: ScannedPage, live_server: object, fachkraft: User
) -> None:
    _sign_in(page, live_server, "samir")
    page.get_by_role("link", name="Mein Konto").click()
    link = page.get_by_role("link", name="Meine Kontodaten herunterladen (JSON)")
    assert link.get_attribute("href") == "/konto/daten/"

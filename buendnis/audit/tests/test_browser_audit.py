"""In chromium (axe and the HTML checker on every page): a coordinator reads and filters the log."""

import pytest

from buendnis.accounts.models import Organisation, User
from buendnis.conftest import PASSWORD, ScannedPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_lets_a_coordinator_read_and_filter_the_log(
    page: ScannedPage, live_server: object, koordination: User, partner_org: Organisation
) -> None:
    from buendnis.audit.context import acting_as

    with acting_as(koordination):
        Organisation.objects.filter(pk=partner_org.pk).first().save()
        koordination.first_name = "Anna"
        koordination.save()
    page.goto(f"{live_server.url}/konto/anmelden/")  # type: ignore[attr-defined]
    page.get_by_label("Benutzername").fill("anna")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()

    page.get_by_role("navigation").get_by_role("link", name="Protokoll").click()
    assert page.get_by_role("heading", name="Protokoll", level=1).is_visible()
    assert page.get_by_role("cell", name="angemeldet").first.is_visible()
    page.get_by_label("Aktion").select_option(label="angemeldet")
    page.get_by_role("button", name="Filtern").click()
    assert page.get_by_role("cell", name="angemeldet").first.is_visible()
    page.get_by_label("Aktion").select_option(label="gelöscht")
    page.get_by_role("button", name="Filtern").click()
    assert page.get_by_text("Keine Einträge.").is_visible()

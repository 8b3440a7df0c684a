"""End to end in Debian's chromium: sign in, open the agreement, read § 7 (axe on every page)."""

import json

import pytest
from django.core.management import call_command

from buendnis.conftest import ScannedPage
from buendnis.core.management.commands.demo import DEMO_PASSWORD, PORTFOLIO

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db: None) -> None:
    call_command("demo", "--no-serve")
    assert json.loads(PORTFOLIO.read_text(encoding="utf-8"))["agreements"]


def test_it_signs_in_opens_the_agreement_and_reads_paragraph_7(
    demo: None, page: ScannedPage, live_server: object
) -> None:
    page.goto(f"{live_server.url}/")  # type: ignore[attr-defined]
    assert page.get_by_role("heading", name="Offene Angebote").is_visible()
    page.get_by_role("link", name="Anmelden (für Mitarbeitende)").click()
    assert page.get_by_role("heading", name="Anmelden").is_visible()

    page.get_by_label("Benutzername").fill("fachkraft")
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()

    page.get_by_role("link", name="Integration braucht Partner").click()
    assert page.get_by_role("heading", name="Integration braucht Partner", level=1).is_visible()
    assert page.get_by_text("In Kraft seit 4. Juni 2019").is_visible()

    section = page.locator("#p7")
    assert section.get_by_role("heading").inner_text() == "§ 7 Dokumentation der Aktivitäten"
    assert "zeitnah dokumentiert" in section.inner_text()

    page.get_by_role("link", name="Verfahren ansehen").click()
    assert page.get_by_role("heading", name="Dokumentationsverfahren (§ 7)").is_visible()


def test_it_switches_to_english_and_signs_out(
    demo: None, page: ScannedPage, live_server: object
) -> None:
    page.goto(f"{live_server.url}/konto/anmelden/")  # type: ignore[attr-defined]
    page.get_by_role("button", name="English").click()
    assert page.get_by_role("heading", name="Sign in").is_visible()
    page.get_by_label("Username").fill("ministerium")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", name="Overview", level=1).is_visible()
    page.get_by_role("navigation").get_by_role("link", name="Agreements").click()
    assert page.get_by_role("heading", name="Integration agreements").is_visible()
    assert page.get_by_role(
        "link", name="Antisemitismus und Rassismus in der Migrationsgesellschaft"
    ).is_visible()
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_role("heading", name="Sign in").is_visible()

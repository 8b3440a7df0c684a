"""A ministry officer publishes 2025 of the iaf agreement; signed out, anyone downloads it."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from buendnis.agreements.models import Agreement
from buendnis.conftest import ScannedPage
from buendnis.opendata.models import Decision
from buendnis.opendata.tests.conftest import SLUG

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db: None) -> Agreement:
    """The demo, committed for this test: the live server reads it from its own thread."""
    call_command("demo", "--no-serve", stdout=io.StringIO())
    return Agreement.objects.get(slug=SLUG)


def test_an_officer_publishes_a_year_and_the_public_finds_it(
    page: ScannedPage, live_server, browser, demo: Agreement
) -> None:
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    page.get_by_label("Benutzername").fill("ministerium")
    page.get_by_label("Passwort").fill("buendnis-demo")
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Offene Daten"
    ).click()
    assert page.get_by_role("heading", name="Offene Daten veröffentlichen").is_visible()
    page.get_by_role("region", name=demo.title).get_by_role(
        "button", name="2025 veröffentlichen"
    ).click()
    assert page.get_by_text("Gespeichert.").is_visible()
    assert Decision.objects.get().published

    public = browser.new_context(locale="de-DE")
    raw = public.new_page()
    raw.set_default_timeout(10_000)
    visitor = ScannedPage(raw)
    visitor.goto(f"{live_server.url}{reverse('opendata:list')}")
    assert visitor.get_by_role("heading", name="Offene Daten", exact=True).is_visible()
    link = visitor.get_by_role("link", name=f"Alle Dateien als ZIP: {demo.title} 2025")
    assert link.get_attribute("href") == reverse("opendata:zip", args=[demo.slug, 2025])
    href = visitor.get_by_role("link", name="datapackage.json").get_attribute("href")
    descriptor = public.request.get(f"{live_server.url}{href}")
    assert descriptor.ok and '"licenses"' in descriptor.text()
    visitor.scan()
    public.close()

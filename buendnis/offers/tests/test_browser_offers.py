"""Issue 18's journey: a Fachkraft publishes a Väter-Café series with an Arabic and a Turkish
invitation; signed out, a 320 px phone finds it by Kreis and language, reads it in Arabic and
downloads the calendar entry."""

import icalendar
import pytest
from django.urls import reverse

from buendnis.conftest import PASSWORD, ScannedPage
from buendnis.offers.models import Offer
from buendnis.offers.tests.conftest import INVITATION

pytestmark = pytest.mark.browser


def test_staff_publish_a_series_and_a_phone_finds_it_in_arabic(
    page: ScannedPage, live_server, browser, fachkraft, cafe_series, partner_org
) -> None:
    from buendnis.offers.services import contact_save

    contact_save(organisation=partner_org, email="info@iaf-offenbach.example")
    first = cafe_series[0]
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    page.get_by_label("Benutzername").fill("samir")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.goto(f"{live_server.url}{reverse('activities:detail', args=[first.pk])}")
    page.get_by_role("link", name="Öffentlich einladen").click()
    page.get_by_label("Einladungstext (Deutsch)").fill(INVITATION.invitation)
    page.get_by_label("Adresse").fill(INVITATION.address)
    page.get_by_label("Barrierefreiheit").fill(INVITATION.accessibility)
    page.locator("#id_registration").select_option("required")
    page.get_by_label("Einladung auf العربية").fill(INVITATION.translations["ar"])
    page.get_by_label("Einladung auf Türkçe").fill(INVITATION.translations["tr"])
    page.get_by_role("button", name="Veröffentlichen").click()
    assert page.get_by_text("3 Termine sind öffentlich.").is_visible()
    assert Offer.objects.filter(public=True).count() == 3

    phone = browser.new_context(  # signed out, a small phone, German browser
        viewport={"width": 320, "height": 640}, locale="de-DE", accept_downloads=True
    )
    raw = phone.new_page()
    raw.set_default_timeout(10_000)
    mobile = ScannedPage(raw)
    mobile.goto(f"{live_server.url}/")
    assert mobile.get_by_role("heading", name="Offene Angebote").is_visible()
    mobile.get_by_label("Kreis oder Stadt").select_option(label="Offenbach am Main, Stadt")
    mobile.get_by_label("Gesprochene Sprache").select_option("ar")
    mobile.get_by_role("button", name="Anzeigen").click()
    assert "kreis=06413" in raw.url and "sprache=ar" in raw.url
    assert raw.locator("article.offer-card").count() == 3
    no_overflow = "() => document.documentElement.scrollWidth <= window.innerWidth"
    assert raw.evaluate(no_overflow)
    mobile.get_by_role("link", name="Väter-Café Offenbach").first.click()
    mobile.get_by_role("link", name="العربية").click()
    assert raw.locator("html").get_attribute("dir") == "rtl"
    assert raw.locator("html").get_attribute("lang") == "ar"
    assert mobile.get_by_text(INVITATION.translations["ar"]).is_visible()
    assert raw.evaluate(no_overflow)
    with raw.expect_download() as download_info:
        mobile.get_by_role("link", name="أضف إلى التقويم (.ics)").click()
    path = download_info.value.path()
    events = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Väter-Café Offenbach"]
    assert not phone.cookies()
    mobile.scan()
    phone.close()

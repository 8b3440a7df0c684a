"""Scenario 2: fathers answer on small phones in Arabic, Turkish and German; Samir reads it."""

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone

from buendnis.accounts.models import User
from buendnis.activities.models import Activity
from buendnis.conftest import PASSWORD, ScannedPage
from buendnis.feedback.models import Questionnaire, Response
from buendnis.feedback.services import feedback_link_ensure
from buendnis.feedback.tests.conftest import answer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}


def _phone(browser: object, locale: str) -> tuple[object, ScannedPage]:
    context = browser.new_context(locale=locale, **PHONE)  # type: ignore[attr-defined]
    page = ScannedPage(context.new_page())
    page.set_default_timeout(10_000)
    return context, page


def _fits_the_screen(page: ScannedPage) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def _check(page: ScannedPage, question: str, option: str) -> None:
    page.get_by_role("group", name=question).get_by_label(option, exact=True).check()


def test_it_takes_answers_in_arabic_turkish_and_german_and_shows_them_from_five(
    make_activity: Callable[..., Activity],
    questionnaires: dict[str, Questionnaire],
    fachkraft: User,
    browser: object,
    live_server: object,
) -> None:
    activity = make_activity(starts_at=timezone.now() - datetime.timedelta(hours=2))
    link = feedback_link_ensure(activity=activity)
    url = f"{live_server.url}/r/{link.code}/"  # type: ignore[attr-defined]

    # Ahmad: the phone speaks Arabic, so the form does, right to left.
    context, page = _phone(browser, "ar-SY")
    page.goto(url)
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
    assert _fits_the_screen(page)
    _check(page, "فكّرت في دوري كرجل وكأب.", "أوافق تمامًا")
    _check(page, "كيف عرفت بهذا النشاط؟", "من الأصدقاء أو العائلة أو المعارف")
    page.get_by_label("ما الذي ينبغي أن يكون مختلفًا؟").fill("لقاءات أطول من فضلكم")
    page.get_by_role("button", name="إرسال").click()
    assert page.get_by_text("شكرًا جزيلًا على رأيك!").is_visible()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert context.cookies() == []  # type: ignore[attr-defined]
    context.close()  # type: ignore[attr-defined]

    # A German phone, switched to Turkish with the picker.
    context, page = _phone(browser, "de-DE")
    page.goto(url)
    page.get_by_role("link", name="Türkçe").click()
    assert page.locator("html").get_attribute("lang") == "tr"
    assert _fits_the_screen(page)
    _check(page, "Bir erkek ve baba olarak rolüm üzerine düşündüm.", "büyük ölçüde katılıyorum")
    page.get_by_label("Neler farklı olmalı?").fill("Daha sık buluşalım")
    page.get_by_role("button", name="Gönder").click()
    assert page.get_by_text("Görüşünüz için çok teşekkür ederiz!").is_visible()
    context.close()  # type: ignore[attr-defined]

    context, page = _phone(browser, "de-DE")
    page.goto(url)
    assert page.locator("html").get_attribute("dir") == "ltr"
    _check(page, "Ich habe über meine Rolle als Mann und Vater nachgedacht.", "stimme eher zu")
    page.get_by_label("Was sollte anders sein?").fill("Mehr Zeit für Fragen")
    page.get_by_role("button", name="Absenden").click()
    assert page.get_by_text("Vielen Dank für Ihre Rückmeldung!").is_visible()
    context.close()  # type: ignore[attr-defined]
    assert Response.objects.filter(activity=activity).count() == 3

    staff = browser.new_context(locale="de-DE")  # type: ignore[attr-defined]
    page = ScannedPage(staff.new_page())
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/konto/anmelden/")  # type: ignore[attr-defined]
    page.get_by_label("Benutzername").fill("samir")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.goto(f"{live_server.url}/aktivitaeten/{activity.pk}/")  # type: ignore[attr-defined]
    page.get_by_role("link", name="Ergebnisse der Rückmeldung").click()
    assert page.get_by_text("Ergebnisse erscheinen ab 5 Rückmeldungen").is_visible()
    assert page.get_by_text("Daha sık buluşalım").count() == 0

    answer(link, reflect_role="2")
    answer(link, reflect_role="5", what_different="Kinderbetreuung wäre gut")
    page.reload()
    for text in ("لقاءات أطول من فضلكم", "Daha sık buluşalım", "Mehr Zeit für Fragen"):
        assert page.get_by_text(text).is_visible()
    reflect = page.locator("[data-question=reflect_role] tbody tr")
    counts = [reflect.nth(i).locator("td").first.inner_text() for i in range(5)]
    assert counts == ["0", "1", "0", "2", "2"]
    staff.close()

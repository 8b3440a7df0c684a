"""An old phone on a slow network: the public form stays small; its HTML is valid in every
language it offers."""

import datetime
import time
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from buendnis.activities.models import Activity
from buendnis.conftest import HtmlChecker, ScannedPage
from buendnis.feedback.models import Questionnaire
from buendnis.feedback.selectors import current_version
from buendnis.feedback.services import feedback_link_ensure
from buendnis.feedback.texts import languages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUDGET_BYTES = 100_000
SLOW_3G = {
    "offline": False,
    "latency": 400,  # ms
    "downloadThroughput": 50 * 1024,  # bytes per second
    "uploadThroughput": 50 * 1024,
}


def test_the_public_form_loads_under_100_kb_on_a_throttled_phone(
    make_activity: Callable[..., Activity],
    questionnaires: dict[str, Questionnaire],
    browser: object,
    live_server: object,
) -> None:
    activity = make_activity(starts_at=timezone.now() - datetime.timedelta(hours=2))
    link = feedback_link_ensure(activity=activity)
    context = browser.new_context(  # type: ignore[attr-defined]
        locale="ar-SY", viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True
    )
    raw = context.new_page()
    cdp = context.new_cdp_session(raw)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    transferred: dict[str, int] = {}
    cdp.on(
        "Network.loadingFinished",
        lambda event: transferred.__setitem__(event["requestId"], event["encodedDataLength"]),
    )
    page = ScannedPage(raw)

    started = time.monotonic()
    raw.goto(f"{live_server.url}/r/{link.code}/", wait_until="load")
    seconds = time.monotonic() - started  # reported, never asserted (shared machines vary)
    raw.wait_for_timeout(200)  # the last loadingFinished events
    total = sum(transferred.values())
    print(f"\npublic form: {total} bytes in {len(transferred)} requests, {seconds:.1f} s")
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})  # axe is not the phone's work
    page.scan()

    assert page.locator("html").get_attribute("dir") == "rtl"
    assert len(transferred) >= 2  # the page and its stylesheet
    assert total <= BUDGET_BYTES, total
    assert page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth"
    )  # still fits 320 px
    context.close()  # type: ignore[attr-defined]


def test_the_public_form_is_valid_html_in_every_language(
    make_activity: Callable[..., Activity],
    questionnaires: dict[str, Questionnaire],
    html_checker: HtmlChecker,
) -> None:
    activity = make_activity(starts_at=timezone.now() - datetime.timedelta(hours=2))
    link = feedback_link_ensure(activity=activity)
    version = current_version(activity.format.feedback_default.questionnaire)
    offered = [language.code for language in languages(version)]
    assert {"de", "en", "ar", "fa", "tr", "ru", "uk"} <= set(offered)
    client = Client()
    for code in offered:
        form = client.get(f"/r/{link.code}/?lang={code}")
        assert form.status_code == 200
        html_checker.check(form.content, f"form [{code}]")
        refused = client.post(f"/r/{link.code}/", {"v": version.pk, "lang": code})
        html_checker.check(refused.content, f"form without answers [{code}]")
    thanks = client.get(f"/r/{link.code}/danke/?lang=ar")
    html_checker.check(thanks.content, "thanks [ar]")

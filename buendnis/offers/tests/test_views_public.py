"""The public pages and feeds: signed out, cookie-free, cached, never showing participants."""

import json
import re
import xml.etree.ElementTree as ET  # our own feed, not untrusted input

import icalendar
import ics
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buendnis.activities.models import Activity
from buendnis.offers.models import Offer
from buendnis.offers.services import offer_cancel, offer_publish, offer_withdraw
from buendnis.offers.tests.conftest import INVITATION

ATOM = "{http://www.w3.org/2005/Atom}"


def public_urls(offer: Offer) -> list[str]:
    org = offer.activity.organisation_id
    return [
        "/",
        reverse("offers:list"),
        reverse("offers:detail", args=[offer.pk]),
        reverse("offers:ics", args=[offer.pk]),
        reverse("offers:organisation", args=[org]),
        reverse("offers:embed", args=[org]),
        reverse("offers:calendar"),
        reverse("offers:atom"),
    ]


def test_signed_out_the_landing_page_lists_the_offers(client, published, cafe_series):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Väter-Café Offenbach") >= 3
    assert 'lang="de"' in html


def test_signed_in_the_landing_page_stays_the_dashboard(client, fachkraft, published):
    client.force_login(fachkraft)
    response = client.get("/")
    assert response.status_code == 200
    assert "core/dashboard.html" in [t.name for t in response.templates]


def test_no_public_page_or_feed_sets_a_cookie(client, published):
    for url in public_urls(published[0]):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="ar")
        assert response.status_code == 200, url
        assert not response.cookies, url
        assert "Set-Cookie" not in response, url
    assert not client.cookies


def test_no_participant_data_appears_anywhere_public(client, published, cafe_series, fachkraft):
    Activity.objects.filter(pk__in=[a.pk for a in cafe_series]).update(
        participants=98765, first_timers=87654, reflection="GEHEIME-REFLEXION"
    )
    fachkraft.first_name, fachkraft.last_name = "Samirius", "Privatmann"
    fachkraft.email = "samir.privat@example.org"
    fachkraft.save()
    cache.clear()
    for url in public_urls(published[0]):
        body = client.get(url).content.decode()
        for secret in ("98765", "87654", "GEHEIME-REFLEXION", "Samirius", "Privatmann", "samir"):
            assert secret not in body, (url, secret)
        assert "meet.example" not in body


def test_a_non_public_activity_never_appears_anywhere_public(client, plan, published):
    hidden = plan(title="Interne Teamsitzung")
    withdrawn = published[2]
    offer_withdraw(activity=withdrawn.activity, whole_series=False)
    for url in public_urls(published[0]):
        body = client.get(url).content.decode()
        assert "Interne Teamsitzung" not in body, url
        assert f"offer-{withdrawn.activity_id}@" not in body, url
        assert reverse("offers:detail", args=[withdrawn.pk]) not in body, url
    assert client.get(reverse("offers:detail", args=[withdrawn.pk])).status_code == 404
    assert client.get(reverse("offers:ics", args=[withdrawn.pk])).status_code == 404
    assert hidden.pk not in Offer.objects.values_list("activity_id", flat=True)


def test_filters_by_kreis_and_language(client, published):
    found = client.get(reverse("offers:list"), {"kreis": "06413", "sprache": "ar"})
    assert found.content.decode().count('class="offer-card') == 3
    none = client.get(reverse("offers:list"), {"kreis": "06611"})
    assert 'class="offer-card' not in none.content.decode()
    ru = client.get(reverse("offers:list"), {"sprache": "ru"})
    assert 'class="offer-card' not in ru.content.decode()


def test_language_from_the_browser_or_the_switch_with_rtl(client, published):
    offer = published[0]
    url = reverse("offers:detail", args=[offer.pk])
    arabic = client.get(url, HTTP_ACCEPT_LANGUAGE="ar-SY,ar;q=0.9").content.decode()
    assert '<html lang="ar" dir="rtl">' in arabic
    assert INVITATION.translations["ar"] in arabic
    turkish = client.get(url, {"lang": "tr"}, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="tr" dir="ltr">' in turkish
    assert INVITATION.translations["tr"] in turkish
    farsi = client.get(url, {"lang": "fa"}).content.decode()
    assert '<html lang="fa" dir="rtl">' in farsi
    assert "فقط به زبان آلمانی" in farsi  # the German invitation, marked as such
    assert INVITATION.invitation in farsi
    for code in ("de", "en", "tr", "ar", "fa", "ru", "uk"):
        assert f'hreflang="{code}"' in arabic


def test_cached_pages_and_feeds_cost_no_query_and_answer_304(client, published, settings):
    # A cache outside the database (locmem here, Redis in production): a hit costs no query.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    for url in public_urls(published[0]):
        first = client.get(url)
        with CaptureQueriesContext(connection) as queries:
            again = client.get(url)
        assert len(queries) == 0, (url, [q["sql"] for q in queries])
        assert again.content == first.content
        etag = again["ETag"]
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
        since = again["Last-Modified"]
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=since).status_code == 304


def test_a_change_invalidates_the_cached_pages(client, published):
    url = reverse("offers:detail", args=[published[0].pk])
    before = client.get(url)
    activity = published[0].activity
    activity.title = "Väter-Café am Main"
    activity.save()
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "Väter-Café am Main" in after.content.decode()


def _events_by_icalendar(body: bytes) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(body)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def _events_by_ics(body: bytes) -> dict[str, ics.Event]:
    return {e.uid: e for e in ics.Calendar(body.decode()).events}


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"organisation": "ORG"},
        {"vereinbarung": "integration-braucht-partner"},
        {"kreis": "06413"},
        {"format": "FMT"},
    ],
)
def test_feeds_parse_with_two_parsers_and_keep_uids_raise_sequence_and_cancel(
    client, published, query
):
    offer = published[1]
    query = {
        k: {"ORG": offer.activity.organisation_id, "FMT": offer.activity.format_id}.get(v, v)
        for k, v in query.items()
    }
    url = reverse("offers:calendar")
    before = client.get(url, query).content
    first = _events_by_icalendar(before)
    second = _events_by_ics(before)
    assert set(first) == set(second)
    assert len(first) == 3
    uid = f"offer-{offer.activity_id}@buendnis.invalid"
    assert first[uid]["SUMMARY"] == "Väter-Café Offenbach"
    assert second[uid].name == "Väter-Café Offenbach"
    assert str(first[uid]["STATUS"]) == "CONFIRMED"
    sequence = int(first[uid]["SEQUENCE"])

    offer_publish(activity=offer.activity, data=INVITATION, whole_series=False)
    edited = _events_by_icalendar(client.get(url, query).content)
    assert set(edited) == set(first)
    assert int(edited[uid]["SEQUENCE"]) == sequence + 1

    offer_cancel(activity=offer.activity)
    after = client.get(url, query).content
    cancelled = _events_by_icalendar(after)
    assert set(cancelled) == set(first)
    assert str(cancelled[uid]["STATUS"]) == "CANCELLED"
    assert int(cancelled[uid]["SEQUENCE"]) == sequence + 2
    assert _events_by_ics(after)[uid].status == "CANCELLED"


def test_a_feed_for_another_kreis_is_empty(client, published):
    body = client.get(reverse("offers:calendar"), {"kreis": "06611"}).content
    assert _events_by_icalendar(body) == {}


def test_single_event_ics_download(client, published):
    offer = published[0]
    response = client.get(reverse("offers:ics", args=[offer.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    events = _events_by_icalendar(response.content)
    assert list(events) == [f"offer-{offer.activity_id}@buendnis.invalid"]
    assert len(_events_by_ics(response.content)) == 1


def _json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


def test_json_ld_is_a_schema_org_event(client, published):
    offer = published[0]
    data = _json_ld(client.get(reverse("offers:detail", args=[offer.pk])).content.decode())
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert isinstance(data["name"], str) and data["name"]
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$", data["startDate"])
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$", data["endDate"])
    assert data["startDate"] < data["endDate"]
    assert data["location"]["@type"] == "Place"
    assert data["location"]["address"]["@type"] == "PostalAddress"
    assert data["location"]["address"]["addressLocality"] == "Offenbach am Main, Stadt"
    assert data["organizer"]["@type"] == "Organization"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["inLanguage"] == ["de", "ar", "tr"]
    assert data["url"].endswith(reverse("offers:detail", args=[offer.pk]))
    offer_cancel(activity=offer.activity)
    cancelled = _json_ld(client.get(reverse("offers:detail", args=[offer.pk])).content.decode())
    assert cancelled["eventStatus"] == "https://schema.org/EventCancelled"


def test_atom_feed_lists_new_offers(client, published):
    response = client.get(reverse("offers:atom"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 3
    ids = {e.find(f"{ATOM}id").text for e in entries}
    assert len(ids) == 3
    assert all("Väter-Café Offenbach" in e.find(f"{ATOM}title").text for e in entries)


def test_the_embed_may_be_framed_only_by_configured_origins(client, published, settings):
    org = published[0].activity.organisation_id
    url = reverse("offers:embed", args=[org])
    settings.OFFERS_EMBED_ORIGINS = ["https://iaf.example.org"]
    response = client.get(url)
    assert "frame-ancestors https://iaf.example.org" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
    assert response.content.decode().count('class="offer-card') == 3
    settings.OFFERS_EMBED_ORIGINS = []
    cache.clear()
    assert "frame-ancestors 'none'" in client.get(url)["Content-Security-Policy"]
    listing = client.get(reverse("offers:list"))
    assert "frame-ancestors 'none'" in listing["Content-Security-Policy"]
    assert listing["X-Frame-Options"] == "DENY"


def test_unknown_offers_and_organisations_are_404(client, published, other_org):
    assert client.get(reverse("offers:detail", args=[99999])).status_code == 404
    assert client.get(reverse("offers:organisation", args=[other_org.pk])).status_code == 404
    assert client.get(reverse("offers:embed", args=[99999])).status_code == 404


def test_online_offers_give_the_link_only_on_request(client, plan, partner_org):
    import dataclasses

    activity = plan(online=True, kreis=None, title="Online-Vätertreff")
    offer = offer_publish(
        activity=activity,
        data=dataclasses.replace(
            INVITATION, address="", online_link="https://meet.example/geheim", registration="none"
        ),
    )[0]
    html = client.get(reverse("offers:detail", args=[offer.pk]), {"lang": "en"}).content.decode()
    assert "on request" in html
    assert "meet.example" not in html
    data = _json_ld(html)
    assert data["location"]["@type"] == "VirtualLocation"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"


def test_with_the_database_cache_a_hit_is_one_read_of_the_cache_table(client, published, settings):
    from django.core.management import call_command

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "offers_bench_cache",
        }
    }
    call_command("createcachetable", verbosity=0)
    for url in (reverse("offers:list"), reverse("offers:calendar")):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert len(queries) == 1
        assert "offers_bench_cache" in queries[0]["sql"]

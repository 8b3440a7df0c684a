"""Offers as iCalendar (RFC 5545), schema.org Event JSON-LD and an Atom feed.

Only public facts of an offer go out: title, times, place, languages, invitation,
organiser and its public contact. Never a participant count, never a staff member.
"""

import datetime
import json
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from buendnis.offers.models import Offer

PRODID = "-//Buendnis//Offene Angebote//DE"


def uid_domain() -> str:
    return urlsplit(settings.PUBLIC_URL).hostname or "buendnis.invalid"


def uid(offer: Offer) -> str:
    """Stable for the offer's life: its activity's id, never the title or times."""
    return f"offer-{offer.activity_id}@{uid_domain()}"


def place_text(offer: Offer) -> str:
    activity = offer.activity
    if activity.online:
        return "Online"
    parts = [activity.place_name, offer.address, activity.kreis.name if activity.kreis else ""]
    return ", ".join(p for p in parts if p)


def description(offer: Offer, lang: str = "de") -> str:
    text = offer.translations.get(lang) or offer.invitation if lang != "de" else offer.invitation
    lines = [text]
    for code, translated in sorted(offer.translations.items()):
        if code != lang:
            lines.append(f"[{code}] {translated}")
    if offer.accessibility:
        lines.append(f"Barrierefreiheit: {offer.accessibility}")
    return "\n\n".join(lines)


def calendar(offers: list[Offer], *, name: str, absolute: callable) -> bytes:
    """A VCALENDAR of the offers; ``absolute(offer)`` gives each offer's page URL."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for offer in offers:
        activity = offer.activity
        event = icalendar.Event()
        event.add("uid", uid(offer))
        event.add("dtstamp", offer.updated_at.astimezone(datetime.UTC))
        event.add("last-modified", offer.updated_at.astimezone(datetime.UTC))
        event.add("created", offer.published_at.astimezone(datetime.UTC))
        event.add("sequence", offer.sequence)
        event.add("dtstart", activity.starts_at.astimezone(datetime.UTC))
        event.add("dtend", activity.ends_at.astimezone(datetime.UTC))
        event.add("summary", activity.title)
        event.add("description", description(offer))
        event.add("location", place_text(offer))
        event.add("url", absolute(offer))
        event.add("status", "CANCELLED" if offer.cancelled else "CONFIRMED")
        event.add("categories", [activity.format.name])
        event.add("transp", "OPAQUE")
        cal.add_component(event)
    return cal.to_ical()


def json_ld(offer: Offer, *, url: str, organisation_url: str) -> str:
    """schema.org Event for the offer page, as a JSON string safe inside <script>."""
    activity = offer.activity
    if activity.online:
        location: dict = {"@type": "VirtualLocation", "url": url}
        mode = "https://schema.org/OnlineEventAttendanceMode"
    else:
        address = {
            "@type": "PostalAddress",
            "streetAddress": offer.address,
            "addressRegion": "Hessen",
            "addressCountry": "DE",
        }
        if activity.kreis:
            address["addressLocality"] = activity.kreis.name
        location = {
            "@type": "Place",
            "name": activity.place_name or place_text(offer),
            "address": address,
        }
        mode = "https://schema.org/OfflineEventAttendanceMode"
    organiser = {
        "@type": "Organization",
        "name": activity.organisation.name,
        "url": organisation_url,
    }
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": activity.title,
        "description": offer.invitation,
        "startDate": timezone.localtime(activity.starts_at).isoformat(),
        "endDate": timezone.localtime(activity.ends_at).isoformat(),
        "eventStatus": "https://schema.org/EventCancelled"
        if offer.cancelled
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": mode,
        "location": location,
        "organizer": organiser,
        "inLanguage": list(activity.languages or []),
        "isAccessibleForFree": True,
        "url": url,
    }
    text = json.dumps(data, ensure_ascii=False)
    # Never let the text close the script element it lives in.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def atom(offers: list[Offer], *, title: str, link: str, absolute: callable) -> bytes:
    """An Atom feed of offers, newest published first."""
    feed = Atom1Feed(
        title=title,
        link=link,
        description=title,
        language="de",
        feed_url=link,
    )
    for offer in sorted(offers, key=lambda o: (o.published_at, o.pk), reverse=True):
        activity = offer.activity
        when = timezone.localtime(activity.starts_at).strftime("%d.%m.%Y %H:%M")
        prefix = "Abgesagt: " if offer.cancelled else ""
        feed.add_item(
            title=f"{prefix}{activity.title} – {when}",
            link=absolute(offer),
            description=f"{offer.invitation}\n\n{when}, {place_text(offer)}",
            unique_id=f"tag:{uid_domain()},2026:offer-{offer.activity_id}",
            pubdate=offer.published_at,
            updateddate=offer.updated_at,
            author_name=activity.organisation.name,
            categories=[activity.format.name],
        )
    return feed.writeString("utf-8").encode()

"""Reads for the public pages: only public offers, only what a participant needs."""

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from buendnis.accounts.models import Organisation
from buendnis.activities.models import Activity, Format, Kreis
from buendnis.agreements.models import Agreement
from buendnis.offers.models import Offer

# Calendar feeds keep passed offers this long, so subscribed calendars do not lose them.
FEED_PAST_DAYS = 30
SHOWN_STATUSES = (Activity.Status.PLANNED, Activity.Status.CANCELLED)


@dataclass(frozen=True)
class OfferFilter:
    kreis: str = ""
    bezirk: str = ""
    language: str = ""
    format: int | None = None
    agreement: str = ""
    organisation: int | None = None

    def as_dict(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.__dict__.items() if v not in ("", None)}


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def filter_from(params: dict[str, str]) -> OfferFilter:
    """An ``OfferFilter`` from query parameters; unknown or malformed values are ignored."""
    return OfferFilter(
        kreis=(params.get("kreis") or "")[:5],
        bezirk=(params.get("bezirk") or "")[:40],
        language=(params.get("sprache") or "")[:8],
        format=_int(params.get("format")),
        agreement=(params.get("vereinbarung") or "")[:80],
        organisation=_int(params.get("organisation")),
    )


def public_offers() -> QuerySet[Offer]:
    """Every public offer with what its pages show (never a participant count)."""
    return Offer.objects.filter(public=True, activity__status__in=SHOWN_STATUSES).select_related(
        "activity__organisation__public_contact",
        "activity__format",
        "activity__kreis",
        "activity__agreement",
    )


def offers(
    *, chosen: OfferFilter = OfferFilter(), since: datetime.datetime | None = None
) -> list[Offer]:
    """Public offers ending after ``since`` (now by default), filtered, soonest first."""
    rows = public_offers().filter(activity__ends_at__gte=since or timezone.now())
    if chosen.kreis:
        rows = rows.filter(activity__kreis_id=chosen.kreis)
    if chosen.bezirk:
        rows = rows.filter(activity__kreis__regierungsbezirk=chosen.bezirk)
    if chosen.format:
        rows = rows.filter(activity__format_id=chosen.format)
    if chosen.agreement:
        rows = rows.filter(activity__agreement__slug=chosen.agreement)
    if chosen.organisation:
        rows = rows.filter(activity__organisation_id=chosen.organisation)
    result = list(rows.order_by("activity__starts_at", "id"))
    if chosen.language:
        # JSON list containment is not portable across SQLite and PostgreSQL; the list of
        # upcoming public offers is short.
        result = [o for o in result if chosen.language in (o.activity.languages or [])]
    return result


def feed_offers(chosen: OfferFilter) -> list[Offer]:
    """Offers for a calendar feed: upcoming ones and those of the last 30 days."""
    return offers(chosen=chosen, since=timezone.now() - datetime.timedelta(days=FEED_PAST_DAYS))


def offer(pk: int) -> Offer | None:
    return public_offers().filter(pk=pk).first()


@dataclass
class Choices:
    kreise: list[Kreis] = field(default_factory=list)
    bezirke: list[str] = field(default_factory=list)
    formats: list[Format] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)


def filter_choices() -> Choices:
    """What the filters offer: the values the upcoming public offers have."""
    upcoming = offers()
    activities = [o.activity for o in upcoming]
    kreise = {a.kreis_id: a.kreis for a in activities if a.kreis}
    return Choices(
        kreise=sorted(kreise.values(), key=lambda k: k.name),
        bezirke=sorted({k.regierungsbezirk for k in kreise.values()}),
        formats=sorted({a.format_id: a.format for a in activities}.values(), key=str),
        agreements=sorted({a.agreement_id: a.agreement for a in activities}.values(), key=str),
        languages=sorted({code for a in activities for code in (a.languages or [])}),
    )


def organisations_with_offers() -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        activities__offer__public=True,
        activities__status__in=SHOWN_STATUSES,
        activities__ends_at__gte=timezone.now(),
    ).distinct()


def staff_offer(activity: Activity) -> Offer | None:
    return Offer.objects.filter(activity=activity).first()


def series_sessions(
    activity: Activity, statuses: tuple[str, ...] = (Activity.Status.PLANNED,)
) -> list[Activity]:
    """The activity and the later sessions of its series (just the activity if none)."""
    if activity.series_id is None:
        return [activity]
    later = Activity.objects.filter(
        series_id=activity.series_id,
        status__in=statuses,
        starts_at__gte=activity.starts_at,
        starts_at__gt=timezone.now(),
    ).order_by("starts_at", "id")
    sessions = list(later)
    if activity not in sessions:
        sessions.insert(0, activity)
    return sessions

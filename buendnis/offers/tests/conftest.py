"""Fixtures for public offers: a Väter-Café series planned in the future, published."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from buendnis.accounts.models import Organisation, User
from buendnis.activities.models import Activity
from buendnis.activities.services import activity_create, activity_next_session
from buendnis.activities.tests.conftest import documenting, fathers_evening  # noqa: F401
from buendnis.agreements.models import Agreement
from buendnis.offers.services import OfferData, contact_save, offer_publish


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def soon(days: int = 7, hour: int = 18) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def plan(
    documenting: Agreement,  # noqa: F811
    partner_org: Organisation,
    fachkraft: User,
) -> Callable[..., Activity]:
    """A planned activity in the future (a Väter-Café in Offenbach by default)."""

    def make(**overrides: Any) -> Activity:
        overrides.setdefault("starts_at", soon())
        overrides.setdefault("participants", 0)
        overrides.setdefault("first_timers", 0)
        overrides.setdefault("reach", {})
        overrides.setdefault("reflection", "")
        return activity_create(
            agreement=documenting,
            organisation=partner_org,
            data=fathers_evening(documenting, **overrides),
            status=Activity.Status.PLANNED,
            responsible=fachkraft,
        )

    return make


INVITATION = OfferData(
    invitation="Väter treffen sich bei Tee und Gebäck und reden über das Vatersein.",
    translations={
        "ar": "يلتقي الآباء على الشاي والحلويات ويتحدثون عن الأبوة.",
        "tr": "Babalar çay ve kurabiye eşliğinde buluşup babalık üzerine konuşuyor.",
    },
    address="Bieberer Straße 12, 63065 Offenbach",
    accessibility="Stufenloser Zugang",
    registration="required",
    registration_note="Bis zum Vortag.",
)


@pytest.fixture
def cafe_series(plan: Callable[..., Activity], partner_org: Organisation) -> list[Activity]:
    """Three weekly sessions of one series, all planned."""
    first = plan()
    second = activity_next_session(activity=first)
    third = activity_next_session(activity=second)
    first.refresh_from_db()
    return [first, second, third]


@pytest.fixture
def published(cafe_series: list[Activity], partner_org: Organisation) -> list:
    contact_save(organisation=partner_org, email="info@iaf-offenbach.example", phone="069 123456")
    return offer_publish(activity=cafe_series[0], data=INVITATION)

"""Fixtures for § 7 documentation: an agreement ready to document, and activities."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from buendnis.accounts.models import Organisation, User
from buendnis.activities.models import Activity, Format, Kreis, ReachCategory
from buendnis.activities.reach import field_name
from buendnis.activities.services import ActivityData, activity_create, documentation_setup
from buendnis.agreements.models import Agreement, Goal
from buendnis.agreements.services import procedure_create_version

REQUIRED = ["title", "format", "start", "end", "location", "goals", "reach", "reflection"]
OFFENBACH = "06413"


@pytest.fixture
def documenting(agreement: Agreement) -> Agreement:
    """The founding agreement with formats, reach categories, two goals and a procedure."""
    documentation_setup(agreement=agreement, on=datetime.date(2019, 6, 4))
    procedure_create_version(agreement=agreement, deadline_days=14, required_fields=REQUIRED)
    Goal.objects.create(agreement=agreement, code="Z1", title="Väter reflektieren ihre Rolle")
    Goal.objects.create(agreement=agreement, code="Z2", title="Begegnung ermöglichen")
    return agreement


def category(agreement: Agreement, dimension: str, key: str) -> ReachCategory:
    return ReachCategory.objects.get(agreement=agreement, dimension=dimension, key=key)


def reach(agreement: Agreement, **counts: int) -> dict[int, int]:
    """``reach(a, group_fathers=11, migration_own=8)`` as ``{category id: count}``."""
    result = {}
    for name, count in counts.items():
        dimension, key = name.split("_", 1)
        result[category(agreement, dimension, key).pk] = count
    return result


def fathers_evening(agreement: Agreement, **overrides: Any) -> ActivityData:
    """Samir's Väter-Café in Offenbach: 11 fathers, 3 new, 8 with own migration experience."""
    start = overrides.pop("starts_at", timezone.make_aware(datetime.datetime(2026, 11, 24, 19)))
    values: dict[str, Any] = {
        "format": Format.objects.get(agreement=agreement, key="vaetergruppe"),
        "title": "Väter-Café Offenbach",
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=2),
        "kreis": Kreis.objects.get(pk=OFFENBACH),
        "place_name": "Stadtteilzentrum",
        "languages": ["de", "ar", "tr"],
        "goals": list(agreement.goals.all()[:1]),
        "participants": 11,
        "first_timers": 3,
        "reflection": "Vater sein in zwei Kulturen – lebhaft.",
        "reach": reach(
            agreement, group_fathers=11, migration_own=8, migration_family=1, migration_none=2
        ),
    }
    values.update(overrides)
    return ActivityData(**values)


@pytest.fixture
def make_activity(
    documenting: Agreement, partner_org: Organisation, fachkraft: User
) -> Callable[..., Activity]:
    def make(status: str = Activity.Status.DOCUMENTED, **overrides: Any) -> Activity:
        documented_at = overrides.pop("documented_at", None)
        return activity_create(
            agreement=documenting,
            organisation=partner_org,
            data=fathers_evening(documenting, **overrides),
            status=status,
            responsible=fachkraft,
            documented_at=documented_at,
        )

    return make


def form_data(activity_data: ActivityData, agreement: Agreement, **extra: Any) -> dict[str, Any]:
    """The POST body the documentation form sends for this data."""
    local = timezone.localtime
    data: dict[str, Any] = {
        "title": activity_data.title,
        "format": activity_data.format.pk,
        "starts_at": local(activity_data.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": local(activity_data.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "kreis": activity_data.kreis.pk if activity_data.kreis else "",
        "place_name": activity_data.place_name,
        "languages": activity_data.languages,
        "goals": [g.pk for g in activity_data.goals],
        "participants": activity_data.participants,
        "first_timers": activity_data.first_timers,
        "reflection": activity_data.reflection,
    }
    for cat in ReachCategory.objects.filter(agreement=agreement):
        data[field_name(cat)] = activity_data.reach.get(cat.pk, 0)
    data.update(extra)
    return data

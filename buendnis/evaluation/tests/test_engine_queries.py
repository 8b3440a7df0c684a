"""The engine aggregates in the database: its query count does not grow with the activities."""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from buendnis.accounts.models import Organisation
from buendnis.activities.models import Activity, Format, NetworkPartner
from buendnis.activities.services import network_partner_add
from buendnis.activities.tests import conftest as activity_fixtures
from buendnis.activities.tests.conftest import reach
from buendnis.agreements.models import Agreement, Goal, Indicator
from buendnis.evaluation.engine import indicator_values
from buendnis.evaluation.periods import calendar_year

documenting = activity_fixtures.documenting
make_activity = activity_fixtures.make_activity
YEAR = calendar_year(2025)
TODAY = datetime.date(2026, 11, 29)
# One indicator per source and metric, with the filters that make the queries heaviest.
INDICATORS: list[tuple[str, dict[str, Any]]] = [
    ("activities", {"metric": "count", "formats": ["vaetergruppe"], "goals": ["Z1"]}),
    ("activities", {"metric": "participants", "online": False, "kreise": ["06413"]}),
    ("activities", {"metric": "staff_hours"}),
    ("reach", {"metric": "unduplicated", "groups": ["fathers"], "migration": ["own"]}),
    ("reach", {"metric": "first_time", "groups": ["multipliers"], "sectors": ["education"]}),
    ("reach", {"metric": "attendances"}),
    ("counselling", {"metric": "contacts", "topics": ["Familiennachzug"]}),
    ("feedback", {"metric": "share_agree", "question": "recommend"}),
    ("network", {"metric": "active_partners"}),
    ("network", {"metric": "joint_activities", "goals": ["Z2"]}),
    ("timeliness", {"metric": "share_within_deadline"}),
    ("timeliness", {"metric": "median_lag_days"}),
    ("evaluation", {"metric": "held_within_12_months"}),
    ("manual", {}),
]


def _indicators(agreement: Agreement) -> None:
    for number, (source, filter) in enumerate(INDICATORS, start=1):
        Indicator.objects.create(
            agreement=agreement,
            code=f"Q{number}",
            name=source,
            unit="Anzahl",
            level=1,
            yearly_target=Decimal(10),
            source=source,
            filter=filter,
        )


def _activities(
    make: Callable[..., Activity],
    agreement: Agreement,
    partners: list[NetworkPartner],
    numbers: range,
) -> None:
    """Varied activities: two goals, partners, statuses and documentation lags."""
    goals = list(Goal.objects.filter(agreement=agreement).order_by("code"))
    qualifizierung = Format.objects.get(agreement=agreement, key="qualifizierung")
    for index in numbers:
        start = timezone.make_aware(datetime.datetime(2025, 1 + index % 12, 1 + index % 28, 18))
        extra: dict[str, Any] = {}
        if index % 3 == 0:
            extra = {
                "format": qualifizierung,
                "reach": reach(
                    agreement,
                    group_multipliers=11,
                    migration_own=11,
                    sector_education=6,
                    sector_company=5,
                ),
            }
        make(
            status="held" if index % 5 == 0 else "documented",
            starts_at=start,
            documented_at=start + datetime.timedelta(days=index % 20),
            goals=goals[: 1 + index % 2],
            network_partners=partners[: index % 3],
            staff_hours=Decimal("2.5"),
            **extra,
        )


def _queries(agreement: Agreement) -> tuple[int, list[Any]]:
    with CaptureQueriesContext(connection) as context:
        values = indicator_values(agreement=agreement, period=YEAR, today=TODAY)
    return len(context), values


def test_its_query_count_does_not_grow_with_the_number_of_activities(
    documenting: Agreement, make_activity: Callable[..., Activity], partner_org: Organisation
) -> None:
    for name in ("Jugendamt", "Jobcenter"):
        network_partner_add(organisation=partner_org, name=name, sector="other")
    partners = list(NetworkPartner.objects.filter(organisation=partner_org).order_by("name"))
    _indicators(documenting)
    _activities(make_activity, documenting, partners, range(5))
    few, values = _queries(documenting)
    assert (values[0].actual, values[2].actual) == (3, Decimal("12.5"))
    # One query for the indicators, then a few per indicator and period (this one and the last).
    assert few <= 1 + 2 * 3 * len(INDICATORS)
    _activities(make_activity, documenting, partners, range(5, 60))
    many, values = _queries(documenting)
    assert values[0].actual == 40  # the counts grew, the queries did not
    assert many == few


def test_it_asks_the_same_question_once(
    documenting: Agreement, make_activity: Callable[..., Activity], partner_org: Organisation
) -> None:
    _indicators(documenting)
    _activities(make_activity, documenting, [], range(5))
    once, values = _queries(documenting)
    # A second indicator with the first one's source and filter, under another code.
    source, filter = INDICATORS[0]
    Indicator.objects.create(
        agreement=documenting,
        code="Q99",
        name="dieselbe Frage",
        unit="Anzahl",
        level=1,
        yearly_target=Decimal(10),
        source=source,
        filter=filter,
    )
    twice, more = _queries(documenting)
    assert twice == once
    by_code = {value.code: value for value in more}
    assert by_code["Q99"].actual == by_code["Q1"].actual == values[0].actual == 3
    assert by_code["Q99"].previous == by_code["Q1"].previous


def test_it_still_reads_manual_values_per_indicator(documenting: Agreement) -> None:
    from buendnis.evaluation.engine import Measures, measured

    for code in ("M1", "M2"):
        Indicator.objects.create(
            agreement=documenting,
            code=code,
            name="manuell",
            unit="Anzahl",
            level=1,
            source="manual",
        )
    first, second = Indicator.objects.filter(code__in=["M1", "M2"]).order_by("code")
    taken: Measures = {}
    measured(first, YEAR, TODAY, taken)
    measured(second, YEAR, TODAY, taken)
    assert len(taken) == 2  # manual values are the indicator's own: never shared

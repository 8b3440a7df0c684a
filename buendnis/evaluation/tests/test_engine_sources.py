"""Each indicator source on small hand-made data: what counts, what does not, edge cases."""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from buendnis.accounts.models import Organisation
from buendnis.activities.models import Activity, Format, NetworkPartner
from buendnis.activities.services import network_partner_add
from buendnis.activities.tests import conftest as activity_fixtures
from buendnis.activities.tests.conftest import reach
from buendnis.agreements.models import (
    Agreement,
    DocumentationProcedure,
    Goal,
    Indicator,
    IndicatorTarget,
)
from buendnis.counselling.models import Contact
from buendnis.evaluation.engine import IndicatorValue, Status, indicator_value
from buendnis.evaluation.models import Evaluation
from buendnis.evaluation.periods import RANGE, Period, calendar_year
from buendnis.feedback.models import Answer, Question, Questionnaire, Response

Y2025 = calendar_year(2025)
Y2026 = calendar_year(2026)
TODAY = datetime.date(2026, 11, 29)
# The § 7 fixtures: an agreement ready to document (deadline 14 days) and Samir's activities.
documenting = activity_fixtures.documenting
make_activity = activity_fixtures.make_activity
MakeActivity = Callable[..., Activity]


def at(year: int, month: int, day: int, hour: int = 18, minute: int = 0) -> datetime.datetime:
    """A local (Europe/Berlin) time."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def indicator(agreement: Agreement, source: str, unit: str = "Anzahl", **filter: Any) -> Indicator:
    return Indicator.objects.create(
        agreement=agreement,
        code=f"T{Indicator.objects.count() + 1}",
        name="Testindikator",
        unit=unit,
        level=1,
        source=source,
        filter=filter,
    )


def value(ind: Indicator, period: Period = Y2025, today: datetime.date = TODAY) -> IndicatorValue:
    return indicator_value(indicator=ind, period=period, today=today)


def actual(agreement: Agreement, source: str, period: Period = Y2025, **filter: Any) -> Any:
    return value(indicator(agreement, source, **filter), period).actual


# --- activities ---------------------------------------------------------------------


def test_it_counts_held_documented_and_reviewed_activities_only(
    documenting: Agreement, make_activity: MakeActivity
) -> None:
    for status in Activity.Status.values:
        make_activity(status=status, starts_at=at(2025, 3, 4))
    make_activity(starts_at=at(2024, 3, 4))
    result = value(indicator(documenting, "activities", metric="count"))
    assert (result.actual, result.detail) == (3, {"activities": 3})


def test_it_sums_attendances_and_staff_hours(
    documenting: Agreement, make_activity: MakeActivity
) -> None:
    make_activity(starts_at=at(2025, 3, 4), staff_hours=Decimal("2.5"))
    make_activity(
        starts_at=at(2025, 5, 6),
        participants=5,
        first_timers=1,
        reach=reach(documenting, group_fathers=5, migration_own=5),
        staff_hours=Decimal("1.25"),
    )
    make_activity(status="planned", starts_at=at(2025, 6, 1), staff_hours=Decimal(9))
    assert actual(documenting, "activities", metric="participants") == 16
    assert actual(documenting, "activities", metric="staff_hours") == Decimal("3.75")


def test_it_narrows_activities_by_format_goal_place_and_online(
    documenting: Agreement, make_activity: MakeActivity
) -> None:
    z1, z2 = Goal.objects.filter(agreement=documenting).order_by("code")
    workshop = Format.objects.get(agreement=documenting, key="workshop")
    make_activity(starts_at=at(2025, 3, 4), format=workshop, goals=[z1, z2])
    make_activity(starts_at=at(2025, 3, 5), goals=[z2], online=True, kreis=None)
    make_activity(starts_at=at(2025, 3, 6), goals=[z1])
    count = {"metric": "count"}
    assert actual(documenting, "activities", **count, formats=["workshop"]) == 1
    assert actual(documenting, "activities", **count, goals=["Z1"]) == 2
    assert actual(documenting, "activities", **count, goals=["Z1", "Z2"]) == 3
    assert actual(documenting, "activities", **count, online=True) == 1
    assert actual(documenting, "activities", **count, online=False) == 2
    assert actual(documenting, "activities", **count, kreise=["06413"]) == 2
    assert actual(documenting, "activities", **count, kreise=["06435"]) == 0
    assert actual(documenting, "activities", **count, formats=["workshop"], goals=["Z2"]) == 1
    both = {"formats": ["workshop", "vaetergruppe"], "goals": ["Z2"]}
    assert actual(documenting, "activities", **count, **both) == 2


def test_it_places_activities_in_years_by_the_local_day_in_berlin(
    documenting: Agreement, make_activity: MakeActivity
) -> None:
    make_activity(starts_at=at(2025, 1, 1, 0, 15))  # 2024-12-31 23:15 UTC
    make_activity(starts_at=at(2025, 12, 31, 21, 30))
    make_activity(starts_at=at(2026, 1, 1, 0, 30))  # 2025-12-31 23:30 UTC
    ind = indicator(documenting, "activities", metric="count")
    assert value(ind, Y2025).actual == 2
    assert value(ind, Y2026).actual == 1
    assert (
        value(ind, Period(RANGE, datetime.date(2025, 12, 31), datetime.date(2026, 1, 1))).actual
        == 2
    )


def test_it_reports_an_unknown_metric_or_a_malformed_filter_as_no_data(
    documenting: Agreement, make_activity: MakeActivity
) -> None:
    make_activity(starts_at=at(2025, 3, 4))
    unknown = value(indicator(documenting, "activities", metric="sessions"))
    assert (unknown.actual, unknown.status) == (None, Status.NO_DATA)
    assert "sessions" in unknown.note
    malformed = value(indicator(documenting, "activities", metric="count", formats="workshop"))
    assert (malformed.actual, malformed.status) == (None, Status.NO_DATA)
    assert "formats" in malformed.note
    assert value(indicator(documenting, "activities", metric="count", online="ja")).actual is None


# --- reach --------------------------------------------------------------------------


def test_it_sums_first_timers_as_people_reached_without_categories(
    documenting: Agreement, make_activity: MakeActivity
) -> None:
    make_activity(starts_at=at(2025, 3, 4))
    make_activity(starts_at=at(2025, 3, 11), first_timers=2)
    make_activity(status="planned", starts_at=at(2025, 3, 18))
    assert actual(documenting, "reach", metric="unduplicated") == 5
    assert actual(documenting, "reach", metric="first_time") == 5
    assert actual(documenting, "reach", metric="attendances") == 22


def test_it_estimates_a_groups_share_and_rounds_half_up(
    documenting: Agreement, make_activity: MakeActivity
) -> None:
    make_activity(
        starts_at=at(2025, 3, 4),
        participants=4,
        first_timers=1,
        reach=reach(documenting, group_fathers=2, group_men=2, migration_none=4),
    )
    make_activity(
        starts_at=at(2025, 3, 11),
        participants=4,
        first_timers=4,
        reach=reach(documenting, group_fathers=4, migration_none=4),
    )
    assert actual(documenting, "reach", metric="unduplicated", groups=["fathers"]) == 5  # 4.5
    assert actual(documenting, "reach", metric="unduplicated", groups=["men"]) == 1  # 0.5
    assert actual(documenting, "reach", metric="unduplicated", groups=["children"]) == 0


def test_it_multiplies_the_shares_of_group_and_migration(
    documenting: Agreement, make_activity: MakeActivity
) -> None:
    make_activity(
        starts_at=at(2025, 3, 4),
        participants=10,
        first_timers=5,
        reach=reach(documenting, group_fathers=6, group_men=4, migration_none=5, migration_own=5),
    )
    none = {"migration": ["none"]}
    assert actual(documenting, "reach", metric="unduplicated", **none) == 3  # 2.5
    assert actual(documenting, "reach", metric="unduplicated", groups=["fathers"], **none) == 2
    assert actual(documenting, "reach", metric="attendances", groups=["fathers"], **none) == 3


def test_it_lets_sectors_replace_the_multiplier_group(
    documenting: Agreement, make_activity: MakeActivity
) -> None:
    make_activity(
        starts_at=at(2025, 3, 4),
        participants=10,
        first_timers=10,
        reach=reach(
            documenting,
            group_multipliers=8,
            group_fathers=2,
            migration_unknown=10,
            sector_administration=6,
            sector_education=2,
        ),
    )
    sectors = {"groups": ["multipliers"], "sectors": ["administration"]}
    assert actual(documenting, "reach", metric="unduplicated", **sectors) == 6
    assert actual(documenting, "reach", metric="unduplicated", groups=["multipliers"]) == 8


def test_it_counts_activities_without_participants_as_nobody(
    documenting: Agreement, make_activity: MakeActivity
) -> None:
    make_activity(status="held", starts_at=at(2025, 3, 4), participants=0, first_timers=0, reach={})
    ind = indicator(documenting, "reach", metric="unduplicated", groups=["fathers"])
    assert (value(ind).actual, value(ind).detail) == (0, {"activities": 0})
    make_activity(starts_at=at(2025, 3, 11))
    assert (value(ind).actual, value(ind).detail) == (3, {"activities": 1})


def test_it_applies_activity_filters_to_reach(
    documenting: Agreement, make_activity: MakeActivity
) -> None:
    workshop = Format.objects.get(agreement=documenting, key="workshop")
    make_activity(starts_at=at(2025, 3, 4), format=workshop)
    make_activity(starts_at=at(2025, 3, 11), first_timers=5)
    filters = {"groups": ["fathers"], "formats": ["workshop"]}
    assert actual(documenting, "reach", metric="unduplicated", **filters) == 3


def test_it_reports_a_malformed_category_filter(documenting: Agreement) -> None:
    result = value(indicator(documenting, "reach", metric="unduplicated", groups="fathers"))
    assert (result.actual, result.status) == (None, Status.NO_DATA)
    assert value(indicator(documenting, "reach", metric="people")).actual is None


# --- counselling --------------------------------------------------------------------


def _contact(agreement: Agreement, day: datetime.date, **fields: Any) -> Contact:
    values = {"channel": "phone", "sought_by": "family", "kind": "legal", "duration_minutes": 30}
    organisation = agreement.partners.get(role="partner").organisation
    return Contact.objects.create(
        agreement=agreement, organisation=organisation, date=day, **{**values, **fields}
    )


def test_it_counts_counselling_contacts_of_the_period(documenting: Agreement) -> None:
    assert actual(documenting, "counselling", metric="contacts") == 0
    _contact(documenting, datetime.date(2025, 1, 1))
    _contact(documenting, datetime.date(2025, 12, 31), duration_minutes=45)
    _contact(documenting, datetime.date(2026, 1, 1))
    _contact(documenting, datetime.date(2025, 6, 1), kind="psychosocial", sought_by="professional")
    assert actual(documenting, "counselling", metric="contacts") == 3
    assert actual(documenting, "counselling", metric="contacts", kinds=["legal"]) == 2
    assert actual(documenting, "counselling", metric="contacts", sought_by=["professional"]) == 1
    assert actual(documenting, "counselling", metric="minutes", kinds=["legal"]) == 75
    result = value(indicator(documenting, "counselling", metric="calls"))
    assert (result.actual, result.status) == (None, Status.NO_DATA)
    assert "calls" in result.note


# --- feedback -----------------------------------------------------------------------


def _answers(
    agreement: Agreement, activity: Activity, scales: dict[datetime.date, list[int]]
) -> None:
    questionnaire = Questionnaire.objects.create(agreement=agreement, key="kurz", name="Kurz")
    version = questionnaire.versions.create(number=1)
    question = Question.objects.create(version=version, key="recommend", kind="scale")
    for day, points in scales.items():
        for point in points:
            response = Response.objects.create(
                agreement=agreement, activity=activity, version=version, submitted_on=day
            )
            Answer.objects.create(response=response, question=question, scale=point)


def test_it_gives_the_share_of_agreeing_answers_with_its_counts(
    documenting: Agreement, make_activity: MakeActivity, settings: Any
) -> None:
    activity = make_activity(starts_at=at(2025, 3, 4))
    _answers(
        documenting,
        activity,
        {
            datetime.date(2025, 1, 1): [5, 4],
            datetime.date(2025, 6, 1): [3, 1],
            datetime.date(2025, 12, 31): [4, 5],
            datetime.date(2026, 1, 1): [1, 1, 1],
        },
    )
    settings.FEEDBACK_MIN_RESPONSES = 6
    ind = indicator(documenting, "feedback", unit="%", metric="share_agree", question="recommend")
    result = value(ind)
    assert (result.actual, result.detail, result.rate) == (
        Decimal("66.7"),
        {"agree": 4, "total": 6},
        True,
    )
    settings.FEEDBACK_MIN_RESPONSES = 7
    too_few = value(ind)
    assert (too_few.actual, too_few.status) == (None, Status.NO_DATA)
    assert too_few.detail == {"agree": 4, "total": 6}


def test_it_needs_a_question_for_feedback(documenting: Agreement) -> None:
    assert actual(documenting, "feedback", metric="share_agree") is None
    assert actual(documenting, "feedback", metric="share_agree", question="nobody-asks") is None
    assert actual(documenting, "feedback", metric="average", question="recommend") is None


# --- network ------------------------------------------------------------------------


def _partners(organisation: Organisation, *names: str) -> list[NetworkPartner]:
    for name in names:
        network_partner_add(organisation=organisation, name=name, sector="other")
    return [NetworkPartner.objects.get(organisation=organisation, name=name) for name in names]


def test_it_counts_active_network_partners_and_joint_activities(
    documenting: Agreement, make_activity: MakeActivity, partner_org: Organisation
) -> None:
    assert actual(documenting, "network", metric="active_partners") == 0
    jugendamt, jobcenter, schule = _partners(partner_org, "Jugendamt", "Jobcenter", "Schule")
    make_activity(starts_at=at(2025, 3, 4), network_partners=[jugendamt, jobcenter])
    make_activity(starts_at=at(2025, 3, 11), network_partners=[jobcenter])
    make_activity(starts_at=at(2025, 3, 18))
    make_activity(status="planned", starts_at=at(2025, 3, 25), network_partners=[schule])
    make_activity(starts_at=at(2024, 3, 25), network_partners=[schule])
    assert actual(documenting, "network", metric="active_partners") == 2
    assert actual(documenting, "network", metric="joint_activities") == 2
    assert actual(documenting, "network", metric="partners") is None


# --- timeliness (§ 7) ---------------------------------------------------------------


def _documented(
    make_activity: MakeActivity, ends: datetime.datetime, lag: datetime.timedelta | None
) -> Activity:
    start = ends - datetime.timedelta(hours=2)
    if lag is None:
        return make_activity(status="held", starts_at=start)
    return make_activity(starts_at=start, documented_at=ends + lag)


def test_it_measures_documentation_within_the_deadline(
    documenting: Agreement, make_activity: MakeActivity
) -> None:
    day = datetime.timedelta(days=1)
    ends = at(2025, 3, 1, 20)
    _documented(make_activity, ends, 4 * day)  # within
    _documented(make_activity, ends, 14 * day)  # within: exactly on the deadline
    _documented(make_activity, ends, 19 * day)  # late
    _documented(make_activity, ends, None)  # undocumented, deadline long passed
    _documented(make_activity, at(2025, 12, 15, 20), None)  # deadline still open in 2025
    ind = indicator(documenting, "timeliness", unit="%", metric="share_within_deadline")
    running = value(ind, today=datetime.date(2025, 12, 20))
    assert running.actual == Decimal("50.0")
    assert running.detail == {
        "due": 4,
        "within": 2,
        "late": 1,
        "undocumented": 1,
        "median_lag_days": 14,
    }
    assert running.note == "Median 14 Tage bis zur Dokumentation"
    assert (running.rate, running.target) == (True, None)
    later = value(ind, today=TODAY)
    assert (later.actual, later.detail["due"], later.detail["undocumented"]) == (
        Decimal("40.0"),
        5,
        2,
    )


def test_it_takes_the_median_lag_in_local_days(
    documenting: Agreement, make_activity: MakeActivity
) -> None:
    # Ends 23:00 and documented 00:30 the next local day: one day, though under two hours.
    _documented(make_activity, at(2025, 3, 1, 23), datetime.timedelta(minutes=90))
    ind = indicator(documenting, "timeliness", unit="Tage", metric="median_lag_days")
    assert value(ind).actual == 1
    _documented(make_activity, at(2025, 4, 1, 20), datetime.timedelta(days=8))
    result = value(ind)
    assert (result.actual, result.detail["median_lag_days"]) == (Decimal("4.5"), "4.5")
    assert result.note == "Median 4,5 Tage bis zur Dokumentation"


def test_it_judges_the_median_lag_lower_is_better(
    documenting: Agreement, make_activity: MakeActivity
) -> None:
    _documented(make_activity, at(2025, 3, 1, 20), datetime.timedelta(days=10))
    ind = indicator(documenting, "timeliness", unit="Tage", metric="median_lag_days")
    target = IndicatorTarget.objects.create(indicator=ind, year=2000, value=Decimal(7))
    assert value(ind).status == Status.BEHIND
    target.value = Decimal(14)
    target.save()
    assert value(ind).status == Status.REACHED


def test_it_has_no_timeliness_without_a_procedure(
    documenting: Agreement, make_activity: MakeActivity
) -> None:
    ind = indicator(documenting, "timeliness", unit="%", metric="share_within_deadline")
    assert value(ind).actual is None  # nothing due yet
    _documented(make_activity, at(2025, 3, 1, 20), datetime.timedelta(days=1))
    assert value(ind).actual == 100
    DocumentationProcedure.objects.filter(agreement=documenting).delete()
    result = value(ind)
    assert (result.actual, result.status) == (None, Status.NO_DATA)
    assert "§ 7" in result.note


# --- evaluation held (§ 8) ----------------------------------------------------------


def _agreed(agreement: Agreement, on: datetime.date, status: str = "agreed") -> Evaluation:
    return Evaluation.objects.create(
        agreement=agreement,
        period_kind="calendar",
        starts_on=datetime.date(on.year - 1, 1, 1),
        ends_on=datetime.date(on.year - 1, 12, 31),
        status=status,
        agreed_on=on,
    )


def test_it_has_no_duty_value_without_an_in_force_date(agreement: Agreement) -> None:
    result = value(indicator(agreement, "evaluation", metric="held_within_12_months"))
    assert (result.actual, result.status, result.detail) == (
        None,
        Status.NO_DATA,
        {"last_agreed_on": None},
    )


def test_it_counts_the_first_year_after_coming_into_force_as_not_due(
    agreement: Agreement,
) -> None:
    agreement.signed_on = datetime.date(2025, 3, 1)  # in force from 2 March 2025
    agreement.save()
    ind = indicator(agreement, "evaluation", metric="held_within_12_months")
    assert value(ind, Y2025).actual == 1
    assert value(ind, Y2026).actual == 0
    assert value(ind, Y2026, today=datetime.date(2026, 3, 1)).actual == 1


def test_it_finds_the_yearly_evaluation_held_within_12_months(
    agreement: Agreement, other_agreement: Agreement
) -> None:
    agreement.signed_on = datetime.date(2019, 6, 3)
    agreement.save()
    ind = indicator(agreement, "evaluation", metric="held_within_12_months")
    _agreed(agreement, datetime.date(2025, 6, 10))
    _agreed(agreement, datetime.date(2026, 6, 20), status="review")
    _agreed(other_agreement, datetime.date(2026, 6, 20))
    result = value(ind, Y2026, today=datetime.date(2026, 6, 9))
    assert (result.actual, result.detail) == (1, {"last_agreed_on": "2025-06-10"})
    assert value(ind, Y2026, today=datetime.date(2026, 6, 10)).actual == 0
    assert value(ind, Y2025).actual == 1
    assert value(ind, calendar_year(2024)).actual == 0  # agreed later than 2024 ended

"""The engine around the sources: targets, status, previous period, order and snapshots."""

import datetime
import json
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.utils import timezone

from buendnis.accounts.models import Organisation
from buendnis.activities.models import Activity, Format, Kreis
from buendnis.activities.services import ActivityData, activity_create, documentation_setup
from buendnis.activities.tests import conftest as activity_fixtures
from buendnis.agreements.models import Agreement, Goal, Indicator, IndicatorTarget
from buendnis.evaluation.engine import (
    STATUS_LABELS,
    IndicatorValue,
    Status,
    indicator_value,
    indicator_values,
    status_for,
    target_for,
)
from buendnis.evaluation.periods import RANGE, Period, agreement_year, calendar_year

documenting = activity_fixtures.documenting
make_activity = activity_fixtures.make_activity
Y2025 = calendar_year(2025)
Y2026 = calendar_year(2026)
HALF_2026 = Period(RANGE, datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))  # 181 days
MakeActivity = Callable[..., Activity]


def _indicator(
    agreement: Agreement, code: str, goal: Goal | None = None, **fields: object
) -> Indicator:
    values: dict[str, object] = {
        "name": f"Indikator {code}",
        "unit": "Veranstaltungen",
        "level": 1,
        "source": "activities",
        "filter": {"metric": "count"},
    }
    target = fields.pop("yearly_target", Decimal(40))
    values.update(fields)
    indicator = Indicator.objects.create(agreement=agreement, goal=goal, code=code, **values)
    if target is not None:
        IndicatorTarget.objects.create(indicator=indicator, year=2000, value=target)
    return indicator


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(18)))


# --- target -------------------------------------------------------------------------


def test_it_keeps_the_yearly_target_for_whole_years_and_rates() -> None:
    agreement = Agreement(signed_on=datetime.date(2019, 6, 3))
    target = {2019: Decimal(40)}
    assert target_for(target, Y2026, rate=False) == 40
    assert target_for(target, agreement_year(agreement, 2025), rate=False) == 40
    one_year = Period(RANGE, datetime.date(2025, 7, 1), datetime.date(2026, 6, 30))
    assert target_for(target, one_year, rate=False) == 40
    assert target_for({2026: Decimal(75)}, HALF_2026, rate=True) == 75
    assert target_for({}, HALF_2026, rate=False) is None


def test_it_pro_rates_sums_over_part_of_a_year() -> None:
    assert target_for({2020: Decimal(40)}, HALF_2026, rate=False) == Decimal("19.8")  # 19.836
    week = Period(RANGE, datetime.date(2026, 3, 2), datetime.date(2026, 3, 8))
    assert target_for({2026: Decimal(365)}, week, rate=False) == Decimal("7.0")
    assert target_for({2026: Decimal(12)}, week, rate=False) == Decimal("0.2")  # 0.230…


def test_it_takes_each_years_own_target() -> None:
    targets = {2025: Decimal(40), 2026: Decimal(60), 2028: Decimal(100)}
    assert target_for(targets, calendar_year(2025), rate=False) == 40
    assert target_for(targets, Y2026, rate=False) == 60
    assert target_for(targets, calendar_year(2027), rate=False) == 60  # as the year before
    assert target_for(targets, calendar_year(2028), rate=False) == 100
    assert target_for(targets, calendar_year(2024), rate=False) is None  # before the first


def test_it_weights_the_targets_of_a_period_across_two_years_by_days() -> None:
    agreement = Agreement(signed_on=datetime.date(2019, 6, 3))
    targets = {2025: Decimal(40), 2026: Decimal(60)}
    # 4 June 2025 – 3 June 2026: 211 days in 2025, 154 in 2026 → (40·211 + 60·154) / 365
    assert target_for(targets, agreement_year(agreement, 2025), rate=False) == Decimal("48.4")
    assert target_for(targets, agreement_year(agreement, 2025), rate=True) == Decimal("48.4")
    # a quarter across the turn of the year: (40·31 + 60·59) / 365 = 13.096
    winter = Period(RANGE, datetime.date(2025, 12, 1), datetime.date(2026, 2, 28))
    assert target_for(targets, winter, rate=False) == Decimal("13.1")
    # no target for part of the period: no target at all
    assert target_for({2026: Decimal(60)}, winter, rate=False) is None


# --- status -------------------------------------------------------------------------

RUNNING = datetime.date(2026, 7, 2)  # the 183rd of 365 days: half the year has passed
OVER = datetime.date(2027, 1, 10)


@pytest.mark.parametrize(
    ("actual", "today", "expected"),
    [
        (Decimal(40), RUNNING, Status.REACHED),
        (Decimal(50), OVER, Status.REACHED),
        (Decimal(21), RUNNING, Status.ON_TRACK),
        (Decimal(19), RUNNING, Status.BEHIND),
        (Decimal(39), OVER, Status.BEHIND),
        (Decimal(0), datetime.date(2025, 12, 1), Status.ON_TRACK),  # not begun yet
    ],
)
def test_it_judges_sums_against_the_share_of_the_period_passed(
    actual: Decimal, today: datetime.date, expected: Status
) -> None:
    result = status_for(actual=actual, target=Decimal(40), period=Y2026, today=today, rate=False)
    assert result == expected


@pytest.mark.parametrize(
    ("actual", "today", "expected"),
    [
        (Decimal("80.0"), RUNNING, Status.ON_TRACK),
        (Decimal("75.0"), OVER, Status.REACHED),
        (Decimal("74.9"), RUNNING, Status.BEHIND),
        (Decimal("74.9"), OVER, Status.BEHIND),
    ],
)
def test_it_judges_rates_reached_only_once_the_period_is_over(
    actual: Decimal, today: datetime.date, expected: Status
) -> None:
    result = status_for(actual=actual, target=Decimal(75), period=Y2026, today=today, rate=True)
    assert result == expected


def test_it_says_when_there_is_no_value_or_no_target() -> None:
    args = {"period": Y2026, "today": OVER, "rate": False}
    assert status_for(actual=None, target=Decimal(1), **args) == Status.NO_DATA
    assert status_for(actual=None, target=None, **args) == Status.NO_DATA
    assert status_for(actual=Decimal(3), target=None, **args) == Status.NO_TARGET


def test_it_reads_lower_as_better_for_a_lag() -> None:
    args = {"period": Y2026, "today": OVER, "rate": True, "lower_is_better": True}
    assert status_for(actual=Decimal(5), target=Decimal(7), **args) == Status.REACHED
    assert status_for(actual=Decimal(8), target=Decimal(7), **args) == Status.BEHIND


def test_it_labels_every_status_in_german() -> None:
    assert {str(label) for label in STATUS_LABELS.values()} == {
        "erreicht",
        "auf Kurs",
        "im Rückstand",
        "keine Daten",
        "kein Ziel",
    }
    assert set(STATUS_LABELS) == set(Status)


# --- values -------------------------------------------------------------------------


def test_it_gives_actual_previous_target_and_status_of_an_indicator(
    documenting: Agreement, make_activity: MakeActivity
) -> None:
    z1 = Goal.objects.get(agreement=documenting, code="Z1")
    ind = _indicator(documenting, "Z1.1", goal=z1, level=2)
    for day in (datetime.date(2025, 5, 1), datetime.date(2025, 9, 1), datetime.date(2026, 2, 1)):
        make_activity(starts_at=_at(day))
    result = indicator_value(indicator=ind, period=Y2026, today=RUNNING)
    assert result == IndicatorValue(
        code="Z1.1",
        name="Indikator Z1.1",
        unit="Veranstaltungen",
        level=2,
        level_label="2 – Zielgruppen werden erreicht",
        goal_code="Z1",
        source="activities",
        target=Decimal(40),
        actual=Decimal(1),
        previous=Decimal(2),
        status=Status.BEHIND,
        rate=False,
        note="",
        detail={"activities": 1},
    )
    half = indicator_value(indicator=ind, period=HALF_2026, today=RUNNING)
    assert (half.target, half.actual, half.previous) == (Decimal("19.8"), 1, 1)  # Jul–Dec 2025


def test_it_orders_goal_indicators_by_goal_and_code_then_the_duties(
    documenting: Agreement,
) -> None:
    z1, z2 = Goal.objects.filter(agreement=documenting).order_by("code")
    for code, goal in (("P8", None), ("Z2.1", z2), ("Z1.10", z1), ("P7", None), ("Z1.2", z1)):
        _indicator(documenting, code, goal=goal)
    codes = [v.code for v in indicator_values(agreement=documenting, period=Y2025)]
    assert codes == ["Z1.2", "Z1.10", "Z2.1", "P7", "P8"]
    goals = [v.goal_code for v in indicator_values(agreement=documenting, period=Y2025)]
    assert goals == ["Z1", "Z1", "Z2", None, None]


def test_it_counts_only_the_agreements_own_activities(
    documenting: Agreement,
    make_activity: MakeActivity,
    other_agreement: Agreement,
    other_org: Organisation,
) -> None:
    documentation_setup(agreement=other_agreement, on=datetime.date(2025, 1, 1))
    activity_create(
        agreement=other_agreement,
        organisation=other_org,
        data=ActivityData(
            format=Format.objects.get(agreement=other_agreement, key="workshop"),
            title="Jugendforum",
            starts_at=_at(datetime.date(2025, 5, 1)),
            ends_at=_at(datetime.date(2025, 5, 1)),
            kreis=Kreis.objects.get(pk="06413"),
        ),
        status="documented",
    )
    make_activity(starts_at=_at(datetime.date(2025, 5, 2)))
    _indicator(documenting, "A1")
    _indicator(other_agreement, "A1")
    [mine] = indicator_values(agreement=documenting, period=Y2025)
    [theirs] = indicator_values(agreement=other_agreement, period=Y2025)
    assert (mine.actual, theirs.actual) == (1, 1)


def test_it_shows_an_unknown_source_as_no_data_without_failing(documenting: Agreement) -> None:
    _indicator(documenting, "X1", source="satellite")
    _indicator(documenting, "X2", filter=["count"])
    _indicator(documenting, "X3", filter={})
    values = indicator_values(agreement=documenting, period=Y2025)
    assert [(v.actual, v.status) for v in values] == [(None, Status.NO_DATA)] * 3
    assert "satellite" in values[0].note
    assert values[1].note and values[2].note


def test_it_round_trips_through_json_for_the_snapshot(
    documenting: Agreement, make_activity: MakeActivity
) -> None:
    make_activity(starts_at=_at(datetime.date(2025, 5, 1)))
    _indicator(documenting, "A1")
    _indicator(documenting, "A2", source="manual", filter={}, yearly_target=None)
    values = indicator_values(agreement=documenting, period=Y2025)
    stored = json.loads(json.dumps([v.as_dict() for v in values]))
    assert stored[0]["actual"] == "1" and Decimal(stored[0]["target"]) == 40
    assert stored[1]["actual"] is None and stored[1]["target"] is None
    assert [IndicatorValue.from_dict(data) for data in stored] == values

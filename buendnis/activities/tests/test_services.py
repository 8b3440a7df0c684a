"""Writing activities: valid records, refused bad input, conflicts, series and review."""

import datetime
from collections.abc import Callable

import pytest
from django.db import IntegrityError

from buendnis.accounts.models import Organisation, User
from buendnis.activities import services
from buendnis.activities.models import Activity, Format, FormatStatusChange, ReachCount
from buendnis.activities.selectors import series_reach
from buendnis.activities.tests.conftest import fathers_evening, reach
from buendnis.agreements.models import Agreement
from buendnis.core.locking import EditConflict


def _counts() -> tuple[int, int]:
    return Activity.objects.count(), ReachCount.objects.count()


def test_it_creates_a_documented_activity_with_its_reach(
    make_activity: Callable[..., Activity],
) -> None:
    activity = make_activity()
    assert activity.status == Activity.Status.DOCUMENTED
    assert activity.documented_at is not None
    stored = {r.category.key: r.count for r in activity.reach.select_related("category")}
    assert stored == {"fathers": 11, "own": 8, "family": 1, "none": 2}
    assert [g.code for g in activity.goals.all()] == ["Z1"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"participants": -1}, "participants"),
        ({"first_timers": 12}, "first_timers"),
        ({"kreis": None}, "kreis"),
        ({"staff_hours": -2}, "staff_hours"),
    ],
)
def test_it_refuses_bad_numbers_and_places_naming_the_field(
    documenting: Agreement, partner_org: Organisation, overrides: dict, field: str
) -> None:
    before = _counts()
    with pytest.raises(services.ActivityInvalid) as invalid:
        services.activity_create(
            agreement=documenting,
            organisation=partner_org,
            data=fathers_evening(documenting, **overrides),
        )
    assert field in [problem.field for problem in invalid.value.problems]
    assert _counts() == before


def test_it_refuses_an_end_before_the_start(
    documenting: Agreement, partner_org: Organisation
) -> None:
    data = fathers_evening(documenting)
    data.ends_at = data.starts_at - datetime.timedelta(minutes=1)
    with pytest.raises(services.ActivityInvalid) as invalid:
        services.activity_create(agreement=documenting, organisation=partner_org, data=data)
    assert [p.field for p in invalid.value.problems] == ["ends_at"]
    assert "Ende liegt vor dem Beginn" in invalid.value.problems[0].message
    assert Activity.objects.count() == 0


def test_it_says_exactly_which_total_is_off(
    documenting: Agreement, partner_org: Organisation
) -> None:
    data = fathers_evening(documenting, reach=reach(documenting, group_fathers=11, migration_own=9))
    with pytest.raises(services.ActivityInvalid) as invalid:
        services.activity_create(agreement=documenting, organisation=partner_org, data=data)
    (problem,) = invalid.value.problems
    assert problem.field == "reach_migration_own"
    assert "ergeben zusammen 9" in problem.message and "11 Personen" in problem.message
    assert _counts() == (0, 0)


def test_it_refuses_multipliers_whose_sectors_do_not_add_up(
    documenting: Agreement, partner_org: Organisation
) -> None:
    counts = reach(
        documenting,
        group_multipliers=24,
        migration_unknown=24,
        sector_administration=10,
        sector_counselling=10,
    )
    data = fathers_evening(documenting, participants=24, first_timers=24, reach=counts)
    with pytest.raises(services.ActivityInvalid) as invalid:
        services.activity_create(agreement=documenting, organisation=partner_org, data=data)
    assert [p.field for p in invalid.value.problems] == ["reach_sector_administration"]
    assert "ergeben zusammen 20" in invalid.value.problems[0].message


def test_it_refuses_a_format_of_another_agreement(
    documenting: Agreement, other_agreement: Agreement, partner_org: Organisation
) -> None:
    services.documentation_setup(agreement=other_agreement, on=datetime.date(2019, 1, 1))
    foreign = Format.objects.get(agreement=other_agreement, key="workshop")
    with pytest.raises(services.ActivityInvalid) as invalid:
        services.activity_create(
            agreement=documenting,
            organisation=partner_org,
            data=fathers_evening(documenting, format=foreign),
        )
    assert "format" in [p.field for p in invalid.value.problems]


def test_it_accepts_an_online_activity_without_a_kreis(
    documenting: Agreement, partner_org: Organisation
) -> None:
    data = fathers_evening(documenting, online=True, kreis=None)
    activity = services.activity_create(agreement=documenting, organisation=partner_org, data=data)
    assert activity.online and activity.kreis is None


def test_it_holds_the_place_rule_in_the_database_too(
    make_activity: Callable[..., Activity],
) -> None:
    activity = make_activity()
    with pytest.raises(IntegrityError):
        Activity.objects.filter(pk=activity.pk).update(kreis=None, online=False)


def test_it_saves_an_edit_and_counts_the_version(make_activity: Callable[..., Activity]) -> None:
    activity = make_activity(status=Activity.Status.HELD)
    data = fathers_evening(activity.agreement, title="Väter-Café (verlegt)")
    saved = services.activity_update(
        activity=activity, data=data, expected_version=1, document=True
    )
    assert saved.version == 2
    assert saved.status == Activity.Status.DOCUMENTED
    assert saved.documented_at is not None
    assert Activity.objects.get(pk=activity.pk).title == "Väter-Café (verlegt)"


def test_it_refuses_a_stale_edit_and_overwrites_nothing(
    make_activity: Callable[..., Activity],
) -> None:
    activity = make_activity()
    first = fathers_evening(activity.agreement, title="Fassung Anna")
    services.activity_update(activity=activity, data=first, expected_version=1)
    second = fathers_evening(activity.agreement, title="Fassung Samir")
    with pytest.raises(EditConflict) as conflict:
        services.activity_update(activity=activity, data=second, expected_version=1)
    assert conflict.value.current.title == "Fassung Anna"
    assert Activity.objects.get(pk=activity.pk).title == "Fassung Anna"


def test_it_copies_a_session_into_the_next_week_of_its_series(
    make_activity: Callable[..., Activity], fachkraft: User
) -> None:
    first = make_activity()
    copy = services.activity_next_session(activity=first, responsible=fachkraft)
    first.refresh_from_db()
    assert copy.series_id == first.series_id is not None
    assert copy.starts_at - first.starts_at == datetime.timedelta(days=7)
    assert copy.status == Activity.Status.PLANNED
    assert copy.first_timers == 0 and copy.reflection == ""
    assert copy.kreis_id == first.kreis_id and copy.format_id == first.format_id
    assert list(copy.goals.all()) == list(first.goals.all())
    assert {r.category_id: r.count for r in copy.reach.all()} == {
        r.category_id: r.count for r in first.reach.all()
    }


def test_it_counts_people_in_a_series_once(make_activity: Callable[..., Activity]) -> None:
    first = make_activity()
    second = services.activity_next_session(activity=first)
    data = fathers_evening(first.agreement, participants=9, first_timers=1)
    data.reach = reach(first.agreement, group_fathers=9, migration_own=9)
    data.series = second.series
    data.starts_at, data.ends_at = second.starts_at, second.ends_at
    services.activity_update(activity=second, data=data, expected_version=1, document=True)
    figures = series_reach(series_id=second.series_id)
    assert figures == {"attendances": 20, "people": 4, "sessions": 2}


def test_it_reviews_only_documented_activities(
    make_activity: Callable[..., Activity], koordination: User
) -> None:
    held = make_activity(status=Activity.Status.HELD)
    with pytest.raises(services.ActivityInvalid):
        services.activity_review(activity=held, by=koordination)
    documented = make_activity()
    reviewed = services.activity_review(activity=documented, by=koordination)
    assert reviewed.status == Activity.Status.REVIEWED
    assert reviewed.reviewed_by == koordination


def test_it_keeps_the_history_of_a_format_trial(documenting: Agreement) -> None:
    online = Format.objects.get(agreement=documenting, key="online")
    assert online.status == Format.Status.PILOT
    services.format_set_status(
        fmt=online, status=Format.Status.ESTABLISHED, on=datetime.date(2026, 3, 1)
    )
    history = list(
        FormatStatusChange.objects.filter(format=online).values_list("status", flat=True)
    )
    assert history == [Format.Status.PILOT, Format.Status.ESTABLISHED]
    online.refresh_from_db()
    assert online.status_since == datetime.date(2026, 3, 1)


def test_it_seeds_formats_and_categories_once(documenting: Agreement) -> None:
    services.documentation_setup(agreement=documenting, on=datetime.date(2026, 1, 1))
    assert documenting.formats.count() == len(services.DEFAULT_FORMATS)
    assert documenting.reach_categories.count() == len(services.DEFAULT_REACH_CATEGORIES)


def test_it_registers_a_network_partner_once(partner_org: Organisation) -> None:
    assert services.network_partner_add(organisation=partner_org, name="Jobcenter", sector="other")
    assert not services.network_partner_add(
        organisation=partner_org, name=" Jobcenter ", sector="other"
    )

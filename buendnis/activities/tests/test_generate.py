"""``buendnis generate``: reproducible, realistic synthetic agreements and activities."""

import datetime
import itertools
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from buendnis.accounts.models import Membership, Organisation, User
from buendnis.accounts.services import user_create
from buendnis.activities.generate import GenerateResult, generate
from buendnis.activities.generate.activities import is_holiday
from buendnis.activities.models import Activity, ReachCategory, Series
from buendnis.activities.reach import check_reach
from buendnis.activities.selectors import overdue_activities
from buendnis.agreements.models import Agreement, AgreementPartner
from buendnis.agreements.services import portfolio_load
from buendnis.core.management.commands.demo import PORTFOLIO

TODAY = datetime.date(2025, 11, 20)
MINISTRY = "Hessisches Ministerium für Soziales und Integration"

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio() -> list[Agreement]:
    return portfolio_load(data=json.loads(PORTFOLIO.read_text(encoding="utf-8")))


class _Rollback(Exception):
    """Thrown to undo a generation after its records were dumped."""


def _dump(slugs: list[str]) -> list[Any]:
    """Every generated record by natural keys, without ids or creation times."""
    activities = (
        Activity.objects.filter(agreement__slug__in=slugs)
        .select_related("organisation", "format", "series", "agreement")
        .prefetch_related("goals", "network_partners", "reach__category")
        .order_by("starts_at", "title", "organisation__name", "participants", "id")
    )
    return [
        sorted(Organisation.objects.values_list("name", flat=True)),
        list(Agreement.objects.filter(slug__in=slugs).values_list("slug", "title", "signed_on")),
        sorted(
            (p.agreement.slug, p.organisation.name, p.role)
            for p in AgreementPartner.objects.filter(agreement__slug__in=slugs)
        ),
        *(
            (
                a.agreement.slug,
                a.organisation.name,
                a.format.key,
                a.series.title if a.series else None,
                a.title,
                a.starts_at,
                a.ends_at,
                a.online,
                a.kreis_id,
                a.place_name,
                a.languages,
                str(a.staff_hours),
                a.participants,
                a.first_timers,
                a.status,
                a.documented_at,
                a.reviewed_at,
                a.reflection,
                sorted(g.code for g in a.goals.all()),
                sorted(p.name for p in a.network_partners.all()),
                sorted((r.category.dimension, r.category.key, r.count) for r in a.reach.all()),
            )
            for a in activities
        ),
    ]


def _generated(**kwargs: Any) -> tuple[GenerateResult, list[Any]]:
    """Generate, dump and undo, so the next generation starts from the same database."""
    try:
        with transaction.atomic():
            result = generate(today=TODAY, **kwargs)
            dump = _dump(result.agreements)
            raise _Rollback
    except _Rollback:
        return result, dump


def _all_activities(result: GenerateResult) -> Iterator[Activity]:
    return iter(
        Activity.objects.filter(agreement__slug__in=result.agreements).prefetch_related("reach")
    )


def test_it_gives_the_same_records_for_the_same_seed() -> None:
    first, first_dump = _generated(agreements=1, years=2, activities_per_year=60, seed=3)
    second, second_dump = _generated(agreements=1, years=2, activities_per_year=60, seed=3)
    assert first.activities == second.activities == 120
    assert len(first_dump) == 3 + 120
    assert first_dump == second_dump


def test_it_gives_other_records_for_another_seed() -> None:
    _result, first_dump = _generated(agreements=1, years=1, activities_per_year=60, seed=3)
    _result, second_dump = _generated(agreements=1, years=1, activities_per_year=60, seed=4)
    assert first_dump != second_dump


def test_it_creates_agreements_with_the_ministry_goals_and_procedure() -> None:
    result = generate(agreements=2, years=1, activities_per_year=10, seed=1, today=TODAY)
    assert len(result.agreements) == 2
    ministry = Organisation.objects.get(name=MINISTRY)
    for agreement in Agreement.objects.filter(slug__in=result.agreements):
        roles = {p.role: p.organisation for p in agreement.partners.all()}
        assert roles[AgreementPartner.Role.MINISTRY] == ministry
        assert roles[AgreementPartner.Role.PARTNER].kind == Organisation.Kind.PARTNER
        assert agreement.goals.count() == 6
        assert agreement.indicators.count() == 19
        assert agreement.procedures.get().approvals.count() == 2
        assert agreement.formats.count() == 8
        assert agreement.reach_categories.count() == 14
    assert Organisation.objects.filter(name=MINISTRY).count() == 1


def test_it_adds_activities_to_an_existing_agreement(portfolio: list[Agreement]) -> None:
    before = Agreement.objects.count()
    result = generate(
        agreement_slug="integration-braucht-partner",
        years=2,
        activities_per_year=100,
        seed=1,
        today=TODAY,
    )
    assert Agreement.objects.count() == before
    assert result.agreements == ["integration-braucht-partner"]
    activities = Activity.objects.filter(agreement__slug="integration-braucht-partner")
    assert activities.count() == result.activities == 200
    assert set(activities.values_list("organisation__short_name", flat=True)) == {"iaf e.V."}
    years = {a.starts_at.year for a in activities}
    assert years == {2024, 2025}
    assert activities.filter(goals__code="Z1").exists()
    assert activities.filter(network_partners__isnull=False).exists()


def test_it_obeys_the_reach_rules() -> None:
    result = generate(agreements=1, years=2, activities_per_year=150, seed=2, today=TODAY)
    categories = list(ReachCategory.objects.filter(agreement__slug__in=result.agreements))
    counted = 0
    for activity in _all_activities(result):
        counts = {r.category_id: r.count for r in activity.reach.all()}
        problems = check_reach(
            categories=categories,
            participants=activity.participants,
            first_timers=activity.first_timers,
            counts=counts,
        )
        assert problems == [], (activity.title, problems)
        counted += activity.participants > 0
    assert counted > 200


def test_it_is_quieter_in_summer_and_december() -> None:
    result = generate(agreements=1, years=1, activities_per_year=800, seed=5, today=TODAY)
    months = Counter(a.starts_at.month for a in _all_activities(result))
    quiet = (months[7] + months[8] + months[12]) / 3
    busy = (months[3] + months[5] + months[9] + months[10] + months[11]) / 5
    assert quiet < 0.75 * busy


def test_it_makes_weekly_series_with_fewer_first_timers_over_time() -> None:
    result = generate(agreements=1, years=1, activities_per_year=400, seed=6, today=TODAY)
    series = Series.objects.filter(agreement__slug__in=result.agreements)
    assert series.count() >= 3
    early = late = 0
    for one in series:
        sessions = list(one.activities.filter(participants__gt=0).order_by("starts_at"))
        assert all(s.first_timers <= s.participants for s in sessions)
        assert all(not is_holiday(s.starts_at.date()) for s in sessions)
        gaps = {
            (b.starts_at.date() - a.starts_at.date()).days % 7
            for a, b in itertools.pairwise(sessions)
        }
        assert gaps <= {0}
        if len(sessions) >= 6:
            early += sum(s.first_timers for s in sessions[:3])
            late += sum(s.first_timers for s in sessions[-3:])
    assert late < early


def test_it_mixes_statuses_with_some_overdue() -> None:
    admin = user_create(
        username="root", password="x" * 20, organisation=None, role=Membership.Role.ADMIN
    )
    result = generate(agreements=1, years=2, activities_per_year=300, seed=7, today=TODAY)
    statuses = Counter(
        Activity.objects.filter(agreement__slug__in=result.agreements).values_list(
            "status", flat=True
        )
    )
    assert set(statuses) == set(Activity.Status.values)
    assert statuses["reviewed"] + statuses["documented"] > 0.8 * sum(statuses.values())
    now = datetime.datetime.combine(TODAY, datetime.time(), datetime.UTC)
    assert overdue_activities(user=admin, now=now)
    documented = Activity.objects.filter(documented_at__isnull=False)
    lags = [a.documentation_lag_days for a in documented]
    assert min(lags) >= 0
    assert sorted(lags)[len(lags) // 2] <= 7
    assert (
        not Activity.objects.filter(starts_at__gte=now)
        .exclude(status__in=[Activity.Status.PLANNED, Activity.Status.CANCELLED])
        .exists()
    )


def test_it_needs_no_more_queries_for_more_activities() -> None:
    counts = []
    for per_year in (50, 500):
        with CaptureQueriesContext(connection) as queries:
            _generated(agreements=1, years=1, activities_per_year=per_year, seed=8)
        counts.append(len(queries))
    assert counts[1] <= counts[0] + 4


def test_it_writes_in_batches() -> None:
    result = generate(
        agreements=1, years=1, activities_per_year=50, seed=9, today=TODAY, batch_size=7
    )
    assert Activity.objects.count() == result.activities == 50


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--agreements", "-1"], "--agreements darf nicht negativ sein"),
        (["--agreements", "1", "--years", "-2"], "--years darf nicht negativ sein"),
        (["--agreements", "1", "--activities-per-year", "-5"], "must not be negative"),
        (["--agreement", "gibt-es-nicht"], "unknown agreement: gibt-es-nicht"),
        (["--agreements", "1", "--agreement", "x"], "not both"),
        ([], "--agreement SLUG"),
    ],
)
def test_it_refuses_bad_arguments(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message) as raised:
        call_command("generate", *args)
    assert raised.value.returncode == 2
    assert "\n" not in str(raised.value)
    assert not Activity.objects.exists()


def test_it_reports_what_it_made(capsys: pytest.CaptureFixture[str]) -> None:
    call_command(
        "generate",
        "--agreements",
        "1",
        "--years",
        "1",
        "--activities-per-year",
        "20",
        "--seed",
        "1",
        "--today",
        TODAY.isoformat(),
    )
    out = capsys.readouterr().out
    assert "20 Aktivitäten / activities" in out
    assert "2025–2025" in out
    assert not User.objects.exists()

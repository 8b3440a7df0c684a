"""A draft evaluation's live indicator values are kept until the agreement's data change."""

import datetime
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buendnis.accounts.models import User
from buendnis.activities import services as activity_services
from buendnis.activities.tests import conftest as activity_fixtures
from buendnis.agreements.models import Agreement, Goal, Indicator, IndicatorTarget
from buendnis.evaluation import services
from buendnis.evaluation.manual import manual_value_set
from buendnis.evaluation.models import Evaluation
from buendnis.evaluation.periods import calendar_year
from buendnis.evaluation.report import data as report_data

documenting = activity_fixtures.documenting
make_activity = activity_fixtures.make_activity

YEAR = 2025


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _in_year(day: int = 1) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(YEAR, 3, day, 10))


@pytest.fixture
def draft(documenting: Agreement, koordination: User) -> Evaluation:
    goal = Goal.objects.get(agreement=documenting, code="Z1")
    counted = Indicator.objects.create(
        agreement=documenting, goal=goal, code="Z1.1", name="Veranstaltungen", unit="x",
        level=1, source=Indicator.Source.ACTIVITIES, filter={"metric": "count"},
    )  # fmt: skip
    IndicatorTarget.objects.create(indicator=counted, year=YEAR, value=40)
    manual = Indicator.objects.create(
        agreement=documenting, goal=goal, code="Z1.9", name="Organisationen", unit="x",
        level=7, source=Indicator.Source.MANUAL,
    )  # fmt: skip
    IndicatorTarget.objects.create(indicator=manual, year=YEAR, value=3)
    return services.evaluation_create(
        agreement=documenting, period=calendar_year(YEAR), by=koordination
    )


@pytest.fixture
def computations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How often the period's values were computed (one entry per run)."""
    runs: list[int] = []
    compute = report_data.indicator_rows

    def counted(*args: Any) -> list[dict]:
        runs.append(1)
        return compute(*args)

    monkeypatch.setattr(report_data, "indicator_rows", counted)
    return runs


def _actual(client: Client, evaluation: Evaluation, code: str) -> str:
    url = reverse("evaluation:detail", args=[evaluation.agreement.slug, evaluation.period.key])
    response = client.get(url)
    assert response.status_code == 200
    cell = response.text.split(f'data-indicator="{code}"', 1)[1].split("</tr>", 1)[0]
    return cell.split('data-value="actual">', 1)[1].split("<", 1)[0].strip()


def test_a_second_view_reuses_the_values(
    draft: Evaluation, make_activity: Any, koordination: User, computations: list[int]
) -> None:
    make_activity(starts_at=_in_year())
    assert _actual(_client(koordination), draft, "Z1.1") == "1"
    assert _actual(_client(koordination), draft, "Z1.1") == "1"
    assert len(computations) == 1


def test_a_second_view_renders_the_indicator_tables_from_the_cache(
    draft: Evaluation, make_activity: Any, koordination: User
) -> None:
    caches["fragments"].clear()  # an earlier test may have shown the same
    make_activity(starts_at=_in_year())
    client = _client(koordination)
    url = reverse("evaluation:detail", args=[draft.agreement.slug, draft.period.key])
    table = "evaluation/_indicator_table.html"
    first, second = client.get(url), client.get(url)
    assert table in [t.name for t in first.templates]
    assert table not in [t.name for t in second.templates]
    assert 'data-indicator="Z1.1"' in second.text
    make_activity(starts_at=_in_year(2))  # other values: rendered anew
    assert table in [t.name for t in client.get(url).templates]


def test_new_edited_and_deleted_records_change_the_value_on_the_next_view(
    draft: Evaluation,
    make_activity: Any,
    koordination: User,
    computations: list[int],
) -> None:
    client = _client(koordination)
    first = make_activity(starts_at=_in_year(1))
    assert _actual(client, draft, "Z1.1") == "1"
    second = make_activity(starts_at=_in_year(2))
    assert _actual(client, draft, "Z1.1") == "2"
    # moved out of the year
    data = activity_fixtures.fathers_evening(
        draft.agreement, starts_at=timezone.make_aware(datetime.datetime(YEAR + 1, 3, 2, 10))
    )
    activity_services.activity_update(activity=second, data=data, expected_version=second.version)
    assert _actual(client, draft, "Z1.1") == "1"
    first.delete()
    assert _actual(client, draft, "Z1.1") == "0"
    manual_value_set(
        indicator=Indicator.objects.get(code="Z1.9"),
        period=draft.period,
        value=2,
        source_note="Abfrage bei den Trägern",
        by=koordination,
    )
    assert _actual(client, draft, "Z1.9") == "2"
    assert len(computations) == 5


def test_records_of_other_years_leave_the_period_values_alone(
    draft: Evaluation, make_activity: Any, koordination: User, computations: list[int]
) -> None:
    """This year's activities and feedback do not recompute last year's draft; the period's
    own records and those of the year before it (the previous column) do."""
    client = _client(koordination)
    make_activity(starts_at=_in_year())
    assert _actual(client, draft, "Z1.1") == "1"
    make_activity(starts_at=timezone.make_aware(datetime.datetime(YEAR + 1, 11, 30, 18)))
    make_activity(starts_at=timezone.make_aware(datetime.datetime(YEAR - 2, 6, 1, 18)))
    assert _actual(client, draft, "Z1.1") == "1"
    assert len(computations) == 1
    make_activity(starts_at=timezone.make_aware(datetime.datetime(YEAR - 1, 6, 1, 18)))
    assert _actual(client, draft, "Z1.1") == "1"
    assert len(computations) == 2
    # New Year's night: the first local hour of the year is the last UTC hour of the old one
    make_activity(starts_at=timezone.make_aware(datetime.datetime(YEAR, 1, 1, 0, 30)))
    assert _actual(client, draft, "Z1.1") == "2"
    assert len(computations) == 3


def test_a_frozen_evaluation_shows_its_snapshot_not_the_live_values(
    draft: Evaluation, make_activity: Any, koordination: User, computations: list[int]
) -> None:
    make_activity(starts_at=_in_year())
    frozen = services.evaluation_freeze(evaluation=draft, by=koordination)
    make_activity(starts_at=_in_year(2))
    assert _actual(_client(koordination), frozen, "Z1.1") == "1"


def test_the_ministry_sees_the_protected_value_after_the_partner_filled_the_cache(
    draft: Evaluation, make_activity: Any, koordination: User, referentin: User
) -> None:
    make_activity(starts_at=_in_year())
    assert _actual(_client(koordination), draft, "Z1.1") == "1"
    assert _actual(_client(referentin), draft, "Z1.1") != "1"

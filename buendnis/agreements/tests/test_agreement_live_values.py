"""The agreement page's live indicator values and figures are kept until their data change."""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buendnis.accounts.models import User
from buendnis.activities import services as activity_services
from buendnis.activities.selectors import AgreementFigures, agreement_figures, current_deadline_days
from buendnis.activities.tests import conftest as activity_fixtures
from buendnis.agreements.models import Agreement, Goal, Indicator, IndicatorTarget
from buendnis.counselling.tests import conftest as counselling_fixtures
from buendnis.evaluation import engine

documenting = activity_fixtures.documenting
make_activity = activity_fixtures.make_activity
topics = counselling_fixtures.topics
make_contact = counselling_fixtures.make_contact


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _this_year(hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(timezone.localdate().year, 1, 1, hour))


def _indicator(agreement: Agreement, code: str, source: str, metric: str) -> Indicator:
    goal = Goal.objects.get(agreement=agreement, code="Z1")
    indicator = Indicator.objects.create(
        agreement=agreement, goal=goal, code=code, name=code, unit="x", level=1,
        source=source, filter={"metric": metric},
    )  # fmt: skip
    IndicatorTarget.objects.create(indicator=indicator, year=timezone.localdate().year, value=40)
    return indicator


def _actual(client: Client, agreement: Agreement, code: str) -> str:
    text = client.get(reverse("agreements:detail", args=[agreement.slug])).text
    cell = text.split(f'data-indicator="{code}"', 1)[1].split("</tr>", 1)[0]
    return cell.split('data-value="actual">', 1)[1].split("<", 1)[0].strip()


@pytest.fixture
def engine_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How often the indicator engine computed the values (one entry per run)."""
    runs: list[int] = []
    compute = engine.indicator_values

    def counted(**kwargs: Any) -> list[engine.IndicatorValue]:
        runs.append(1)
        return compute(**kwargs)

    monkeypatch.setattr(engine, "indicator_values", counted)
    return runs


def _figures(agreement: Agreement, year: int, user: User) -> AgreementFigures:
    """The agreement page's figures of the year, under the § 7 deadline in effect."""
    return agreement_figures(
        agreement=agreement, year=year, user=user, deadline_days=current_deadline_days(agreement)
    )


def test_a_second_view_reuses_the_values_and_shows_the_same(
    documenting: Agreement, make_activity: Any, fachkraft: User, engine_runs: list[int]
) -> None:
    make_activity(starts_at=_this_year())
    _indicator(documenting, "Z1.1", "activities", "count")
    client = _client(fachkraft)
    assert _actual(client, documenting, "Z1.1") == "1"
    assert _actual(client, documenting, "Z1.1") == "1"
    assert _actual(_client(fachkraft), documenting, "Z1.1") == "1"
    assert len(engine_runs) == 1


def test_a_new_activity_an_edit_and_a_deletion_change_the_value_at_once(
    documenting: Agreement, make_activity: Any, fachkraft: User, engine_runs: list[int]
) -> None:
    first = make_activity(starts_at=_this_year())
    _indicator(documenting, "Z1.1", "activities", "participants")
    client = _client(fachkraft)
    assert _actual(client, documenting, "Z1.1") == "11"
    second = make_activity(starts_at=_this_year(14))
    assert _actual(client, documenting, "Z1.1") == "22"
    data = activity_fixtures.fathers_evening(
        documenting,
        starts_at=_this_year(14),
        participants=5,
        reach=activity_fixtures.reach(documenting, group_fathers=5, migration_own=5),
    )
    activity_services.activity_update(activity=second, data=data, expected_version=second.version)
    assert _actual(client, documenting, "Z1.1") == "16"
    first.delete()
    assert _actual(client, documenting, "Z1.1") == "5"
    assert len(engine_runs) == 4


def test_a_new_contact_changes_the_counselling_value_at_once(
    documenting: Agreement, make_contact: Any, fachkraft: User
) -> None:
    _indicator(documenting, "Z1.2", "counselling", "contacts")
    client = _client(fachkraft)
    assert _actual(client, documenting, "Z1.2") == "0"
    make_contact()
    assert _actual(client, documenting, "Z1.2") == "1"


def test_a_changed_indicator_definition_is_computed_afresh(
    documenting: Agreement, make_activity: Any, fachkraft: User
) -> None:
    make_activity(starts_at=_this_year())
    indicator = _indicator(documenting, "Z1.1", "activities", "count")
    client = _client(fachkraft)
    assert _actual(client, documenting, "Z1.1") == "1"
    indicator.filter = {"metric": "participants"}
    indicator.save()
    assert _actual(client, documenting, "Z1.1") == "11"


@pytest.mark.parametrize("inside_first", [True, False])
def test_viewers_with_other_rights_never_see_each_others_values(
    documenting: Agreement,
    make_activity: Any,
    fachkraft: User,
    referentin: User,
    inside_first: bool,
) -> None:
    """The partner sees 1 exactly; the ministry sees the protected value, in either order."""
    make_activity(starts_at=_this_year())
    _indicator(documenting, "Z1.1", "activities", "count")
    order = [fachkraft, referentin] if inside_first else [referentin, fachkraft]
    seen = {user.pk: _actual(_client(user), documenting, "Z1.1") for user in order}
    assert seen[fachkraft.pk] == "1"
    assert seen[referentin.pk] != "1"


def test_the_exact_figures_follow_new_activities_and_stay_protected_for_others(
    documenting: Agreement, make_activity: Any, fachkraft: User, referentin: User
) -> None:
    year = timezone.localdate().year
    make_activity(starts_at=_this_year())
    assert _figures(documenting, year, fachkraft).activities == 1
    outside = _figures(documenting, year, referentin)
    assert outside.exact is False and outside.activities != 1
    make_activity(starts_at=_this_year(14))
    inside = _figures(documenting, year, fachkraft)
    assert inside.exact is True and inside.activities == 2
    assert _figures(documenting, year, referentin).exact is False

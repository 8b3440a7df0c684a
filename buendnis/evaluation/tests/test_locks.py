"""§ 8 locks: an agreed year refuses changes until a coordinator reopens it with a reason."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buendnis.accounts.models import Organisation, User
from buendnis.activities import services
from buendnis.activities.models import Activity
from buendnis.activities.services import activity_create, documentation_setup
from buendnis.activities.tests.conftest import fathers_evening, form_data
from buendnis.activities.tests.test_import import csv_file, valid_row
from buendnis.agreements.models import Agreement, Goal
from buendnis.agreements.services import procedure_create_version
from buendnis.evaluation import locks
from buendnis.evaluation.models import Evaluation, EvaluationEvent, Reopening
from buendnis.evaluation.tests.factories import evaluation_of_year

pytestmark = pytest.mark.django_db
AGREED_ON = datetime.date(2026, 6, 10)


def _at(*args: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _setup(agreement: Agreement) -> Agreement:
    documentation_setup(agreement=agreement, on=datetime.date(2019, 6, 4))
    procedure_create_version(agreement=agreement, deadline_days=14, required_fields=["title"])
    Goal.objects.create(agreement=agreement, code="Z1", title="Väter reflektieren ihre Rolle")
    return agreement


@pytest.fixture
def documenting(agreement: Agreement) -> Agreement:
    return _setup(agreement)


@pytest.fixture
def make_activity(
    documenting: Agreement, partner_org: Organisation, fachkraft: User
) -> Callable[..., Activity]:
    def make(**overrides: Any) -> Activity:
        return activity_create(
            agreement=documenting,
            organisation=partner_org,
            data=fathers_evening(documenting, **overrides),
            status=Activity.Status.DOCUMENTED,
            responsible=fachkraft,
        )

    return make


@pytest.fixture
def old(make_activity: Callable[..., Activity]) -> Activity:
    """A documented activity of 2025."""
    return make_activity(title="Väter-Café 2025", starts_at=_at(2025, 5, 6, 19))


@pytest.fixture
def agreed(documenting: Agreement, old: Activity) -> Evaluation:
    """2025 agreed (after its activity was documented)."""
    return evaluation_of_year(documenting, 2025, Evaluation.Status.AGREED, agreed_on=AGREED_ON)


def _update(activity: Activity, **changes: Any) -> Activity:
    activity.refresh_from_db()
    changes.setdefault("starts_at", activity.starts_at)
    data = fathers_evening(activity.agreement, **changes)
    return services.activity_update(activity=activity, data=data, expected_version=activity.version)


def _post_edit(user: User, activity: Activity, **changes: Any) -> Any:
    activity.refresh_from_db()
    changes.setdefault("starts_at", activity.starts_at)
    data = form_data(
        fathers_evening(activity.agreement, **changes),
        activity.agreement,
        version=activity.version,
        document="1",
    )
    return _client(user).post(reverse("activities:edit", args=[activity.pk]), data)


def test_it_refuses_changes_until_reopened_and_records_the_reopening(
    old: Activity, agreed: Evaluation, fachkraft: User, koordination: User
) -> None:
    with pytest.raises(locks.ActivityLocked) as refused:
        _update(old, title="Geändert per Dienst")
    assert refused.value.evaluation == agreed
    assert "Das Jahr 2025 ist ausgewertet und gesperrt (vereinbart am 10. Juni 2026)" in str(
        refused.value
    )

    response = _post_edit(fachkraft, old, title="Geändert im Formular")
    assert response.status_code == 400
    assert "Das Jahr 2025 ist ausgewertet und gesperrt" in response.text
    assert "Die Koordination kann den Zeitraum" in response.text
    old.refresh_from_db()
    assert old.title == "Väter-Café 2025"

    before = timezone.now()
    reopening = locks.evaluation_reopen(
        evaluation=agreed, by=koordination, reason="  Teilnehmendenzahl war falsch erfasst  "
    )
    assert _update(old, title="Geändert per Dienst").title == "Geändert per Dienst"
    assert _post_edit(fachkraft, old, title="Geändert im Formular").status_code == 302
    old.refresh_from_db()
    assert old.title == "Geändert im Formular"

    stored = Reopening.objects.get()
    assert stored == reopening
    assert (stored.reason, stored.opened_by, stored.closed_at) == (
        "Teilnehmendenzahl war falsch erfasst",
        koordination,
        None,
    )
    assert stored.opened_at >= before
    event = EvaluationEvent.objects.get(evaluation=agreed, kind=EvaluationEvent.Kind.REOPENED)
    assert (event.by, event.comment) == (koordination, "Teilnehmendenzahl war falsch erfasst")
    assert event.at >= before
    assert locks.open_reopening(agreed) == stored

    locks.evaluation_relock(evaluation=agreed, by=koordination)
    stored.refresh_from_db()
    assert stored.closed_by == koordination and stored.closed_at is not None
    assert locks.open_reopening(agreed) is None
    assert EvaluationEvent.objects.filter(
        evaluation=agreed, kind=EvaluationEvent.Kind.RELOCKED, by=koordination
    ).exists()
    with pytest.raises(locks.ActivityLocked):
        _update(old, title="Noch einmal")
    assert _post_edit(fachkraft, old, title="Noch einmal").status_code == 400


def test_it_requires_a_reason_to_reopen(agreed: Evaluation, koordination: User) -> None:
    for reason in ("", "   \n "):
        with pytest.raises(locks.LockError, match="begründen"):
            locks.evaluation_reopen(evaluation=agreed, by=koordination, reason=reason)
    assert not Reopening.objects.exists()
    assert not EvaluationEvent.objects.exists()


@pytest.mark.parametrize("status", [Evaluation.Status.DRAFT, Evaluation.Status.REVIEW])
def test_it_reopens_only_agreed_evaluations(
    documenting: Agreement, koordination: User, status: str
) -> None:
    evaluation = evaluation_of_year(documenting, 2025, status)
    with pytest.raises(locks.LockError, match="vereinbarte"):
        locks.evaluation_reopen(evaluation=evaluation, by=koordination, reason="Korrektur")
    assert not Reopening.objects.exists()


def test_it_refuses_to_reopen_twice_or_relock_what_is_not_open(
    agreed: Evaluation, koordination: User
) -> None:
    with pytest.raises(locks.LockError, match="nicht geöffnet"):
        locks.evaluation_relock(evaluation=agreed, by=koordination)
    locks.evaluation_reopen(evaluation=agreed, by=koordination, reason="Korrektur")
    with pytest.raises(locks.LockError, match="bereits"):
        locks.evaluation_reopen(evaluation=agreed, by=koordination, reason="Noch eine")
    assert Reopening.objects.count() == 1
    locks.evaluation_relock(evaluation=agreed, by=koordination)
    with pytest.raises(locks.LockError, match="nicht geöffnet"):
        locks.evaluation_relock(evaluation=agreed, by=koordination)
    locks.evaluation_reopen(evaluation=agreed, by=koordination, reason="Zweite Korrektur")
    assert Reopening.objects.filter(closed_at__isnull=True).count() == 1


def test_it_leaves_other_periods_and_agreements_alone(
    make_activity: Callable[..., Activity],
    agreed: Evaluation,
    other_agreement: Agreement,
    other_org: Organisation,
) -> None:
    this_year = make_activity(title="2026", starts_at=_at(2026, 1, 1, 0, 30))
    assert _update(this_year, title="2026 geändert").title == "2026 geändert"
    _setup(other_agreement)
    elsewhere = activity_create(
        agreement=other_agreement,
        organisation=other_org,
        data=fathers_evening(other_agreement, starts_at=_at(2025, 5, 6, 19)),
    )
    assert _update(elsewhere, title="Andere Vereinbarung").title == "Andere Vereinbarung"


def test_it_uses_the_local_day_at_the_year_boundary(documenting: Agreement) -> None:
    evaluation_of_year(documenting, 2025, Evaluation.Status.AGREED, agreed_on=AGREED_ON)
    late = _at(2025, 12, 31, 23, 30)  # 22:30 UTC, still 2025 in Hessen
    early = _at(2026, 1, 1, 0, 30)  # 23:30 UTC on 31 December, but 2026 in Hessen
    assert locks.locking_evaluation(agreement_id=documenting.pk, day=locks.activity_day(late))
    assert not locks.locking_evaluation(agreement_id=documenting.pk, day=locks.activity_day(early))


def test_it_finds_the_lock_in_one_query(
    agreed: Evaluation, documenting: Agreement, django_assert_num_queries: Callable
) -> None:
    with django_assert_num_queries(1):
        assert (
            locks.locking_evaluation(agreement_id=documenting.pk, day=datetime.date(2025, 3, 1))
            == agreed
        )
    with django_assert_num_queries(1):
        locks.check_unlocked(agreement_id=documenting.pk, day=datetime.date(2026, 3, 1))


def test_it_refuses_moving_an_activity_into_or_out_of_a_locked_year(
    make_activity: Callable[..., Activity], old: Activity, agreed: Evaluation
) -> None:
    current = make_activity(title="2026", starts_at=_at(2026, 3, 3, 19))
    with pytest.raises(locks.ActivityLocked):
        _update(current, starts_at=_at(2025, 3, 3, 19))
    with pytest.raises(locks.ActivityLocked):
        _update(old, starts_at=_at(2026, 3, 3, 19))
    current.refresh_from_db()
    assert current.starts_at == _at(2026, 3, 3, 19)


def test_it_refuses_creating_reviewing_and_copying_into_a_locked_year(
    make_activity: Callable[..., Activity],
    old: Activity,
    agreed: Evaluation,
    koordination: User,
) -> None:
    with pytest.raises(locks.ActivityLocked):
        make_activity(title="Nachgetragen", starts_at=_at(2025, 9, 1, 19))
    with pytest.raises(locks.ActivityLocked):
        services.activity_review(activity=old, by=koordination)
    with pytest.raises(locks.ActivityLocked):
        services.activity_next_session(activity=old)
    assert Activity.objects.count() == 1
    old.refresh_from_db()
    assert (old.status, old.series_id) == (Activity.Status.DOCUMENTED, None)


def test_it_copies_a_locked_session_into_the_next_year_without_touching_it(
    make_activity: Callable[..., Activity], documenting: Agreement
) -> None:
    december = make_activity(title="Dezember", starts_at=_at(2025, 12, 29, 19))
    evaluation_of_year(documenting, 2025, Evaluation.Status.AGREED, agreed_on=AGREED_ON)
    copy = services.activity_next_session(activity=december)
    assert copy.starts_at == _at(2026, 1, 5, 19)
    assert copy.series_id is not None
    december.refresh_from_db()
    assert december.series_id is None


def test_the_pages_show_the_lock_and_a_reopen_link_for_the_coordinator(
    old: Activity, agreed: Evaluation, fachkraft: User, koordination: User
) -> None:
    reopen = reverse("evaluation:reopen", args=[agreed.agreement.slug, "2025"])
    detail = reverse("activities:detail", args=[old.pk])
    edit = reverse("activities:edit", args=[old.pk])

    page = _client(koordination).get(detail).text
    assert "gesperrt" in page and reopen in page
    assert "Als geprüft markieren" not in page
    page = _client(fachkraft).get(edit).text
    assert "Das Jahr 2025 ist ausgewertet und gesperrt" in page
    assert reopen not in page
    assert "Die Koordination kann den Zeitraum" in page

    locks.evaluation_reopen(evaluation=agreed, by=koordination, reason="Korrektur")
    assert "gesperrt" not in _client(fachkraft).get(detail).text


def test_the_views_refuse_locked_writes_without_an_error_page(
    documenting: Agreement, old: Activity, agreed: Evaluation, koordination: User
) -> None:
    client = _client(koordination)
    data = form_data(fathers_evening(documenting, starts_at=_at(2025, 9, 1, 19)), documenting)
    response = client.post(reverse("activities:create", args=[documenting.slug]), data)
    assert response.status_code == 200
    assert "Das Jahr 2025 ist ausgewertet und gesperrt" in response.text
    assert reverse("evaluation:reopen", args=[documenting.slug, "2025"]) in response.text
    response = client.post(reverse("activities:review", args=[old.pk]), follow=True)
    assert response.status_code == 200
    assert "Das Jahr 2025 ist ausgewertet und gesperrt" in response.text
    response = client.post(reverse("activities:next_session", args=[old.pk]), data)
    assert response.status_code == 400
    assert "Das Jahr 2025 ist ausgewertet und gesperrt" in response.text
    assert Activity.objects.count() == 1


def test_the_import_refuses_new_rows_in_a_locked_year(
    documenting: Agreement, partner_org: Organisation, agreed: Evaluation
) -> None:
    from buendnis.activities.importing import activities_import

    rows = [
        valid_row("neu-2026"),
        valid_row("neu-2025", starts_at="06.05.2025 19:00", ends_at="06.05.2025 21:00"),
    ]
    result = activities_import(
        agreement=documenting, organisation=partner_org, source=csv_file(documenting, rows)
    )
    assert [(p.row, p.message) for p in result.problems] == [
        (3, locks.locked_message(agreed)),
    ]
    assert "Zeile 3" in str(result.problems[0])
    assert not Activity.objects.filter(external_ref__startswith="neu-").exists()

    locks.evaluation_reopen(evaluation=agreed, by=None, reason="Nachträge aus Papierlisten")
    result = activities_import(
        agreement=documenting, organisation=partner_org, source=csv_file(documenting, rows)
    )
    assert result.problems == [] and result.created == 2

"""§ 8 due dates: a year after the last agreed evaluation; agreement page and dashboard."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation

from buendnis.accounts.models import Organisation, User
from buendnis.agreements.models import Agreement, AgreementPartner
from buendnis.agreements.selectors import add_years
from buendnis.evaluation.due import due_evaluations, next_evaluation_due, overdue_adjustments
from buendnis.evaluation.models import Adjustment, Evaluation
from buendnis.evaluation.tests.factories import evaluation_of_year

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 29)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _in_force(agreement: Agreement, signed_on: datetime.date = datetime.date(2019, 6, 3)) -> None:
    """Signed then, and kept in Bündnis since (so its evaluations are all on record)."""
    agreement.signed_on = signed_on
    agreement.save(update_fields=["signed_on"])
    recorded = timezone.make_aware(datetime.datetime.combine(signed_on, datetime.time(12)))
    Agreement.objects.filter(pk=agreement.pk).update(created_at=recorded)
    agreement.refresh_from_db()


def _adjustment(evaluation: Evaluation, responsible: Organisation, **extra: Any) -> Adjustment:
    values = {"what": "Angebote in Nordhessen ausbauen", "due_on": datetime.date(2026, 3, 31)}
    values.update(extra)
    return Adjustment.objects.create(evaluation=evaluation, responsible=responsible, **values)


def test_it_is_due_a_year_after_coming_into_force(agreement: Agreement) -> None:
    assert next_evaluation_due(agreement=agreement) is None
    _in_force(agreement)
    assert next_evaluation_due(agreement=agreement) == datetime.date(2020, 6, 4)


def test_it_is_due_on_the_anniversary_after_the_latest_agreed_evaluation(
    agreement: Agreement,
) -> None:
    _in_force(agreement)
    evaluation_of_year(
        agreement, 2024, Evaluation.Status.AGREED, agreed_on=datetime.date(2025, 6, 20)
    )
    evaluation_of_year(
        agreement, 2023, Evaluation.Status.AGREED, agreed_on=datetime.date(2024, 6, 5)
    )
    evaluation_of_year(agreement, 2025, Evaluation.Status.REVIEW)
    assert next_evaluation_due(agreement=agreement) == datetime.date(2026, 6, 4)


@pytest.mark.parametrize(
    ("agreed_on", "due_on"),
    [
        (datetime.date(2026, 12, 1), datetime.date(2027, 6, 4)),  # the 2025/26 evaluation
        (datetime.date(2026, 6, 3), datetime.date(2027, 6, 4)),  # not the next day
        (datetime.date(2026, 6, 4), datetime.date(2027, 6, 4)),
        (datetime.date(2026, 11, 30), datetime.date(2027, 6, 4)),
        (datetime.date(2027, 1, 15), datetime.date(2028, 6, 4)),  # half a year at least
    ],
)
def test_it_follows_the_agreements_yearly_cycle_from_its_in_force_date(
    agreement: Agreement, agreed_on: datetime.date, due_on: datetime.date
) -> None:
    _in_force(agreement)
    evaluation_of_year(agreement, 2025, Evaluation.Status.AGREED, agreed_on=agreed_on)
    assert next_evaluation_due(agreement=agreement) == due_on


def test_it_counts_from_entering_the_agreement_when_none_is_on_record(
    agreement: Agreement, koordination: User
) -> None:
    """The demo: in force since 2019, entered today – not „overdue since 4 June 2020“."""
    agreement.signed_on = datetime.date(2019, 6, 3)
    agreement.save(update_fields=["signed_on"])
    entered = timezone.make_aware(datetime.datetime(2026, 12, 1, 10))
    Agreement.objects.filter(pk=agreement.pk).update(created_at=entered)
    agreement.refresh_from_db()
    assert next_evaluation_due(agreement=agreement) == datetime.date(2027, 6, 4)
    (due,) = due_evaluations(user=koordination, today=datetime.date(2026, 12, 1))
    assert (due.due_on, due.overdue) == (datetime.date(2027, 6, 4), False)


def test_it_counts_from_an_agreed_evaluation_without_an_in_force_date(
    agreement: Agreement,
) -> None:
    evaluation_of_year(
        agreement, 2023, Evaluation.Status.AGREED, agreed_on=datetime.date(2024, 2, 29)
    )
    assert next_evaluation_due(agreement=agreement) == datetime.date(2025, 2, 28)


def test_it_lists_due_evaluations_of_visible_agreements_only(
    agreement: Agreement, other_agreement: Agreement, koordination: User, outsider: User
) -> None:
    _in_force(agreement)
    _in_force(other_agreement, datetime.date(2026, 3, 1))
    draft = evaluation_of_year(agreement, 2025, Evaluation.Status.DRAFT)

    (due,) = due_evaluations(user=koordination, today=TODAY)
    assert due.agreement == agreement
    assert due.due_on == datetime.date(2020, 6, 4)
    assert due.overdue and due.days_overdue == (TODAY - datetime.date(2020, 6, 4)).days
    assert due.open_evaluation == draft
    assert due.url == reverse("evaluation:detail", args=[agreement.slug, "2025"])

    (other,) = due_evaluations(user=outsider, today=TODAY)
    assert other.agreement == other_agreement
    assert other.due_on == datetime.date(2027, 3, 2)
    assert not other.overdue and other.days_left == 93
    assert other.open_evaluation is None
    assert other.url == reverse("evaluation:list", args=[other_agreement.slug])


def test_it_is_not_overdue_on_the_due_date_itself(agreement: Agreement, koordination: User) -> None:
    evaluation_of_year(
        agreement, 2025, Evaluation.Status.AGREED, agreed_on=datetime.date(2025, 11, 29)
    )
    (due,) = due_evaluations(user=koordination, today=TODAY)
    assert (due.days_left, due.overdue) == (0, False)
    (due,) = due_evaluations(user=koordination, today=TODAY + datetime.timedelta(days=1))
    assert (due.days_left, due.overdue, due.days_overdue) == (-1, True, 1)


def test_it_skips_agreements_without_any_date(agreement: Agreement, koordination: User) -> None:
    assert due_evaluations(user=koordination, today=TODAY) == []


def test_it_needs_the_same_queries_for_many_agreements(
    ministry_org: Organisation,
    referentin: User,
    django_assert_num_queries: Callable,
) -> None:
    for number in range(6):
        other = Agreement.objects.create(
            slug=f"v{number}", title=f"V{number}", signed_on=datetime.date(2019, 6, 3)
        )
        AgreementPartner.objects.create(
            agreement=other, organisation=ministry_org, role=AgreementPartner.Role.MINISTRY
        )
        evaluation_of_year(other, 2025, Evaluation.Status.DRAFT)
        evaluation_of_year(
            other, 2024, Evaluation.Status.AGREED, agreed_on=datetime.date(2025, 6, 1)
        )
    referentin = User.objects.get(pk=referentin.pk)
    with django_assert_num_queries(3):  # memberships, agreements, open evaluations
        result = due_evaluations(user=referentin, today=TODAY)
    assert len(result) == 6
    assert {d.due_on for d in result} == {datetime.date(2026, 6, 4)}


def test_it_lists_open_adjustments_past_their_date(
    agreement: Agreement,
    other_agreement: Agreement,
    partner_org: Organisation,
    other_org: Organisation,
    koordination: User,
) -> None:
    evaluation = evaluation_of_year(agreement, 2025, Evaluation.Status.AGREED)
    late = _adjustment(evaluation, partner_org, due_on=datetime.date(2026, 3, 31))
    running = _adjustment(
        evaluation, partner_org, status=Adjustment.Status.IN_PROGRESS, due_on=TODAY.replace(day=28)
    )
    _adjustment(evaluation, partner_org, due_on=TODAY)  # due today: not past its date
    _adjustment(evaluation, partner_org, status=Adjustment.Status.DONE)
    _adjustment(evaluation, partner_org, status=Adjustment.Status.DROPPED)
    elsewhere = _adjustment(evaluation_of_year(other_agreement, 2025, "agreed"), other_org)

    assert list(overdue_adjustments(today=TODAY)) == [late, elsewhere, running]
    assert list(overdue_adjustments(today=TODAY, user=koordination)) == [late, running]


def test_the_agreement_page_says_when_the_next_evaluation_is_due(
    agreement: Agreement, fachkraft: User
) -> None:
    url = reverse("agreements:detail", args=[agreement.slug])
    page = _client(fachkraft).get(url).text
    assert "Datum noch nicht erfasst" in page

    _in_force(agreement)
    page = _client(fachkraft).get(url).text
    assert "überfällig seit 4. Juni 2020" in page
    assert reverse("evaluation:list", args=[agreement.slug]) in page

    today = timezone.localdate()
    evaluation_of_year(agreement, today.year - 1, Evaluation.Status.AGREED, agreed_on=today)
    page = _client(fachkraft).get(url).text
    assert "überfällig" not in page
    after = today + datetime.timedelta(days=183)
    due = datetime.date(after.year, 6, 4)
    due = due if due > after else add_years(due, 1)
    with translation.override("de"):
        assert f"fällig am {formats.date_format(due)}" in page


def test_the_dashboard_shows_due_evaluations_and_late_adjustments_to_speakers(
    agreement: Agreement,
    other_agreement: Agreement,
    partner_org: Organisation,
    other_org: Organisation,
    koordination: User,
    referentin: User,
    fachkraft: User,
) -> None:
    _in_force(agreement)
    evaluation = evaluation_of_year(agreement, 2024, Evaluation.Status.REVIEW)
    _adjustment(evaluation, partner_org, what="Mehr Väter-Cafés in Kassel")
    _adjustment(evaluation, partner_org, what="Schon erledigt", status=Adjustment.Status.DONE)
    _adjustment(
        evaluation_of_year(other_agreement, 2024, "agreed"), other_org, what="Fremde Anpassung"
    )
    home = reverse("core:home")

    page = _client(koordination).get(home).text
    assert "Auswertung (§ 8)" in page
    assert "überfällig seit 4. Juni 2020" in page
    assert reverse("evaluation:detail", args=[agreement.slug, "2024"]) in page
    assert "Mehr Väter-Cafés in Kassel" in page
    assert "Schon erledigt" not in page and "Fremde Anpassung" not in page

    page = _client(referentin).get(home).text
    assert "überfällig seit 4. Juni 2020" in page and "Mehr Väter-Cafés in Kassel" in page

    page = _client(fachkraft).get(home).text
    assert "Auswertung (§ 8)" not in page and "Mehr Väter-Cafés" not in page

"""The agreement page's § 7 figures: exact for the documenting organisation, suppressed else."""

import datetime
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buendnis.accounts.models import Organisation, User
from buendnis.activities.models import Activity
from buendnis.activities.selectors import AgreementFigures, agreement_figures, current_deadline_days
from buendnis.agreements.models import Agreement
from buendnis.agreements.services import procedure_approve, procedure_create_version
from buendnis.core.suppression import suppressed

YEAR = timezone.localdate().year


def _in_year(day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(YEAR, 1, day, 18))


def _figures_on_page(user: User, slug: str) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("agreements:detail", args=[slug]))
    figures = response.context["figures"]
    return {name: str(getattr(figures, name)) for name in ("activities", "attendances", "people")}


def _figures(agreement: Agreement, user: User) -> AgreementFigures:
    """The agreement page's figures of ``YEAR``, under the § 7 deadline in effect."""
    return agreement_figures(
        agreement=agreement, year=YEAR, user=user, deadline_days=current_deadline_days(agreement)
    )


def test_it_sums_the_year_without_counting_people_twice(
    make_activity: Callable[..., Activity], fachkraft: User
) -> None:
    make_activity(starts_at=_in_year(6))
    make_activity(starts_at=_in_year(13), participants=11, first_timers=0)
    make_activity(starts_at=_in_year(20), status=Activity.Status.PLANNED)
    figures = _figures(Activity.objects.first().agreement, fachkraft)
    assert (figures.activities, figures.attendances, figures.people) == (2, 22, 3)
    assert figures.exact


def test_it_counts_documentation_within_the_deadline(
    make_activity: Callable[..., Activity], fachkraft: User
) -> None:
    make_activity(starts_at=_in_year(6), documented_at=_in_year(8))
    make_activity(starts_at=_in_year(6), documented_at=_in_year(28))
    figures = _figures(Activity.objects.first().agreement, fachkraft)
    assert (figures.documented, figures.documented_in_time) == (2, 1)


def test_the_page_counts_in_time_by_the_procedure_version_in_effect(
    make_activity: Callable[..., Activity],
    fachkraft: User,
    partner_org: Organisation,
    ministry_org: Organisation,
) -> None:
    activity = make_activity(starts_at=_in_year(6), documented_at=_in_year(28))  # 22 days on
    first = activity.agreement.procedures.get()  # 14 days, agreed by no one yet
    procedure_create_version(agreement=activity.agreement, deadline_days=30, required_fields=[])
    client = Client()
    client.force_login(fachkraft)
    page = reverse("agreements:detail", args=[activity.agreement.slug])
    assert client.get(page).context["figures"].documented_in_time == 1, "newest while none agreed"
    for organisation in (partner_org, ministry_org):
        procedure_approve(
            procedure=first, organisation=organisation, agreed_on=datetime.date(2019, 6, 4)
        )
    assert client.get(page).context["figures"].documented_in_time == 0, "the agreed 14 days"


def test_it_shows_the_documenting_organisation_exact_small_numbers(
    make_activity: Callable[..., Activity], fachkraft: User
) -> None:
    activity = make_activity(starts_at=_in_year(6))
    assert _figures_on_page(fachkraft, activity.agreement.slug) == {
        "activities": "1",
        "attendances": "11",
        "people": "3",
    }


def test_it_suppresses_small_numbers_for_the_ministry(
    make_activity: Callable[..., Activity], referentin: User
) -> None:
    activity = make_activity(starts_at=_in_year(6))
    assert _figures_on_page(referentin, activity.agreement.slug) == {
        "activities": "< 5",
        "attendances": "11",
        "people": "< 5",
    }


def test_it_keeps_zero_and_large_numbers_and_hides_one_to_four(settings: object) -> None:
    assert [suppressed(n) for n in (0, 1, 4, 5, 120)] == [0, "< 5", "< 5", 5, 120]
    settings.SUPPRESSION_THRESHOLD = 10  # type: ignore[attr-defined]
    assert suppressed(9) == "< 10" and suppressed(10) == 10


def test_it_suppresses_for_a_partner_when_another_organisation_documented_too(
    make_activity: Callable[..., Activity], fachkraft: User, ministry_org: object
) -> None:
    mine = make_activity(starts_at=_in_year(6))
    theirs = make_activity(starts_at=_in_year(7))
    Activity.objects.filter(pk=theirs.pk).update(organisation=ministry_org)
    with_both = _figures(mine.agreement, fachkraft)
    assert not with_both.exact and with_both.activities == "< 5"
    Activity.objects.filter(pk=theirs.pk).update(status=Activity.Status.CANCELLED)
    only_mine = _figures(mine.agreement, fachkraft)
    assert only_mine.exact and only_mine.activities == 1

"""One rule for exact figures: only the documenting organisation's own staff see them.

Every output that publishes figures asks ``Action.EXACT_FIGURES`` (through ``exact_scope``
and ``sees_exact``); this file checks each output for each role: the partner's Fachkraft
and coordinator get exact figures, the ministry, another partner of the same agreement and
the installation admin get the protected publication.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from buendnis.accounts.models import Organisation, User
from buendnis.accounts.policy import Action, can, exact_scope
from buendnis.activities.models import Activity
from buendnis.activities.selectors import agreement_figures, current_deadline_days
from buendnis.activities.services import documentation_setup
from buendnis.agreements.models import Agreement, AgreementPartner
from buendnis.counselling.selectors import statistics
from buendnis.counselling.services import ContactData, contact_create, topics_setup
from buendnis.evaluation.periods import calendar_year

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def shared(agreement: Agreement, other_org: Organisation) -> Agreement:
    """The agreement with a second partner organisation (the outsider's)."""
    AgreementPartner.objects.create(
        agreement=agreement, organisation=other_org, role=AgreementPartner.Role.PARTNER, position=2
    )
    documentation_setup(agreement=agreement, on=datetime.date(2019, 6, 4))
    topics_setup(agreement=agreement)
    return agreement


@pytest.fixture
def records(shared: Agreement, partner_org: Organisation, fachkraft: User) -> None:
    """One counselling contact and one held activity of the first partner in the year."""
    data = ContactData(
        date=datetime.date(YEAR, 3, 4), channel="phone", sought_by="family", kind="legal",
        duration_minutes=30, topic_ids=[shared.counselling_topics.first().pk],
    )  # fmt: skip
    contact_create(data=data, agreement=shared, organisation=partner_org, counsellor=fachkraft)
    start = datetime.datetime(YEAR, 3, 4, 18, tzinfo=datetime.UTC)
    Activity.objects.create(
        agreement=shared, organisation=partner_org, format=shared.formats.first(),
        title="Väter-Café", starts_at=start, ends_at=start + datetime.timedelta(hours=2),
        kreis_id="06413", status=Activity.Status.HELD, participants=3, first_timers=1,
    )  # fmt: skip


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# role: (exact figures of the first partner's records, counselling contacts as seen)
ROLES = {
    "fachkraft": (True, 1),
    "koordination": (True, 1),
    "referentin": (False, "< 5"),
    "outsider": (False, 0),  # the second partner: exact only over its own (no) contacts
    "admin_user": (False, "< 5"),
}


@pytest.mark.parametrize(("role", "expected"), ROLES.items())
def test_each_output_gives_exact_figures_only_to_the_documenting_organisation(
    shared: Agreement,
    records: None,
    partner_org: Organisation,
    request: pytest.FixtureRequest,
    role: str,
    expected: tuple[bool, object],
) -> None:
    exact, contacts = expected
    user = request.getfixturevalue(role)
    assert can(user, Action.EXACT_FIGURES, partner_org) is exact
    assert (partner_org.pk in exact_scope(user, shared)) is exact
    assert can(user, Action.REPORT_INTERNAL, shared) is False  # nobody is in both partners
    figures = agreement_figures(
        agreement=shared, year=YEAR, user=user, deadline_days=current_deadline_days(shared)
    )
    assert figures.exact is exact
    assert figures.activities == (1 if exact else "< 5")
    assert statistics(agreement=shared, year=YEAR, user=user).contacts_shown == contacts
    client = _client(user)
    url = reverse("counselling:statistics", args=[shared.slug]) + f"?year={YEAR}&period=month"
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["figures"].contacts_shown == contacts
    export = reverse("counselling:export", args=[shared.slug, "csv"]) + f"?year={YEAR}&period=month"
    csv = client.get(export).content.decode()
    assert ("Exakte Zahlen" in csv) is (exact or role == "outsider")
    assert ("Geschützte Zahlen" in csv) is not (exact or role == "outsider")
    assert client.get(reverse("agreements:detail", args=[shared.slug])).status_code == 200
    results = client.get(reverse("feedback:results", args=[shared.slug]))
    assert results.status_code == 200
    assert results.context["exact"] is False  # no responses: nothing to see exactly


def test_a_single_partners_staff_get_the_internal_report_and_the_admin_does_not(
    agreement: Agreement, fachkraft: User, koordination: User, referentin: User, admin_user: User
) -> None:
    for user in (fachkraft, koordination):
        assert can(user, Action.REPORT_INTERNAL, agreement)
    for user in (referentin, admin_user):
        assert not can(user, Action.REPORT_INTERNAL, agreement)
    url = reverse("evaluation:report", args=[agreement.slug, calendar_year(YEAR).key])
    shown = _client(admin_user).get(url + "?copy=internal")
    assert shown.status_code == 200
    assert shown.context["report"]["copy"] == "ministry"

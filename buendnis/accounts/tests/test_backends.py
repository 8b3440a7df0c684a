"""A session's user is read with their roles and agreements, fresh on every request."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buendnis.accounts.backends import FIELDS, GrantsBackend
from buendnis.accounts.models import Membership, Organisation, User
from buendnis.accounts.policy import (
    Action,
    _own_partners,
    can,
    is_admin,
    organisation_ids,
    visible_agreement_ids,
)
from buendnis.agreements.models import Agreement
from buendnis.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_user_comes_with_every_role_and_agreement_in_one_statement(
    koordination: User,
    partner_org: Organisation,
    other_org: Organisation,
    agreement: Agreement,
    other_agreement: Agreement,
    django_assert_num_queries: object,
) -> None:
    Membership.objects.create(user=koordination, organisation=other_org, role="fachkraft")
    with django_assert_num_queries(1):  # type: ignore[operator]
        user = GrantsBackend().get_user(koordination.pk)
        assert user is not None
        assert organisation_ids(user, Membership.Role.KOORDINATION) == {partner_org.pk}
        assert organisation_ids(user, Membership.Role.FACHKRAFT) == {other_org.pk}
        assert visible_agreement_ids(user) == sorted([agreement.pk, other_agreement.pk])
        assert can(user, Action.AGREEMENT_VIEW, agreement)
    assert user == koordination
    assert user.username == "anna"
    assert user.check_password(PASSWORD)


def test_it_answers_as_the_policy_reads_it_alone(
    fachkraft: User, referentin: User, agreement: Agreement, other_agreement: Agreement
) -> None:
    for person in (fachkraft, referentin):
        read_alone = User.objects.get(pk=person.pk)
        with_grants = GrantsBackend().get_user(person.pk)
        assert organisation_ids(with_grants) == organisation_ids(read_alone)
        assert visible_agreement_ids(with_grants) == visible_agreement_ids(read_alone)
        for either in (agreement, other_agreement):
            assert _own_partners(with_grants, either) == _own_partners(read_alone, either)
            for action in (Action.AGREEMENT_VIEW, Action.EVALUATION_WRITE):
                assert can(with_grants, action, either) == can(read_alone, action, either)


def test_a_membership_of_an_organisation_party_to_no_agreement_still_counts(
    other_org: Organisation,
) -> None:
    person = User.objects.create_user(username="lena", password="x")
    Membership.objects.create(user=person, organisation=other_org, role="koordination")
    user = GrantsBackend().get_user(person.pk)
    assert organisation_ids(user) == {other_org.pk}
    assert visible_agreement_ids(user) == []


def test_a_superuser_without_memberships_is_read_too() -> None:
    root = User.objects.create_superuser(username="root", password="x")
    user = GrantsBackend().get_user(root.pk)
    assert user is not None
    assert is_admin(user)
    assert organisation_ids(user) == set()


def test_an_unknown_or_deactivated_user_is_nobody(fachkraft: User) -> None:
    assert GrantsBackend().get_user(fachkraft.pk + 1000) is None
    fachkraft.is_active = False
    fachkraft.save()
    assert GrantsBackend().get_user(fachkraft.pk) is None


def test_an_id_that_is_no_number_is_nobody(fachkraft: User) -> None:
    assert GrantsBackend().get_user("1; DROP TABLE accounts_user") is None
    assert GrantsBackend().get_user(str(fachkraft.pk)) == fachkraft  # as the session keeps it


def test_the_user_is_the_same_as_the_orm_reads_it(fachkraft: User) -> None:
    """The read is compiled once and sent as it is: the values come converted all the same."""
    fachkraft.last_login = timezone.now()
    fachkraft.save()
    read_by_the_orm = User.objects.get(pk=fachkraft.pk)
    for _ in range(2):  # compiled on the first call, reused on the second
        user = GrantsBackend().get_user(fachkraft.pk)
        assert user is not None
        for name in FIELDS:
            assert getattr(user, name) == getattr(read_by_the_orm, name), name
            assert type(getattr(user, name)) is type(getattr(read_by_the_orm, name)), name
        assert user._state.adding is False
        assert user._state.db == read_by_the_orm._state.db


def test_a_signed_in_page_reads_session_and_user_only(
    client: Client, koordination: User, agreement: Agreement, django_assert_num_queries: object
) -> None:
    client.force_login(koordination)
    client.get(reverse("accounts:password_change"))  # the session's once-a-minute touch
    with django_assert_num_queries(2):  # type: ignore[operator]
        response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 200


def test_a_membership_taken_away_counts_from_the_next_request(
    client: Client, koordination: User, agreement: Agreement
) -> None:
    client.force_login(koordination)
    page = reverse("agreements:detail", args=[agreement.slug])
    assert client.get(page).status_code == 200
    koordination.memberships.all().delete()
    assert client.get(page).status_code == 404  # as for an agreement one is no party to

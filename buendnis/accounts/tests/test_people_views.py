"""Managing people: roles, deactivation and reactivation, within one's own organisation."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buendnis.accounts.models import Membership, Organisation, User
from buendnis.accounts.policy import Action, can
from buendnis.accounts.services import user_create
from buendnis.agreements.models import Agreement
from buendnis.conftest import PASSWORD


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _role(client: Client, person: User, role: str) -> object:
    membership = person.memberships.get()
    return client.post(
        reverse("accounts:person_role", args=[person.pk, membership.pk]),
        {f"m{membership.pk}-role": role},
    )


def test_it_lists_the_coordinators_people_only(
    koordination: User, fachkraft: User, outsider: User
) -> None:
    response = _signed_in(koordination).get(reverse("accounts:people_list"))
    assert response.status_code == 200
    assert set(response.context["people"]) == {koordination, fachkraft}
    assert "outsider" not in response.text


def test_it_lets_the_admin_list_everyone_and_filter(
    admin_user: User, koordination: User, outsider: User, other_org: Organisation
) -> None:
    client = _signed_in(admin_user)
    assert set(client.get(reverse("accounts:people_list")).context["people"]) == {
        admin_user,
        koordination,
        outsider,
    }
    response = client.get(reverse("accounts:people_list"), {"organisation": other_org.pk})
    assert list(response.context["people"]) == [outsider]


def test_it_changes_a_role(koordination: User, fachkraft: User) -> None:
    client = _signed_in(koordination)
    assert client.get(reverse("accounts:person_detail", args=[fachkraft.pk])).status_code == 200
    response = _role(client, fachkraft, Membership.Role.KOORDINATION)
    assert response.status_code == 302
    assert fachkraft.memberships.get().role == Membership.Role.KOORDINATION
    assert can(User.objects.get(pk=fachkraft.pk), Action.ACTIVITY_IMPORT)


@pytest.mark.parametrize("role", [Membership.Role.MINISTERIUM, Membership.Role.ADMIN])
def test_it_refuses_a_role_a_coordinator_may_not_give(
    koordination: User, fachkraft: User, role: str
) -> None:
    response = _role(_signed_in(koordination), fachkraft, role)
    assert response.status_code == 400
    assert fachkraft.memberships.get().role == Membership.Role.FACHKRAFT


def test_it_keeps_the_last_coordinator(koordination: User, fachkraft: User) -> None:
    client = _signed_in(koordination)
    response = _role(client, koordination, Membership.Role.FACHKRAFT)
    assert response.status_code == 400
    assert "letzte Person" in response.text
    assert koordination.memberships.get().role == Membership.Role.KOORDINATION
    response = client.post(reverse("accounts:person_deactivate", args=[koordination.pk]))
    assert User.objects.get(pk=koordination.pk).is_active
    # With a second coordinator, the first may step down.
    _role(client, fachkraft, Membership.Role.KOORDINATION)
    assert _role(client, koordination, Membership.Role.FACHKRAFT).status_code == 302


def test_it_deactivates_a_person_who_then_cannot_sign_in_and_whose_records_stay(
    koordination: User, fachkraft: User, agreement: Agreement, partner_org: Organisation
) -> None:
    from buendnis.activities.models import Activity, Format

    own_session = _signed_in(fachkraft)
    assert own_session.get(reverse("core:home")).status_code == 200
    format_ = Format.objects.create(
        agreement=agreement, key="cafe", name="Väter-Café", status_since=timezone.localdate()
    )
    start = timezone.now() - datetime.timedelta(days=3)
    activity = Activity.objects.create(
        agreement=agreement,
        organisation=partner_org,
        format=format_,
        title="Väter-Café",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        responsible=fachkraft,
    )

    client = _signed_in(koordination)
    response = client.post(reverse("accounts:person_deactivate", args=[fachkraft.pk]))
    assert response.status_code == 302
    fachkraft.refresh_from_db()
    assert not fachkraft.is_active
    assert not Client().login(username="samir", password=PASSWORD)
    response = Client().post(reverse("accounts:login"), {"username": "samir", "password": PASSWORD})
    assert "Benutzername oder Passwort ist falsch" in response.text
    # The session they had is over too.
    assert own_session.get(reverse("core:home")).status_code == 302
    activity.refresh_from_db()
    assert activity.responsible == fachkraft
    assert fachkraft.memberships.get().role == Membership.Role.FACHKRAFT

    assert (
        client.post(reverse("accounts:person_reactivate", args=[fachkraft.pk])).status_code == 302
    )
    assert Client().login(username="samir", password=PASSWORD)


def test_it_denies_other_organisation(
    koordination: User, outsider: User, referentin: User, admin_user: User, fachkraft: User
) -> None:
    client = _signed_in(koordination)
    membership = outsider.memberships.get()
    for name in ("person_detail", "person_deactivate", "person_reactivate"):
        method = client.get if name == "person_detail" else client.post
        assert method(reverse(f"accounts:{name}", args=[outsider.pk])).status_code == 404
    response = client.post(
        reverse("accounts:person_role", args=[outsider.pk, membership.pk]),
        {f"m{membership.pk}-role": Membership.Role.FACHKRAFT},
    )
    assert response.status_code == 404
    # Neither the ministry's officers nor the admin are a coordinator's to manage.
    for other in (referentin, admin_user):
        assert client.get(reverse("accounts:person_detail", args=[other.pk])).status_code == 404
    outsider.refresh_from_db()
    assert outsider.is_active
    assert outsider.memberships.get().role == Membership.Role.KOORDINATION
    # The ministry manages its officers, not the partners' staff.
    ministry = _signed_in(referentin)
    assert ministry.get(reverse("accounts:person_detail", args=[fachkraft.pk])).status_code == 404
    assert ministry.get(reverse("accounts:person_detail", args=[referentin.pk])).status_code == 200


def test_it_denies_the_people_pages_to_a_fachkraft(fachkraft: User, koordination: User) -> None:
    client = _signed_in(fachkraft)
    assert client.get(reverse("accounts:people_list")).status_code == 403
    assert client.get(reverse("accounts:person_detail", args=[koordination.pk])).status_code == 404
    assert (
        client.post(reverse("accounts:person_deactivate", args=[koordination.pk])).status_code
        == 404
    )
    assert User.objects.get(pk=koordination.pk).is_active


def test_it_leaves_a_person_with_a_second_organisation_to_the_admin(
    koordination: User, fachkraft: User, other_org: Organisation, admin_user: User
) -> None:
    Membership.objects.create(
        user=fachkraft, organisation=other_org, role=Membership.Role.FACHKRAFT
    )
    assert (
        _signed_in(koordination)
        .get(reverse("accounts:person_detail", args=[fachkraft.pk]))
        .status_code
        == 404
    )
    response = _signed_in(admin_user).get(reverse("accounts:person_detail", args=[fachkraft.pk]))
    assert len(response.context["forms"]) == 2


def test_it_lets_the_admin_change_any_role_but_not_deactivate_the_last_admin(
    admin_user: User, outsider: User
) -> None:
    client = _signed_in(admin_user)
    assert _role(client, outsider, Membership.Role.FACHKRAFT).status_code == 302
    assert outsider.memberships.get().role == Membership.Role.FACHKRAFT
    client.post(reverse("accounts:person_deactivate", args=[admin_user.pk]))
    assert User.objects.get(pk=admin_user.pk).is_active
    second = user_create(
        username="root2", password=PASSWORD, organisation=None, role=Membership.Role.ADMIN
    )
    assert second.is_superuser
    client.post(reverse("accounts:person_deactivate", args=[admin_user.pk]))
    assert not User.objects.get(pk=admin_user.pk).is_active


def test_it_lists_people_in_a_fixed_number_of_queries(
    koordination: User,
    partner_org: Organisation,
    other_org: Organisation,
    django_assert_max_num_queries: object,
) -> None:
    for n in range(12):
        person = user_create(
            username=f"person{n}",
            password=PASSWORD,
            organisation=partner_org,
            role=Membership.Role.FACHKRAFT,
        )
        if n % 3 == 0:  # works elsewhere too: listed, but the admin's to manage
            Membership.objects.create(
                user=person, organisation=other_org, role=Membership.Role.FACHKRAFT
            )
    client = _signed_in(koordination)
    # Fewer queries than people: no query per person (8 today: session, user, nav, page).
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = client.get(reverse("accounts:people_list"))
    assert len(response.context["people"]) == 13
    assert len(response.context["manageable"]) == 9
    shared = User.objects.get(username="person0")
    assert reverse("accounts:person_detail", args=[shared.pk]) not in response.text

"""Inviting a person by e-mail: the one-time link that expires, and who may invite whom."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buendnis.accounts import services
from buendnis.accounts.models import Invitation, Membership, Organisation, User

NEW_PASSWORD = "ein-langes-neues-kennwort"


def _link(message: mail.EmailMessage) -> str:
    """The path of the one-time link in an invitation e-mail."""
    match = re.search(r"http://testserver(/konto/einladung/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def _invite(client: Client, organisation: Organisation, role: str, email: str = "lea@iaf.example"):
    return client.post(
        reverse("accounts:invitation_create"),
        {"organisation": organisation.pk, "email": email, "role": role},
    )


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _accept(link: str, username: str = "lea") -> object:
    return Client().post(
        link,
        {
            "first_name": "Lea",
            "last_name": "Berger",
            "username": username,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )


def test_it_invites_a_fachkraft_who_sets_up_the_account_and_signs_in(
    koordination: User, partner_org: Organisation
) -> None:
    response = _invite(_signed_in(koordination), partner_org, Membership.Role.FACHKRAFT)
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["lea@iaf.example"]
    assert "Fachkraft" in message.body and "7 Tage" in message.body
    link = _link(message)
    invitation = Invitation.objects.get()
    assert link.split("/")[-2] not in invitation.token_hash  # only a hash is stored
    assert len(invitation.token_hash) == 64

    page = Client().get(link)
    assert page.status_code == 200
    assert "lea@iaf.example" in page.text
    response = _accept(link)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")

    lea = User.objects.get(username="lea")
    assert lea.email == "lea@iaf.example"
    assert lea.get_full_name() == "Lea Berger"
    assert list(lea.memberships.values_list("organisation", "role")) == [
        (partner_org.pk, Membership.Role.FACHKRAFT)
    ]
    invitation.refresh_from_db()
    assert invitation.accepted_user == lea and invitation.accepted_at is not None
    assert Client().login(username="lea", password=NEW_PASSWORD)


def test_it_refuses_a_reused_link(koordination: User, partner_org: Organisation) -> None:
    _invite(_signed_in(koordination), partner_org, Membership.Role.FACHKRAFT)
    link = _link(mail.outbox[0])
    _accept(link)
    assert Client().get(link).status_code == 404
    response = _accept(link, username="lea2")
    assert response.status_code == 404
    assert "ungültig, abgelaufen oder wurde schon benutzt" in response.text
    assert not User.objects.filter(username="lea2").exists()


def test_it_refuses_an_expired_link(
    koordination: User, partner_org: Organisation, settings: object
) -> None:
    settings.INVITATION_DAYS = 3  # type: ignore[attr-defined]
    _invite(_signed_in(koordination), partner_org, Membership.Role.FACHKRAFT)
    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.created_at == pytest.approx(
        datetime.timedelta(days=3), abs=datetime.timedelta(seconds=5)
    )
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    link = _link(mail.outbox[0])
    assert Client().get(link).status_code == 404
    assert _accept(link).status_code == 404
    assert not User.objects.filter(username="lea").exists()


def test_it_refuses_an_unknown_or_withdrawn_link(
    koordination: User, partner_org: Organisation
) -> None:
    client = _signed_in(koordination)
    _invite(client, partner_org, Membership.Role.FACHKRAFT)
    link = _link(mail.outbox[0])
    assert Client().get("/konto/einladung/erfunden/").status_code == 404
    invitation = Invitation.objects.get()
    response = client.post(reverse("accounts:invitation_revoke", args=[invitation.pk]))
    assert response.status_code == 302
    assert _accept(link).status_code == 404
    assert not User.objects.filter(username="lea").exists()


def test_it_replaces_an_open_invitation_to_the_same_address(
    koordination: User, partner_org: Organisation
) -> None:
    client = _signed_in(koordination)
    _invite(client, partner_org, Membership.Role.FACHKRAFT)
    _invite(client, partner_org, Membership.Role.KOORDINATION)
    first, second = (_link(message) for message in mail.outbox)
    assert _accept(first).status_code == 404
    assert _accept(second).status_code == 302
    assert User.objects.get(username="lea").memberships.get().role == Membership.Role.KOORDINATION


@pytest.mark.parametrize("role", [Membership.Role.MINISTERIUM, Membership.Role.ADMIN])
def test_it_refuses_a_role_a_coordinator_may_not_give(
    koordination: User, partner_org: Organisation, role: str
) -> None:
    response = _invite(_signed_in(koordination), partner_org, role)
    assert response.status_code == 200
    assert response.context["form"].errors["role"]
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_it_refuses_a_wrong_role_in_the_service_too(
    koordination: User, partner_org: Organisation
) -> None:
    with pytest.raises(services.NotAllowed):
        services.invitation_create(
            organisation=partner_org,
            email="x@example.org",
            role=Membership.Role.ADMIN,
            invited_by=koordination,
            accept_url=lambda token: token,
        )
    assert not Invitation.objects.exists()


def test_it_lets_the_ministry_invite_only_officers(
    referentin: User, ministry_org: Organisation, partner_org: Organisation
) -> None:
    client = _signed_in(referentin)
    assert _invite(client, ministry_org, Membership.Role.FACHKRAFT).status_code == 200
    assert _invite(client, partner_org, Membership.Role.MINISTERIUM).status_code == 200
    assert not Invitation.objects.exists()
    assert _invite(client, ministry_org, Membership.Role.MINISTERIUM).status_code == 302
    assert Invitation.objects.get().organisation == ministry_org


def test_it_lets_the_admin_invite_anyone_anywhere(
    admin_user: User, other_org: Organisation, ministry_org: Organisation
) -> None:
    client = _signed_in(admin_user)
    assert _invite(client, other_org, Membership.Role.KOORDINATION).status_code == 302
    assert (
        _invite(client, ministry_org, Membership.Role.MINISTERIUM, "m@x.example").status_code == 302
    )
    # A partner organisation has no ministry officers, not even through the admin.
    assert _invite(client, other_org, Membership.Role.MINISTERIUM, "n@x.example").status_code == 200
    assert Invitation.objects.count() == 2


def test_it_denies_other_organisation(
    koordination: User, other_org: Organisation, outsider: User, fachkraft: User
) -> None:
    client = _signed_in(koordination)
    response = _invite(client, other_org, Membership.Role.FACHKRAFT)
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert (
        client.get(
            reverse("accounts:invitation_create") + f"?organisation={other_org.pk}"
        ).status_code
        == 404
    )
    foreign = services.invitation_create(
        organisation=other_org,
        email="z@example.org",
        role=Membership.Role.FACHKRAFT,
        invited_by=outsider,
        accept_url=lambda token: token,
    )
    assert client.post(reverse("accounts:invitation_revoke", args=[foreign.pk])).status_code == 404
    foreign.refresh_from_db()
    assert foreign.revoked_at is None
    # A Fachkraft invites nobody.
    assert _signed_in(fachkraft).get(reverse("accounts:invitation_create")).status_code == 403


def test_it_refuses_an_existing_colleague_and_a_taken_user_name(
    koordination: User, fachkraft: User, partner_org: Organisation
) -> None:
    fachkraft.email = "samir@iaf.example"
    fachkraft.save(update_fields=["email"])
    client = _signed_in(koordination)
    response = _invite(client, partner_org, Membership.Role.FACHKRAFT, "Samir@iaf.example")
    assert response.context["form"].errors["email"]
    _invite(client, partner_org, Membership.Role.FACHKRAFT)
    link = _link(mail.outbox[0])
    response = _accept(link, username="Samir")
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert Invitation.objects.get().accepted_at is None


def test_it_refuses_a_weak_or_mismatched_password(
    koordination: User, partner_org: Organisation
) -> None:
    _invite(_signed_in(koordination), partner_org, Membership.Role.FACHKRAFT)
    link = _link(mail.outbox[0])
    data = {"username": "lea", "password1": "12345678", "password2": "12345678"}
    assert Client().post(link, data).context["form"].errors["password1"]
    data = {"username": "lea", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"}
    assert Client().post(link, data).context["form"].errors["password2"]
    assert not User.objects.filter(username="lea").exists()


def test_it_shows_the_invitation_form_in_english(
    koordination: User, partner_org: Organisation
) -> None:
    client = Client(headers={"accept-language": "en"})
    client.force_login(koordination)
    response = client.get(reverse("accounts:invitation_create"))
    assert "Invite a person" in response.text

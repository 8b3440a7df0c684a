"""A departed person: the account is deactivated and pseudonymised, their records stay."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from buendnis.accounts import services
from buendnis.accounts.models import Invitation, Membership, Pseudonymisation, User
from buendnis.accounts.security.models import RecoveryCode, UserSession
from buendnis.accounts.security.tests.conftest import enrolled
from buendnis.activities.models import Activity, Format
from buendnis.agreements.models import Agreement
from buendnis.api.models import ApiToken
from buendnis.api.services import token_create
from buendnis.conftest import PASSWORD
from buendnis.evaluation.models import Evaluation, EvaluationEvent

pytestmark = pytest.mark.django_db


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(person: User) -> str:
    return reverse("accounts:person_pseudonymise", args=[person.pk])


def _confirm(client: Client, person: User) -> object:
    return client.post(_url(person), {"confirm": "on"})


def _with_everything(user: User) -> str:
    """Give the person a name, address, session, token, second factor and failed logins."""
    user.first_name, user.last_name, user.email = "Samir", "Haddad", "samir@buendnis.example"
    user.save()
    Invitation.objects.create(
        email="Samir@buendnis.example",
        organisation=user.memberships.get().organisation,
        role=Membership.Role.FACHKRAFT,
        token_hash="a" * 64,
        expires_at=timezone.now(),
        accepted_user=user,
    )
    token_create(user=user, name="Handy", scope="write")
    enrolled(user)
    AccessAttempt.objects.create(
        username=user.username,
        ip_address="2001:db8::1",
        user_agent="",
        attempt_time=timezone.now(),
        failures_since_start=2,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/konto/anmelden/",
    )
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    client.get(reverse("accounts:profile"))
    return client.session.session_key


def test_it_asks_for_confirmation_and_says_it_is_irreversible(
    koordination: User, fachkraft: User
) -> None:
    page = _signed_in(koordination).get(_url(fachkraft))
    assert page.status_code == 200
    assert "Das kann nicht rückgängig gemacht werden." in page.text
    assert not Pseudonymisation.objects.exists()
    english = _signed_in(koordination).get(_url(fachkraft), headers={"accept-language": "en"})
    assert "This cannot be undone." in english.text


def test_it_pseudonymises_a_departed_fachkraft(koordination: User, fachkraft: User) -> None:
    session_key = _with_everything(fachkraft)
    response = _confirm(_signed_in(koordination), fachkraft)
    assert response.status_code == 302
    record = Pseudonymisation.objects.get(user=fachkraft)
    name = f"ehemalige Fachkraft #{record.pk}"
    fachkraft.refresh_from_db()
    assert fachkraft.get_username() == name
    assert fachkraft.get_full_name() == name
    assert fachkraft.email == ""
    assert not fachkraft.is_active
    assert not fachkraft.has_usable_password()
    assert record.pseudonymised_by == koordination
    assert not Invitation.objects.filter(email__icontains="samir").exists()
    assert not ApiToken.objects.filter(user=fachkraft, revoked_at__isnull=True).exists()
    assert ApiToken.objects.filter(user=fachkraft).count() == 1  # listed as revoked
    assert not TOTPDevice.objects.filter(user=fachkraft).exists()
    assert not RecoveryCode.objects.filter(user=fachkraft).exists()
    assert not UserSession.objects.filter(user=fachkraft).exists()
    assert not Session.objects.filter(session_key=session_key).exists()
    assert not AccessAttempt.objects.filter(username="samir").exists()
    assert fachkraft.memberships.get().role == Membership.Role.FACHKRAFT
    assert authenticate(username="samir", password=PASSWORD) is None
    assert authenticate(username=name, password=PASSWORD) is None


def test_it_names_the_role_and_keeps_each_number(
    admin_user: User, koordination: User, fachkraft: User, referentin: User
) -> None:
    client = _signed_in(admin_user)
    for person in (fachkraft, koordination, referentin):
        assert _confirm(client, person).status_code == 302
    names = {
        p.pk: User.objects.get(pk=p.pk).get_username()
        for p in (fachkraft, koordination, referentin)
    }
    numbers = {r.user_id: r.pk for r in Pseudonymisation.objects.all()}
    assert names[fachkraft.pk] == f"ehemalige Fachkraft #{numbers[fachkraft.pk]}"
    assert names[koordination.pk] == f"ehemalige Koordinationskraft #{numbers[koordination.pk]}"
    assert names[referentin.pk] == (
        f"ehemalige Ministeriumsmitarbeitende #{numbers[referentin.pk]}"
    )
    assert len(set(numbers.values())) == 3


def test_it_shows_the_pseudonym_on_the_records_the_person_made(
    koordination: User, fachkraft: User, agreement: Agreement
) -> None:
    format_ = Format.objects.create(
        agreement=agreement, key="cafe", name="Väter-Café", status_since=datetime.date(2025, 1, 1)
    )
    start = timezone.now() - datetime.timedelta(days=2)
    activity = Activity.objects.create(
        agreement=agreement,
        organisation=koordination.memberships.get().organisation,
        format=format_,
        title="Väter-Café Offenbach",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        online=True,
        responsible=fachkraft,
    )
    evaluation = Evaluation.objects.create(
        agreement=agreement,
        period_kind=Evaluation.PeriodKind.CALENDAR,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
    )
    EvaluationEvent.objects.create(
        evaluation=evaluation, kind=EvaluationEvent.Kind.CREATED, by=fachkraft
    )
    fachkraft.first_name, fachkraft.last_name = "Samir", "Haddad"
    fachkraft.save()
    client = _signed_in(koordination)
    assert "Samir Haddad" in client.get(reverse("activities:detail", args=[activity.pk])).text
    _confirm(client, fachkraft)
    name = User.objects.get(pk=fachkraft.pk).get_username()
    page = client.get(reverse("activities:detail", args=[activity.pk])).text
    assert name in page
    assert "Samir" not in page
    evaluation_page = client.get(reverse("evaluation:detail", args=[agreement.slug, "2025"])).text
    assert name in evaluation_page
    assert "samir" not in evaluation_page
    activity.refresh_from_db()
    assert activity.responsible_id == fachkraft.pk


def test_it_refuses_without_the_confirmation(koordination: User, fachkraft: User) -> None:
    response = _signed_in(koordination).post(_url(fachkraft), {})
    assert response.status_code == 400
    assert "Bitte bestätigen Sie" in response.text
    fachkraft.refresh_from_db()
    assert fachkraft.get_username() == "samir"
    assert fachkraft.is_active
    assert not Pseudonymisation.objects.exists()


def test_it_refuses_the_last_coordinator_pseudonymising_themself(koordination: User) -> None:
    response = _confirm(_signed_in(koordination), koordination)
    assert response.status_code == 400
    assert "letzte Person" in response.text
    koordination.refresh_from_db()
    assert koordination.get_username() == "anna" and koordination.is_active
    assert not Pseudonymisation.objects.exists()


def test_it_refuses_the_last_admin_pseudonymising_themself(admin_user: User) -> None:
    with pytest.raises(services.NotAllowed):
        services.user_pseudonymise(user=admin_user, pseudonymised_by=admin_user)
    admin_user.refresh_from_db()
    assert admin_user.is_active and admin_user.has_usable_password()


def test_it_pseudonymises_only_once_and_never_reactivates(
    koordination: User, fachkraft: User
) -> None:
    client = _signed_in(koordination)
    _confirm(client, fachkraft)
    name = User.objects.get(pk=fachkraft.pk).get_username()
    with pytest.raises(services.NotAllowed, match="bereits pseudonymisiert"):
        services.user_pseudonymise(user=fachkraft, pseudonymised_by=koordination)
    assert client.get(_url(fachkraft)).status_code == 302
    response = client.post(reverse("accounts:person_reactivate", args=[fachkraft.pk]))
    assert response.status_code == 302
    fachkraft.refresh_from_db()
    assert not fachkraft.is_active
    assert fachkraft.get_username() == name
    detail = client.get(reverse("accounts:person_detail", args=[fachkraft.pk])).text
    assert "pseudonymisiert am" in detail
    assert "Konto wieder aktivieren" not in detail
    assert Pseudonymisation.objects.count() == 1


def test_it_denies_other_organisation(outsider: User, fachkraft: User) -> None:
    client = _signed_in(outsider)
    assert client.get(_url(fachkraft)).status_code == 404
    assert _confirm(client, fachkraft).status_code == 404
    fachkraft.refresh_from_db()
    assert fachkraft.get_username() == "samir" and fachkraft.is_active


def test_it_denies_a_fachkraft(fachkraft: User, koordination: User) -> None:
    assert _confirm(_signed_in(fachkraft), koordination).status_code == 404
    koordination.refresh_from_db()
    assert koordination.is_active


def test_it_lets_a_coordinator_not_pseudonymise_an_admin(
    koordination: User, admin_user: User
) -> None:
    assert _confirm(_signed_in(koordination), admin_user).status_code == 404
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_the_audit_log_keeps_no_name_or_address_of_the_departed(
    koordination: User, fachkraft: User
) -> None:
    from buendnis.audit.models import AuditEntry

    _with_everything(fachkraft)
    old_username = fachkraft.username
    _confirm(_signed_in(koordination), fachkraft)
    stored = " ".join(
        f"{entry.object_label} {entry.changes}" for entry in AuditEntry.objects.all()
    ).lower()
    assert AuditEntry.objects.filter(object_type="user", object_id=str(fachkraft.pk)).exists()
    for identity in ("samir", "haddad", old_username.lower()):
        assert identity not in stored
    log = _signed_in(koordination).get(reverse("audit:list"), {"object_type": "user"})
    fachkraft.refresh_from_db()
    assert fachkraft.get_username() in log.content.decode()

"""GDPR: a person downloads their own account data as JSON — theirs only, and no secret."""

import json
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buendnis.accounts import data_export
from buendnis.accounts.models import Invitation, Membership, User
from buendnis.accounts.policy import Action, can
from buendnis.accounts.security import services as security
from buendnis.accounts.security.models import RecoveryCode, UserSession
from buendnis.accounts.security.tests.conftest import enrolled
from buendnis.accounts.services import invitation_create
from buendnis.api.services import token_create

pytestmark = pytest.mark.django_db
URL = reverse("accounts:account_data")


def _signed_in(user: User) -> Client:
    """Signed in, with the second factor (where the person has one) already given."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[security.SECOND_FACTOR_KEY] = security.SECOND_FACTOR_VERIFIED
    session.save()
    return client


def _export(user: User) -> tuple[dict[str, Any], str]:
    response = _signed_in(user).get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    return json.loads(text), text


def test_it_downloads_the_own_account_data_as_a_json_file(fachkraft: User) -> None:
    fachkraft.first_name, fachkraft.last_name = "Samir", "Haddad"
    fachkraft.email = "samir@buendnis.example"
    fachkraft.save()
    response = _signed_in(fachkraft).get(URL)
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="buendnis-konto-')
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["format"] == "buendnis-account-data/1"
    profile = data["sections"]["profile"]
    assert profile["username"] == "samir"
    assert (profile["first_name"], profile["last_name"]) == ("Samir", "Haddad")
    assert profile["email"] == "samir@buendnis.example"
    assert data["sections"]["memberships"] == [
        {
            "organisation": "Verband binationaler Familien und Partnerschaften, iaf e.V.",
            "role": "fachkraft",
            "role_label": "Fachkraft",
            "since": data["sections"]["memberships"][0]["since"],
        }
    ]


def test_it_lists_the_sections_in_a_fixed_order(fachkraft: User) -> None:
    data, _text = _export(fachkraft)
    assert list(data["sections"]) == data_export.section_names()
    assert data_export.section_names()[:7] == [
        "profile",
        "memberships",
        "invitations_sent",
        "invitations_received",
        "sessions",
        "second_factor",
        "login_failures",
    ]
    assert "api_tokens" in data["sections"]


def test_it_holds_invitations_sessions_tokens_second_factor_and_failures(
    koordination: User, partner_org: object
) -> None:
    invitation_create(
        organisation=partner_org,
        email="neu@buendnis.example",
        role=Membership.Role.FACHKRAFT,
        invited_by=koordination,
        accept_url=lambda token: f"https://buendnis.example/{token}",
    )
    token_create(user=koordination, name="Statistik-Abruf", scope="read")
    enrolled(koordination)
    client = _signed_in(koordination)
    client.get(reverse("accounts:profile"))  # registers the session in the list
    AccessAttempt.objects.create(  # after the sign-in, which forgets earlier failures
        username="anna",
        ip_address="2001:db8::1",
        user_agent="",
        attempt_time=timezone.now(),
        failures_since_start=3,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/konto/anmelden/",
    )
    sections = json.loads(client.get(URL).content)["sections"]
    assert [i["email"] for i in sections["invitations_sent"]] == ["neu@buendnis.example"]
    assert sections["api_tokens"][0]["name"] == "Statistik-Abruf"
    assert sections["api_tokens"][0]["scope"] == "read"
    assert sections["second_factor"] == {
        "authenticator_app": True,
        "enrolment_pending": False,
        "recovery_codes_left": 10,
        "recovery_codes_used": 0,
    }
    assert len(sections["sessions"]) == 1
    assert set(sections["sessions"][0]) == {"device", "signed_in_at", "last_seen_at"}
    assert [f["failures"] for f in sections["login_failures"]] == [3]
    assert set(sections["login_failures"][0]) == {"last_attempt_at", "failures"}


def test_it_holds_no_secret(koordination: User, partner_org: object) -> None:
    invitation_create(
        organisation=partner_org,
        email="neu@buendnis.example",
        role=Membership.Role.FACHKRAFT,
        invited_by=koordination,
        accept_url=lambda token: token,
    )
    _token, secret = token_create(user=koordination, name="Abruf", scope="write")
    device, codes = enrolled(koordination)
    client = _signed_in(koordination)
    client.get(reverse("accounts:profile"))
    AccessAttempt.objects.create(
        username="anna",
        ip_address="2001:db8::77",
        user_agent="Mozilla/5.0 secret-agent",
        attempt_time=timezone.now(),
        failures_since_start=1,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/konto/anmelden/",
    )
    text = client.get(URL).content.decode()
    koordination.refresh_from_db()
    secrets = [
        koordination.password,
        secret,
        secret[:10],
        device.key,
        *codes,
        *(code.replace("-", "") for code in codes),
        *RecoveryCode.objects.values_list("digest", flat=True),
        *RecoveryCode.objects.values_list("salt", flat=True),
        *UserSession.objects.values_list("session_key", flat=True),
        *Invitation.objects.values_list("token_hash", flat=True),
        *koordination.api_tokens.values_list("key_hash", flat=True),
        "2001:db8::77",
        "secret-agent",
    ]
    assert all(value and value not in text for value in secrets)


def test_it_holds_nothing_of_another_person(
    fachkraft: User, koordination: User, partner_org: object
) -> None:
    invitation_create(
        organisation=partner_org,
        email="neu@buendnis.example",
        role=Membership.Role.FACHKRAFT,
        invited_by=koordination,
        accept_url=lambda token: token,
    )
    token_create(user=koordination, name="Annas Schlüssel", scope="read")
    enrolled(koordination)
    _signed_in(koordination).get(reverse("accounts:profile"))
    data, text = _export(fachkraft)
    assert "anna" not in text
    assert "Annas Schlüssel" not in text
    assert "neu@buendnis.example" not in text
    assert data["sections"]["invitations_sent"] == []
    assert data["sections"]["api_tokens"] == []
    assert data["sections"]["second_factor"]["authenticator_app"] is False
    assert len(data["sections"]["sessions"]) == 1  # the export's own session only


def test_it_lets_nobody_export_someone_elses_account(
    fachkraft: User, koordination: User, admin_user: User
) -> None:
    assert can(fachkraft, Action.ACCOUNT_DATA_EXPORT, fachkraft)
    assert not can(koordination, Action.ACCOUNT_DATA_EXPORT, fachkraft)
    assert not can(admin_user, Action.ACCOUNT_DATA_EXPORT, fachkraft)
    assert not can(fachkraft, Action.ACCOUNT_DATA_EXPORT, None)


def test_it_denies_other_organisation(outsider: User, fachkraft: User) -> None:
    """The export has no address for anyone else's data: it always answers for the asker."""
    data, text = _export(outsider)
    assert data["sections"]["profile"]["username"] == "outsider"
    assert "samir" not in text
    assert (
        _signed_in(outsider).get(URL + f"?user={fachkraft.pk}").content.decode().count("samir") == 0
    )


def test_it_sends_visitors_to_the_login() -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_refuses_a_second_builder_under_a_taken_name() -> None:
    with pytest.raises(ValueError, match="already registered"):
        data_export.register_section("profile", lambda user: {})


def test_it_adds_a_section_another_app_registers(fachkraft: User) -> None:
    data_export.register_section("test_extra", lambda user: {"who": user.get_username()})
    try:
        data, _text = _export(fachkraft)
        assert data["sections"]["test_extra"] == {"who": "samir"}
        assert list(data["sections"])[-1] == "test_extra"
    finally:
        data_export.unregister_section("test_extra")
    assert "test_extra" not in data_export.section_names()


def test_it_links_the_download_from_my_account(fachkraft: User) -> None:
    page = _signed_in(fachkraft).get(reverse("accounts:profile"))
    assert URL in page.text
    assert "Meine Kontodaten herunterladen (JSON)" in page.text

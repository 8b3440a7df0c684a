"""Two-factor authentication: enrolment, the code step, recovery codes, required roles."""

from datetime import timedelta

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from buendnis.accounts.models import User
from buendnis.accounts.security.models import RecoveryCode
from buendnis.accounts.security.tests.conftest import enrolled, signed_in, totp_code
from buendnis.conftest import PASSWORD

HOME = "/"


def test_it_sends_a_ministry_officer_without_a_device_to_enrolment_first(
    referentin: User, agreement: object
) -> None:
    client = signed_in(referentin)
    response = client.get(reverse("agreements:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("security:enrol"))
    assert "next=" in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Für Ihre Rolle ist eine Anmeldung mit zweitem Faktor vorgeschrieben" in page.text


def test_it_requires_enrolment_of_an_admin_too(admin_user: User) -> None:
    response = signed_in(admin_user).get(HOME)
    assert response["Location"].startswith(reverse("security:enrol"))


def test_it_lets_a_fachkraft_in_without_a_second_factor(fachkraft: User) -> None:
    assert signed_in(fachkraft).get(reverse("agreements:list")).status_code == 200


def test_it_follows_the_roles_setting(referentin: User, settings: object) -> None:
    settings.TWO_FACTOR_REQUIRED_ROLES = ["fachkraft"]
    assert signed_in(referentin).get(reverse("agreements:list")).status_code == 200


def test_it_enrols_with_a_code_from_the_shown_key(referentin: User) -> None:
    client = signed_in(referentin)
    page = client.get(reverse("security:enrol") + "?next=/vereinbarungen/")
    secret = page.context["secret"]
    assert page.context["qr"].startswith("data:image/svg+xml")
    wrong = client.post(reverse("security:enrol"), {"code": "000000", "next": "/vereinbarungen/"})
    assert wrong.status_code == 400
    assert "Der Code stimmt nicht" in wrong.text

    # After a wrong code django-otp makes the next one wait a moment.
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        response = client.post(
            reverse("security:enrol"), {"code": totp_code(secret), "next": "/vereinbarungen/"}
        )
    assert response["Location"] == reverse("security:recovery_codes")
    codes_page = client.get(reverse("security:recovery_codes"))
    assert len(codes_page.context["codes"]) == 10
    assert codes_page.context["after"] == "/vereinbarungen/"
    # Shown once only.
    assert client.get(reverse("security:recovery_codes")).status_code == 302
    assert TOTPDevice.objects.get(user=referentin).confirmed
    assert client.get(reverse("agreements:list")).status_code == 200
    stored = RecoveryCode.objects.filter(user=referentin)
    assert stored.count() == 10
    assert not any(
        code.replace("-", "") in row.digest
        for row in stored
        for code in codes_page.context["codes"]
    )


def test_it_asks_for_the_code_after_the_password(referentin: User) -> None:
    device, _ = enrolled(referentin)
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": "referentin", "password": PASSWORD}
    )
    assert response.status_code == 302
    held = client.get(reverse("agreements:list"))
    assert held["Location"].startswith(reverse("security:verify"))
    wrong = client.post(reverse("security:verify"), {"code": "123456", "next": "/vereinbarungen/"})
    assert wrong.status_code == 400
    assert client.get(reverse("agreements:list")).status_code == 302

    device.refresh_from_db()
    device.throttle_reset()
    key_before = client.session.session_key
    response = client.post(
        reverse("security:verify"),
        {"code": totp_code(device.bin_key, offset_steps=1), "next": "/vereinbarungen/"},
    )
    assert response["Location"] == "/vereinbarungen/"
    assert client.session.session_key != key_before
    assert client.get(reverse("agreements:list")).status_code == 200


def test_it_throttles_wrong_codes(referentin: User) -> None:
    device, _ = enrolled(referentin)
    client = signed_in(referentin)
    client.post(reverse("security:verify"), {"code": "123456"})
    # Right away after a wrong code even the right one waits for the throttle.
    response = client.post(
        reverse("security:verify"), {"code": totp_code(device.bin_key, offset_steps=1)}
    )
    assert response.status_code == 400
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1


def test_it_accepts_a_recovery_code_once_only(referentin: User) -> None:
    _, codes = enrolled(referentin)
    first = signed_in(referentin)
    response = first.post(reverse("security:verify"), {"code": codes[3].upper(), "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert first.get(reverse("agreements:list")).status_code == 200

    second = signed_in(referentin)
    again = second.post(reverse("security:verify"), {"code": codes[3]})
    assert again.status_code == 400
    assert second.get(reverse("agreements:list")).status_code == 302
    assert RecoveryCode.objects.filter(user=referentin, used_at__isnull=True).count() == 9


def test_it_refuses_an_unsafe_next_address(referentin: User) -> None:
    _, codes = enrolled(referentin)
    client = signed_in(referentin)
    response = client.post(
        reverse("security:verify"), {"code": codes[0], "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("core:home")


def test_it_renews_recovery_codes_and_retires_the_old_ones(referentin: User) -> None:
    _, old = enrolled(referentin)
    client = signed_in(referentin)
    client.post(reverse("security:verify"), {"code": old[0]})
    client.post(reverse("security:recovery_codes_renew"))
    new = client.get(reverse("security:recovery_codes")).context["codes"]
    assert set(new).isdisjoint(old)
    other = signed_in(referentin)
    assert other.post(reverse("security:verify"), {"code": old[1]}).status_code == 400


def test_it_lets_a_fachkraft_switch_the_second_factor_off(fachkraft: User) -> None:
    _, codes = enrolled(fachkraft)
    client = signed_in(fachkraft)
    client.post(reverse("security:verify"), {"code": codes[0]})
    refused = client.post(reverse("security:second_factor_remove"), {"code": "falsch"})
    assert refused["Location"] == reverse("security:overview")
    assert TOTPDevice.objects.filter(user=fachkraft).exists()
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        response = client.post(reverse("security:second_factor_remove"), {"code": codes[1]})
    assert response["Location"] == reverse("accounts:login")
    assert not TOTPDevice.objects.filter(user=fachkraft).exists()
    assert not RecoveryCode.objects.filter(user=fachkraft).exists()


def test_it_keeps_the_second_factor_of_a_required_role(referentin: User) -> None:
    _, codes = enrolled(referentin)
    client = signed_in(referentin)
    client.post(reverse("security:verify"), {"code": codes[0]})
    client.post(reverse("security:second_factor_remove"), {"code": codes[1]})
    assert TOTPDevice.objects.filter(user=referentin, confirmed=True).exists()


def test_it_shows_the_status_on_the_security_page(fachkraft: User) -> None:
    client = signed_in(fachkraft)
    assert "Nicht eingerichtet" in client.get(reverse("security:overview")).text
    _, codes = enrolled(fachkraft)
    client.post(reverse("security:verify"), {"code": codes[0]})
    page = client.get(reverse("security:overview"))
    assert "noch 9 Wiederherstellungscodes" in page.text


def test_it_denies_other_organisation(referentin: User, outsider: User) -> None:
    # The second factor belongs to its user: another account's codes open nothing.
    _, codes = enrolled(referentin)
    enrolled(outsider)
    client = signed_in(outsider)
    assert client.post(reverse("security:verify"), {"code": codes[0]}).status_code == 400
    assert RecoveryCode.objects.filter(user=referentin, used_at__isnull=True).count() == 10


def test_it_needs_a_login() -> None:
    response = Client().get(reverse("security:enrol"))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_refuses_an_app_code_a_second_time(referentin: User) -> None:
    device, _ = enrolled(referentin)
    code = totp_code(device.bin_key, offset_steps=1)
    first = signed_in(referentin)
    assert first.post(reverse("security:verify"), {"code": code}).status_code == 302
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        second = signed_in(referentin)
        assert second.post(reverse("security:verify"), {"code": code}).status_code == 400


def test_it_speaks_english_on_the_code_pages(referentin: User) -> None:
    client = Client(headers={"accept-language": "en"})
    client.force_login(referentin)
    enrol = client.get(reverse("security:enrol"))
    assert 'lang="en"' in enrol.text
    assert "Set up two-factor sign-in" in enrol.text
    assert "Your role requires signing in with a second factor" in enrol.text
    enrolled(referentin)
    verify = client.get(reverse("security:verify"))
    assert "Code from the app or recovery code" in verify.text

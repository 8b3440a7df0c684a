"""The admins' page: lifting lockouts and resetting a lost second factor."""

from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from buendnis.accounts.models import User
from buendnis.accounts.security.models import UserSession
from buendnis.accounts.security.tests.conftest import enrolled
from buendnis.conftest import PASSWORD


def _admin_client(admin_user: User) -> Client:
    _, codes = enrolled(admin_user)
    client = Client()
    client.force_login(admin_user)
    assert client.post(reverse("security:verify"), {"code": codes[0]}).status_code == 302
    return client


def _lock(username: str, address: str = "203.0.113.7") -> None:
    for _ in range(10):
        Client(REMOTE_ADDR=address).post(
            reverse("accounts:login"), {"username": username, "password": "falsch"}
        )


def test_it_lists_locked_usernames_and_addresses(admin_user: User, fachkraft: User) -> None:
    _lock("samir")
    page = _admin_client(admin_user).get(reverse("security:manage"))
    assert page.status_code == 200
    assert [row["username"] for row in page.context["lockouts"]["username"]] == ["samir"]
    assert len(page.context["lockouts"]["ip_address"]) == 1
    assert "203.0.113.7" not in page.text


def test_it_unlocks_a_username(admin_user: User, fachkraft: User) -> None:
    _lock("samir")
    client = _admin_client(admin_user)
    response = client.post(reverse("security:unlock"), {"username": "samir"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="samir").exists()
    login = Client(REMOTE_ADDR="203.0.113.7").post(
        reverse("accounts:login"), {"username": "samir", "password": PASSWORD}
    )
    assert login.status_code == 302


def test_it_unlocks_an_address(admin_user: User, fachkraft: User) -> None:
    _lock("niemand")
    address = AccessAttempt.objects.get().ip_address
    _admin_client(admin_user).post(reverse("security:unlock"), {"address": address})
    assert not AccessAttempt.objects.exists()


def test_it_resets_a_lost_second_factor(admin_user: User, referentin: User) -> None:
    enrolled(referentin)
    officer = Client()
    officer.force_login(referentin)
    response = _admin_client(admin_user).post(
        reverse("security:second_factor_reset"), {"username": "referentin"}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=referentin).exists()
    assert not UserSession.objects.filter(user=referentin).exists()
    assert officer.get(reverse("agreements:list")).status_code == 302
    # At the next login the required role leads to a new enrolment.
    again = Client()
    again.force_login(referentin)
    assert again.get("/")["Location"].startswith(reverse("security:enrol"))


def test_it_reports_an_unknown_account(admin_user: User) -> None:
    response = _admin_client(admin_user).post(
        reverse("security:second_factor_reset"), {"username": "niemand"}, follow=True
    )
    assert "Dieses Konto gibt es nicht" in response.text


def test_it_denies_other_organisation(koordination: User, fachkraft: User) -> None:
    _lock("samir")
    client = Client()
    client.force_login(koordination)
    assert client.get(reverse("security:manage")).status_code == 403
    assert client.post(reverse("security:unlock"), {"username": "samir"}).status_code == 403
    assert AccessAttempt.objects.filter(username="samir").exists()
    reset = client.post(reverse("security:second_factor_reset"), {"username": "samir"})
    assert reset.status_code == 403

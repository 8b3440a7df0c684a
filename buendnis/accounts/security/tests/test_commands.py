"""``buendnis unlock`` and ``buendnis reset-2fa`` for admins at the console."""

import pytest
from axes.models import AccessAttempt
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from buendnis.accounts.models import User
from buendnis.accounts.security.models import RecoveryCode
from buendnis.accounts.security.tests.conftest import enrolled


def _lock(username: str, address: str) -> None:
    for _ in range(10):
        Client(REMOTE_ADDR=address).post(
            reverse("accounts:login"), {"username": username, "password": "falsch"}
        )


def test_it_unlocks_a_username(fachkraft: User, capsys: pytest.CaptureFixture[str]) -> None:
    _lock("samir", "203.0.113.7")
    _lock("anna", "198.51.100.1")
    call_command("unlock", "samir")
    assert not AccessAttempt.objects.filter(username="samir").exists()
    assert AccessAttempt.objects.filter(username="anna").exists()
    assert "Entsperrt / unlocked (1" in capsys.readouterr().out


def test_it_unlocks_an_address_given_in_clear(fachkraft: User) -> None:
    _lock("niemand", "203.0.113.7")
    _lock("anna", "198.51.100.1")
    call_command("unlock", "--address", "203.0.113.7")
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["anna"]


def test_it_needs_a_username_or_an_address(db: None) -> None:
    with pytest.raises(CommandError):
        call_command("unlock")


def test_it_resets_a_second_factor(referentin: User) -> None:
    enrolled(referentin)
    call_command("reset_2fa", "referentin")
    assert not TOTPDevice.objects.filter(user=referentin).exists()
    assert not RecoveryCode.objects.filter(user=referentin).exists()


def test_it_names_an_unknown_account(db: None) -> None:
    with pytest.raises(CommandError, match="No such account"):
        call_command("reset_2fa", "niemand")

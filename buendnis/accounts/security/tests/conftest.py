"""Fixtures for the account-security tests: the second factor required as in production."""

import base64
import re
import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from buendnis.accounts.models import User
from buendnis.accounts.security import services


@pytest.fixture(autouse=True)
def _second_factor_required(settings: pytest.FixtureRequest) -> None:
    """Undo the suite-wide relaxation: here the real default applies."""
    settings.TWO_FACTOR_REQUIRED_ROLES = ["ministerium", "admin"]


def totp_code(key: bytes | str, offset_steps: int = 0) -> str:
    """The code an authenticator app shows now (or ``offset_steps`` periods later)."""
    if isinstance(key, str):
        compact = re.sub(r"\s", "", key)
        key = base64.b32decode(compact + "=" * (-len(compact) % 8))
    totp = TOTP(key)
    totp.time = time.time() + offset_steps * 30
    return f"{totp.token():06d}"


def enrolled(user: User) -> tuple[TOTPDevice, list[str]]:
    """Give the user a confirmed authenticator through the real services."""
    device = services.totp_enrolment_start(user=user)
    codes = services.totp_enrolment_confirm(
        user=user, device=device, token=totp_code(device.bin_key)
    )
    assert codes is not None
    device.refresh_from_db()
    return device, codes


def signed_in(user: User) -> Client:
    """A client after the password step (the second factor still to come)."""
    client = Client()
    client.force_login(user)
    return client

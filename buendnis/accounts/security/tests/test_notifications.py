"""Users hear by e-mail when their second factor changes (ASVS 2.2.3, 2.5.5)."""

from collections.abc import Callable
from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse

from buendnis.accounts.models import User
from buendnis.accounts.security import services
from buendnis.accounts.security.tests.conftest import enrolled, totp_code


def test_it_tells_the_user_of_an_enrolment(
    referentin: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    referentin.email = "referentin@hmsi.example"
    referentin.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        device = services.totp_enrolment_start(user=referentin)
        services.totp_enrolment_confirm(
            user=referentin, device=device, token=totp_code(device.bin_key)
        )
    assert [m.to for m in mail.outbox] == [["referentin@hmsi.example"]]
    assert "zweiter Faktor eingerichtet" in mail.outbox[0].subject
    assert "Waren Sie das nicht" in mail.outbox[0].body


def test_it_tells_the_user_of_an_admins_reset(
    referentin: User, admin_user: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    enrolled(referentin)
    referentin.email = "referentin@hmsi.example"
    referentin.save(update_fields=["email"])
    _, codes = enrolled(admin_user)
    client = Client()
    client.force_login(admin_user)
    client.post(reverse("security:verify"), {"code": codes[0]})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("security:second_factor_reset"), {"username": "referentin"})
    assert len(mail.outbox) == 1
    assert "die Administration hat den zweiten Faktor" in mail.outbox[0].body


def test_it_sends_nothing_without_an_address(
    fachkraft: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        enrolled(fachkraft)
        services.recovery_codes_renew(user=fachkraft)
    assert mail.outbox == []

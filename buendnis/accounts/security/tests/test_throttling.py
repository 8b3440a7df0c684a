"""Login throttling: refused after the limit per username and per address, then the cool-off."""

import re
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.hashers import get_hasher
from django.test import Client
from django.utils import timezone

from buendnis.accounts.models import User
from buendnis.conftest import PASSWORD

LOGIN = "/konto/anmelden/"


def _attempt(username: str, password: str, address: str = "203.0.113.7") -> object:
    client = Client(REMOTE_ADDR=address)
    return client.post(LOGIN, {"username": username, "password": password})


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def _fail(times: int, username: str = "samir", address: str = "203.0.113.7") -> None:
    for _ in range(times):
        response = _attempt(username, "falsch", address)
        assert response.status_code in (200, 429)


def test_it_refuses_the_eleventh_attempt_even_with_the_right_password(
    fachkraft: User, settings: object
) -> None:
    assert settings.LOGIN_FAILURE_LIMIT == 10
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _fail(9)
        assert _attempt("samir", "falsch").status_code == 429  # the tenth announces the lock
        refused = _attempt("samir", PASSWORD)
        assert refused.status_code == 429
        assert "Zu viele fehlgeschlagene Anmeldeversuche" in refused.text
        assert "15 Minuten" in refused.text
        assert "_auth_user_id" not in refused.wsgi_request.session

        traveller.shift(timedelta(minutes=14))
        assert _attempt("samir", PASSWORD).status_code == 429

        traveller.shift(timedelta(minutes=2))
        accepted = _attempt("samir", PASSWORD)
        assert accepted.status_code == 302
        assert accepted.wsgi_request.session["_auth_user_id"] == str(fachkraft.pk)


def test_it_says_the_lock_in_english(fachkraft: User) -> None:
    _fail(10)
    client = Client(REMOTE_ADDR="203.0.113.7", headers={"accept-language": "en"})
    response = client.post(LOGIN, {"username": "samir", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.text


def test_it_locks_a_username_whatever_address_the_attempts_come_from(fachkraft: User) -> None:
    for number in range(10):
        _attempt("samir", "falsch", address=f"198.51.100.{number}")
    assert _attempt("samir", PASSWORD, address="192.0.2.99").status_code == 429


def test_it_locks_an_address_whatever_usernames_it_tries(
    fachkraft: User, koordination: User
) -> None:
    for number in range(10):
        _attempt(f"gibt-es-nicht-{number}", "falsch")
    assert _attempt("anna", PASSWORD).status_code == 429
    assert _attempt("anna", PASSWORD, address="192.0.2.99").status_code == 302


def test_it_answers_an_unknown_username_exactly_like_a_known_one(fachkraft: User) -> None:
    known = _attempt("samir", "falsch", address="192.0.2.1")
    unknown = _attempt("niemand", "falsch", address="192.0.2.2")
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors
    _fail(10, "samir", "192.0.2.1")
    _fail(10, "niemand", "192.0.2.2")
    locked_known = _attempt("samir", PASSWORD, address="192.0.2.1")
    locked_unknown = _attempt("niemand", PASSWORD, address="192.0.2.2")
    assert locked_known.status_code == locked_unknown.status_code == 429
    assert _without_csrf(locked_known.text) == _without_csrf(locked_unknown.text)


def test_it_runs_the_password_hasher_for_an_unknown_username(
    fachkraft: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    hasher_class = type(get_hasher())
    calls: list[str] = []
    original = hasher_class.encode

    def counting_encode(self: object, password: str, salt: str) -> str:
        calls.append(password)
        return original(self, password, salt)

    monkeypatch.setattr(hasher_class, "encode", counting_encode)
    _attempt("niemand", "falsch")
    assert calls == ["falsch"]


def test_it_stores_no_client_address(fachkraft: User) -> None:
    _fail(2, address="203.0.113.7")
    stored = AccessAttempt.objects.get(username="samir")
    assert stored.ip_address != "203.0.113.7"
    assert "203.0.113.7" not in stored.ip_address
    assert "falsch" not in stored.post_data


def test_it_forgets_a_users_own_failures_after_they_sign_in(
    fachkraft: User, koordination: User
) -> None:
    _fail(9, "samir")
    _fail(9, "anna", address="198.51.100.1")
    assert _attempt("samir", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="samir").exists()
    # Another account's failures stay: signing in to one's own account unlocks nobody else.
    assert AccessAttempt.objects.get(username="anna").failures_since_start == 9
    _fail(1, "samir")
    assert _attempt("samir", PASSWORD).status_code == 302


def test_it_lets_code_authenticate_without_a_request(fachkraft: User) -> None:
    from django.contrib.auth import authenticate

    _fail(10)
    assert _attempt("samir", PASSWORD).status_code == 429
    # Code has no client to count against: the password alone decides.
    assert authenticate(username="samir", password="falsch") is None
    assert authenticate(username="samir", password=PASSWORD) == fachkraft
    assert Client().login(username="samir", password=PASSWORD)

"""Sessions: idle timeout, absolute lifetime, the session list, signing out everywhere."""

from datetime import timedelta

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from buendnis.accounts.models import User
from buendnis.accounts.security.models import UserSession
from buendnis.conftest import PASSWORD

FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"
CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


def _login(user_agent: str = FIREFOX_ANDROID) -> Client:
    client = Client(headers={"user-agent": user_agent})
    response = client.post(reverse("accounts:login"), {"username": "samir", "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_it_ends_a_session_after_the_idle_timeout(fachkraft: User, settings: object) -> None:
    assert settings.SESSION_IDLE_MINUTES == 30
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = _login()
        traveller.shift(timedelta(minutes=29))
        assert client.get(reverse("agreements:list")).status_code == 200
        traveller.shift(timedelta(minutes=29))  # active again within the limit
        assert client.get(reverse("agreements:list")).status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get(reverse("agreements:list"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert "_auth_user_id" not in client.session
        assert not UserSession.objects.filter(user=fachkraft).exists()
        page = client.get(response["Location"])
        assert "Ihre Sitzung ist abgelaufen" in page.text


def test_it_ends_even_an_active_session_after_its_lifetime(
    fachkraft: User, settings: object
) -> None:
    assert settings.SESSION_MAX_HOURS == 12
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = _login()
        for _ in range(12 * 3):
            traveller.shift(timedelta(minutes=20))
            assert client.get(reverse("agreements:list")).status_code == 200
        traveller.shift(timedelta(minutes=20))
        assert client.get(reverse("agreements:list")).status_code == 302


def test_it_follows_the_idle_setting(fachkraft: User, settings: object) -> None:
    settings.SESSION_IDLE_MINUTES = 5
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = _login()
        traveller.shift(timedelta(minutes=6))
        assert client.get(reverse("agreements:list")).status_code == 302


def test_it_lists_the_sessions_and_marks_this_one(fachkraft: User) -> None:
    phone = _login(FIREFOX_ANDROID)
    _login(CHROME_WINDOWS)
    page = phone.get(reverse("security:overview"))
    assert page.status_code == 200
    assert "Firefox / Android" in page.text
    assert "Chrome / Windows" in page.text
    assert page.text.count("(dieses Gerät)") == 1
    sessions = list(page.context["sessions"])
    assert len(sessions) == 2
    assert {s.device for s in sessions} == {"Firefox / Android", "Chrome / Windows"}
    assert not any(CHROME_WINDOWS in s.device for s in sessions)


def test_it_ends_one_other_session(fachkraft: User) -> None:
    phone = _login(FIREFOX_ANDROID)
    desk = _login(CHROME_WINDOWS)
    desk_session = UserSession.objects.get(session_key=desk.session.session_key)
    response = phone.post(reverse("security:session_end", args=[desk_session.pk]))
    assert response.status_code == 302
    assert desk.get(reverse("agreements:list")).status_code == 302
    assert phone.get(reverse("agreements:list")).status_code == 200


def test_it_signs_out_everywhere(fachkraft: User) -> None:
    phone = _login(FIREFOX_ANDROID)
    desk = _login(CHROME_WINDOWS)
    response = phone.post(reverse("security:sign_out_everywhere"))
    assert response["Location"] == reverse("accounts:login")
    assert phone.get(reverse("agreements:list")).status_code == 302
    assert desk.get(reverse("agreements:list")).status_code == 302
    assert not UserSession.objects.filter(user=fachkraft).exists()


def test_it_forgets_a_session_at_logout(fachkraft: User) -> None:
    client = _login()
    assert UserSession.objects.filter(user=fachkraft).count() == 1
    client.post(reverse("accounts:logout"))
    assert not UserSession.objects.filter(user=fachkraft).exists()


def test_it_denies_other_organisation(fachkraft: User, outsider: User) -> None:
    _login()
    theirs = UserSession.objects.get(user=fachkraft)
    client = Client()
    client.force_login(outsider)
    response = client.post(reverse("security:session_end", args=[theirs.pk]))
    assert response.status_code == 302
    assert UserSession.objects.filter(pk=theirs.pk).exists()
    page = client.get(reverse("security:overview"))
    assert [s.user for s in page.context["sessions"]] == [outsider]


def test_it_ends_sessions_only_by_post(fachkraft: User) -> None:
    client = _login()
    assert client.get(reverse("security:sign_out_everywhere")).status_code == 405


def test_it_adds_no_query_to_a_signed_in_request(fachkraft: User, settings: object) -> None:
    client = _login()
    client.get(reverse("agreements:list"))
    with CaptureQueriesContext(connection) as secured:
        client.get(reverse("agreements:list"))
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "AccountSecurity" not in m]
    with CaptureQueriesContext(connection) as plain:
        client.get(reverse("agreements:list"))
    assert len(secured) == len(plain)


def test_it_drops_entries_of_sessions_that_ran_out(fachkraft: User) -> None:
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _login(FIREFOX_ANDROID)  # left open, never signed out
        traveller.shift(timedelta(minutes=31))
        _login(CHROME_WINDOWS)
        assert list(UserSession.objects.values_list("device", flat=True)) == ["Chrome / Windows"]


def test_it_ends_the_other_sessions_when_the_password_changes(fachkraft: User) -> None:
    phone = _login(FIREFOX_ANDROID)
    desk = _login(CHROME_WINDOWS)
    new_password = "ein-ganz-neues-passwort"
    response = phone.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert phone.get(reverse("agreements:list")).status_code == 200
    assert desk.get(reverse("agreements:list")).status_code == 302

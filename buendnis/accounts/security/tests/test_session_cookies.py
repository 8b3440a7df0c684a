"""The session cookie: HttpOnly, SameSite, a fresh key at each sign-in (ASVS 3.2–3.4)."""

from django.conf import settings
from django.test import Client
from django.urls import reverse

from buendnis.accounts.models import User
from buendnis.conftest import PASSWORD


def test_it_issues_a_fresh_httponly_samesite_cookie_at_sign_in(fachkraft: User) -> None:
    client = Client()
    client.get(reverse("accounts:login"))
    client.session.save()
    before = client.session.session_key
    response = client.post(reverse("accounts:login"), {"username": "samir", "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value != before
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 12 * 3600
    assert cookie.value not in response["Location"]

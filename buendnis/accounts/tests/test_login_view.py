"""Signing in and out, in German and English."""

from django.test import Client
from django.urls import reverse

from buendnis.accounts.models import User
from buendnis.conftest import PASSWORD


def test_it_shows_the_login_form_in_german() -> None:
    response = Client().get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "Anmelden" in response.text
    assert 'lang="de"' in response.text


def test_it_shows_the_login_form_in_english() -> None:
    response = Client(headers={"accept-language": "en"}).get(reverse("accounts:login"))
    assert 'lang="en"' in response.text
    assert "Sign in" in response.text


def test_it_signs_in_and_goes_to_the_agreements(fachkraft: User) -> None:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": "samir", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("core:home")
    assert response.context["user"] == fachkraft


def test_it_refuses_a_wrong_password_with_a_clear_message(fachkraft: User) -> None:
    response = Client().post(reverse("accounts:login"), {"username": "samir", "password": "falsch"})
    assert response.status_code == 200
    assert "Benutzername oder Passwort ist falsch" in response.text
    assert not response.context["user"].is_authenticated


def test_it_signs_out_only_by_post(fachkraft: User) -> None:
    client = Client()
    client.force_login(fachkraft)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("agreements:list")).status_code == 302

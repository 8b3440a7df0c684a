"""Changing one's password, and resetting it by e-mail with Django's own views."""

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from buendnis.accounts.models import User
from buendnis.conftest import PASSWORD

NEW_PASSWORD = "ein-langes-neues-kennwort"


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _with_email(user: User) -> User:
    user.email = "samir@iaf.example"
    user.save(update_fields=["email"])
    return user


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_it_changes_the_password(fachkraft: User) -> None:
    client = _signed_in(fachkraft)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert Client().login(username="samir", password=NEW_PASSWORD)
    assert not Client().login(username="samir", password=PASSWORD)
    # The session that changed it stays signed in.
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_it_refuses_a_wrong_old_password(fachkraft: User) -> None:
    response = _signed_in(fachkraft).post(
        reverse("accounts:password_change"),
        {"old_password": "falsch", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    assert Client().login(username="samir", password=PASSWORD)


def test_it_refuses_a_weak_new_password(fachkraft: User) -> None:
    response = _signed_in(fachkraft).post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "samir", "new_password2": "samir"},
    )
    assert response.context["form"].errors["new_password2"]
    assert Client().login(username="samir", password=PASSWORD)


def test_it_asks_signed_out_users_to_sign_in_first() -> None:
    response = Client().get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_links_to_the_reset_from_the_login_page() -> None:
    response = Client().get(reverse("accounts:login"))
    assert reverse("accounts:password_reset") in response.text
    assert "Passwort vergessen?" in response.text


def test_it_resets_the_password_with_a_link_that_works_once(fachkraft: User) -> None:
    _with_email(fachkraft)
    response = Client().post(reverse("accounts:password_reset"), {"email": "samir@iaf.example"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    (message,) = mail.outbox
    assert message.to == ["samir@iaf.example"]
    link = re.search(r"http://testserver(/konto/passwort-neu/\S+/)", message.body).group(1)

    client = Client()
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert Client().login(username="samir", password=NEW_PASSWORD)

    again = Client().get(link, follow=True)
    assert not again.context["validlink"]
    assert "ungültig, abgelaufen oder wurde schon benutzt" in again.text


def test_it_gives_the_same_answer_for_an_unknown_address(fachkraft: User) -> None:
    _with_email(fachkraft)
    known = Client().post(
        reverse("accounts:password_reset"), {"email": "samir@iaf.example"}, follow=True
    )
    unknown = Client().post(
        reverse("accounts:password_reset"), {"email": "niemand@iaf.example"}, follow=True
    )
    assert known.redirect_chain == unknown.redirect_chain
    assert _without_csrf(known.text) == _without_csrf(unknown.text)
    assert len(mail.outbox) == 1


def test_it_sends_no_reset_to_a_deactivated_account(fachkraft: User) -> None:
    _with_email(fachkraft)
    fachkraft.is_active = False
    fachkraft.save(update_fields=["is_active"])
    response = Client().post(reverse("accounts:password_reset"), {"email": "samir@iaf.example"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_it_uses_the_public_address_in_the_reset_link(fachkraft: User, settings: object) -> None:
    settings.PUBLIC_URL = "https://buendnis.example.org"  # type: ignore[attr-defined]
    _with_email(fachkraft)
    Client().post(reverse("accounts:password_reset"), {"email": "samir@iaf.example"})
    assert "https://buendnis.example.org/konto/passwort-neu/" in mail.outbox[0].body


def test_it_updates_name_and_email_on_my_account(fachkraft: User) -> None:
    client = _signed_in(fachkraft)
    response = client.post(
        reverse("accounts:profile"),
        {"first_name": "Samir", "last_name": "Haddad", "email": "samir@iaf.example"},
    )
    assert response.status_code == 302
    fachkraft.refresh_from_db()
    assert (fachkraft.get_full_name(), fachkraft.email) == ("Samir Haddad", "samir@iaf.example")
    page = client.get(reverse("accounts:profile"))
    assert "Fachkraft" in page.text and "Passwort ändern" in page.text
    assert client.post(reverse("accounts:profile"), {"email": "kaputt"}).status_code == 200
    assert User.objects.get(pk=fachkraft.pk).email == "samir@iaf.example"


def test_it_denies_other_organisation(fachkraft: User, outsider: User) -> None:
    """One's own account is the only one these pages touch."""
    client = _signed_in(outsider)
    client.post(
        reverse("accounts:profile"), {"first_name": "X", "last_name": "", "email": "x@x.example"}
    )
    fachkraft.refresh_from_db()
    assert fachkraft.first_name == "" and fachkraft.email == ""
    assert User.objects.get(pk=outsider.pk).email == "x@x.example"

"""Sessions are Django's database sessions; their read is compiled once and answers alike."""

import datetime

import pytest
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buendnis.accounts.models import User
from buendnis.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _saved(**data: object) -> str:
    store = SessionStore()
    store.update(data)
    store.create()
    assert store.session_key is not None
    return store.session_key


def test_a_session_reads_as_djangos_own_store_reads_it(django_assert_num_queries: object) -> None:
    key = _saved(colour="blau", count=3)
    with django_assert_num_queries(1):  # type: ignore[operator]
        loaded = SessionStore(key).load()
    assert loaded == db.SessionStore(key).load() == {"colour": "blau", "count": 3}


def test_an_expired_session_is_no_session() -> None:
    key = _saved(colour="blau")
    Session.objects.filter(pk=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None  # as Django's store: a new one is made on saving
    assert db.SessionStore(key).load() == {}


def test_an_unknown_key_is_no_session() -> None:
    _saved(colour="blau")
    store = SessionStore("k" * 32)
    assert store.load() == {}
    assert store.session_key is None


def test_an_expired_session_signs_the_user_out(client: Client, fachkraft: User) -> None:
    client.force_login(fachkraft)
    page = reverse("accounts:password_change")
    assert client.get(page).status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(page)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]

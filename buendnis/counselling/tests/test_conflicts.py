"""No lost update, no change in an agreed period: counselling contacts (issue 16)."""

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from buendnis.accounts.models import User
from buendnis.agreements.models import Agreement
from buendnis.core.locking import EditConflict
from buendnis.core.tests.conflicts import (
    assert_second_writer_refused,
    loaded_version,
    resend,
)
from buendnis.counselling import services
from buendnis.counselling.models import Contact, Topic
from buendnis.evaluation.locks import PeriodLocked
from buendnis.evaluation.models import Evaluation
from buendnis.evaluation.tests.factories import evaluation_of_year

pytestmark = pytest.mark.django_db
LOCKED_DAY = datetime.date(2025, 5, 6)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(contact: Contact, version: int, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "version": version,
        "sought_by": contact.sought_by,
        "kind": contact.kind,
        "duration_minutes": contact.duration_minutes,
        "contact_type": "first",
        "date": contact.date.isoformat(),
        "channel": contact.channel,
        "topics": [t.pk for t in contact.topics.all()],
        "languages": contact.languages,
        "note": contact.note,
    }
    data.update(changes)
    return data


@pytest.fixture
def locked_2025(agreement: Agreement) -> Evaluation:
    return evaluation_of_year(
        agreement, 2025, Evaluation.Status.AGREED, agreed_on=datetime.date(2026, 6, 10)
    )


def test_the_second_of_two_edits_gets_409_and_loses_nothing(
    make_contact: Callable[..., Contact], fachkraft: User, koordination: User
) -> None:
    contact = make_contact()
    url = reverse("counselling:detail", args=[contact.pk])
    lena, anna = _client(fachkraft), _client(koordination)
    lena_version, anna_version = loaded_version(lena, url), loaded_version(anna, url)
    assert lena_version == anna_version == 1

    assert lena.post(url, _post(contact, lena_version, duration_minutes=45)).status_code == 302
    second = anna.post(url, _post(contact, anna_version, note="Rückruf vereinbart"))
    assert_second_writer_refused(second, mine="Rückruf vereinbart", stored="45")
    contact.refresh_from_db()
    assert (contact.duration_minutes, contact.note, contact.version) == (45, "", 2)

    again = anna.post(url, resend(second))
    assert again.status_code == 302
    contact.refresh_from_db()
    assert (contact.note, contact.version) == ("Rückruf vereinbart", 3)


def test_it_refuses_a_stale_service_call(make_contact: Callable[..., Contact]) -> None:
    contact = make_contact()
    data = services.ContactData(
        date=contact.date,
        channel="video",
        sought_by="family",
        kind="legal",
        duration_minutes=20,
        topic_ids=[t.pk for t in contact.topics.all()],
    )
    services.contact_update(contact=contact, data=data, expected_version=1)
    with pytest.raises(EditConflict):
        services.contact_update(contact=contact, data=data, expected_version=1)


def test_it_refuses_a_contact_dated_in_an_agreed_period(
    locked_2025: Evaluation,
    agreement: Agreement,
    fachkraft: User,
    topics: dict[str, Topic],
) -> None:
    url = reverse("counselling:create", args=[agreement.slug])
    data = {
        "sought_by": "family",
        "kind": "legal",
        "duration_minutes": "30",
        "contact_type": "first",
        "date": LOCKED_DAY.isoformat(),
        "channel": "phone",
        "topics": [topics["Familiennachzug"].pk],
    }
    response = _client(fachkraft).post(url, data)
    assert response.status_code == 200
    assert "Das Jahr 2025 ist ausgewertet und gesperrt" in response.content.decode()
    assert not Contact.objects.exists()


def test_it_refuses_editing_or_moving_a_contact_of_an_agreed_period(
    make_contact: Callable[..., Contact],
    agreement: Agreement,
    koordination: User,
) -> None:
    old = make_contact(date=LOCKED_DAY)
    recent = make_contact()
    evaluation_of_year(agreement, 2025, Evaluation.Status.AGREED)
    client = _client(koordination)

    edit = client.post(
        reverse("counselling:detail", args=[old.pk]), _post(old, 1, duration_minutes=90)
    )
    assert edit.status_code == 200
    assert "ausgewertet und gesperrt" in edit.content.decode()
    moved = client.post(
        reverse("counselling:detail", args=[recent.pk]),
        _post(recent, 1, date=LOCKED_DAY.isoformat()),
    )
    assert "ausgewertet und gesperrt" in moved.content.decode()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.duration_minutes, old.version) == (30, 1)
    assert recent.date != LOCKED_DAY and recent.version == 1


def test_the_lock_is_the_activities_one(
    locked_2025: Evaluation, make_contact: Callable[..., Contact]
) -> None:
    with pytest.raises(PeriodLocked) as locked:
        make_contact(date=LOCKED_DAY)
    assert locked.value.evaluation == locked_2025
    assert "Öffnung durch die Koordination" in str(locked.value)

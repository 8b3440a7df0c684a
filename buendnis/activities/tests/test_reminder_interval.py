"""§ 7 reminders are recorded and not resent inside the interval; --dry-run sends nothing."""

import datetime
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from buendnis.accounts.models import User
from buendnis.activities.models import Activity, ActivityReminder
from buendnis.activities.reminders import last_reminders, reminders_send

pytestmark = pytest.mark.django_db
NOW = timezone.now()


@pytest.fixture(autouse=True)
def _mail(fachkraft: User, settings: Any) -> None:
    fachkraft.email = "samir@iaf.example"
    fachkraft.save(update_fields=["email"])
    settings.REMINDER_INTERVAL_DAYS = 7


def _late(make: Callable[..., Activity], title: str) -> Activity:
    return make(title=title, status="held", starts_at=NOW - datetime.timedelta(days=21))


def test_it_records_each_reminded_activity(
    make_activity: Callable[..., Activity], fachkraft: User
) -> None:
    late = _late(make_activity, "Workshop A")
    assert reminders_send(now=NOW) == 1
    reminder = ActivityReminder.objects.get()
    assert (reminder.activity, reminder.recipient, reminder.sent_at) == (late, fachkraft, NOW)


def test_it_does_not_resend_inside_the_interval(
    make_activity: Callable[..., Activity],
) -> None:
    _late(make_activity, "Workshop A")
    assert reminders_send(now=NOW) == 1
    for days in (1, 3, 6):  # the daily schedule runs again and again
        assert reminders_send(now=NOW + datetime.timedelta(days=days)) == 0
    assert len(mail.outbox) == 1
    assert reminders_send(now=NOW + datetime.timedelta(days=7, minutes=1)) == 1
    assert len(mail.outbox) == 2


def test_it_reminds_at_once_of_a_newly_overdue_activity_only(
    make_activity: Callable[..., Activity],
) -> None:
    _late(make_activity, "Workshop A")
    reminders_send(now=NOW)
    _late(make_activity, "Workshop B")
    assert reminders_send(now=NOW + datetime.timedelta(days=1)) == 1
    body = mail.outbox[-1].body
    assert "Workshop B" in body and "Workshop A" not in body


def test_it_tells_when_each_activity_was_last_reminded(
    make_activity: Callable[..., Activity],
) -> None:
    first = _late(make_activity, "Workshop A")
    never = make_activity(title="Dokumentiert")
    reminders_send(now=NOW)
    later = NOW + datetime.timedelta(days=8)
    reminders_send(now=later)
    assert last_reminders([first.pk, never.pk]) == {first.pk: later}


def test_the_dry_run_shows_what_would_go_out_and_sends_nothing(
    make_activity: Callable[..., Activity],
) -> None:
    _late(make_activity, "Workshop A")
    out = StringIO()
    call_command("remind", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Probelauf" in text
    assert "samir@iaf.example" in text and "Workshop A" in text
    assert mail.outbox == []
    assert not ActivityReminder.objects.exists()

"""No lost update for formats and reviews (activities' own edits: test_activity_views)."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from buendnis.accounts.models import User
from buendnis.activities.models import Activity, Format
from buendnis.activities.tests.conftest import fathers_evening, form_data
from buendnis.agreements.models import Agreement
from buendnis.core.tests.conflicts import assert_second_writer_refused, loaded_version, resend

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_second_format_edit_gets_409_and_loses_nothing(
    documenting: Agreement, koordination: User
) -> None:
    online = Format.objects.get(agreement=documenting, key="online")
    url = reverse("activities:format_edit", args=[documenting.slug, online.pk])
    anna, tom = _client(koordination), _client(koordination)
    v1, v2 = loaded_version(anna, url), loaded_version(tom, url)
    assert anna.post(url, {"version": v1, "name": "Online-Väterabend"}).status_code == 302
    refused = tom.post(url, {"version": v2, "name": "Digitaler Vätertreff"})
    assert_second_writer_refused(refused, mine="Digitaler Vätertreff", stored="Online-Väterabend")
    online.refresh_from_db()
    assert (online.name, online.version) == ("Online-Väterabend", 2)
    assert tom.post(url, resend(refused)).status_code == 302
    online.refresh_from_db()
    assert online.name == "Digitaler Vätertreff"


def test_it_does_not_confirm_an_activity_changed_after_it_was_read(
    make_activity: Callable[..., Activity], fachkraft: User, koordination: User
) -> None:
    activity = make_activity()
    seen = activity.version
    edit = reverse("activities:edit", args=[activity.pk])
    data = form_data(fathers_evening(activity.agreement), activity.agreement, version=seen)
    assert _client(fachkraft).post(edit, {**data, "title": "Geändert"}).status_code == 302
    review = reverse("activities:review", args=[activity.pk])
    response = _client(koordination).post(review, {"version": seen}, follow=True)
    assert "inzwischen geändert" in response.content.decode()
    activity.refresh_from_db()
    assert activity.status == Activity.Status.DOCUMENTED and activity.reviewed_by is None
    _client(koordination).post(review, {"version": activity.version})
    activity.refresh_from_db()
    assert activity.status == Activity.Status.REVIEWED

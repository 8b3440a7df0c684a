"""§ 4: the format catalogue, pilots compared with established formats."""

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from buendnis.accounts.models import User
from buendnis.activities.models import Activity, Format, FormatStatusChange
from buendnis.agreements.models import Agreement


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_compares_formats_by_reach(
    make_activity: Callable[..., Activity], fachkraft: User
) -> None:
    online = Format.objects.get(agreement__slug="integration-braucht-partner", key="online")
    make_activity()
    make_activity(format=online, online=True, kreis=None, participants=11, first_timers=11)
    response = _client(fachkraft).get(
        reverse("activities:formats", args=["integration-braucht-partner"])
    )
    rows = {f.key: (f.held, f.attendances, f.people) for f in response.context["formats"]}
    assert rows["online"] == (1, 11, 11)
    assert rows["vaetergruppe"] == (1, 11, 3)
    assert rows["workshop"] == (0, 0, 0)
    assert not response.context["may_edit"]


def test_it_lets_the_coordinator_establish_a_pilot(
    documenting: Agreement, koordination: User
) -> None:
    url = reverse("activities:formats", args=[documenting.slug])
    online = Format.objects.get(agreement=documenting, key="online")
    response = _client(koordination).post(url, {"format": online.pk, "status": "established"})
    assert response.status_code == 302
    online.refresh_from_db()
    assert online.status == Format.Status.ESTABLISHED
    assert FormatStatusChange.objects.filter(format=online).count() == 2


def test_it_refuses_an_unknown_status(documenting: Agreement, koordination: User) -> None:
    online = Format.objects.get(agreement=documenting, key="online")
    url = reverse("activities:formats", args=[documenting.slug])
    _client(koordination).post(url, {"format": online.pk, "status": "famous"})
    online.refresh_from_db()
    assert online.status == Format.Status.PILOT


def test_it_denies_other_organisation(
    documenting: Agreement, fachkraft: User, outsider: User
) -> None:
    url = reverse("activities:formats", args=[documenting.slug])
    online = Format.objects.get(agreement=documenting, key="online")
    assert _client(outsider).get(url).status_code == 404
    assert (
        _client(fachkraft).post(url, {"format": online.pk, "status": "dropped"}).status_code == 404
    )
    online.refresh_from_db()
    assert online.status == Format.Status.PILOT


def test_it_records_no_status_change_when_the_status_stays(
    documenting: Agreement, koordination: User
) -> None:
    url = reverse("activities:formats", args=[documenting.slug])
    online = Format.objects.get(agreement=documenting, key="online")
    before = FormatStatusChange.objects.filter(format=online).count()
    response = _client(koordination).post(
        url, {"format": online.pk, "status": "pilot"}, follow=True
    )
    assert FormatStatusChange.objects.filter(format=online).count() == before == 1
    assert "schon; nichts geändert" in response.text

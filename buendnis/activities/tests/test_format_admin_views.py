"""§ 4: coordinators add formats (as pilots) and rename them; others may not."""

from django.test import Client
from django.urls import reverse

from buendnis.accounts.models import User
from buendnis.activities.models import Format, FormatStatusChange
from buendnis.activities.services import format_set_status
from buendnis.agreements.models import Agreement


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_adds_a_format_as_pilot(documenting: Agreement, koordination: User) -> None:
    url = reverse("activities:format_create", args=[documenting.slug])
    assert _client(koordination).get(url).status_code == 200
    response = _client(koordination).post(
        url, {"name": "Väter-Frühstück", "description": "Samstags, mit Kindern."}
    )
    assert response.status_code == 302
    fmt = Format.objects.get(agreement=documenting, name="Väter-Frühstück")
    assert (fmt.key, fmt.status, fmt.description) == (
        "vaeter-fruehstueck",
        Format.Status.PILOT,
        "Samstags, mit Kindern.",
    )
    assert list(FormatStatusChange.objects.filter(format=fmt).values_list("status", flat=True)) == [
        "pilot"
    ]


def test_it_refuses_a_name_the_agreement_already_has(
    documenting: Agreement, koordination: User
) -> None:
    url = reverse("activities:format_create", args=[documenting.slug])
    count = Format.objects.count()
    response = _client(koordination).post(url, {"name": "workshop", "description": "x"})
    assert response.status_code == 200
    assert "schon ein Format mit diesem Namen" in response.text
    assert 'value="workshop"' in response.text  # what was typed stays
    assert Format.objects.count() == count


def test_it_refuses_an_empty_name(documenting: Agreement, koordination: User) -> None:
    url = reverse("activities:format_create", args=[documenting.slug])
    count = Format.objects.count()
    response = _client(koordination).post(url, {"name": "  ", "description": "Beschreibung"})
    assert response.status_code == 200
    assert "Beschreibung" in response.text
    assert Format.objects.count() == count


def test_it_renames_a_format_and_keeps_its_key_and_history(
    documenting: Agreement, koordination: User
) -> None:
    online = Format.objects.get(agreement=documenting, key="online")
    url = reverse("activities:format_edit", args=[documenting.slug, online.pk])
    response = _client(koordination).post(
        url, {"version": 1, "name": "Online-Väterabend", "description": ""}
    )
    assert response.status_code == 302
    online.refresh_from_db()
    assert (online.key, online.name) == ("online", "Online-Väterabend")
    assert FormatStatusChange.objects.filter(format=online).count() == 1


def test_it_refuses_renaming_to_another_formats_name(
    documenting: Agreement, koordination: User
) -> None:
    online = Format.objects.get(agreement=documenting, key="online")
    url = reverse("activities:format_edit", args=[documenting.slug, online.pk])
    response = _client(koordination).post(
        url, {"version": 1, "name": "Workshop", "description": ""}
    )
    assert "schon ein Format mit diesem Namen" in response.text
    online.refresh_from_db()
    assert online.name == "Online-Format"


def test_it_retires_a_format_once(documenting: Agreement, koordination: User) -> None:
    online = Format.objects.get(agreement=documenting, key="online")
    for _ in range(2):
        format_set_status(fmt=online, status=Format.Status.DROPPED, on=online.status_since)
    assert list(
        FormatStatusChange.objects.filter(format=online).values_list("status", flat=True)
    ) == ["pilot", "dropped"]


def test_it_denies_other_organisation(
    documenting: Agreement, outsider: User, fachkraft: User, referentin: User
) -> None:
    online = Format.objects.get(agreement=documenting, key="online")
    create = reverse("activities:format_create", args=[documenting.slug])
    edit = reverse("activities:format_edit", args=[documenting.slug, online.pk])
    for user in (outsider, fachkraft, referentin):
        client = _client(user)
        assert client.get(create).status_code == 404
        assert client.post(create, {"name": "Neu"}).status_code == 404
        assert client.post(edit, {"name": "Anders"}).status_code == 404
    online.refresh_from_db()
    assert online.name == "Online-Format"
    assert not Format.objects.filter(name="Neu").exists()

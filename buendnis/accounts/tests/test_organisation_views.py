"""The admin's organisation pages: list, create, edit; delete only what has no records."""

from django.test import Client
from django.urls import reverse

from buendnis.accounts.models import Organisation, User
from buendnis.agreements.models import Agreement


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _data(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Bildungsstätte Anne Frank e.V.",
        "short_name": "BS Anne Frank",
        "kind": Organisation.Kind.PARTNER,
        "sector": Organisation.Sector.EDUCATION,
        "aliases": "Bildungsstätte Anne Frank\n\n Anne-Frank-Bildungsstätte ",
    }
    data.update(overrides)
    return data


def test_it_lists_and_creates_organisations(admin_user: User, partner_org: Organisation) -> None:
    client = _signed_in(admin_user)
    assert partner_org.name in client.get(reverse("accounts:organisation_list")).text
    response = client.post(reverse("accounts:organisation_create"), _data())
    assert response.status_code == 302
    created = Organisation.objects.get(short_name="BS Anne Frank")
    assert created.aliases == ["Bildungsstätte Anne Frank", "Anne-Frank-Bildungsstätte"]
    assert created.sector == Organisation.Sector.EDUCATION


def test_it_refuses_a_duplicate_name(admin_user: User, partner_org: Organisation) -> None:
    response = _signed_in(admin_user).post(
        reverse("accounts:organisation_create"), _data(name=partner_org.name.upper())
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert Organisation.objects.count() == 1


def test_it_edits_an_organisation(admin_user: User, other_org: Organisation) -> None:
    client = _signed_in(admin_user)
    url = reverse("accounts:organisation_edit", args=[other_org.pk])
    assert client.get(url).context["form"]["name"].value() == other_org.name
    response = client.post(url, _data(name="Hessischer Jugendring", short_name="hjr", aliases=""))
    assert response.status_code == 302
    other_org.refresh_from_db()
    assert (other_org.name, other_org.short_name, other_org.aliases) == (
        "Hessischer Jugendring",
        "hjr",
        [],
    )


def test_it_deletes_only_an_organisation_without_records(
    admin_user: User, agreement: Agreement, partner_org: Organisation
) -> None:
    client = _signed_in(admin_user)
    empty = Organisation.objects.create(name="Tippfehler e.V.", kind=Organisation.Kind.NETWORK)
    page = client.get(reverse("accounts:organisation_edit", args=[partner_org.pk]))
    assert not page.context["deletable"]
    response = client.post(reverse("accounts:organisation_delete", args=[partner_org.pk]))
    assert response.status_code == 302
    assert Organisation.objects.filter(pk=partner_org.pk).exists()
    assert client.get(reverse("accounts:organisation_edit", args=[empty.pk])).context["deletable"]
    client.post(reverse("accounts:organisation_delete", args=[empty.pk]))
    assert not Organisation.objects.filter(pk=empty.pk).exists()


def test_it_denies_other_organisation(
    koordination: User, referentin: User, partner_org: Organisation
) -> None:
    """Organisations are the admin's: coordinators and officers cannot even edit their own."""
    for user in (koordination, referentin):
        client = _signed_in(user)
        assert client.get(reverse("accounts:organisation_list")).status_code == 403
        url = reverse("accounts:organisation_edit", args=[partner_org.pk])
        assert client.post(url, _data()).status_code == 403
    partner_org.refresh_from_db()
    assert partner_org.short_name == "iaf e.V."

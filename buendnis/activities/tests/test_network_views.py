"""§ 5 Vernetzung: the register of network partners with derived figures."""

import datetime
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buendnis.accounts.models import Organisation, User
from buendnis.activities.models import Activity, NetworkPartner
from buendnis.activities.services import network_partner_add


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_derives_first_cooperation_and_joint_activities(
    make_activity: Callable[..., Activity], partner_org: Organisation, fachkraft: User
) -> None:
    network_partner_add(
        organisation=partner_org, name="Jugendamt Offenbach", sector="administration"
    )
    jugendamt = NetworkPartner.objects.get()
    make_activity(
        network_partners=[jugendamt],
        starts_at=timezone.make_aware(datetime.datetime(2025, 3, 4, 18)),
    )
    make_activity(network_partners=[jugendamt])
    make_activity()
    response = _client(fachkraft).get(reverse("activities:network"))
    (partner,) = response.context["partners"]
    assert partner.joint_activities == 2
    assert timezone.localtime(partner.first_cooperation).date() == datetime.date(2025, 3, 4)
    assert "Jugendamt Offenbach" in response.text


def test_it_adds_a_partner_from_the_page(documenting: object, fachkraft: User) -> None:
    response = _client(fachkraft).post(
        reverse("activities:network"),
        {"name": "Familienberatung Hanau", "sector": "counselling", "kreis": "06435"},
    )
    assert response.status_code == 302
    partner = NetworkPartner.objects.get()
    assert partner.kreis_id == "06435" and partner.sector == "counselling"


def test_it_refuses_a_partner_without_a_name(documenting: object, fachkraft: User) -> None:
    response = _client(fachkraft).post(
        reverse("activities:network"), {"name": "", "sector": "counselling"}
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert NetworkPartner.objects.count() == 0


def test_it_denies_other_organisation(
    partner_org: Organisation, outsider: User, referentin: User
) -> None:
    network_partner_add(
        organisation=partner_org, name="Jugendamt Offenbach", sector="administration"
    )
    assert "Jugendamt Offenbach" not in _client(outsider).get(reverse("activities:network")).text
    assert _client(referentin).get(reverse("activities:network")).status_code == 403

"""Staff publish an activity as an offer, withdraw and cancel it; the organisation's contact."""

from django.test import Client
from django.urls import reverse

from buendnis.accounts.models import User
from buendnis.core.tests.conflicts import assert_second_writer_refused, loaded_version, resend
from buendnis.offers.models import Offer, PublicContact
from buendnis.offers.services import contact_save
from buendnis.offers.tests.conftest import INVITATION


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(**extra) -> dict:
    data = {
        "invitation": INVITATION.invitation,
        "invitation_ar": INVITATION.translations["ar"],
        "invitation_tr": INVITATION.translations["tr"],
        "address": INVITATION.address,
        "accessibility": INVITATION.accessibility,
        "registration": "required",
        "registration_note": "",
        "whole_series": "on",
        "publish": "",
    }
    data.update(extra)
    return data


def test_staff_publish_a_series_with_translations(fachkraft, cafe_series, partner_org):
    contact_save(organisation=partner_org, email="info@iaf.example")
    client = _client(fachkraft)
    url = reverse("offers:publish", args=[cafe_series[0].pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'lang="ar" dir="rtl"' in page.text
    response = client.post(url, _form())
    assert response.status_code == 302
    offers = Offer.objects.filter(public=True).order_by("activity__starts_at")
    assert [o.activity_id for o in offers] == [a.pk for a in cafe_series]
    assert offers[0].translations == INVITATION.translations


def test_it_shows_problems_and_writes_nothing(fachkraft, cafe_series):
    client = _client(fachkraft)
    url = reverse("offers:publish", args=[cafe_series[0].pk])
    response = client.post(url, _form(invitation="", address=""))
    assert response.status_code == 200
    assert not Offer.objects.exists()
    response = client.post(url, _form())  # registration without the organisation's contact
    assert response.status_code == 200
    assert "öffentlichen Kontakt" in response.text
    assert not Offer.objects.exists()


def test_staff_withdraw_and_cancel(fachkraft, published, cafe_series):
    client = _client(fachkraft)
    url = reverse("offers:publish", args=[cafe_series[1].pk])
    assert client.post(url, {"cancel": ""}).status_code == 302
    cafe_series[1].refresh_from_db()
    assert cafe_series[1].status == "cancelled"
    url = reverse("offers:publish", args=[cafe_series[0].pk])
    assert client.post(url, {"withdraw": ""}).status_code == 302
    assert not Offer.objects.filter(public=True).exists()


def test_the_contact_page_refuses_a_persons_address(koordination, fachkraft, partner_org):
    fachkraft.email = "samir@iaf.example"
    fachkraft.save()
    client = _client(koordination)
    url = reverse("offers:contact", args=[partner_org.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"email": "samir@iaf.example", "phone": "", "website": ""})
    assert refused.status_code == 200
    assert not PublicContact.objects.exists()
    saved = client.post(url, {"email": "info@iaf.example", "phone": "069 1", "website": ""})
    assert saved.status_code == 302
    assert PublicContact.objects.get().email == "info@iaf.example"


def test_it_denies_other_organisation(outsider, referentin, cafe_series, partner_org, client):
    publish = reverse("offers:publish", args=[cafe_series[0].pk])
    contact = reverse("offers:contact", args=[partner_org.pk])
    for user in (outsider, referentin):
        assert _client(user).get(publish).status_code == 403
        assert _client(user).post(publish, _form()).status_code == 403
        assert _client(user).post(contact, {"email": "x@y.example"}).status_code == 403
    assert not Offer.objects.exists()
    assert not PublicContact.objects.exists()
    assert client.get(publish).status_code == 302  # signed out: to the login


def test_a_translation_naming_a_person_is_refused_at_its_field(fachkraft, cafe_series, partner_org):
    contact_save(organisation=partner_org, email="info@iaf.example")
    url = reverse("offers:publish", args=[cafe_series[0].pk])
    response = _client(fachkraft).post(url, _form(invitation_tr="Tel. 0170 1234567"))
    assert response.status_code == 200
    assert 'id="id_invitation_tr_error"' in response.text
    assert not Offer.objects.exists()


def test_the_second_of_two_offer_edits_gets_409_and_loses_nothing(
    fachkraft, koordination, published, cafe_series
):
    url = reverse("offers:publish", args=[cafe_series[0].pk])
    samir, anna = _client(fachkraft), _client(koordination)
    v1, v2 = loaded_version(samir, url), loaded_version(anna, url)
    assert v1 == v2 == 1
    saved = samir.post(url, _form(version=v1, accessibility="Stufenloser Zugang"))
    assert saved.status_code == 302
    refused = anna.post(url, _form(version=v2, accessibility="Kinderbetreuung vor Ort"))
    assert_second_writer_refused(
        refused, mine="Kinderbetreuung vor Ort", stored="Stufenloser Zugang"
    )
    offer = Offer.objects.get(activity=cafe_series[0])
    assert (offer.accessibility, offer.revision) == ("Stufenloser Zugang", 1)
    assert anna.post(url, resend(refused)).status_code == 302
    offer.refresh_from_db()
    assert (offer.accessibility, offer.revision) == ("Kinderbetreuung vor Ort", 2)

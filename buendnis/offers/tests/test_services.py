import dataclasses

import pytest

from buendnis.activities.models import Activity, Kreis
from buendnis.offers import selectors
from buendnis.offers.models import Offer
from buendnis.offers.services import (
    OfferInvalid,
    contact_save,
    offer_cancel,
    offer_publish,
    offer_withdraw,
)
from buendnis.offers.tests.conftest import INVITATION, soon


def test_a_series_publishes_its_future_sessions_at_once(published, cafe_series):
    assert {o.activity_id for o in published} == {a.pk for a in cafe_series}
    assert all(o.public for o in published)
    assert [o.activity_id for o in selectors.offers()] == [a.pk for a in cafe_series]


def test_publishing_one_session_only(cafe_series, partner_org):
    contact_save(organisation=partner_org, email="info@iaf.example")
    offer_publish(activity=cafe_series[1], data=INVITATION, whole_series=False)
    assert [o.activity_id for o in selectors.offers()] == [cafe_series[1].pk]


def test_publishing_again_keeps_the_offer_and_raises_its_sequence(published, cafe_series):
    offer = Offer.objects.get(activity=cafe_series[0])
    before = offer.sequence
    again = offer_publish(
        activity=cafe_series[0], data=dataclasses.replace(INVITATION, invitation="Neu")
    )
    assert again[0].pk == offer.pk
    offer.refresh_from_db()
    assert offer.sequence == before + 1
    assert offer.invitation == "Neu"


def test_cancelling_raises_the_sequence_and_keeps_the_offer_listed_as_cancelled(
    published, cafe_series
):
    offer = Offer.objects.get(activity=cafe_series[1])
    before = offer.sequence
    offer_cancel(activity=cafe_series[1])
    offer.refresh_from_db()
    assert offer.cancelled
    assert offer.sequence == before + 1
    assert cafe_series[1].pk in [o.activity_id for o in selectors.offers()]
    with pytest.raises(OfferInvalid):
        offer_cancel(activity=cafe_series[1])


def test_withdrawn_offers_leave_every_public_list(published, cafe_series):
    assert offer_withdraw(activity=cafe_series[0]) == 3
    assert selectors.offers() == []
    assert selectors.offer(published[0].pk) is None


def test_it_refuses_an_offer_without_invitation_or_address(plan):
    activity = plan()
    with pytest.raises(OfferInvalid) as refused:
        offer_publish(
            activity=activity,
            data=dataclasses.replace(INVITATION, invitation=" ", address="", registration="none"),
        )
    assert set(refused.value.problems) == {"invitation", "address"}
    assert not Offer.objects.exists()


def test_it_refuses_registration_without_the_organisations_contact(plan):
    with pytest.raises(OfferInvalid) as refused:
        offer_publish(activity=plan(), data=INVITATION)
    assert "registration" in refused.value.problems


def test_it_refuses_unknown_translation_languages(plan):
    with pytest.raises(OfferInvalid) as refused:
        offer_publish(
            activity=plan(),
            data=dataclasses.replace(INVITATION, translations={"xx": "?"}, registration="none"),
        )
    assert "translations" in refused.value.problems


def test_it_refuses_past_and_documented_activities(plan):
    past = plan(starts_at=soon(days=-3))
    with pytest.raises(OfferInvalid):
        offer_publish(activity=past, data=dataclasses.replace(INVITATION, registration="none"))
    held = plan()
    Activity.objects.filter(pk=held.pk).update(status=Activity.Status.DOCUMENTED)
    held.refresh_from_db()
    with pytest.raises(OfferInvalid):
        offer_publish(activity=held, data=dataclasses.replace(INVITATION, registration="none"))


def test_a_persons_own_email_is_refused_as_public_contact(partner_org, fachkraft):
    fachkraft.email = "Samir.Privat@example.org"
    fachkraft.save()
    with pytest.raises(OfferInvalid):
        contact_save(organisation=partner_org, email="samir.privat@example.org")
    assert contact_save(organisation=partner_org, email="info@iaf.example").email


def test_online_offers_keep_the_link_private(plan, partner_org):
    activity = plan(online=True, kreis=None)
    offer_publish(
        activity=activity,
        data=dataclasses.replace(
            INVITATION, address="", online_link="https://meet.example/x", registration="none"
        ),
    )
    offer = selectors.offers()[0]
    assert offer.online_link == "https://meet.example/x"
    assert offer.address == ""


def test_filters_by_kreis_bezirk_language_format_and_agreement(published, plan, documenting):
    other = plan(kreis=Kreis.objects.get(pk="06611"), languages=["de", "ru"])
    offer_publish(activity=other, data=INVITATION)
    F = selectors.OfferFilter
    assert len(selectors.offers(chosen=F(kreis="06413"))) == 3
    assert [o.activity_id for o in selectors.offers(chosen=F(kreis="06611"))] == [other.pk]
    assert [o.activity_id for o in selectors.offers(chosen=F(language="ru"))] == [other.pk]
    assert len(selectors.offers(chosen=F(language="ar"))) == 3
    assert len(selectors.offers(chosen=F(bezirk="Darmstadt"))) == 3
    assert [o.activity_id for o in selectors.offers(chosen=F(bezirk="Kassel"))] == [other.pk]
    assert len(selectors.offers(chosen=F(agreement=documenting.slug))) == 4
    assert selectors.offers(chosen=F(agreement="unbekannt")) == []
    fmt = published[0].activity.format_id
    assert len(selectors.offers(chosen=F(format=fmt))) == 4


def test_it_refuses_texts_that_name_a_person(plan):
    activity = plan()
    data = dataclasses.replace(
        INVITATION,
        registration="none",
        translations={"tr": "Herr Yilmaz ve oğlu Emre bekliyor, Tel. 0170 1234567"},
        registration_note="Anmeldung bei samir.privat@example.org",
    )
    with pytest.raises(OfferInvalid) as refused:
        offer_publish(activity=activity, data=data)
    assert set(refused.value.problems) == {"invitation_tr", "registration_note"}
    assert "Telefonnummer" in refused.value.problems["invitation_tr"]
    assert not Offer.objects.exists()

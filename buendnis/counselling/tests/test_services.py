"""Writing contacts: what is refused, what is kept, and the figures indicators read."""

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone

from buendnis.accounts.models import Organisation, User
from buendnis.activities.models import NetworkPartner
from buendnis.activities.services import network_partner_add
from buendnis.agreements.models import Agreement
from buendnis.counselling import selectors, services
from buendnis.counselling.models import Contact, Topic
from buendnis.counselling.services import ContactData, ContactInvalid

pytestmark = pytest.mark.django_db

IDENTIFYING_FIELDS = {"name", "first_name", "last_name", "birth_date", "address", "street"}
IDENTIFYING_FIELDS |= {"phone", "email", "case_number", "aktenzeichen", "client"}


def test_the_contact_table_has_no_field_that_could_identify_a_client() -> None:
    columns = {field.name for field in Contact._meta.get_fields()}
    assert not columns & IDENTIFYING_FIELDS
    assert "note" in columns  # the only free text, checked on save


def test_a_valid_contact_is_saved_with_its_topics(make_contact, topics, fachkraft) -> None:
    contact = make_contact(
        topic_ids=[topics["Aufenthaltsrecht"].pk, topics["Familiennachzug"].pk],
        languages=["de", "ar", "de"],
        first_contact=False,
    )
    assert contact.counsellor == fachkraft
    assert set(contact.topics.values_list("name", flat=True)) == {
        "Aufenthaltsrecht",
        "Familiennachzug",
    }
    assert contact.languages == ["ar", "de"]
    assert contact.first_contact is False


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date": timezone.localdate() + datetime.timedelta(days=1)}, "date"),
        ({"channel": "carrier pigeon"}, "channel"),
        ({"sought_by": "neighbour"}, "sought_by"),
        ({"kind": "spiritual"}, "kind"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 601}, "duration_minutes"),
        ({"topic_ids": []}, "topics"),
        ({"languages": ["xx"]}, "languages"),
        ({"note": "Herr A. geb. 03.04.1981"}, "note"),
    ],
)
def test_invalid_contacts_are_refused_and_nothing_is_stored(
    make_contact: Callable[..., Contact], overrides: dict, field: str
) -> None:
    with pytest.raises(ContactInvalid) as refused:
        make_contact(**overrides)
    assert field in refused.value.errors
    assert Contact.objects.count() == 0


def test_the_note_refusal_names_what_was_found(make_contact) -> None:
    with pytest.raises(ContactInvalid) as refused:
        make_contact(note="Rückruf 0176 23456789, geb. 03.04.1981")
    (message,) = refused.value.errors["note"]
    assert "ein Geburtsdatum und eine Telefonnummer" in message


def test_a_topic_of_another_agreement_is_refused(make_contact, other_agreement: Agreement) -> None:
    foreign = services.topics_setup(agreement=other_agreement)[0]
    with pytest.raises(ContactInvalid) as refused:
        make_contact(topic_ids=[foreign.pk])
    assert "topics" in refused.value.errors


def test_a_referral_must_be_in_the_own_network_register(
    make_contact, partner_org: Organisation, other_org: Organisation, fachkraft: User
) -> None:
    for organisation, name in ((partner_org, "Jugendamt Offenbach"), (other_org, "Jobcenter")):
        network_partner_add(organisation=organisation, name=name, sector="administration")
    own = NetworkPartner.objects.get(organisation=partner_org)
    foreign = NetworkPartner.objects.get(organisation=other_org)
    assert make_contact(referral_id=own.pk).referral == own
    with pytest.raises(ContactInvalid) as refused:
        make_contact(referral_id=foreign.pk)
    assert "referral" in refused.value.errors


def test_an_update_that_fails_leaves_the_record_as_it_was(make_contact, topics) -> None:
    contact = make_contact(note="Erstgespräch")
    data = ContactData(
        date=contact.date,
        channel="video",
        sought_by="family",
        kind="both",
        duration_minutes=45,
        topic_ids=[topics["Sonstiges"].pk],
        note="Mail an a.b@example.org",
    )
    with pytest.raises(ContactInvalid):
        services.contact_update(contact=contact, data=data)
    contact.refresh_from_db()
    assert (contact.channel, contact.note) == ("phone", "Erstgespräch")


def test_topics_are_seeded_once_and_stay_the_partners(agreement: Agreement) -> None:
    first = services.topics_setup(agreement=agreement)
    assert [t.name for t in first] == services.DEFAULT_TOPICS
    services.topic_add(agreement=agreement, name="  Arbeitsmarkt   und Beruf ")
    services.topic_set_active(topic=first[0], active=False)
    again = services.topics_setup(agreement=agreement)
    assert len(again) == len(services.DEFAULT_TOPICS) + 1
    assert Topic.objects.get(agreement=agreement, name="Arbeitsmarkt und Beruf")
    with pytest.raises(ContactInvalid):
        services.topic_add(agreement=agreement, name="arbeitsmarkt und beruf")
    with pytest.raises(ContactInvalid):
        services.topic_add(agreement=agreement, name="   ")


def test_the_counsellors_habits_become_the_defaults_but_never_a_silent_channel(
    make_contact, fachkraft: User, koordination: User
) -> None:
    assert "channel" not in selectors.counsellor_defaults(user=fachkraft)  # no silent default
    make_contact(channel="video", kind="psychosocial", languages=["de", "tr"])
    make_contact(channel="video", kind="psychosocial", languages=["de", "tr"])
    assert "channel" not in selectors.counsellor_defaults(user=fachkraft)  # not yet a habit
    make_contact(channel="video", kind="psychosocial", languages=["de", "tr"])
    make_contact(channel="phone", kind="legal", languages=["de"])
    make_contact(channel="email", counsellor=koordination)
    defaults = selectors.counsellor_defaults(user=fachkraft)
    assert defaults["channel"] == "video"
    assert defaults["kind"] == "psychosocial"
    assert defaults["languages"] == ["de", "tr"]
    assert defaults["date"] == timezone.localdate()


def test_indicator_values_count_exactly_the_contacts_the_filter_declares(
    make_contact, topics, agreement: Agreement, partner_org: Organisation
) -> None:
    year = timezone.localdate().year
    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    specs = [
        ("legal", "family", True, 30, "Familiennachzug"),
        ("legal", "professional", False, 45, "Sorge- und Umgangsrecht"),
        ("psychosocial", "professional", True, 60, "psychische Belastung"),
        ("both", "individual", False, 20, "Familiennachzug"),
    ]
    made = []
    for kind, sought_by, first, minutes, topic in specs:
        made.append(
            make_contact(
                kind=kind,
                sought_by=sought_by,
                first_contact=first,
                duration_minutes=minutes,
                topic_ids=[topics[topic].pk],
                date=timezone.localdate().replace(month=1, day=15),
            )
        )
    make_contact(date=datetime.date(year - 1, 12, 31))  # outside the period

    def actual(**filter_: object) -> int:
        return selectors.contacts_actual(
            agreement=agreement, start=start, end=end, filter={"metric": "contacts", **filter_}
        )

    def recount(keep) -> int:
        return sum(1 for c in made if keep(c))

    assert actual(kinds=["psychosocial", "legal", "both"]) == recount(lambda c: True)
    assert actual(sought_by=["professional"]) == recount(lambda c: c.sought_by == "professional")
    assert actual(first_contact=True) == recount(lambda c: c.first_contact)
    assert actual(topics=["Familiennachzug"]) == 2
    assert selectors.contacts_actual(
        agreement=agreement, start=start, end=end, filter={"metric": "minutes"}
    ) == sum(c.duration_minutes for c in made)
    assert (
        selectors.contacts_actual(
            agreement=agreement,
            start=start,
            end=end,
            filter={"metric": "contacts"},
            organisation_ids={partner_org.pk + 1000},
        )
        == 0
    )
    with pytest.raises(ValueError, match="unknown counselling metric"):
        actual(metric="happiness")


def test_generated_contacts_are_reproducible_and_never_in_the_future(
    agreement: Agreement, fachkraft: User
) -> None:
    from buendnis.counselling.generate import contacts_generate

    today = timezone.localdate()
    years = range(today.year - 1, today.year + 1)
    first = contacts_generate(agreement=agreement, years=years, per_year=50, seed=3)
    rows = list(Contact.objects.values_list("date", "kind", "channel").order_by("id"))
    Contact.objects.all().delete()
    contacts_generate(agreement=agreement, years=years, per_year=50, seed=3)
    assert list(Contact.objects.values_list("date", "kind", "channel").order_by("id")) == rows
    assert first == len(rows) and first > 50
    assert not Contact.objects.filter(date__gt=today).exists()
    assert not Contact.objects.filter(topics=None).exists()

"""Who sees and changes what: records stay in the counselling organisation (issue 4, § 5)."""

import csv
import html
import io
import re
from collections.abc import Callable

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buendnis.accounts.models import Membership, Organisation, User
from buendnis.accounts.services import user_create
from buendnis.agreements.models import Agreement
from buendnis.conftest import PASSWORD
from buendnis.counselling.models import Contact

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def record_urls(contact: Contact) -> list[str]:
    slug = contact.agreement.slug
    return [
        reverse("counselling:list"),
        reverse("counselling:create", args=[slug]),
        reverse("counselling:detail", args=[contact.pk]),
        reverse("counselling:topics", args=[slug]),
    ]


def test_the_ministry_reaches_no_single_record_anywhere(
    make_contact: Callable[..., Contact], referentin: User
) -> None:
    contact = make_contact(note="Erstgespräch Familiennachzug")
    client = client_for(referentin)
    for url in record_urls(contact):
        assert client.get(url).status_code in {403, 404}, url
        assert client.post(url, {"note": "x"}).status_code in {403, 404}, url
    for fmt in ("csv", "xlsx"):
        export = client.get(reverse("counselling:export", args=[contact.agreement.slug, fmt]))
        assert b"Erstgespr" not in export.content
    page = client.get(reverse("counselling:statistics", args=[contact.agreement.slug]))
    assert "Erstgespräch" not in page.content.decode()
    assert reverse("counselling:detail", args=[contact.pk]) not in page.content.decode()


def test_other_partners_staff_and_anonymous_visitors_reach_nothing(
    make_contact, outsider: User, agreement: Agreement
) -> None:
    contact = make_contact()
    client = client_for(outsider)
    own_list, *others = record_urls(contact)
    listed = client.get(own_list)
    assert listed.status_code == 200 and list(listed.context["page"]) == []
    for url in others:
        assert client.get(url).status_code in {403, 404}, url
    assert client.get(reverse("counselling:statistics", args=[agreement.slug])).status_code == 404
    anonymous = Client()
    response = anonymous.get(reverse("counselling:detail", args=[contact.pk]))
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]


def test_a_fachkraft_edits_own_records_for_14_days_only(
    make_contact, fachkraft: User, koordination: User
) -> None:
    own = make_contact()
    old = make_contact()
    Contact.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=15)
    )
    colleagues = make_contact(counsellor=koordination)
    client = client_for(fachkraft)

    assert client.get(reverse("counselling:detail", args=[own.pk])).context["form"]
    for readonly in (old, colleagues):
        response = client.get(reverse("counselling:detail", args=[readonly.pk]))
        assert response.status_code == 200 and "form" not in response.context
        client.post(reverse("counselling:detail", args=[readonly.pk]), _post(own, kind="both"))
        readonly.refresh_from_db()
        assert readonly.kind == "legal"

    response = client.post(reverse("counselling:detail", args=[own.pk]), _post(own, kind="both"))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.kind == "both"


def test_koordination_corrects_any_record_of_the_organisation(
    make_contact, koordination: User
) -> None:
    old = make_contact()
    Contact.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=90)
    )
    response = client_for(koordination).post(
        reverse("counselling:detail", args=[old.pk]), _post(old, duration_minutes="50")
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.duration_minutes == 50


def _post(contact: Contact, **changes: str) -> dict[str, object]:
    data: dict[str, object] = {
        "version": str(contact.version),
        "sought_by": contact.sought_by,
        "kind": contact.kind,
        "duration_minutes": str(contact.duration_minutes),
        "contact_type": "first" if contact.first_contact else "follow_up",
        "date": contact.date.isoformat(),
        "channel": contact.channel,
        "topics": [t.pk for t in contact.topics.all()],
        "languages": contact.languages,
        "note": contact.note,
        "save": "1",
    }
    data.update(changes)
    return data


def _new_contact(**fields: str) -> dict[str, str]:
    return {
        "sought_by": "family",
        "kind": "legal",
        "duration_minutes": "20",
        "contact_type": "first",
        "date": timezone.localdate().isoformat(),
        "channel": "phone",
        **fields,
    }


def test_new_contact_form_offers_the_usual_values_and_saves_and_goes_on(
    make_contact, fachkraft: User, agreement: Agreement, topics
) -> None:
    client = client_for(fachkraft)
    url = reverse("counselling:create", args=[agreement.slug])
    first = client.get(url)
    assert "channel" not in first.context["form"].initial
    channel_select = first.text.split('name="channel"')[1].split("</select>")[0]
    assert (
        'value="">– bitte wählen –</option>' in channel_select and " selected" not in channel_select
    )
    for _ in range(3):
        make_contact(channel="video", languages=["de", "ar"])
    form = client.get(url).context["form"]
    assert form.initial["channel"] == "video"
    assert form.initial["languages"] == ["ar", "de"]
    assert form.initial["date"] == timezone.localdate()

    data = {
        "sought_by": "professional",
        "kind": "legal",
        "topic_search": "sorge; famil",
        "duration_minutes": "25",
        "contact_type": "first",
        "date": timezone.localdate().isoformat(),
        "channel": "phone",
        "languages": ["de"],
        "next": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == url
    contact = Contact.objects.latest("id")
    assert set(contact.topics.values_list("name", flat=True)) == {
        "Sorge- und Umgangsrecht",
        "Familiennachzug",
    }
    assert contact.counsellor == fachkraft and contact.sought_by == "professional"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Astrologie", "Kein Thema beginnt mit „Astrologie“"),
        ("S", "passt zu mehreren Themen"),
    ],
)
def test_typed_topics_that_match_none_or_several_are_refused_with_the_form_kept(
    fachkraft: User, agreement: Agreement, topics, typed: str, message: str
) -> None:
    url = reverse("counselling:create", args=[agreement.slug])
    data = _new_contact(topic_search=typed, note="Folgetermin vereinbart")
    response = client_for(fachkraft).post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Folgetermin vereinbart</textarea>" in response.content.decode()
    assert Contact.objects.count() == 0


def test_a_note_with_a_birth_date_is_refused_and_says_why(
    fachkraft: User, agreement: Agreement, topics
) -> None:
    """Scenario 3: Lena types "Herr A. geb. 03.04.1981" by habit."""
    url = reverse("counselling:create", args=[agreement.slug])
    data = _new_contact(topic_search="Familiennachzug", note="Herr A. geb. 03.04.1981")
    response = client_for(fachkraft).post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Die Notiz enthält ein Geburtsdatum" in html
    assert 'aria-invalid="true"' in html or "kern-form-input--error" in html
    assert Contact.objects.count() == 0


def test_a_note_with_names_and_a_case_number_is_refused_and_keeps_the_other_input(
    fachkraft: User, agreement: Agreement, topics
) -> None:
    """Issue 12: the notes the old check stored are refused, naming what was found."""
    url = reverse("counselling:create", args=[agreement.slug])
    note = "Herr Dr. Ahmad Karimi, Az. 5 K 1234/23.F, fragt nach Familiennachzug"
    data = _new_contact(topic_search="Familiennachzug", note=note, duration_minutes="35")
    response = client_for(fachkraft).post(url, data)
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Die Notiz enthält einen Namen und ein Aktenzeichen." in page
    assert f"{note}</textarea>" in page
    assert 'value="35"' in page
    assert Contact.objects.count() == 0


def test_an_ordinary_note_with_places_and_countries_is_saved(
    fachkraft: User, agreement: Agreement, topics
) -> None:
    url = reverse("counselling:create", args=[agreement.slug])
    note = "Vater aus Syrien, fragt nach Kita-Platz; Jugendamt Offenbach informiert"
    response = client_for(fachkraft).post(
        url, _new_contact(topic_search="Familiennachzug", note=note)
    )
    assert response.status_code == 302
    assert Contact.objects.get().note == note


def test_topics_are_managed_by_coordinators(
    koordination: User, fachkraft: User, agreement: Agreement
) -> None:
    url = reverse("counselling:topics", args=[agreement.slug])
    assert client_for(fachkraft).get(url).status_code == 404
    client = client_for(koordination)
    client.post(url, {"suggested": "1"})
    assert agreement.counselling_topics.count() == 10
    client.post(url, {"name": "Arbeit und Beruf"})
    topic = agreement.counselling_topics.get(name="Arbeit und Beruf")
    client.post(url, {"toggle": topic.pk})
    topic.refresh_from_db()
    assert topic.active is False
    # two clicks on "deactivate" from pages loaded before either: it stays retired
    for _page in range(2):
        client.post(url, {"toggle": f"{topic.pk}-0"})
    topic.refresh_from_db()
    assert topic.active is False
    client.post(url, {"toggle": f"{topic.pk}-1"})
    topic.refresh_from_db()
    assert topic.active is True
    response = client.post(url, {"name": "arbeit und beruf"})
    assert "Dieses Thema gibt es schon." in response.content.decode()


def _cells(page: str, table: str) -> list[list[str]]:
    section = page[page.index(f'data-table="{table}"') :]
    section = section[: section.index("</table>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", section, re.S)
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


def test_statistics_are_exact_for_the_organisation_and_protected_for_the_ministry(
    make_contact, fachkraft: User, referentin: User, agreement: Agreement
) -> None:
    january = timezone.localdate().replace(month=1, day=10)
    for _ in range(3):
        make_contact(kind="psychosocial", date=january)
    for _ in range(9):
        make_contact(kind="legal", date=january)
    url = reverse("counselling:statistics", args=[agreement.slug]) + "?year=" + str(january.year)

    own = _cells(client_for(fachkraft).get(url).content.decode(), "kind")
    assert own[1][:4] == ["Januar", "3", "9", "0"]

    ministry_html = client_for(referentin).get(url).content.decode()
    shown = _cells(ministry_html, "kind")
    assert shown[1][1] == "< 5"
    assert shown[1][2] == "•", "the 9 would give the 3 away from the month total of 12"
    small_numbers = {str(n) for n in range(1, 5)}
    for table in ("kind", "channel", "sought_by", "first_contact", "topics"):
        for row in _cells(ministry_html, table)[1:]:
            assert not set(row[1:]) & small_numbers, (table, row)


def test_exports_carry_the_same_protection_as_the_page(
    make_contact, fachkraft: User, referentin: User, agreement: Agreement
) -> None:
    january = timezone.localdate().replace(month=1, day=10)
    for kind, n in (("psychosocial", 2), ("legal", 7), ("both", 6)):
        for _ in range(n):
            make_contact(kind=kind, date=january)
    query = f"?year={january.year}"
    csv_url = reverse("counselling:export", args=[agreement.slug, "csv"]) + query
    xlsx_url = reverse("counselling:export", args=[agreement.slug, "xlsx"]) + query

    rows = list(
        csv.reader(
            io.StringIO(client_for(referentin).get(csv_url).content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    january_kinds = {r[2]: r[3] for r in rows[1:] if r[:2] == ["Art der Beratung", "Januar"]}
    assert january_kinds["Psychosozial"] == "< 5"
    assert "•" in january_kinds.values()
    values = {r[3] for r in rows[1:] if len(r) == 4}
    assert not values & {"1", "2", "3", "4"}

    exact = openpyxl.load_workbook(io.BytesIO(client_for(fachkraft).get(xlsx_url).content))
    sheet = exact["Art der Beratung"]
    assert [c.value for c in sheet[2]][:5] == ["Januar", 2, 7, 6, 15]
    assert sheet.freeze_panes == "B2"
    protected = openpyxl.load_workbook(io.BytesIO(client_for(referentin).get(xlsx_url).content))
    assert protected["Art der Beratung"]["B2"].value == "< 5"
    assert (
        client_for(referentin)
        .get(reverse("counselling:export", args=[agreement.slug, "pdf"]))
        .status_code
        == 404
    )


def test_a_lone_contact_shows_the_ministry_only_that_there_were_fewer_than_five(
    make_contact, referentin: User, agreement: Agreement
) -> None:
    make_contact(date=timezone.localdate().replace(month=1, day=10))
    url = reverse("counselling:statistics", args=[agreement.slug])
    page = client_for(referentin).get(url).content.decode()
    assert "Kontakte im Jahr: &lt; 5" in page
    for table in ("kind", "channel", "sought_by", "first_contact", "topics"):
        for row in _cells(page, table)[1:]:
            assert set(row[1:]) <= {"0", "< 5"}, (table, row)


def test_a_second_counselling_organisation_sees_only_its_own_contacts_exactly(
    make_contact, agreement: Agreement, other_org: Organisation
) -> None:
    agreement.partners.create(organisation=other_org, role="partner")
    colleague = user_create(
        username="kemal", password=PASSWORD, organisation=other_org, role=Membership.Role.FACHKRAFT
    )
    make_contact()
    url = reverse("counselling:statistics", args=[agreement.slug])
    response = client_for(colleague).get(url)
    assert response.context["figures"].exact
    assert response.context["figures"].contacts_shown == 0


def test_the_cached_tables_follow_every_new_contact_and_each_viewer(
    make_contact, fachkraft: User, referentin: User, agreement: Agreement
) -> None:
    from django.core.cache import caches

    caches["fragments"].clear()
    january = timezone.localdate().replace(month=1, day=10)
    for _ in range(3):
        make_contact(kind="psychosocial", date=january)
    url = reverse("counselling:statistics", args=[agreement.slug]) + "?year=" + str(january.year)
    own = client_for(fachkraft)
    assert _cells(own.get(url).content.decode(), "kind")[1][:2] == ["Januar", "3"]
    assert _cells(own.get(url).content.decode(), "kind")[1][:2] == ["Januar", "3"]
    assert len(caches["fragments"]._cache) == 1  # the second request read the cache
    make_contact(kind="psychosocial", date=january)
    assert _cells(own.get(url).content.decode(), "kind")[1][:2] == ["Januar", "4"]
    # the ministry's protected tables are other tables, never the partner's exact ones
    assert _cells(client_for(referentin).get(url).content.decode(), "kind")[1][1] == "< 5"
    quarterly = own.get(url + "&period=quarter").content.decode()
    assert _cells(quarterly, "kind")[1][:2] == ["1. Quartal", "4"]

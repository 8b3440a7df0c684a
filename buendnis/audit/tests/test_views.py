"""The audit log pages: who sees which entries, the filter, keyset pages and the CSV."""

import datetime

import pytest
from django.test import Client

from buendnis.accounts.models import Organisation, User
from buendnis.activities.models import Activity
from buendnis.audit.context import acting_as
from buendnis.audit.models import AuditEntry
from buendnis.audit.selectors import PAGE_SIZE, entries_for_user
from buendnis.evaluation import services as evaluation
from buendnis.evaluation.periods import calendar_year

pytestmark = pytest.mark.django_db
URL = "/protokoll/"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def history(
    make_activity, documenting, fachkraft: User, koordination: User, outsider: User, other_org
) -> Activity:
    """An activity of the partner, an evaluation of the agreement, a record of another org."""
    with acting_as(fachkraft):
        activity = make_activity(title="Väter-Café Offenbach")
    with acting_as(koordination):
        evaluation.evaluation_create(
            agreement=documenting, period=calendar_year(2025), by=koordination
        )
    with acting_as(outsider):
        Organisation.objects.filter(pk=other_org.pk).first().save()
        from buendnis.activities.services import network_partner_add

        network_partner_add(organisation=other_org, name="Geheimer Partner", sector="school")
    return activity


def test_it_shows_a_coordinator_their_organisation_s_entries(history, koordination: User) -> None:
    response = _client(koordination).get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Väter-Café Offenbach" in html
    assert "samir" in html
    assert "Geheimer Partner" not in html


def test_it_denies_other_organisation(history, outsider: User) -> None:
    html = _client(outsider).get(URL).content.decode()

    assert "Geheimer Partner" in html
    assert "Väter-Café Offenbach" not in html


def test_it_denies_a_fachkraft(history, fachkraft: User) -> None:
    assert _client(fachkraft).get(URL).status_code == 403
    assert _client(fachkraft).get(URL + "export.csv").status_code == 403


def test_it_shows_the_ministry_the_workflow_but_not_the_partners_documentation(
    history, referentin: User
) -> None:
    html = _client(referentin).get(URL).content.decode()

    assert "Auswertung" in html
    assert "Väter-Café Offenbach" not in html
    assert "Geheimer Partner" not in html


def test_it_shows_the_admin_everything(history, admin_user: User) -> None:
    html = _client(admin_user).get(URL).content.decode()

    assert "Väter-Café Offenbach" in html
    assert "Geheimer Partner" in html


def test_it_filters_by_person_type_action_and_period(history, admin_user: User) -> None:
    client = _client(admin_user)

    by_person = client.get(URL, {"person": "samir"}).content.decode()
    assert "Väter-Café Offenbach" in by_person
    assert "Geheimer Partner" not in by_person
    by_type = client.get(URL, {"object_type": "network_partner", "action": "create"})
    assert "Geheimer Partner" in by_type.content.decode()
    assert "Väter-Café" not in by_type.content.decode()
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    future = client.get(URL, {"date_from": tomorrow.isoformat()}).content.decode()
    assert "Keine Einträge." in future


def test_it_pages_by_sequence(admin_user: User) -> None:
    for number in range(PAGE_SIZE + 5):
        Organisation.objects.create(name=f"Verein {number}", kind=Organisation.Kind.PARTNER)
    client = _client(admin_user)

    first = client.get(URL, {"object_type": "organisation"})
    assert first.context["next_before"] is not None
    assert len(first.context["rows"]) == PAGE_SIZE
    second = client.get(URL, {"object_type": "organisation", "vor": first.context["next_before"]})
    assert len(second.context["rows"]) == 5
    assert second.context["next_before"] is None


def test_it_exports_csv_with_bom_and_semicolons(history, koordination: User) -> None:
    response = _client(koordination).get(URL + "export.csv", {"object_type": "activity"})

    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeffNr.;Zeitpunkt;Person;")
    assert "Väter-Café Offenbach" in body
    assert "Teilnehmende: – → 11" in body
    assert "Geheimer Partner" not in body


def test_it_gives_a_user_their_own_entries(history, fachkraft: User) -> None:
    own = list(entries_for_user(fachkraft))

    assert own
    assert {entry.actor_id for entry in own} == {fachkraft.pk}
    assert AuditEntry.objects.exclude(actor_id=fachkraft.pk).exists()


def test_it_puts_a_user_s_own_entries_into_their_account_data(history, fachkraft: User) -> None:
    from buendnis.accounts.data_export import account_data

    exported = account_data(fachkraft)["sections"]["audit_entries"]

    assert exported
    assert {item["object_label"] for item in exported} >= {"Väter-Café Offenbach"}

"""What the generic mechanism records: who, when, which object, which fields old and new."""

import pytest
from django.test import Client

from buendnis.accounts.models import User
from buendnis.accounts.security.services import second_factor_reset
from buendnis.activities.models import Activity
from buendnis.activities.services import activity_update
from buendnis.activities.tests.conftest import category, fathers_evening, reach
from buendnis.audit.chain import verify
from buendnis.audit.context import acting_as, recording_off
from buendnis.audit.models import AuditEntry
from buendnis.audit.recording import CHANGED
from buendnis.conftest import PASSWORD
from buendnis.counselling.services import ContactData, contact_update

pytestmark = pytest.mark.django_db


def _entries(object_type: str, object_id: object) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(object_type=object_type, object_id=str(object_id)).order_by(
            "sequence"
        )
    )


def test_it_records_a_new_activity_with_its_reach_and_goals_in_one_entry(
    make_activity, fachkraft: User
) -> None:
    with acting_as(fachkraft, request_id="req-1"):
        activity = make_activity()

    (entry,) = _entries("activity", activity.pk)
    assert entry.action == "create"
    assert entry.actor_id == fachkraft.pk
    assert entry.organisation_id == activity.organisation_id
    assert entry.agreement_id == activity.agreement_id
    assert entry.request_id == "req-1"
    assert entry.object_label == "Väter-Café Offenbach"
    assert entry.changes["participants"] == [None, 11]
    assert entry.changes["title"] == [None, "Väter-Café Offenbach"]
    reach = {name: change for name, change in entry.changes.items() if name.startswith("reach.")}
    assert sorted(new for _, new in reach.values()) == [1, 2, 8, 11]
    assert entry.changes["goals"] == [[], [activity.goals.get().pk]]


def test_it_records_an_edit_with_old_and_new_values_only_of_changed_fields(
    make_activity, documenting, koordination: User
) -> None:
    activity = make_activity()
    counts = reach(
        documenting, group_fathers=12, migration_own=9, migration_family=1, migration_none=2
    )
    data = fathers_evening(documenting, participants=12, first_timers=4, reach=counts)

    with acting_as(koordination):
        activity_update(activity=activity, data=data, expected_version=activity.version)

    _created, edited = _entries("activity", activity.pk)
    assert edited.action == "update"
    assert edited.actor_id == koordination.pk
    assert edited.changes["participants"] == [11, 12]
    assert edited.changes["first_timers"] == [3, 4]
    fathers = category(documenting, "group", "fathers").pk
    own = category(documenting, "migration", "own").pk
    assert edited.changes[f"reach.{fathers}"] == [11, 12]
    assert edited.changes[f"reach.{own}"] == [8, 9]
    assert "title" not in edited.changes
    assert verify().broken is None


def test_it_records_a_counselling_note_without_its_content(make_contact, fachkraft: User) -> None:
    contact = make_contact(note="Erstes Gespräch")
    data = ContactData(
        date=contact.date, channel="phone", sought_by="family", kind="legal",
        duration_minutes=45, topic_ids=[t.pk for t in contact.topics.all()],
        languages=["de"], note="Zweites Gespräch, Termin beim Amt",
    )  # fmt: skip

    with acting_as(fachkraft):
        contact_update(contact=contact, data=data)

    created, edited = _entries("counselling_contact", contact.pk)
    assert created.changes["note"] == CHANGED
    assert edited.changes == {"duration_minutes": [30, 45], "note": CHANGED}
    stored = str(AuditEntry.objects.values_list("changes", flat=True)[::1])
    assert "Gespräch" not in stored


def test_it_never_records_password_or_token_hashes(fachkraft: User) -> None:
    fachkraft.set_password("ein neues langes Passwort")
    fachkraft.save()

    stored = str(list(AuditEntry.objects.filter(object_type="user").values("changes")))
    assert "pbkdf2" not in stored
    assert "password" not in stored


def test_it_records_sign_in_and_a_second_factor_reset(
    client: Client, fachkraft: User, admin_user: User
) -> None:
    client.post("/konto/anmelden/", {"username": "samir", "password": PASSWORD})
    with acting_as(admin_user):
        second_factor_reset(user=fachkraft)

    login = AuditEntry.objects.get(action="login")
    assert (login.actor_id, login.object_id) == (fachkraft.pk, str(fachkraft.pk))
    assert login.request_id
    reset = AuditEntry.objects.get(action="2fa_reset")
    assert (reset.actor_id, reset.object_id) == (admin_user.pk, str(fachkraft.pk))


def test_it_attributes_a_request_s_changes_to_its_user(
    client: Client, documenting, fachkraft: User
) -> None:
    from buendnis.activities.tests.conftest import form_data

    client.force_login(fachkraft)
    data = form_data(fathers_evening(documenting), documenting, document="1")
    response = client.post(f"/aktivitaeten/neu/{documenting.slug}/", data)

    assert response.status_code == 302, response.content[:2000]
    activity = Activity.objects.get()
    (entry,) = _entries("activity", activity.pk)
    assert entry.actor_id == fachkraft.pk
    assert entry.request_id == response["X-Request-ID"]


def test_it_records_nothing_when_switched_off_for_the_benchmark(make_activity) -> None:
    before = AuditEntry.objects.count()
    with recording_off():
        make_activity()

    assert AuditEntry.objects.count() == before


def test_it_records_each_imported_activity_with_its_reach(
    documenting, partner_org, koordination: User
) -> None:
    from buendnis.activities.tests.test_import import csv_file, run, valid_row

    rows = [valid_row(ref="ext-1"), valid_row(ref="ext-2", title="Väter-Café Hanau")]
    with acting_as(koordination):
        result = run(documenting, partner_org, csv_file(documenting, rows))

    assert result.ok and result.created == 2
    for activity in Activity.objects.all():
        (entry,) = _entries("activity", activity.pk)
        assert entry.action == "create"
        assert entry.actor_id == koordination.pk
        assert entry.changes["title"] == [None, activity.title]
        fathers = category(documenting, "group", "fathers").pk
        assert entry.changes[f"reach.{fathers}"] == [None, 11]
        assert entry.changes["goals"] == [[], [activity.goals.get().pk]]
    assert verify().broken is None

"""A day of scripted use on the demo: every change is recorded and the chain verifies."""

import datetime

import pytest
from django.core.management import call_command
from django.test import Client

from buendnis.accounts.models import Organisation, User
from buendnis.activities.models import Format, FormatStatusChange
from buendnis.activities.services import format_set_status
from buendnis.activities.tests.conftest import fathers_evening, form_data
from buendnis.agreements.models import Agreement, FrameworkApproval, ProcedureApproval
from buendnis.audit.context import acting_as
from buendnis.audit.models import AuditEntry
from buendnis.audit.registry import SPECS
from buendnis.core.management.commands.demo import DEMO_AGREEMENT
from buendnis.counselling.models import Contact
from buendnis.counselling.services import ContactData, contact_create, contact_update
from buendnis.evaluation import services as evaluation
from buendnis.evaluation.models import Approval, EvaluationEvent, Reopening
from buendnis.evaluation.periods import calendar_year

EVENT_TABLES = [
    EvaluationEvent, Approval, Reopening, FormatStatusChange, ProcedureApproval, FrameworkApproval,
]  # fmt: skip


def _scripted_day(agreement: Agreement) -> None:
    fachkraft = User.objects.get(username="fachkraft")
    koordination = User.objects.get(username="koordination")
    ministerium = User.objects.get(username="ministerium")
    partner = koordination.memberships.get().organisation
    ministry = ministerium.memberships.get().organisation

    client = Client()
    client.force_login(fachkraft)
    data = form_data(fathers_evening(agreement), agreement, document="1")
    response = client.post(f"/aktivitaeten/neu/{agreement.slug}/", data)
    assert response.status_code == 302

    topic = agreement.counselling_topics.first()
    contact_data = ContactData(
        date=datetime.date.today(), channel="phone", sought_by="family", kind="legal",
        duration_minutes=30, topic_ids=[topic.pk], languages=["de"], note="kurz",
    )  # fmt: skip
    with acting_as(fachkraft):
        contact = contact_create(
            data=contact_data, agreement=agreement, organisation=partner, counsellor=fachkraft
        )
        contact_data.duration_minutes = 40
        contact_update(contact=contact, data=contact_data)

    with acting_as(koordination):
        fmt = Format.objects.filter(agreement=agreement, status=Format.Status.PILOT).first()
        format_set_status(
            fmt=fmt, status=Format.Status.ESTABLISHED, on=datetime.date.today(), by=koordination
        )
        draft = evaluation.evaluation_create(
            agreement=agreement, period=calendar_year(datetime.date.today().year - 1),
            by=koordination,
        )  # fmt: skip
        evaluation.reflection_save(
            evaluation=draft, goal=agreement.goals.first(), worked="Väter-Cafés",
            not_worked="", reasons="", by=koordination,
        )  # fmt: skip
        review = evaluation.evaluation_freeze(evaluation=draft, by=koordination)
        evaluation.evaluation_approve(evaluation=review, organisation=partner, by=koordination)
    with acting_as(ministerium):
        evaluation.evaluation_approve(evaluation=review, organisation=ministry, by=ministerium)


@pytest.mark.django_db
def test_it_verifies_the_demo_after_a_day_of_scripted_use(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("demo", "--no-serve")
    agreement = Agreement.objects.get(slug=DEMO_AGREEMENT)
    assert AuditEntry.objects.filter(action="seed", agreement=agreement).exists()
    before = AuditEntry.objects.count()
    capsys.readouterr()

    _scripted_day(agreement)

    call_command("audit_verify")
    total = AuditEntry.objects.count()
    assert f"audit log intact: {total} entries" in capsys.readouterr().out
    assert total > before
    contact = Contact.objects.latest("pk")
    edit = AuditEntry.objects.filter(object_type="counselling_contact", object_id=str(contact.pk))
    assert edit.filter(action="update", changes__duration_minutes=[30, 40]).exists()
    assert AuditEntry.objects.filter(object_type="reflection", action="create").exists()
    assert Organisation.objects.exists()


@pytest.mark.django_db
def test_it_has_an_audit_entry_for_every_event_table_row() -> None:
    """The domain history and the audit log are written by the same call: they agree."""
    call_command("demo", "--no-serve")
    _scripted_day(Agreement.objects.get(slug=DEMO_AGREEMENT))

    checked = 0
    for model in EVENT_TABLES:
        object_type = SPECS[model._meta.label].object_type
        recorded = set(
            AuditEntry.objects.filter(object_type=object_type, action="create").values_list(
                "object_id", flat=True
            )
        )
        for pk in model.objects.values_list("pk", flat=True):
            assert str(pk) in recorded, f"{model._meta.label} {pk} has no audit entry"
            checked += 1
    assert checked >= 5

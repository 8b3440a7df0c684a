"""§ 8 reminders: overdue evaluations and late adjustments, one German digest per person."""

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.mail import EmailMessage
from django.core.management import call_command

from buendnis.accounts.models import Membership, Organisation, User
from buendnis.accounts.services import organisation_resolve, user_create
from buendnis.agreements.models import Agreement, AgreementPartner
from buendnis.evaluation.models import Adjustment, Evaluation
from buendnis.evaluation.reminders import evaluation_reminders_run, evaluation_reminders_send
from buendnis.evaluation.tests.factories import evaluation_of_year

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 29)
# In Bündnis since it was signed, so no evaluation is missing from the record.
RECORDED = datetime.datetime(2019, 6, 3, 12, tzinfo=datetime.UTC)
PASSWORD = "geheim-und-lang-genug"


def _with_email(user: User, email: str) -> User:
    user.email = email
    user.save(update_fields=["email"])
    return user


def _person(username: str, organisation: Organisation, role: str, email: str = "") -> User:
    user = user_create(username=username, password=PASSWORD, organisation=organisation, role=role)
    return _with_email(user, email) if email else user


def _adjustment(
    evaluation: Evaluation, responsible: Organisation, what: str, **extra: Any
) -> Adjustment:
    values = {"due_on": datetime.date(2026, 3, 31), "status": Adjustment.Status.OPEN}
    values.update(extra)
    return Adjustment.objects.create(
        evaluation=evaluation, responsible=responsible, what=what, **values
    )


def _by_recipient(outbox: list[EmailMessage]) -> dict[str, EmailMessage]:
    return {message.to[0]: message for message in outbox}


@pytest.fixture
def overdue(agreement: Agreement) -> Agreement:
    """The founding agreement: in force since 4 June 2019, never evaluated."""
    agreement.signed_on = datetime.date(2019, 6, 3)
    agreement.save(update_fields=["signed_on"])
    Agreement.objects.filter(pk=agreement.pk).update(created_at=RECORDED)
    return agreement


@pytest.fixture
def people(
    koordination: User, referentin: User, fachkraft: User, partner_org: Organisation
) -> dict[str, User]:
    return {
        "anna": _with_email(koordination, "anna@iaf.example"),
        "referentin": _with_email(referentin, "referat@hmsi.example"),
        "samir": _with_email(fachkraft, "samir@iaf.example"),
        "ohne": _person("ohne-mail", partner_org, Membership.Role.KOORDINATION),
    }


def test_it_reminds_speakers_of_every_partner_about_an_overdue_evaluation(
    overdue: Agreement,
    people: dict[str, User],
    mailoutbox: list[EmailMessage],
) -> None:
    assert evaluation_reminders_send(today=TODAY) == 2
    sent = _by_recipient(mailoutbox)
    assert set(sent) == {"anna@iaf.example", "referat@hmsi.example"}
    message = sent["anna@iaf.example"]
    assert "Auswertung" in message.subject and "überfällig" in message.subject
    assert "Integration braucht Partner: fällig seit 04.06.2020" in message.body
    assert "noch keine Auswertung angelegt" in message.body
    assert "Anpassungen" not in message.body


def test_it_reminds_nobody_when_nothing_is_due(
    agreement: Agreement,
    other_agreement: Agreement,
    people: dict[str, User],
    outsider: User,
    mailoutbox: list[EmailMessage],
) -> None:
    _with_email(outsider, "outsider@hjr.example")
    # The founding agreement was agreed on a year ago today: due today, not overdue.
    evaluation_of_year(
        agreement, 2024, Evaluation.Status.AGREED, agreed_on=datetime.date(2025, 11, 29)
    )
    # The other agreement has no in-force date and was never evaluated.
    report = evaluation_reminders_run(today=TODAY)
    assert (report.evaluations, report.adjustments, report.sent) == (0, 0, 0)
    assert mailoutbox == []


def test_it_tells_coordinators_of_the_responsible_organisation_about_late_adjustments(
    overdue: Agreement,
    people: dict[str, User],
    partner_org: Organisation,
    other_agreement: Agreement,
    other_org: Organisation,
    outsider: User,
    mailoutbox: list[EmailMessage],
) -> None:
    _with_email(outsider, "outsider@hjr.example")
    evaluation = evaluation_of_year(overdue, 2024, Evaluation.Status.REVIEW)
    _adjustment(evaluation, partner_org, "Väter-Café in Kassel gründen")
    _adjustment(evaluation, partner_org, "Flyer übersetzen", status=Adjustment.Status.IN_PROGRESS)
    _adjustment(evaluation, partner_org, "Erledigt", status=Adjustment.Status.DONE)
    _adjustment(evaluation, partner_org, "Verworfen", status=Adjustment.Status.DROPPED)
    _adjustment(evaluation, partner_org, "Noch Zeit", due_on=datetime.date(2027, 1, 31))
    other = evaluation_of_year(other_agreement, 2025, Evaluation.Status.AGREED)
    _adjustment(other, other_org, "Jugendring-Anpassung")

    report = evaluation_reminders_run(today=TODAY)

    assert (report.evaluations, report.adjustments) == (1, 3)
    sent = _by_recipient(mailoutbox)
    assert set(sent) == {"anna@iaf.example", "referat@hmsi.example", "outsider@hjr.example"}
    assert report.sent == 3 == len(mailoutbox)
    anna = sent["anna@iaf.example"].body
    assert "fällig seit 04.06.2020" in anna and "in Arbeit: 2024 (In Prüfung)" in anna
    assert "Väter-Café in Kassel gründen" in anna and "Flyer übersetzen" in anna
    assert "Erledigt" not in anna and "Verworfen" not in anna and "Noch Zeit" not in anna
    assert "Jugendring-Anpassung" not in anna
    ministry = sent["referat@hmsi.example"].body
    assert "fällig seit" in ministry and "Väter-Café in Kassel" not in ministry
    outsider_mail = sent["outsider@hjr.example"]
    assert "Jugendring-Anpassung" in outsider_mail.body
    assert "fällig seit" not in outsider_mail.body
    assert "Anpassung" in outsider_mail.subject and "Auswertung" not in outsider_mail.subject


def test_it_sends_one_digest_to_a_person_in_two_partner_organisations(
    overdue: Agreement,
    people: dict[str, User],
    ministry_org: Organisation,
    mailoutbox: list[EmailMessage],
) -> None:
    anna = people["anna"]
    Membership.objects.create(
        user=anna, organisation=ministry_org, role=Membership.Role.MINISTERIUM
    )
    evaluation_reminders_send(today=TODAY)
    anna_mails = [m for m in mailoutbox if m.to == ["anna@iaf.example"]]
    assert len(anna_mails) == 1
    assert anna_mails[0].body.count("Integration braucht Partner") == 1


def test_it_skips_inactive_accounts(
    overdue: Agreement, people: dict[str, User], mailoutbox: list[EmailMessage]
) -> None:
    people["referentin"].is_active = False
    people["referentin"].save(update_fields=["is_active"])
    assert evaluation_reminders_send(today=TODAY) == 1
    assert [m.to for m in mailoutbox] == [["anna@iaf.example"]]


def test_it_reminds_about_each_overdue_agreement_only_to_its_own_partners(
    overdue: Agreement,
    people: dict[str, User],
    mailoutbox: list[EmailMessage],
) -> None:
    verein = organisation_resolve(name="DRK Landesverband Hessen e.V.", kind="partner")
    drk = Agreement.objects.create(
        slug="drk", title="Interkulturelle Öffnung", signed_on=datetime.date(2019, 6, 3)
    )
    Agreement.objects.filter(pk=drk.pk).update(created_at=RECORDED)
    AgreementPartner.objects.create(
        agreement=drk, organisation=verein, role=AgreementPartner.Role.PARTNER
    )
    _person("drk-koord", verein, Membership.Role.KOORDINATION, "koord@drk.example")
    evaluation_reminders_send(today=TODAY)
    sent = _by_recipient(mailoutbox)
    assert "Interkulturelle Öffnung" in sent["koord@drk.example"].body
    assert "Integration braucht Partner" not in sent["koord@drk.example"].body
    assert "Interkulturelle Öffnung" not in sent["anna@iaf.example"].body


def test_the_remind_command_prints_both_counts(
    overdue: Agreement,
    people: dict[str, User],
    partner_org: Organisation,
    mailoutbox: list[EmailMessage],
) -> None:
    _adjustment(
        evaluation_of_year(overdue, 2024, "review"),
        partner_org,
        "Väter-Café in Kassel",
        due_on=datetime.date(2020, 1, 31),
    )
    out = StringIO()
    call_command("remind", stdout=out)
    text = out.getvalue()
    assert "§ 7: 0 Erinnerung(en)" in text
    assert "§ 8: 1 Auswertung(en) überfällig" in text
    assert "1 Anpassung(en) über der Frist" in text
    assert "2 E-Mail(s) versendet" in text
    assert len(mailoutbox) == 2


def test_it_does_not_resend_an_item_inside_the_interval(
    overdue: Agreement,
    people: dict[str, User],
    partner_org: Organisation,
    mailoutbox: list[EmailMessage],
    settings: Any,
) -> None:
    from django.utils import timezone

    from buendnis.evaluation.models import EvaluationReminder

    settings.REMINDER_INTERVAL_DAYS = 7
    now = timezone.now()
    first = evaluation_reminders_run(today=TODAY, now=now)
    assert first.sent == 2
    assert EvaluationReminder.objects.filter(agreement=overdue).count() == 2
    late = _adjustment(
        evaluation_of_year(overdue, 2024, "review"),
        partner_org,
        "Väter-Café in Kassel",
        due_on=datetime.date(2020, 1, 31),
    )
    again = evaluation_reminders_run(today=TODAY, now=now + datetime.timedelta(days=1))
    assert again.sent == 1  # only the adjustment is new, and only to its coordinator
    message = mailoutbox[-1]
    assert message.to == ["anna@iaf.example"]
    assert "Väter-Café" in message.body
    assert "Auswertung" not in message.subject
    assert EvaluationReminder.objects.get(adjustment=late).recipient == people["anna"]
    week_later = evaluation_reminders_run(today=TODAY, now=now + datetime.timedelta(days=8))
    assert week_later.sent == 2

"""Writes for the counselling log: topics per agreement and anonymous contacts."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buendnis.accounts.models import Organisation, User
from buendnis.activities.forms import LANGUAGES
from buendnis.activities.models import NetworkPartner
from buendnis.agreements.models import Agreement
from buendnis.audit.recording import batch as audit_batch
from buendnis.core.identifiers import identifier_labels
from buendnis.core.locking import claim_version
from buendnis.counselling.models import Contact, Topic
from buendnis.evaluation.locks import check_unlocked

DEFAULT_TOPICS = [
    "Aufenthaltsrecht",
    "Eheschließung/binationale Ehe",
    "Familiennachzug",
    "Sorge- und Umgangsrecht",
    "Trennung/Scheidung",
    "Vaterrolle und Erziehung",
    "Diskriminierung/Rassismus",
    "Staatsangehörigkeit",
    "psychische Belastung",
    "Sonstiges",
]
LANGUAGE_CODES = {code for code, _label in LANGUAGES}
MAX_DURATION_MINUTES = 600


class ContactInvalid(Exception):
    """The contact cannot be saved; ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def topics_setup(*, agreement: Agreement) -> list[Topic]:
    """Give an agreement the suggested topic list once; later changes are the partners'."""
    if not agreement.counselling_topics.exists():
        Topic.objects.bulk_create(
            Topic(agreement=agreement, name=name, position=position)
            for position, name in enumerate(DEFAULT_TOPICS)
        )
    return list(agreement.counselling_topics.all())


def topic_add(*, agreement: Agreement, name: str) -> Topic:
    name = " ".join(name.split())
    if not name:
        raise ContactInvalid({"name": [_("Bitte einen Namen für das Thema angeben.")]})
    if agreement.counselling_topics.filter(name__iexact=name).exists():
        raise ContactInvalid({"name": [_("Dieses Thema gibt es schon.")]})
    last = agreement.counselling_topics.order_by("-position").first()
    return Topic.objects.create(
        agreement=agreement, name=name, position=(last.position + 1) if last else 0
    )


def topic_set_active(*, topic: Topic, active: bool) -> Topic:
    """Topics are retired, not deleted, so past contacts keep their topics."""
    topic.active = active
    topic.save(update_fields=["active"])
    return topic


@dataclass
class ContactData:
    date: datetime.date
    channel: str
    sought_by: str
    kind: str
    duration_minutes: int
    first_contact: bool = True
    topic_ids: list[int] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    referral_id: int | None = None
    note: str = ""


def validate_contact(
    data: ContactData, *, agreement: Agreement, organisation: Organisation
) -> dict[str, list[str]]:
    """Every problem with the data, by field; empty when it may be saved."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if data.date > timezone.localdate():
        add("date", _("Ein Beratungskontakt kann nicht in der Zukunft liegen."))
    for name, choices in (
        ("channel", Contact.Channel),
        ("sought_by", Contact.SoughtBy),
        ("kind", Contact.Kind),
    ):
        if getattr(data, name) not in choices.values:
            add(name, _("Bitte einen der angebotenen Werte wählen."))
    if not 1 <= data.duration_minutes <= MAX_DURATION_MINUTES:
        add(
            "duration_minutes",
            _("Die Dauer muss zwischen 1 und %(max)s Minuten liegen.")
            % {"max": MAX_DURATION_MINUTES},
        )
    if not data.topic_ids:
        add("topics", _("Bitte mindestens ein Thema wählen."))
    elif Topic.objects.filter(agreement=agreement, id__in=data.topic_ids).count() != len(
        set(data.topic_ids)
    ):
        add("topics", _("Ein gewähltes Thema gehört nicht zu dieser Vereinbarung."))
    if unknown := set(data.languages) - LANGUAGE_CODES:
        add("languages", _("Unbekannte Sprache: %(codes)s") % {"codes": ", ".join(sorted(unknown))})
    if (
        data.referral_id is not None
        and not NetworkPartner.objects.filter(
            id=data.referral_id, organisation=organisation
        ).exists()
    ):
        add("referral", _("Diesen Netzwerkpartner gibt es im Register Ihrer Organisation nicht."))
    if found := identifier_labels(data.note):
        message = _(
            "Die Notiz enthält %(found)s. Bitte entfernen: Beratungskontakte werden ohne "
            "personenbezogene Daten gespeichert."
        )
        add("note", message % {"found": _(" und ").join(found)})
    return errors


def _apply(contact: Contact, data: ContactData) -> None:
    contact.date = data.date
    contact.channel = data.channel
    contact.sought_by = data.sought_by
    contact.kind = data.kind
    contact.duration_minutes = data.duration_minutes
    contact.first_contact = data.first_contact
    contact.languages = sorted(set(data.languages))
    contact.referral_id = data.referral_id
    contact.note = data.note.strip()


@transaction.atomic
def contact_create(
    *, data: ContactData, agreement: Agreement, organisation: Organisation, counsellor: User
) -> Contact:
    """Log a contact; raises ``PeriodLocked`` when its date lies in an agreed period."""
    if errors := validate_contact(data, agreement=agreement, organisation=organisation):
        raise ContactInvalid(errors)
    check_unlocked(agreement_id=agreement.pk, day=data.date)
    contact = Contact(agreement=agreement, organisation=organisation, counsellor=counsellor)
    _apply(contact, data)
    with audit_batch():  # one entry: the contact with its topics
        contact.save()
        contact.topics.set(data.topic_ids)
    return contact


@transaction.atomic
def contact_update(
    *, contact: Contact, data: ContactData, expected_version: int | None = None
) -> Contact:
    """Save a correction unless someone saved the contact since it was loaded.

    Raises ``EditConflict`` for a stale edit and ``PeriodLocked`` when the old or the new
    date lies in an agreed period; nothing is written then. Without ``expected_version``
    (scripts, tests) the edit is based on ``contact`` as passed.
    """
    errors = validate_contact(data, agreement=contact.agreement, organisation=contact.organisation)
    if errors:
        raise ContactInvalid(errors)
    expected = contact.version if expected_version is None else expected_version
    current = claim_version(Contact, pk=contact.pk, expected=expected)
    for day in {current.date, data.date}:
        check_unlocked(agreement_id=current.agreement_id, day=day)
    _apply(current, data)
    with audit_batch():  # one entry: the contact with its topics
        current.save()
        current.topics.set(data.topic_ids)
    return current


# --- retention (GDPR storage limitation) ----------------------------------------------


def retention_cutoff(*, today: datetime.date | None = None) -> datetime.date:
    """The first day that is kept: contacts dated before it are past their retention.

    Whole months go, never part of one: the month is the finest period the statistics
    publish, so a purge never changes a published month into a smaller one.
    """
    today = today or timezone.localdate()
    months = today.year * 12 + today.month - 1 - settings.COUNSELLING_RETENTION_MONTHS
    return datetime.date(months // 12, months % 12 + 1, 1)


def contacts_purge(
    *, today: datetime.date | None = None, dry_run: bool = False, batch_size: int = 2000
) -> int:
    """Delete counselling contacts past ``COUNSELLING_RETENTION_MONTHS``; return how many.

    With ``dry_run`` nothing is deleted; the number says how many would be. Agreed
    evaluations keep their figures: they are frozen in the evaluation's snapshot.
    """
    expired = Contact.objects.filter(date__lt=retention_cutoff(today=today))
    if dry_run:
        return expired.count()
    deleted = 0
    while batch := list(expired.values_list("pk", flat=True)[:batch_size]):
        with transaction.atomic():
            Contact.objects.filter(pk__in=batch).delete()
        deleted += len(batch)
    return deleted

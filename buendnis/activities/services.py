"""Writes for § 7 documentation: formats, reach categories, activities and their reach."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from buendnis.accounts.models import Organisation, User
from buendnis.activities.models import (
    Activity,
    Format,
    FormatStatusChange,
    Kreis,
    NetworkPartner,
    ReachCategory,
    ReachCount,
    Series,
)
from buendnis.activities.reach import ReachProblem, check_reach
from buendnis.agreements.models import Agreement, Goal
from buendnis.audit.models import AuditEntry
from buendnis.audit.recording import batch as audit_batch
from buendnis.audit.recording import record, record_mapping
from buendnis.core.identifiers import identifier_labels
from buendnis.core.locking import claim_version
from buendnis.evaluation.locks import activity_day, check_unlocked, locking_evaluation

UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)

DEFAULT_FORMATS = [
    ("vaetergruppe", "Vätergruppe / Väter-Café", Format.Status.ESTABLISHED),
    ("workshop", "Workshop", Format.Status.ESTABLISHED),
    ("begegnung", "Interkulturelle Begegnung", Format.Status.ESTABLISHED),
    ("qualifizierung", "Qualifizierung für Multiplikator*innen", Format.Status.ESTABLISHED),
    ("fachtag", "Fachtag", Format.Status.ESTABLISHED),
    ("vernetzung", "Vernetzungstreffen", Format.Status.ESTABLISHED),
    ("veranstaltung", "Öffentliche Veranstaltung", Format.Status.ESTABLISHED),
    ("online", "Online-Format", Format.Status.PILOT),
]

# (dimension, key, label, has_sectors)
DEFAULT_REACH_CATEGORIES = [
    (ReachCategory.Dimension.GROUP, "fathers", "Väter", False),
    (ReachCategory.Dimension.GROUP, "men", "Männer ohne Kinder", False),
    (ReachCategory.Dimension.GROUP, "mothers", "Mütter / Partnerinnen", False),
    (ReachCategory.Dimension.GROUP, "children", "Kinder", False),
    (ReachCategory.Dimension.GROUP, "multipliers", "Multiplikator*innen", True),
    (ReachCategory.Dimension.MIGRATION, "own", "eigene Migrationserfahrung", False),
    (ReachCategory.Dimension.MIGRATION, "family", "familiäre Migrationsgeschichte", False),
    (ReachCategory.Dimension.MIGRATION, "none", "keine Migrationsgeschichte", False),
    (ReachCategory.Dimension.MIGRATION, "unknown", "nicht bekannt", False),
    (ReachCategory.Dimension.SECTOR, "administration", "Verwaltung", False),
    (ReachCategory.Dimension.SECTOR, "counselling", "Beratungsstellen", False),
    (ReachCategory.Dimension.SECTOR, "education", "Bildungseinrichtungen", False),
    (ReachCategory.Dimension.SECTOR, "company", "Betriebe", False),
    (ReachCategory.Dimension.SECTOR, "other", "Sonstige", False),
]


class ActivityInvalid(Exception):
    """The activity's data break a rule; each problem names its field."""

    def __init__(self, problems: list[ReachProblem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems


@transaction.atomic
def formats_seed_defaults(*, agreement: Agreement, on: datetime.date) -> list[Format]:
    """Give an agreement the default format catalogue (existing formats are kept)."""
    formats = []
    for key, name, status in DEFAULT_FORMATS:
        fmt, created = Format.objects.get_or_create(
            agreement=agreement,
            key=key,
            defaults={"name": name, "status": status, "status_since": on},
        )
        if created:
            FormatStatusChange.objects.create(format=fmt, status=status, changed_on=on)
        formats.append(fmt)
    return formats


@transaction.atomic
def format_set_status(
    *, fmt: Format, status: str, on: datetime.date, by: User | None = None
) -> Format:
    """Record that a format became established or was dropped; the history stays.

    Saving the status a format already has changes nothing and records nothing.
    """
    if status not in Format.Status.values:
        raise ValueError(f"unknown format status: {status}")
    if fmt.status == status:
        return fmt
    fmt.status, fmt.status_since = status, on
    fmt.save(update_fields=["status", "status_since"])
    FormatStatusChange.objects.create(format=fmt, status=status, changed_on=on, changed_by=by)
    return fmt


class FormatNameTaken(ValueError):
    """Another format of the agreement already has this name."""


def _check_format_name(agreement: Agreement, name: str, exclude: int | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise FormatNameTaken("empty format name")
    taken = Format.objects.filter(agreement=agreement, name__iexact=name).exclude(pk=exclude)
    if taken.exists():
        raise FormatNameTaken(name)
    return name


def _format_key(agreement: Agreement, name: str) -> str:
    """A unique key for a new format, made from its name (ä → ae)."""
    base = slugify(name.translate(UMLAUTS))[:34].strip("-") or "format"
    key, n = base, 2
    while Format.objects.filter(agreement=agreement, key=key).exists():
        key, n = f"{base}-{n}", n + 1
    return key


@transaction.atomic
def format_create(
    *,
    agreement: Agreement,
    name: str,
    description: str = "",
    on: datetime.date,
    by: User | None = None,
) -> Format:
    """§ 4: add a format to the agreement's catalogue; it starts as a pilot."""
    name = _check_format_name(agreement, name)
    fmt = Format.objects.create(
        agreement=agreement,
        key=_format_key(agreement, name),
        name=name,
        description=description.strip(),
        status=Format.Status.PILOT,
        status_since=on,
    )
    FormatStatusChange.objects.create(
        format=fmt, status=Format.Status.PILOT, changed_on=on, changed_by=by
    )
    return fmt


@transaction.atomic
def format_rename(
    *, fmt: Format, name: str, description: str, expected_version: int | None = None
) -> Format:
    """Give a format a new name and description; its key, records and history stay.

    A stale edit (``expected_version`` no longer stored) raises ``EditConflict``.
    """
    name = _check_format_name(fmt.agreement, name, exclude=fmt.pk)
    expected = fmt.version if expected_version is None else expected_version
    fmt.version = claim_version(Format, pk=fmt.pk, expected=expected).version
    fmt.name, fmt.description = name, description.strip()
    fmt.save(update_fields=["name", "description", "version"])
    return fmt


@transaction.atomic
def reach_categories_seed_defaults(*, agreement: Agreement) -> list[ReachCategory]:
    """Give an agreement the default reach categories (existing ones are kept)."""
    categories = []
    for position, (dimension, key, label, has_sectors) in enumerate(DEFAULT_REACH_CATEGORIES):
        category, _created = ReachCategory.objects.get_or_create(
            agreement=agreement,
            dimension=dimension,
            key=key,
            defaults={"label": label, "position": position, "has_sectors": has_sectors},
        )
        categories.append(category)
    return categories


@dataclass
class ActivityData:
    """Everything a person documents about an activity (validated by the services)."""

    format: Format
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    online: bool = False
    kreis: Kreis | None = None
    place_name: str = ""
    languages: list[str] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    network_partners: list[NetworkPartner] = field(default_factory=list)
    staff_hours: Decimal | None = None
    description: str = ""
    reflection: str = ""
    participants: int = 0
    first_timers: int = 0
    reach: dict[int, int] = field(default_factory=dict)  # category id -> count
    series: Series | None = None  # set on creation; an edit keeps the session in its series


def validate_activity(
    *,
    agreement: Agreement,
    data: ActivityData,
    categories: Sequence[ReachCategory] | None = None,
) -> list[ReachProblem]:
    """Check one activity's data against the rules; an empty list means it is valid.

    ``categories`` are the agreement's reach categories; pass them when checking many
    activities (the import does), else they are read here.
    """
    problems = []
    if data.ends_at < data.starts_at:
        problems.append(ReachProblem("ends_at", _("Das Ende liegt vor dem Beginn.")))
    if not data.online and data.kreis is None:
        problems.append(ReachProblem("kreis", _("Bitte einen Kreis angeben oder „online“ wählen.")))
    if data.format.agreement_id != agreement.pk:
        problems.append(ReachProblem("format", _("Das Format gehört nicht zur Vereinbarung.")))
    if any(goal.agreement_id != agreement.pk for goal in data.goals):
        problems.append(ReachProblem("goals", _("Ein Ziel gehört nicht zur Vereinbarung.")))
    if data.staff_hours is not None and data.staff_hours < 0:
        problems.append(ReachProblem("staff_hours", _("Die Zahl darf nicht negativ sein.")))
    if found := identifier_labels(data.reflection):  # issue 12: staff text about people
        message = _(
            "Die Reflexion enthält %(found)s. Bitte entfernen: Teilnehmende werden nicht "
            "namentlich oder mit Kontaktdaten dokumentiert."
        )
        problems.append(ReachProblem("reflection", message % {"found": _(" und ").join(found)}))
    if categories is None:
        categories = list(ReachCategory.objects.filter(agreement=agreement))
    problems += check_reach(
        categories=categories,
        participants=data.participants,
        first_timers=data.first_timers,
        counts=data.reach,
    )
    return problems


def _apply(activity: Activity, data: ActivityData) -> None:
    for name in (
        "format",
        "title",
        "starts_at",
        "ends_at",
        "online",
        "place_name",
        "languages",
        "staff_hours",
        "description",
        "reflection",
        "participants",
        "first_timers",
    ):
        setattr(activity, name, getattr(data, name))
    activity.kreis = None if data.online else data.kreis


def _write_relations(activity: Activity, data: ActivityData, *, fresh: bool = False) -> None:
    activity.goals.set(data.goals)
    activity.network_partners.set(data.network_partners)
    before = (
        {}
        if fresh
        else dict(ReachCount.objects.filter(activity=activity).values_list("category_id", "count"))
    )
    ReachCount.objects.filter(activity=activity).delete()
    ReachCount.objects.bulk_create(
        ReachCount(activity=activity, category_id=category_id, count=count)
        for category_id, count in data.reach.items()
        if count
    )
    record_mapping(activity, "reach", before, {c: n for c, n in data.reach.items() if n})


@transaction.atomic
def activity_create(
    *,
    agreement: Agreement,
    organisation: Organisation,
    data: ActivityData,
    status: str = Activity.Status.PLANNED,
    responsible: User | None = None,
    external_ref: str = "",
    documented_at: datetime.datetime | None = None,
) -> Activity:
    """Create an activity with its reach; refuses invalid data without writing anything.

    Raises ``ActivityLocked`` when the date lies in a period whose evaluation is agreed.
    """
    problems = validate_activity(agreement=agreement, data=data)
    if problems:
        raise ActivityInvalid(problems)
    check_unlocked(agreement_id=agreement.pk, day=activity_day(data.starts_at))
    activity = Activity(
        agreement=agreement,
        organisation=organisation,
        status=status,
        responsible=responsible,
        external_ref=external_ref,
        series=data.series,
    )
    _apply(activity, data)
    if status in (Activity.Status.DOCUMENTED, Activity.Status.REVIEWED):
        activity.documented_at = documented_at or timezone.now()
    with audit_batch():
        activity.save()
        _write_relations(activity, data, fresh=True)
    return activity


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    data: ActivityData,
    expected_version: int,
    document: bool = False,
) -> Activity:
    """Save an edit unless someone else saved in between (then raise ``EditConflict``).

    Raises ``ActivityLocked`` when the old or the new date lies in a locked period.
    """
    problems = validate_activity(agreement=activity.agreement, data=data)
    if problems:
        raise ActivityInvalid(problems)
    current = claim_version(Activity, pk=activity.pk, expected=expected_version)
    for day in {activity_day(current.starts_at), activity_day(data.starts_at)}:
        check_unlocked(agreement_id=current.agreement_id, day=day)
    _apply(current, data)
    if document and current.status in (Activity.Status.PLANNED, Activity.Status.HELD):
        current.status = Activity.Status.DOCUMENTED
        current.documented_at = timezone.now()
    with audit_batch():
        current.save()
        _write_relations(current, data)
    return current


SERIES_STEP = datetime.timedelta(days=7)


def next_session_start(*, activity: Activity, now: datetime.datetime) -> datetime.datetime:
    """When the next session of a weekly series falls, for a copy of ``activity``.

    One week after the session copied, moved on by whole weeks to the latest such day that
    has begun by ``now``: copying an older session documents this week's, not one long
    past (which would be overdue at once). A copy of this week's session plans next week.
    """
    start = activity.starts_at + SERIES_STEP
    while start + SERIES_STEP <= now:
        start += SERIES_STEP
    return start


@transaction.atomic
def activity_next_session(
    *,
    activity: Activity,
    data: ActivityData | None = None,
    status: str = Activity.Status.PLANNED,
    responsible: User | None = None,
    days: int = 7,
) -> Activity:
    """Save the next session of a series: ``data`` as entered, else a copy ``days`` later.

    The original joins a new series unless it has one. Raises ``ActivityLocked`` when the
    new session's date lies in a locked period; a locked original is left unchanged:
    without a series, the copy then starts its own.
    """
    shift = datetime.timedelta(days=days)
    starts_at = data.starts_at if data is not None else activity.starts_at + shift
    check_unlocked(agreement_id=activity.agreement_id, day=activity_day(starts_at))
    if data is not None:
        problems = validate_activity(agreement=activity.agreement, data=data)
        if problems:
            raise ActivityInvalid(problems)
    series = activity.series
    if series is None:
        series = Series.objects.create(
            agreement=activity.agreement,
            organisation=activity.organisation,
            title=activity.title,
        )
        original_locked = locking_evaluation(
            agreement_id=activity.agreement_id, day=activity_day(activity.starts_at)
        )
        if original_locked is None:
            Activity.objects.filter(pk=activity.pk).update(series=series)
            record(AuditEntry.Action.UPDATE, obj=activity, changes={"series": [None, series.pk]})
    if data is not None:
        return activity_create(
            agreement=activity.agreement,
            organisation=activity.organisation,
            data=replace(data, series=series),
            status=status,
            responsible=responsible or activity.responsible,
        )
    copy = Activity.objects.create(
        agreement=activity.agreement,
        organisation=activity.organisation,
        format=activity.format,
        series=series,
        title=activity.title,
        starts_at=activity.starts_at + shift,
        ends_at=activity.ends_at + shift,
        online=activity.online,
        kreis=activity.kreis,
        place_name=activity.place_name,
        languages=list(activity.languages),
        staff_hours=activity.staff_hours,
        description=activity.description,
        reflection="",
        participants=activity.participants,
        first_timers=0,
        responsible=responsible or activity.responsible,
    )
    copy.goals.set(activity.goals.all())
    copy.network_partners.set(activity.network_partners.all())
    reach = {r.category_id: r.count for r in activity.reach.all()}
    ReachCount.objects.bulk_create(
        ReachCount(activity=copy, category_id=category_id, count=count)
        for category_id, count in reach.items()
    )
    record_mapping(copy, "reach", {}, reach)
    return copy


@transaction.atomic
def activity_review(
    *, activity: Activity, by: User, expected_version: int | None = None
) -> Activity:
    """A coordinator confirms a documented activity (not in a locked period).

    With ``expected_version`` (the version the coordinator read) a record changed since is
    refused with ``EditConflict``: nobody confirms what they have not seen.
    """
    activity = claim_version(
        Activity,
        pk=activity.pk,
        expected=activity.version if expected_version is None else expected_version,
    )
    if activity.status != Activity.Status.DOCUMENTED:
        raise ActivityInvalid(
            [ReachProblem("status", _("Nur dokumentierte Aktivitäten können geprüft werden."))]
        )
    check_unlocked(agreement_id=activity.agreement_id, day=activity_day(activity.starts_at))
    activity.status = Activity.Status.REVIEWED
    activity.reviewed_at, activity.reviewed_by = timezone.now(), by
    activity.save(update_fields=["status", "reviewed_at", "reviewed_by", "version", "updated_at"])
    return activity


@transaction.atomic
def documentation_setup(*, agreement: Agreement, on: datetime.date) -> None:
    """Give a new agreement the default formats and reach categories for § 7 documentation."""
    formats_seed_defaults(agreement=agreement, on=on)
    reach_categories_seed_defaults(agreement=agreement)


@transaction.atomic
def network_partner_add(
    *, organisation: Organisation, name: str, sector: str, kreis: Kreis | None = None
) -> bool:
    """Add a partner to an organisation's network register; False if it is there already."""
    _partner, created = NetworkPartner.objects.get_or_create(
        organisation=organisation,
        name=name.strip(),
        defaults={"sector": sector, "kreis": kreis},
    )
    return created

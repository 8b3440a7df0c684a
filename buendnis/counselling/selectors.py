"""Reads for the counselling log: own records, usual defaults, statistics, indicator values."""

import datetime
from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buendnis.accounts.policy import AnyUser, Role, is_admin, organisation_ids
from buendnis.agreements.models import Agreement
from buendnis.core.suppression import TOTAL, Table, protect
from buendnis.counselling.models import Contact, Topic

DOCUMENTING_ROLES = (Role.FACHKRAFT, Role.KOORDINATION)
RECENT_CONTACTS_FOR_DEFAULTS = 20
CHANNEL_HABIT = 3  # uses of one channel among the recent contacts that make it the default
PERIODS = {"month": gettext_lazy("Monat"), "quarter": gettext_lazy("Quartal")}


def contact_list(*, user: AnyUser) -> QuerySet[Contact]:
    """The records of the user's own organisations, newest first; nobody else's."""
    return (
        Contact.objects.filter(organisation_id__in=organisation_ids(user, *DOCUMENTING_ROLES))
        .select_related("agreement", "counsellor", "referral")
        .prefetch_related("topics")
    )


def counsellor_defaults(*, user: AnyUser) -> dict[str, Any]:
    """Today, and the kind and languages this counsellor used most lately.

    The channel is filled in only when it is the counsellor's own habit (at least
    ``CHANNEL_HABIT`` of the recent contacts, and most of them): a silent default would
    record calls as visits when nobody looks (issue 17).
    """
    recent = list(
        Contact.objects.filter(counsellor_id=user.pk)
        .order_by("-created_at")
        .values("channel", "kind", "languages")[:RECENT_CONTACTS_FOR_DEFAULTS]
    )
    defaults: dict[str, Any] = {"date": timezone.localdate(), "contact_type": "first"}
    if not recent:
        return {**defaults, "languages": ["de"]}
    defaults["kind"] = Counter(row["kind"] for row in recent).most_common(1)[0][0]
    channel, uses = Counter(row["channel"] for row in recent).most_common(1)[0]
    if uses >= CHANNEL_HABIT and uses * 2 > len(recent):
        defaults["channel"] = channel
    languages = Counter(tuple(row["languages"]) for row in recent).most_common(1)[0][0]
    defaults["languages"] = list(languages)
    return defaults


def organisation_scope(*, user: AnyUser, agreement: Agreement) -> set[int] | None:
    """Whose contacts a user sees in full: their own organisations'; None = only protected."""
    if is_admin(user):
        return set(agreement.partners.values_list("organisation_id", flat=True))
    own = organisation_ids(user, *DOCUMENTING_ROLES)
    partners = set(agreement.partners.values_list("organisation_id", flat=True))
    return (own & partners) or None


@dataclass
class StatisticsTable:
    key: str
    title: str
    columns: list[tuple[Hashable, str]]
    table: Table
    total_label: str

    def rows(self, row_labels: dict[Hashable, str], exact: bool) -> list[dict[str, Any]]:
        """Each row with the values as they may be shown: exact, or protected."""
        threshold = settings.SUPPRESSION_THRESHOLD
        keys = [key for key, _label in self.columns]

        def shown(cell: tuple) -> int | str:
            return self.table.value(cell) if exact else self.table.shown(cell, threshold)

        return [
            {
                "label": row_labels.get(row, _("Summe")),
                "values": [shown((row, key)) for key in keys],
                "total": shown((row, TOTAL)),
                "is_total": row == TOTAL,
            }
            for row in [*self.table.rows, TOTAL]
        ]


@dataclass
class CounsellingStatistics:
    agreement: Agreement
    year: int
    period: str
    exact: bool
    tables: list[StatisticsTable]
    row_labels: dict[Hashable, str]

    @property
    def contacts_shown(self) -> int | str:
        """The year's number of contacts as this user may see it."""
        table = self.tables[0].table
        if self.exact:
            return table.value((TOTAL, TOTAL))
        return table.shown((TOTAL, TOTAL), settings.SUPPRESSION_THRESHOLD)

    @property
    def withheld(self) -> bool:
        return any(table.table.withheld for table in self.tables)


def _period_rows(period: str) -> tuple[list[int], dict[Hashable, str]]:
    if period == "quarter":
        return [1, 2, 3, 4], {q: _("%(q)s. Quartal") % {"q": q} for q in range(1, 5)}
    return list(range(1, 13)), {m: str(MONTHS[m]) for m in range(1, 13)}


def _row_of(month: int, period: str) -> int:
    return (month - 1) // 3 + 1 if period == "quarter" else month


def _counts(rows: QuerySet, period: str) -> dict[tuple, int]:
    counts: dict[tuple, int] = {}
    for row in rows:
        cell = (_row_of(row["month"], period), row["key"])
        counts[cell] = counts.get(cell, 0) + row["n"]
    return counts


def _breakdown(contacts: QuerySet, field: str, period: str) -> dict[tuple, int]:
    rows = contacts.values(month=ExtractMonth("date"), key=F(field)).annotate(n=Count("id"))
    return _counts(rows.order_by(), period)


def statistics(
    *, agreement: Agreement, year: int, user: AnyUser, period: str = "month"
) -> CounsellingStatistics:
    """§ 5 figures for a year: exact for the counselling organisation, protected otherwise."""
    scope = organisation_scope(user=user, agreement=agreement)
    contacts = Contact.objects.filter(agreement=agreement, date__year=year)
    if scope is not None:
        contacts = contacts.filter(organisation_id__in=scope)
    period = period if period in PERIODS else "month"
    rows, row_labels = _period_rows(period)

    def table(key: str, title: str, field: str, choices: Any) -> StatisticsTable:
        counts = _breakdown(contacts, field, period)
        columns = [(value, str(label)) for value, label in choices]
        return StatisticsTable(
            key, title, columns, Table(rows, [k for k, _l in choices], counts), _("Kontakte")
        )

    first_choices = [(True, _("Erstkontakt")), (False, _("Folgekontakt"))]
    linked = [
        table("kind", _("Art der Beratung"), "kind", Contact.Kind.choices),
        table("channel", _("Weg"), "channel", Contact.Channel.choices),
        table("sought_by", _("Wer suchte Rat?"), "sought_by", Contact.SoughtBy.choices),
        table("first_contact", _("Erst- und Folgekontakte"), "first_contact", first_choices),
    ]
    topic_columns = [
        (topic.pk, topic.name)
        for topic in Topic.objects.filter(agreement=agreement)
        .filter(Q(active=True) | Q(contacts__in=contacts))
        .distinct()
    ]
    mentions = Contact.topics.through.objects.filter(contact__in=contacts)
    topic_counts = _counts(
        mentions.values(month=ExtractMonth("contact__date"), key=F("topic_id"))
        .annotate(n=Count("id"))
        .order_by(),
        period,
    )
    topics = StatisticsTable(
        "topics",
        _("Themen"),
        topic_columns,
        Table(rows, [k for k, _l in topic_columns], topic_counts),
        _("Nennungen"),
    )
    exact = scope is not None
    if not exact:
        protect([item.table for item in linked])
        protect([topics.table])
    return CounsellingStatistics(agreement, year, period, exact, [*linked, topics], row_labels)


def years_with_contacts(*, agreement: Agreement) -> list[int]:
    this_year = timezone.localdate().year
    years = {day.year for day in Contact.objects.filter(agreement=agreement).dates("date", "year")}
    return sorted(years | {this_year}, reverse=True)


def contacts_actual(
    *,
    agreement: Agreement,
    start: datetime.date,
    end: datetime.date,
    filter: dict[str, Any],
    organisation_ids: set[int] | None = None,
) -> int:
    """The value of a counselling indicator for [start, end), counted in the database.

    ``filter`` is the indicator's declared filter: ``metric`` is ``contacts`` (number of
    contacts), ``minutes`` (counselling time) or ``referrals`` (contacts passed on to a
    network partner); ``kinds``, ``sought_by``, ``channels``, ``topics`` (names) and
    ``first_contact`` narrow the contacts counted.
    """
    contacts = Contact.objects.filter(agreement=agreement, date__gte=start, date__lt=end)
    if organisation_ids is not None:
        contacts = contacts.filter(organisation_id__in=organisation_ids)
    for key, field in (("kinds", "kind"), ("sought_by", "sought_by"), ("channels", "channel")):
        if filter.get(key):
            contacts = contacts.filter(**{f"{field}__in": filter[key]})
    if "first_contact" in filter:
        contacts = contacts.filter(first_contact=bool(filter["first_contact"]))
    if filter.get("topics"):
        contacts = contacts.filter(
            id__in=Contact.topics.through.objects.filter(topic__name__in=filter["topics"]).values(
                "contact_id"
            )
        )
    metric = filter.get("metric", "contacts")
    if metric == "minutes":
        return contacts.aggregate(total=Sum("duration_minutes", default=0))["total"]
    if metric == "referrals":
        return contacts.filter(referral__isnull=False).count()
    if metric == "contacts":
        return contacts.count()
    raise ValueError(f"unknown counselling metric: {metric}")

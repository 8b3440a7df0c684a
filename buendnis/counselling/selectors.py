"""Reads for the counselling log: own records, usual defaults, statistics, indicator values."""

import datetime
from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buendnis.accounts.policy import AnyUser, Role, exact_scope, organisation_ids
from buendnis.agreements.models import Agreement
from buendnis.core.disclosure.cache import publication_for
from buendnis.core.disclosure.periods import MONTH, QUARTER, YEAR
from buendnis.core.disclosure.publication import WITHHELD_MARK
from buendnis.counselling.grid import (
    BREAKDOWNS,
    TOTAL,
    categories,
    category_node,
    counselling_grid,
    topic_node,
    total_node,
)
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
    """Whose contacts a user sees exactly: their own organisations'; None = only protected."""
    return exact_scope(user, agreement) or None


Values = dict[tuple[Hashable, Hashable], int | str]


@dataclass
class StatisticsTable:
    key: str
    title: str
    columns: list[tuple[Hashable, str]]
    values: Values  # (row, column) with TOTAL for the sums, as they may be shown
    total_label: str
    row_keys: list[Hashable]

    def rows(self, row_labels: dict[Hashable, str]) -> list[dict[str, Any]]:
        """Each row with its values as they may be shown, the sum row last."""
        keys = [key for key, _label in self.columns]
        sum_label = _("Summe")
        return [
            {
                "label": row_labels.get(row, sum_label),
                "values": [self.values[(row, key)] for key in keys],
                "total": self.values[(row, TOTAL)],
                "is_total": row == TOTAL,
            }
            for row in [*self.row_keys, TOTAL]
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
        return self.tables[0].values[(TOTAL, TOTAL)]

    @property
    def withheld(self) -> bool:
        return self.contacts_shown == WITHHELD_MARK


def _period_rows(period: str) -> tuple[list[int], dict[Hashable, str]]:
    if period == "quarter":
        return [1, 2, 3, 4], {q: _("%(q)s. Quartal") % {"q": q} for q in range(1, 5)}
    return list(range(1, 13)), {m: str(MONTHS[m]) for m in range(1, 13)}


def _row_of(month: int, period: str) -> int:
    return (month - 1) // 3 + 1 if period == "quarter" else month


def _time(year: int, row: Hashable, period: str) -> tuple:
    if row == TOTAL:
        return (YEAR, year)
    return (QUARTER, year, row) if period == "quarter" else (MONTH, year, row)


def _exact_values(counts: dict[tuple, int], rows: list[int], columns: list[Hashable]) -> Values:
    """The cells, each row's sum and each column's sum (only the columns shown count)."""
    values: Values = {}
    for row in rows:
        cells = [counts.get((row, column), 0) for column in columns]
        values.update(zip([(row, column) for column in columns], cells, strict=True))
        values[(row, TOTAL)] = sum(cells)
    for column in [*columns, TOTAL]:
        values[(TOTAL, column)] = sum(values[(row, column)] for row in rows)  # type: ignore[misc]
    return values


def _counts(rows: QuerySet, period: str) -> dict[tuple, int]:
    counts: dict[tuple, int] = {}
    for row in rows:
        cell = (_row_of(row["month"], period), row["key"])
        counts[cell] = counts.get(cell, 0) + row["n"]
    return counts


def _breakdowns(contacts: QuerySet, period: str) -> dict[str, dict[tuple, int]]:
    """Every breakdown's counts per row, from one query with a count per category.

    One row per month whatever the data: grouping by every combination of categories
    would hand Python up to a thousand rows a year to add up.
    """
    columns = {
        f"{breakdown}_{number}": (breakdown, category)
        for breakdown, values in categories().items()
        for number, category in enumerate(values)
    }
    fields = dict(BREAKDOWNS)
    per_month = (
        contacts.values(month=ExtractMonth("date"))
        .annotate(
            **{
                name: Count("id", filter=Q(**{fields[breakdown]: category}))
                for name, (breakdown, category) in columns.items()
            }
        )
        .order_by()
    )
    counts: dict[str, dict[tuple, int]] = {breakdown: {} for breakdown in fields}
    for month in per_month:
        row = _row_of(month["month"], period)
        for name, (breakdown, category) in columns.items():
            cells = counts[breakdown]
            cells[(row, category)] = cells.get((row, category), 0) + month[name]
    return counts


BREAKDOWN_TABLES = (
    ("kind", gettext_lazy("Art der Beratung"), "kind"),
    ("channel", gettext_lazy("Weg"), "channel"),
    ("sought_by", gettext_lazy("Wer suchte Rat?"), "sought_by"),
    ("first_contact", gettext_lazy("Erst- und Folgekontakte"), "first"),
)


def _choices() -> dict[str, list[tuple[Hashable, str]]]:
    return {
        "kind": [(v, str(label)) for v, label in Contact.Kind.choices],
        "channel": [(v, str(label)) for v, label in Contact.Channel.choices],
        "sought_by": [(v, str(label)) for v, label in Contact.SoughtBy.choices],
        "first": [(True, _("Erstkontakt")), (False, _("Folgekontakt"))],
    }


def statistics(
    *, agreement: Agreement, year: int, user: AnyUser, period: str = "month"
) -> CounsellingStatistics:
    """§ 5 figures for a year: exact for the counselling organisation, protected otherwise.

    Protected figures come from the agreement's one counselling publication grid
    (``counselling.grid``), which the month and quarter views, the exports and the § 8 report
    all read, so none of them can be laid beside another to recover a hidden count.
    """
    scope = organisation_scope(user=user, agreement=agreement)
    period = period if period in PERIODS else "month"
    rows, row_labels = _period_rows(period)
    choices = _choices()
    topic_columns: list[tuple[Hashable, str]] = list(
        Topic.objects.filter(agreement=agreement)
        .filter(Q(active=True) | Q(contacts__agreement=agreement, contacts__date__year=year))
        .distinct()
        .order_by("position", "name")  # one agreement's: no join for the agreement's title
        .values_list("pk", "name")
    )
    titles = [(key, title, breakdown) for key, title, breakdown in BREAKDOWN_TABLES]
    if scope is None:
        publication = publication_for(counselling_grid(agreement=agreement))

        def protected(node: Any) -> Values:
            return {
                (row, column): publication.shown(node(column, _time(year, row, period)))
                for row in [*rows, TOTAL]
                for column in [*columns, TOTAL]
            }

        tables = []
        for key, title, breakdown in titles:
            columns = [value for value, _label in choices[breakdown]]
            values = protected(
                lambda column, time, b=breakdown: (
                    total_node(time) if column == TOTAL else category_node(b, column, time)
                )
            )
            tables.append(
                StatisticsTable(key, str(title), choices[breakdown], values, _("Kontakte"), rows)
            )
        columns = [pk for pk, _name in topic_columns]
        values = protected(lambda column, time: topic_node(column, time))
        tables.append(
            StatisticsTable("topics", _("Themen"), topic_columns, values, _("Nennungen"), rows)
        )
        return CounsellingStatistics(agreement, year, period, False, tables, row_labels)

    contacts = Contact.objects.filter(
        agreement=agreement, date__year=year, organisation_id__in=scope
    )
    breakdowns = _breakdowns(contacts, period)
    tables = []
    for key, title, breakdown in titles:
        counts = breakdowns[breakdown]
        columns = [value for value, _label in choices[breakdown]]
        tables.append(
            StatisticsTable(
                key,
                str(title),
                choices[breakdown],
                _exact_values(counts, rows, columns),
                _("Kontakte"),
                rows,
            )
        )
    mentions = Contact.topics.through.objects.filter(contact__in=contacts)
    topic_counts = _counts(
        mentions.values(month=ExtractMonth("contact__date"), key=F("topic_id"))
        .annotate(n=Count("id"))
        .order_by(),
        period,
    )
    tables.append(
        StatisticsTable(
            "topics",
            _("Themen"),
            topic_columns,
            _exact_values(topic_counts, rows, [pk for pk, _name in topic_columns]),
            _("Nennungen"),
            rows,
        )
    )
    return CounsellingStatistics(agreement, year, period, True, tables, row_labels)


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

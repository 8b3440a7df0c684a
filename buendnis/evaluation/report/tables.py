"""The report's tables: what each holds (columns and their kinds) and how totals are formed.

A table in the report data is a plain dict, JSON-safe and exact::

    {"key": "formats",
     "rows": [{"key": "vaetergruppe", "label": "Väter-Café", "group": "established",
               "values": {"activities": 41, "share": "87.5", ...}}],
     "groups": [{"key": "pilot", "label": ""}],         # only tables with groups
     "subtotals": {"pilot": {...}},                      # only tables with groups
     "total": {...}}                                     # None for tables without a total

Its titles and column headings live here (translated when shown, never frozen).
Counts (``COUNT``) are what small-cell suppression protects; ``NUMBER`` columns count
things that are not people (indicators, organisations) and stay exact everywhere.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import TextChoices
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from buendnis.activities.models import Format
from buendnis.counselling.models import Contact

COUNT, NUMBER, PERCENT, DECIMAL, TEXT = "count", "number", "percent", "decimal", "text"
SUMMED = (COUNT, NUMBER, DECIMAL)
CURRENT, PREVIOUS = "current", "previous"
TENTH = Decimal("0.1")
SUM_LABEL = _("Summe")


@dataclass(frozen=True)
class Column:
    """One column of a report table."""

    key: str
    label: Promise | str
    kind: str
    of: tuple[str, str] | None = None  # a percentage: (numerator, denominator) columns
    depends: tuple[str, ...] = ()  # counts a derived value would give away
    hidden: bool = False  # kept for protection and checks, not shown
    period: str | None = None  # CURRENT/PREVIOUS: the heading is the period's label
    choices: type[TextChoices] | None = None  # a text column holding choice keys


@dataclass(frozen=True)
class Spec:
    """What a report table holds and how it is headed."""

    key: str
    title: Promise | str
    stub: Promise | str
    columns: tuple[Column, ...]
    total: bool = True
    total_label: Promise | str = SUM_LABEL
    groups: bool = False
    group_choices: type[TextChoices] | None = None
    row_labels: dict[str, Promise] = field(default_factory=dict)

    def column(self, key: str) -> Column:
        """The column with this key."""
        return next(column for column in self.columns if column.key == key)

    def row_label(self, row: dict[str, Any]) -> str:
        """A row's label: a fixed one for known keys, else the data's."""
        return str(self.row_labels.get(row["key"], row.get("label") or row["key"]))


def _choices(choices: type[TextChoices]) -> dict[str, Promise]:
    """A choice class as {value: label}."""
    return {str(value): label for value, label in choices.choices}


PERIODS = (
    Column(CURRENT, _("Zeitraum"), COUNT, period=CURRENT),
    Column(PREVIOUS, _("Vorperiode"), COUNT, period=PREVIOUS),
)
SCALE = tuple(Column(f"c{point}", str(point), COUNT, hidden=True) for point in range(1, 6))

TIMELINESS_ROWS = {
    "within": _("fristgerecht dokumentiert"),
    "late": _("verspätet dokumentiert"),
    "undocumented": _("noch nicht dokumentiert"),
}
FIRST_CONTACT_ROWS = {"first": _("Erstkontakt"), "follow_up": _("Folgekontakt")}

SPECS: dict[str, Spec] = {
    spec.key: spec
    for spec in (
        Spec(
            "formats",
            _("Formate im Vergleich"),
            _("Format"),
            (
                Column("status", _("Status"), TEXT, choices=Format.Status),
                Column("activities", _("Aktivitäten"), COUNT),
                Column("attendances", _("Teilnahmen"), COUNT),
                Column("first_timers", _("Erstmals erreicht"), COUNT),
                Column("responses", _("Rückmeldungen"), COUNT),
                Column("answered", _("Antworten auf Skalenfragen"), COUNT, hidden=True),
                Column("agree", _("davon zustimmend"), COUNT, hidden=True),
                Column("share", _("Zustimmung"), PERCENT, of=("agree", "answered")),
            ),
            groups=True,
            group_choices=Format.Status,
        ),
        Spec("reach_group", _("Teilnahmen nach Gruppe"), _("Gruppe"), PERIODS),
        Spec(
            "reach_migration",
            _("Teilnahmen nach Migrationsgeschichte"),
            _("Migrationsgeschichte"),
            PERIODS,
        ),
        Spec(
            "reach_sector",
            _("Multiplikator*innen nach Bereich"),
            _("Bereich"),
            PERIODS,
        ),
        Spec(
            "kreise",
            _("Aktivitäten und Teilnahmen nach Kreis"),
            _("Kreis"),
            (
                Column("activities", _("Aktivitäten"), COUNT, period=CURRENT),
                Column("attendances", _("Teilnahmen"), COUNT, period=CURRENT),
                Column("previous_attendances", _("Teilnahmen"), COUNT, period=PREVIOUS),
            ),
            groups=True,
        ),
        Spec(
            "timeliness",
            _("Zeitnahe Dokumentation (§ 7)"),
            _("Aktivitäten mit abgelaufener Frist"),
            PERIODS,
            total_label=_("fällig"),
            row_labels=TIMELINESS_ROWS,
        ),
        Spec(
            "counselling_kind",
            _("Beratungskontakte nach Art"),
            _("Art der Beratung"),
            PERIODS,
            total_label=_("Kontakte"),
            row_labels=_choices(Contact.Kind),
        ),
        Spec(
            "counselling_channel",
            _("Beratungskontakte nach Weg"),
            _("Weg"),
            PERIODS,
            total_label=_("Kontakte"),
            row_labels=_choices(Contact.Channel),
        ),
        Spec(
            "counselling_sought_by",
            _("Wer suchte Rat?"),
            _("Ratsuchende"),
            PERIODS,
            total_label=_("Kontakte"),
            row_labels=_choices(Contact.SoughtBy),
        ),
        Spec(
            "counselling_first",
            _("Erst- und Folgekontakte"),
            _("Kontakt"),
            PERIODS,
            total_label=_("Kontakte"),
            row_labels=FIRST_CONTACT_ROWS,
        ),
        Spec(
            "counselling_topics",
            _("Beratungsthemen"),
            _("Thema"),
            PERIODS,
            total_label=_("Nennungen"),
        ),
        Spec(
            "feedback",
            _("Rückmeldungen der Teilnehmenden"),
            _("Frage"),
            (
                Column("answered", _("Antworten"), COUNT),
                Column("agree", _("davon zustimmend"), COUNT, hidden=True),
                Column("share", _("Zustimmung"), PERCENT, of=("agree", "answered")),
                Column("mean", _("Mittelwert (1–5)"), DECIMAL, depends=tuple(c.key for c in SCALE)),
                *SCALE,
            ),
            total=False,
        ),
    )
}


def percent(numerator: int, denominator: int) -> str | None:
    """A share in percent with one decimal (half up) as text; None without a denominator."""
    if not denominator:
        return None
    share = Decimal(numerator * 100) / denominator
    return str(share.quantize(TENTH, rounding=ROUND_HALF_UP))


def _sum(spec: Spec, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Totals of the summed columns, and percentages recomputed from the summed parts."""
    values: dict[str, Any] = {}
    for column in spec.columns:
        if column.kind in SUMMED and not column.depends:
            parts = [row["values"].get(column.key) for row in rows]
            numbers = [Decimal(str(p)) if column.kind == DECIMAL else p for p in parts if p]
            total = sum(numbers, Decimal(0) if column.kind == DECIMAL else 0)
            values[column.key] = str(total) if column.kind == DECIMAL else total
    for column in spec.columns:
        if column.kind == PERCENT and column.of:
            values[column.key] = percent(values[column.of[0]], values[column.of[1]])
    return values


def make_table(
    key: str, rows: list[dict[str, Any]], groups: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    """A table of the report data with its totals (and group subtotals) computed."""
    spec = SPECS[key]
    table: dict[str, Any] = {"key": key, "rows": rows}
    if spec.groups:
        groups = groups or []
        table["groups"] = groups
        table["subtotals"] = {
            group["key"]: _sum(spec, [r for r in rows if r.get("group") == group["key"]])
            for group in groups
        }
    table["total"] = _sum(spec, rows) if spec.total else None
    return table

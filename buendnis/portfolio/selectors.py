"""The portfolio's tables: every figure read through ``figures.Reader`` (see there).

Tables: the year-on-year series (all filters), activities and reach by Regierungsbezirk
per year, by Kreis (the map), by agreement, by format, reach by group and migration
history, multipliers by sector, counselling contacts by kind, feedback agreement shares,
§ 7 documentation timeliness, and each agreement's § 8 status (no counts of people).
"""

import datetime
from collections.abc import Hashable
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from buendnis.accounts.models import Membership
from buendnis.accounts.policy import AnyUser, organisation_ids
from buendnis.activities import grid as act
from buendnis.activities.models import Activity, Kreis, ReachCategory
from buendnis.agreements.models import Agreement
from buendnis.core.disclosure.periods import YEAR
from buendnis.core.disclosure.publication import HIDDEN_MARK, Shown
from buendnis.counselling import grid as cns
from buendnis.counselling.models import Contact
from buendnis.evaluation.models import Adjustment, Evaluation
from buendnis.feedback import grid as fb
from buendnis.portfolio.figures import ACTIVITIES, COUNSELLING, FEEDBACK, Part, Reader, share
from buendnis.portfolio.filters import Filters

PORTFOLIO_ROLES = (Membership.Role.MINISTERIUM, Membership.Role.KOORDINATION)
MEASURES = ("activities", "attendances", "first_timers")
ONLINE_LABEL = "online"
Value = Shown | float | str


def portfolio_agreements(user: AnyUser) -> list[Agreement]:
    """The agreements the user's ministry or partner organisation is party to."""
    own = organisation_ids(user, *PORTFOLIO_ROLES)
    return list(
        Agreement.objects.filter(partners__organisation_id__in=own).distinct().order_by("title")
    )


@dataclass
class Row:
    label: str
    values: list[Value]
    total: bool = False
    key: str = ""


@dataclass
class Table:
    """One table of the portfolio: the page, each spreadsheet sheet and CSV show it alike."""

    key: str
    title: str
    row_header: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    note: str = ""

    def column(self, index: int) -> list[Value]:
        return [row.values[index] for row in self.rows]


@dataclass
class Portfolio:
    filters: Filters
    tables: list[Table]
    exact: bool
    any_exact: bool
    threshold: int
    exact_agreements: set[int] = field(default_factory=set)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def _measure_labels() -> dict[str, str]:
    return {
        "activities": _("Aktivitäten"),
        "attendances": _("Teilnahmen"),
        "first_timers": _("Erstteilnehmende"),
    }


def _years(filters: Filters) -> list[tuple]:
    return [(YEAR, year) for year in filters.years]


def portfolio(*, user: AnyUser, filters: Filters, today: datetime.date | None = None) -> Portfolio:
    """Every table of the portfolio for the viewer and the filters."""
    from django.conf import settings

    today = today or timezone.localdate()
    reader = Reader(user, filters.agreements)
    kreise = list(Kreis.objects.order_by("ags").values_list("ags", "name", "regierungsbezirk"))
    tables = [
        _year_series(reader, filters, kreise),
        _by_regierungsbezirk(reader, filters, kreise),
        _by_kreis(reader, filters, kreise),
        _by_agreement(reader, filters, kreise),
        _by_format(reader, filters),
        *_reach(reader, filters),
        _counselling(reader, filters),
        _feedback(reader, filters),
        _timeliness(reader, filters),
        _evaluations(filters, today),
    ]
    return Portfolio(
        filters=filters,
        tables=tables,
        exact=reader.exact,
        any_exact=reader.any_exact,
        threshold=settings.SUPPRESSION_THRESHOLD,
        exact_agreements={part.agreement.pk for part in reader.parts if part.exact},
    )


# --- regions ------------------------------------------------------------------------


def _region_keys(filters: Filters, kreise: list[tuple[str, str, str]]) -> list[str]:
    """Grid region keys the regional filter stands for (Regierungsbezirke, then Kreise)."""
    if not filters.regional:
        return [act.TOTAL]
    keys = list(filters.regierungsbezirke)
    keys += [
        ags
        for ags, _name, rb in kreise
        if ags in filters.kreise and rb not in filters.regierungsbezirke
    ]
    return keys


def _region_figure(reader: Reader, measure: str, regions: list[Hashable], times: list) -> Value:
    return reader.sum(
        ACTIVITIES, lambda part: [act.region_node(measure, r, t) for r in regions for t in times]
    )


# --- the year-on-year series (every filter) -----------------------------------------


def _year_series(reader: Reader, filters: Filters, kreise: list) -> Table:
    labels = _measure_labels()
    table = Table(
        "jahre",
        _("Aktivitäten und Reichweite nach Jahr"),
        _("Jahr"),
        [labels[m] for m in MEASURES],
    )
    crossed = filters.goal is not None or (filters.format and filters.regional)
    parts = reader.parts
    if filters.goal is not None:
        parts = [p for p in parts if p.agreement.pk == filters.goal.agreement_id]
        table.note = _(
            "Aktivitäten je Ziel sind nicht Teil des Veröffentlichungsrasters: geschützte "
            "Zahlen zeigen hier „•“."
        )
    elif crossed:
        table.note = _(
            "Format und Region zugleich sind nicht Teil des Veröffentlichungsrasters: geschützte "
            "Zahlen zeigen hier „•“."
        )
    regions = _region_keys(filters, kreise)
    times_all = _years(filters)
    rows_times = [(str(year), [(YEAR, year)]) for year in filters.years]
    if len(filters.years) > 1:
        rows_times.append((_("Zusammen"), times_all))
    exact_sql = _exact_crossed(parts, filters, kreise) if crossed else {}
    for label, times in rows_times:
        values: list[Value] = []
        for measure in MEASURES:
            if crossed:
                values.append(_crossed_figure(parts, exact_sql, measure, times))
            elif filters.format:
                values.append(
                    reader.sum(
                        ACTIVITIES,
                        lambda part, m=measure, ts=times: [
                            act.format_node(m, filters.format, t) for t in ts
                        ],
                        parts,
                    )
                )
            else:
                values.append(_region_figure(reader, measure, regions, times))
        table.rows.append(Row(label, values, total=len(times) > 1))
    return table


def _crossed_figure(parts: list[Part], exact: dict, measure: str, times: list) -> Value:
    """A figure the grids do not hold: exact agreements' sum, or "•" if any is protected."""
    if not parts:
        return 0
    if not all(part.exact for part in parts):
        return HIDDEN_MARK
    return sum(exact.get((part.agreement.pk, t[1], measure), 0) for part in parts for t in times)


def _exact_crossed(parts: list[Part], filters: Filters, kreise: list) -> dict:
    """Held activities by agreement and year with every filter, for exactly seen agreements."""
    ids = [part.agreement.pk for part in parts if part.exact]
    if not ids or len(ids) < len(parts):
        return {}
    tz = timezone.get_current_timezone()
    found: dict = {}
    for year in filters.years:
        held = _held(ids).filter(
            starts_at__gte=datetime.datetime(year, 1, 1, tzinfo=tz),
            starts_at__lt=datetime.datetime(year + 1, 1, 1, tzinfo=tz),
        )
        if filters.regional:
            held = held.filter(kreis_id__in=filters.kreis_keys([(a, rb) for a, _n, rb in kreise]))
        if filters.format:
            held = held.filter(format__key=filters.format)
        if filters.goal is not None:
            held = held.filter(goals=filters.goal)
        for row in held.values("agreement_id").annotate(
            activities=Count("id", distinct=True),
            attendances=Sum("participants"),
            first_timers=Sum("first_timers"),
        ):
            for measure in MEASURES:
                found[(row["agreement_id"], year, measure)] = row[measure] or 0
    return found


def _held(agreement_ids: list[int]) -> QuerySet[Activity]:
    return Activity.objects.filter(
        agreement_id__in=agreement_ids, status__in=act.HELD_STATUSES
    ).order_by()


# --- by Regierungsbezirk, by Kreis, by agreement ---------------------------------------


def _unfiltered_note(filters: Filters) -> str:
    if filters.format or filters.goal is not None:
        return _(
            "Ohne Format- und Zielfilter: das Veröffentlichungsraster hat diese Tabelle "
            "nicht je Format oder Ziel."
        )
    return ""


def _by_regierungsbezirk(reader: Reader, filters: Filters, kreise: list) -> Table:
    labels = _measure_labels()
    table = Table(
        "regierungsbezirke",
        _("Aktivitäten und Reichweite nach Regierungsbezirk"),
        _("Regierungsbezirk"),
        [f"{labels[m]} {year}" for year in filters.years for m in MEASURES],
        note=_unfiltered_note(filters),
    )
    bezirke = sorted({rb for _a, _n, rb in kreise})
    chosen = [
        rb
        for rb in bezirke
        if not filters.regional
        or rb in filters.regierungsbezirke
        or any(ags in filters.kreise for ags, _n, r in kreise if r == rb)
    ]
    rows: list[tuple[str, Hashable, bool]] = [(rb, rb, False) for rb in chosen]
    if not filters.regional:
        rows += [(_("Online"), act.ONLINE, False), (_("Hessen und online"), act.TOTAL, True)]
    for label, region, total in rows:
        values = [
            _region_figure(reader, m, [region], [(YEAR, year)])
            for year in filters.years
            for m in MEASURES
        ]
        table.rows.append(Row(label, values, total=total, key=str(region)))
    return table


def _by_kreis(reader: Reader, filters: Filters, kreise: list) -> Table:
    labels = _measure_labels()
    span = _span(filters.years)
    table = Table(
        "kreise",
        _("Aktivitäten und Reichweite nach Kreis, %(span)s") % {"span": span},
        _("Kreis"),
        [labels[m] for m in MEASURES],
        note=_unfiltered_note(filters),
    )
    chosen = set(filters.kreis_keys([(ags, rb) for ags, _n, rb in kreise]))
    times = _years(filters)
    rows = [(name, ags) for ags, name, _rb in kreise if ags in chosen]
    if not filters.regional:
        rows.append((_("Online"), act.ONLINE))
    for label, region in rows:
        values = [_region_figure(reader, m, [region], times) for m in MEASURES]
        table.rows.append(Row(label, values, key=region))
    return table


def _by_agreement(reader: Reader, filters: Filters, kreise: list) -> Table:
    labels = _measure_labels()
    table = Table(
        "vereinbarungen",
        _("Aktivitäten und Reichweite nach Vereinbarung, %(span)s")
        % {"span": _span(filters.years)},
        _("Vereinbarung"),
        [labels[m] for m in MEASURES],
        note=_unfiltered_note(filters),
    )
    regions = _region_keys(filters, kreise)
    times = _years(filters)
    for part in reader.parts:
        values = [
            reader.sum(
                ACTIVITIES,
                lambda p, m=measure: [act.region_node(m, r, t) for r in regions for t in times],
                [part],
            )
            for measure in MEASURES
        ]
        table.rows.append(Row(part.agreement.title, values, key=part.agreement.slug))
    return table


def _by_format(reader: Reader, filters: Filters) -> Table:
    from buendnis.activities.models import Format

    labels = _measure_labels()
    table = Table(
        "formate",
        _("Aktivitäten nach Format, %(span)s") % {"span": _span(filters.years)},
        _("Format"),
        [labels[m] for m in MEASURES],
    )
    if filters.regional:
        table.note = _(
            "Ohne Regionalfilter: das Veröffentlichungsraster hat Formate nicht je Region."
        )
    formats = dict(
        Format.objects.filter(agreement__in=[p.agreement for p in reader.parts])
        .order_by("-agreement__slug", "key")
        .values_list("key", "name")
    )
    if filters.format:
        formats = {k: v for k, v in formats.items() if k == filters.format}
    times = _years(filters)
    for key, name in sorted(formats.items(), key=lambda item: item[1]):
        values = [
            reader.sum(ACTIVITIES, lambda p, m=m, k=key: [act.format_node(m, k, t) for t in times])
            for m in MEASURES
        ]
        table.rows.append(Row(name, values, key=key))
    return table


# --- reach, counselling, feedback, timeliness ------------------------------------------


def _reach(reader: Reader, filters: Filters) -> list[Table]:
    categories: dict[tuple[str, str], str] = {}
    for dimension, key, label in (
        ReachCategory.objects.filter(agreement__in=[p.agreement for p in reader.parts])
        .order_by("dimension", "position", "key", "agreement__slug")
        .values_list("dimension", "key", "label")
    ):
        categories.setdefault((dimension, key), label)
    note = _unfiltered_note(filters)
    if filters.regional:
        note = _(
            "Ohne Regionalfilter: das Veröffentlichungsraster hat Reichweiten nicht je Region."
        )
    tables = []
    for key, title, dimensions in (
        (
            "reichweite",
            _("Reichweite nach Gruppe und Migrationsgeschichte"),
            (ReachCategory.Dimension.GROUP, ReachCategory.Dimension.MIGRATION),
        ),
        ("sektoren", _("Multiplikator*innen nach Bereich"), (ReachCategory.Dimension.SECTOR,)),
    ):
        table = Table(key, title, _("Kategorie"), [str(y) for y in filters.years], note=note)
        for (dimension, category), label in categories.items():
            if dimension not in dimensions:
                continue
            values = [
                reader.sum(
                    ACTIVITIES,
                    lambda p, d=dimension, c=category, y=year: [act.reach_node(d, c, (YEAR, y))],
                )
                for year in filters.years
            ]
            prefix = f"{ReachCategory.Dimension(dimension).label}: " if len(dimensions) > 1 else ""
            table.rows.append(Row(f"{prefix}{label}", values, key=f"{dimension}:{category}"))
        tables.append(table)
    return tables


def _counselling(reader: Reader, filters: Filters) -> Table:
    table = Table(
        "beratung",
        _("Beratungskontakte nach Art"),
        _("Art"),
        [str(y) for y in filters.years],
        note=_("Ohne Regional-, Format- und Zielfilter.")
        if filters.regional or filters.format or filters.goal
        else "",
    )
    rows: list[tuple[str, object, bool]] = [
        (str(label), kind, False) for kind, label in Contact.Kind.choices
    ]
    rows.append((_("Kontakte gesamt"), None, True))
    for label, kind, total in rows:
        values = [
            reader.sum(
                COUNSELLING,
                lambda p, k=kind, y=year: [
                    cns.total_node((YEAR, y))
                    if k is None
                    else cns.category_node("kind", k, (YEAR, y))
                ],
            )
            for year in filters.years
        ]
        table.rows.append(Row(label, values, total=total, key=str(kind or "total")))
    return table


def _feedback(reader: Reader, filters: Filters) -> Table:
    table = Table(
        "rueckmeldungen",
        _("Rückmeldungen: Zustimmung (Skalenpunkte 4–5)"),
        _("Jahr"),
        [_("Antworten"), _("davon zustimmend"), _("Anteil zustimmend (%)")],
        note=_("Ohne Regional-, Format- und Zielfilter.")
        if filters.regional or filters.format or filters.goal
        else "",
    )
    for year in filters.years:
        time = (YEAR, year)
        answered = reader.sum(
            FEEDBACK, lambda p, t=time: [fb.answered_node(fb.ALL, fb.ALL, fb.ALL, t)]
        )
        agree = reader.sum(FEEDBACK, lambda p, t=time: [fb.agree_node(fb.ALL, fb.ALL, fb.ALL, t)])
        table.rows.append(Row(str(year), [answered, agree, share(agree, answered)]))
    return table


def _timeliness(reader: Reader, filters: Filters) -> Table:
    table = Table(
        "fristen",
        _("Dokumentation fristgerecht (§ 7)"),
        _("Jahr"),
        [
            _("fristgerecht"),
            _("verspätet"),
            _("nicht dokumentiert"),
            _("fällig gesamt"),
            _("Anteil fristgerecht (%)"),
        ],
        note=_("Ohne Regional-, Format- und Zielfilter.")
        if filters.regional or filters.format or filters.goal
        else "",
    )
    for year in filters.years:
        time = (YEAR, year)
        values: list[Value] = [
            reader.sum(ACTIVITIES, lambda p, s=state, t=time: [act.doc_node(s, t)])
            for state in (*act.DOC_STATES, act.TOTAL)
        ]
        values.append(share(values[0], values[3]))
        table.rows.append(Row(str(year), values))
    return table


# --- § 8 status (no counts of people: exact for everyone) -------------------------------


def _evaluations(filters: Filters, today: datetime.date) -> Table:
    table = Table(
        "auswertungen",
        _("Jährliche Auswertung (§ 8)"),
        _("Vereinbarung"),
        [
            _("Letzte Auswertung vereinbart am"),
            _("Zeitraum"),
            _("Anpassungen offen"),
            _("davon überfällig"),
        ],
    )
    agreements = filters.agreements
    last = {
        row["agreement_id"]: row["agreed"]
        for row in Evaluation.objects.filter(
            agreement__in=agreements, status=Evaluation.Status.AGREED
        )
        .values("agreement_id")
        .annotate(agreed=Max("agreed_on"))
    }
    periods = {
        e.agreement_id: f"{e.starts_on:%d.%m.%Y}–{e.ends_on:%d.%m.%Y}"
        for e in Evaluation.objects.filter(
            agreement__in=agreements, status=Evaluation.Status.AGREED
        ).order_by("agreed_on", "ends_on")
    }
    open_states = (Adjustment.Status.OPEN, Adjustment.Status.IN_PROGRESS)
    adjustments = {
        row["evaluation__agreement_id"]: row
        for row in Adjustment.objects.filter(
            evaluation__agreement__in=agreements, status__in=open_states
        )
        .values("evaluation__agreement_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)))
    }
    for agreement in agreements:
        agreed = last.get(agreement.pk)
        counts = adjustments.get(agreement.pk, {})
        table.rows.append(
            Row(
                agreement.title,
                [
                    agreed.strftime("%d.%m.%Y") if agreed else _("noch keine"),
                    periods.get(agreement.pk, "–"),
                    counts.get("open", 0),
                    counts.get("overdue", 0),
                ],
                key=agreement.slug,
            )
        )
    return table


def _span(years: list[int]) -> str:
    if len(years) == 1:
        return str(years[0])
    if years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)

"""Input, output, formats, reach, Kreise and § 7 timeliness of one period and the one before.

Every figure is summed in the database: the current and the previous period are read
together (``[previous.start, period.stop)``, split by a conditional aggregate), so each
section costs one or two queries whatever the number of activities.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from buendnis.activities.models import Activity, Format, ReachCategory, ReachCount
from buendnis.agreements.models import Agreement, Indicator
from buendnis.evaluation.periods import Period
from buendnis.evaluation.report.tables import make_table, percent
from buendnis.evaluation.sources import timeliness
from buendnis.evaluation.sources.base import HELD_STATUSES, local_bounds
from buendnis.feedback.models import Answer, Response

FORMAT_GROUPS = (Format.Status.PILOT, Format.Status.ESTABLISHED, Format.Status.DROPPED)
ONLINE = "online"
HUNDREDTH = Decimal("0.01")


class Window:
    """The current period and the previous one, as one half-open span of local time."""

    def __init__(self, period: Period) -> None:
        """Bounds of the period and of the one before it."""
        self.period, self.previous = period, period.previous()
        self.start, self.stop = local_bounds(period)
        self.first, _end = local_bounds(self.previous)

    def held(self, agreement: Agreement) -> QuerySet[Activity]:
        """Held activities of both periods (see ``sources.base``)."""
        return Activity.objects.filter(
            agreement=agreement,
            status__in=HELD_STATUSES,
            starts_at__gte=self.first,
            starts_at__lt=self.stop,
        ).order_by()

    def current(self, prefix: str = "") -> Q:
        """Activities (or rows joined to them) of the period itself."""
        return Q(**{f"{prefix}starts_at__gte": self.start})

    def earlier(self, prefix: str = "") -> Q:
        """Activities (or rows joined to them) of the previous period."""
        return Q(**{f"{prefix}starts_at__lt": self.start})


def _hours(value: Decimal | None) -> str:
    """Hours as text with two decimals, the same on every database."""
    return str(Decimal(value or 0).quantize(HUNDREDTH))


def input_output(agreement: Agreement, window: Window) -> dict[str, Any]:
    """Facts of input and output, and the format table (§ 4) with its feedback."""
    held = window.held(agreement)
    now, before = window.current(), window.earlier()
    per_format = {
        row.pop("format_id"): row
        for row in held.values("format_id").annotate(
            now_activities=Count("id", filter=now),
            now_attendances=Sum("participants", filter=now, default=0),
            now_first_timers=Sum("first_timers", filter=now, default=0),
            now_hours=Sum("staff_hours", filter=now),
            before_activities=Count("id", filter=before),
            before_attendances=Sum("participants", filter=before, default=0),
            before_first_timers=Sum("first_timers", filter=before, default=0),
            before_hours=Sum("staff_hours", filter=before),
        )
    }
    people = held.aggregate(
        organisations=Count("organisation", distinct=True, filter=now),
        previous_organisations=Count("organisation", distinct=True, filter=before),
    )
    links = Activity.network_partners.through.objects.filter(activity__in=held.values("id"))
    partners = links.aggregate(
        current=Count("networkpartner", distinct=True, filter=window.current("activity__")),
        previous=Count("networkpartner", distinct=True, filter=window.earlier("activity__")),
    )
    responses, answers = _feedback_by_format(agreement, window.period)
    rows = []
    formats = Format.objects.filter(agreement=agreement).values_list("id", "key", "name", "status")
    for status in FORMAT_GROUPS:
        for pk, key, name, fmt_status in sorted(formats, key=lambda f: f[2]):
            if fmt_status != status:
                continue
            figures = per_format.get(pk, {})
            answered, agree = answers.get(pk, (0, 0))
            values = {
                "status": status.value,
                "activities": figures.get("now_activities", 0),
                "attendances": figures.get("now_attendances", 0),
                "first_timers": figures.get("now_first_timers", 0),
                "responses": responses.get(pk, 0),
                "answered": answered,
                "agree": agree,
            }
            values["share"] = percent(agree, answered)
            rows.append({"key": key, "label": name, "group": status.value, "values": values})
    groups = [
        {"key": s.value, "label": ""} for s in FORMAT_GROUPS if any(r["group"] == s for r in rows)
    ]

    def total(name: str) -> int | str:
        """A column summed over the formats (hours as text)."""
        values = [f[name] for f in per_format.values()]
        if name.endswith("hours"):
            return _hours(sum((v for v in values if v is not None), Decimal(0)))
        return sum(values)

    facts = {
        "input": [
            _fact("staff_hours", total("now_hours"), total("before_hours")),
            _fact("activities", total("now_activities"), total("before_activities")),
            _fact("organisations", people["organisations"], people["previous_organisations"]),
            _fact("network_partners", partners["current"], partners["previous"]),
        ],
        "output": [
            _fact("activities", total("now_activities"), total("before_activities")),
            _fact("attendances", total("now_attendances"), total("before_attendances")),
            _fact("first_timers", total("now_first_timers"), total("before_first_timers")),
            _fact("responses", sum(responses.values()), None),
        ],
    }
    return {"facts": facts, "tables": {"formats": make_table("formats", rows, groups)}}


def _fact(key: str, current: object, previous: object) -> dict[str, Any]:
    """A key figure of the period and of the previous one."""
    return {"key": key, "current": current, "previous": previous}


def _feedback_by_format(
    agreement: Agreement, period: Period
) -> tuple[dict[int, int], dict[int, tuple[int, int]]]:
    """Responses per format and (answered, agreeing) scale answers, by the day given."""
    days = {"submitted_on__gte": period.start, "submitted_on__lte": period.end}
    responses = dict(
        Response.objects.filter(agreement=agreement, **days)
        .order_by()
        .values("activity__format_id")
        .annotate(n=Count("id"))
        .values_list("activity__format_id", "n")
    )
    answers = {
        row["response__activity__format_id"]: (row["answered"], row["agree"])
        for row in Answer.objects.filter(
            response__agreement=agreement,
            scale__isnull=False,
            **{f"response__{key}": value for key, value in days.items()},
        )
        .order_by()
        .values("response__activity__format_id")
        .annotate(answered=Count("id"), agree=Count("id", filter=Q(scale__gte=4)))
    }
    return responses, answers


def reach(agreement: Agreement, window: Window) -> dict[str, Any]:
    """Attendances per reach category (group, migration history, sector), both periods."""
    counts = {
        row["category_id"]: row
        for row in ReachCount.objects.filter(activity__in=window.held(agreement).values("id"))
        .order_by()
        .values("category_id")
        .annotate(
            current=Sum("count", filter=window.current("activity__"), default=0),
            previous=Sum("count", filter=window.earlier("activity__"), default=0),
        )
    }
    tables = {}
    categories = ReachCategory.objects.filter(agreement=agreement).order_by("position", "key")
    by_dimension: dict[str, list[dict[str, Any]]] = {}
    for category in categories.values("id", "dimension", "key", "label"):
        figures = counts.get(category["id"], {})
        by_dimension.setdefault(category["dimension"], []).append(
            {
                "key": category["key"],
                "label": category["label"],
                "values": {
                    "current": figures.get("current", 0),
                    "previous": figures.get("previous", 0),
                },
            }
        )
    for dimension in ReachCategory.Dimension:
        if rows := by_dimension.get(dimension.value):
            key = f"reach_{'group' if dimension == 'group' else dimension.value}"
            tables[key] = make_table(key, rows)
    return {"tables": tables}


def kreise(agreement: Agreement, window: Window) -> dict[str, Any]:
    """Activities and attendances per Kreis, grouped by Regierungsbezirk; online apart."""
    now, before = window.current(), window.earlier()
    found = (
        window.held(agreement)
        .values("kreis_id", "kreis__name", "kreis__regierungsbezirk")
        .annotate(
            activities=Count("id", filter=now),
            attendances=Sum("participants", filter=now, default=0),
            previous_attendances=Sum("participants", filter=before, default=0),
        )
    )
    rows = []
    for row in found:
        online = row["kreis_id"] is None
        rows.append(
            {
                "key": ONLINE if online else row["kreis_id"],
                "label": _("Online") if online else row["kreis__name"],
                "group": ONLINE if online else row["kreis__regierungsbezirk"],
                "values": {
                    name: row[name]
                    for name in ("activities", "attendances", "previous_attendances")
                },
            }
        )
    rows.sort(key=lambda r: (r["group"] == ONLINE, r["group"], r["label"]))
    groups = []
    for row in rows:
        if not groups or groups[-1]["key"] != row["group"]:
            label = _("Online") if row["group"] == ONLINE else row["group"]
            groups.append({"key": row["group"], "label": label})
    return {"tables": {"kreise": make_table("kreise", rows, groups)}}


def documentation(agreement: Agreement, window: Window, today: datetime.date) -> dict[str, Any]:
    """§ 7: due, within the deadline, late and undocumented, with share and median lag."""
    probe = Indicator(
        agreement=agreement,
        source=Indicator.Source.TIMELINESS,
        filter={"metric": "share_within_deadline"},
    )
    measures = [
        timeliness.measure(indicator=probe, period=period, today=today)
        for period in (window.period, window.previous)
    ]
    current, previous = (m.detail for m in measures)
    if not current:
        return {"tables": {}, "facts": {"timeliness": []}}
    rows = [
        {"key": key, "label": "", "values": {"current": current[key], "previous": previous[key]}}
        for key in ("within", "late", "undocumented")
    ]
    facts = [
        _fact("share_within", _text(measures[0].actual), _text(measures[1].actual)),
        _fact("median_lag", current["median_lag_days"], previous["median_lag_days"]),
    ]
    return {
        "tables": {"timeliness": make_table("timeliness", rows)},
        "facts": {"timeliness": facts},
    }


def _text(value: Decimal | None) -> str | None:
    """A Decimal as JSON-safe text."""
    return None if value is None else str(value)

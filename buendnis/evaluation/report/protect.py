"""The ministry's copy: every count of the report read from the protected publication grids.

The exact report data are only the template: each count cell is replaced by the figure the
agreement's protected grids publish for it (``activities.grid``, ``counselling.grid``,
``feedback.grid``), so the report can be laid beside the agreement page, the statistics,
their exports and any other period's report without giving a hidden count away. A period
is mapped onto the grid's time: a calendar year and an agreement year (snapped to whole
months, see ``core.disclosure.periods``) are grid nodes; any other range is snapped to
whole months and its figures are shown only where the published nodes determine them.
Shares and means are shown only when the counts behind them are published. Indicator
values that are sums of grid cells come from the grid; the others (estimates, goal
filters) keep the primary rule: 1 to 4 read "< 5", shares on small parts are withheld.
"""

import copy
import datetime
from collections.abc import Callable, Hashable
from decimal import Decimal
from typing import Any

from django.conf import settings

from buendnis.activities import grid as activity_grid
from buendnis.activities.models import Format
from buendnis.agreements.models import Agreement
from buendnis.core.disclosure.cache import publication_for
from buendnis.core.disclosure.periods import (
    AGREEMENT_YEAR,
    MONTH,
    YEAR,
    agreement_start_month,
    months_between,
    node_months,
)
from buendnis.core.disclosure.publication import HIDDEN_MARK, Publication, primary_mark
from buendnis.core.suppression import share_withheld
from buendnis.counselling import grid as counselling_grid
from buendnis.evaluation.report.formatting import as_decimal
from buendnis.evaluation.report.tables import percent
from buendnis.feedback import grid as feedback_grid

HIDDEN = HIDDEN_MARK
RATE_PARTS = (("agree", "total"), ("within", "due"))
NOT_COUNTED = ("evaluation",)  # sources whose values are no counts of anything (yes/no)
HUNDREDTH = Decimal("0.01")


class Scope:
    """A report period on the grids' time axis, snapped to whole months.

    The months run from the month of the first day to the month before the one the day
    after the last day falls in (a partly covered last month is left out): an agreement
    year from 4 June becomes June to May.
    """

    def __init__(self, agreement: Agreement, start: datetime.date, end: datetime.date) -> None:
        self.start_month = agreement_start_month(agreement.in_force_on)
        stop = end + datetime.timedelta(days=1)
        first = (start.year, start.month)
        last = (stop.year, stop.month - 1) if stop.month > 1 else (stop.year - 1, 12)
        self.months = list(months_between(first, max(first, last)))
        self.snapped = start.day != 1 or stop.day != 1
        self.node: tuple | None = None
        candidates = [(YEAR, first[0])]
        if self.start_month is not None:
            candidates.append((AGREEMENT_YEAR, first[0]))
        for candidate in candidates:
            if node_months(candidate, self.start_month) == self.months:
                self.node = candidate


class Reader:
    """Figures of one grid for a scope: nodes where the scope is a node, else sums."""

    def __init__(self, publication: Publication, scope: Scope, monthly: bool) -> None:
        self.publication, self.scope, self.monthly = publication, scope, monthly

    def count(self, node_of: Callable[[tuple], Hashable]) -> int | str:
        """One node of the scope as published (a sum of months where it is no node)."""
        if self.scope.node is not None:
            return self.publication.shown(node_of(self.scope.node))
        return self.total([node_of])

    def total(self, node_ofs: list[Callable[[tuple], Hashable]]) -> int | str:
        """The sum of several nodes: shown where the published nodes determine it."""
        if self.scope.node is not None:
            times = [self.scope.node]
        elif self.monthly:
            times = [(MONTH, year, month) for year, month in self.scope.months]
        else:
            return HIDDEN  # activities and feedback are published per year only
        coefficients: dict[int, int] = {}
        for node_of in node_ofs:
            for time in times:
                node = self.publication.grid.nodes.get(node_of(time))
                for index, c in (node.coefficients if node else {}).items():
                    coefficients[index] = coefficients.get(index, 0) + c
        return self.publication.figure(coefficients)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _share(part: object, whole: object) -> str | None:
    if _is_count(part) and _is_count(whole):
        return percent(part, whole)  # type: ignore[arg-type]
    return HIDDEN


def _set(values: dict[str, Any], key: str, value: object) -> None:
    if key in values:
        values[key] = value


def _formats(table: dict[str, Any], now: Reader, answers: Reader, ids: dict[str, int]) -> None:
    measures = ("activities", "attendances", "first_timers")
    f, fb = activity_grid, feedback_grid

    def fill(values: dict[str, Any], category: Hashable, feedback_format: Hashable) -> None:
        for measure in measures:
            _set(values, measure, now.count(lambda t, m=measure: f.format_node(m, category, t)))
        _set(
            values,
            "responses",
            answers.count(lambda t: fb.responses_node(fb.ALL, feedback_format, t)),
        )
        _set(
            values,
            "answered",
            answers.count(lambda t: fb.answered_node(fb.ALL, feedback_format, fb.ALL, t)),
        )
        _set(
            values,
            "agree",
            answers.count(lambda t: fb.agree_node(fb.ALL, feedback_format, fb.ALL, t)),
        )
        if "share" in values:
            values["share"] = (
                _share(values.get("agree"), values.get("answered"))
                if values["share"] is not None
                else None
            )

    for row in table["rows"]:
        fill(row["values"], row["key"], ids.get(row["key"], -1))
    for status, values in table.get("subtotals", {}).items():
        for measure in measures:
            _set(
                values,
                measure,
                now.count(lambda t, m=measure, s=status: f.format_node(m, f"status:{s}", t)),
            )
        for key in ("responses", "answered", "agree"):
            _set(values, key, HIDDEN)  # no node: feedback is published per format and in all
        _set(values, "share", None if values.get("share") is None else HIDDEN)
    if table.get("total") is not None:
        fill(table["total"], activity_grid.TOTAL, fb.ALL)


def _periods(
    table: dict[str, Any], now: Reader, before: Reader, node_of: Callable, total_of: Callable
) -> None:
    for row in table["rows"]:
        row["values"]["current"] = now.count(lambda t, k=row["key"]: node_of(k, t))
        row["values"]["previous"] = before.count(lambda t, k=row["key"]: node_of(k, t))
    if table.get("total") is not None:
        table["total"]["current"] = now.count(total_of)
        table["total"]["previous"] = before.count(total_of)


def _kreise(table: dict[str, Any], now: Reader, before: Reader) -> None:
    r = activity_grid

    def fill(values: dict[str, Any], region: Hashable) -> None:
        values["activities"] = now.count(lambda t: r.region_node("activities", region, t))
        values["attendances"] = now.count(lambda t: r.region_node("attendances", region, t))
        values["previous_attendances"] = before.count(
            lambda t: r.region_node("attendances", region, t)
        )

    for row in table["rows"]:
        fill(row["values"], row["key"])
    for group, values in table.get("subtotals", {}).items():
        fill(values, r.ONLINE if group == r.ONLINE else group)
    if table.get("total") is not None:
        fill(table["total"], r.TOTAL)


def _feedback(table: dict[str, Any], now: Reader) -> None:
    fb = feedback_grid
    for row in table["rows"]:
        values, key = row["values"], row["key"]
        values["answered"] = now.count(lambda t, k=key: fb.answered_node(fb.ALL, fb.ALL, k, t))
        values["agree"] = now.count(lambda t, k=key: fb.agree_node(fb.ALL, fb.ALL, k, t))
        points = [
            now.count(lambda t, p=p, k=key: fb.point_node(fb.ALL, k, p, t)) for p in range(1, 6)
        ]
        for point, shown in enumerate(points, 1):
            values[f"c{point}"] = shown
        values["share"] = _share(values["agree"], values["answered"])
        answered = values["answered"]
        if all(_is_count(p) for p in points) and _is_count(answered) and answered:
            total = sum(p * c for p, c in enumerate(points, 1))
            values["mean"] = str((Decimal(total) / answered).quantize(HUNDREDTH))
        else:
            values["mean"] = HIDDEN


def _counted(value: object, threshold: int) -> object:
    """A count as published under the primary rule: from 1 to below the threshold as '< 5'."""
    number = as_decimal(value)
    if number is not None and 0 < number < threshold:
        return primary_mark(threshold)
    return value


def _share_withheld(detail: dict[str, Any], threshold: int) -> bool:
    for part_key, whole_key in RATE_PARTS:
        part, whole = detail.get(part_key), detail.get(whole_key)
        if isinstance(part, int) and isinstance(whole, int):
            return share_withheld(part, whole, threshold)
    return False


def protect_indicator(indicator: dict[str, Any], threshold: int) -> None:
    """The primary rule for an indicator that is no sum of grid cells; raw counts dropped."""
    detail = indicator.pop("detail", None) or {}
    previous_detail = indicator.pop("previous_detail", None) or {}
    if indicator.get("rate"):
        if indicator["actual"] is not None and _share_withheld(detail, threshold):
            indicator["actual"] = HIDDEN
        if indicator["previous"] is not None and _share_withheld(previous_detail, threshold):
            indicator["previous"] = HIDDEN
    elif indicator.get("source") not in NOT_COUNTED:
        indicator["actual"] = _counted(indicator["actual"], threshold)
        indicator["previous"] = _counted(indicator["previous"], threshold)


def _from_grid(
    indicator: dict[str, Any], readers: dict[str, tuple[Reader, Reader]], ids: dict[str, int]
) -> bool:
    """Set an indicator's values from the grids where they are sums of cells; else False."""
    source, flt = indicator.get("source"), indicator.get("filter") or {}
    keys = set(flt) - {"metric"}
    metric = flt.get("metric")
    f, c, fb = activity_grid, counselling_grid, feedback_grid
    finders: dict[str, Callable[[Reader], object]] = {}
    if source == "feedback" and metric == "share_agree" and keys == {"question"}:
        question = flt["question"]
        finders["feedback"] = lambda reader: _share(
            reader.count(lambda t: fb.agree_node(fb.ALL, fb.ALL, question, t)),
            reader.count(lambda t: fb.answered_node(fb.ALL, fb.ALL, question, t)),
        )
    elif source == "timeliness" and metric == "share_within_deadline" and not keys:
        finders["activities"] = lambda reader: _share(
            reader.count(lambda t: f.doc_node("within", t)),
            reader.count(lambda t: f.doc_node(f.TOTAL, t)),
        )
    elif (
        source == "counselling"
        and metric == "contacts"
        and len(keys) <= 1
        and keys <= {"kinds", "sought_by", "channels"}
    ):
        breakdown = {"kinds": "kind", "sought_by": "sought_by", "channels": "channel"}.get(
            next(iter(keys), ""), ""
        )
        chosen = flt.get(next(iter(keys), ""), [])
        finders["counselling"] = lambda reader: reader.total(
            [lambda t, v=v: c.category_node(breakdown, v, t) for v in chosen]
            if breakdown
            else [c.total_node]
        )
    elif source == "activities" and metric in ("count", "participants") and keys <= {"formats"}:
        measure = "activities" if metric == "count" else "attendances"
        formats = flt.get("formats") or [f.TOTAL]
        finders["activities"] = lambda reader: reader.total(
            [lambda t, k=k: f.format_node(measure, k, t) for k in formats]
        )
    if not finders:
        return False
    [(grid_name, find)] = finders.items()
    now, before = readers[grid_name]
    indicator["actual"] = find(now) if indicator["actual"] is not None else None
    indicator["previous"] = find(before) if indicator["previous"] is not None else None
    for field in ("actual", "previous"):
        value = indicator[field]
        if isinstance(value, int):
            indicator[field] = str(value)
    indicator.pop("detail", None)
    indicator.pop("previous_detail", None)
    return True


def _facts(data: dict[str, Any], readers: dict[str, tuple[Reader, Reader]]) -> None:
    f, fb = activity_grid, feedback_grid
    (now, before), (answers_now, answers_before) = readers["activities"], readers["feedback"]
    nodes = {
        "activities": lambda t: f.region_node("activities", f.TOTAL, t),
        "attendances": lambda t: f.region_node("attendances", f.TOTAL, t),
        "first_timers": lambda t: f.format_node("first_timers", f.TOTAL, t),
    }
    for facts in (data["facts"].get("input", []), data["facts"].get("output", [])):
        for fact in facts:
            if fact["key"] in nodes:
                fact["current"] = now.count(nodes[fact["key"]])
                if fact["previous"] is not None:
                    fact["previous"] = before.count(nodes[fact["key"]])
            elif fact["key"] == "responses":
                fact["current"] = answers_now.count(lambda t: fb.responses_node(fb.ALL, fb.ALL, t))
                if fact["previous"] is not None:
                    fact["previous"] = answers_before.count(
                        lambda t: fb.responses_node(fb.ALL, fb.ALL, t)
                    )
    for fact in data["facts"].get("timeliness", []):
        if fact["key"] != "share_within":
            continue
        for period, reader in (("current", now), ("previous", before)):
            if fact[period] is not None:
                fact[period] = _share(
                    reader.count(lambda t: f.doc_node("within", t)),
                    reader.count(lambda t: f.doc_node(f.TOTAL, t)),
                )


Readers = dict[str, tuple[Reader, Reader]]


def _readers(
    agreement: Agreement, periods: list[dict[str, str]], today: datetime.date
) -> tuple[Readers, list[Scope]]:
    """Each grid's reader for the period and for the previous one."""
    publications = {
        "activities": publication_for(
            activity_grid.activities_grid(agreement=agreement, today=today)
        ),
        "counselling": publication_for(counselling_grid.counselling_grid(agreement=agreement)),
        "feedback": publication_for(feedback_grid.feedback_grid(agreement=agreement)),
    }
    scopes = [
        Scope(
            agreement,
            datetime.date.fromisoformat(p["start"]),
            datetime.date.fromisoformat(p["end"]),
        )
        for p in periods
    ]
    readers = {
        name: (
            Reader(publication, scopes[0], monthly=name == "counselling"),
            Reader(publication, scopes[1], monthly=name == "counselling"),
        )
        for name, publication in publications.items()
    }
    return readers, scopes


def protected_indicators(
    rows: list[dict[str, Any]],
    *,
    agreement: Agreement,
    periods: list[dict[str, str]],
    today: datetime.date,
) -> list[dict[str, Any]]:
    """Indicator values as the protected publication shows them (the input stays unchanged)."""
    readers, _scopes = _readers(agreement, periods, today)
    ids = dict(Format.objects.filter(agreement=agreement).values_list("key", "id"))
    protected = copy.deepcopy(rows)
    for indicator in protected:
        if not _from_grid(indicator, readers, ids):
            protect_indicator(indicator, settings.SUPPRESSION_THRESHOLD)
    return protected


def ministry_copy(data: dict[str, Any]) -> dict[str, Any]:
    """A protected copy of the report data for the ministry (the input stays unchanged)."""
    protected = copy.deepcopy(data)
    agreement = Agreement.objects.get(slug=data["agreement"]["slug"])
    today = datetime.date.fromisoformat(data["computed_on"])
    readers, scopes = _readers(agreement, [data["period"], data["previous"]], today)
    ids = dict(Format.objects.filter(agreement=agreement).values_list("key", "id"))
    tables = protected["tables"]
    (now, before) = readers["activities"]
    f, c = activity_grid, counselling_grid
    for key, table in tables.items():
        if key == "formats":
            _formats(table, now, readers["feedback"][0], ids)
        elif key.startswith("reach_"):
            dimension = key.removeprefix("reach_")
            _periods(
                table,
                now,
                before,
                lambda k, t, d=dimension: f.reach_node(d, k, t),
                lambda t: f.region_node("attendances", f.TOTAL, t),
            )
            if dimension == "sector" and table.get("total") is not None:
                # The multipliers' total: the sum of the sectors where it is determined.
                keys = [row["key"] for row in table["rows"]]
                for period, reader in (("current", now), ("previous", before)):
                    table["total"][period] = reader.total(
                        [lambda t, k=k: f.reach_node("sector", k, t) for k in keys]
                    )
        elif key == "kreise":
            _kreise(table, now, before)
        elif key == "timeliness":
            _periods(
                table, now, before, lambda k, t: f.doc_node(k, t), lambda t: f.doc_node(f.TOTAL, t)
            )
        elif key.startswith("counselling_") and key != "counselling_topics":
            breakdown = key.removeprefix("counselling_")

            def category(k: str, t: tuple, b: str = breakdown) -> tuple:
                value: object = {"first": True, "follow_up": False}.get(k, k) if b == "first" else k
                return c.category_node(b, value, t)

            _periods(table, *readers["counselling"], category, c.total_node)
        elif key == "counselling_topics":
            _periods(
                table,
                *readers["counselling"],
                lambda k, t: c.topic_node(int(k), t),
                lambda t: c.topic_node(c.TOTAL, t),
            )
        elif key == "feedback":
            _feedback(table, readers["feedback"][0])
    _facts(protected, readers)
    for indicator in protected["indicators"]:
        if not _from_grid(indicator, readers, ids):
            protect_indicator(indicator, settings.SUPPRESSION_THRESHOLD)
    protected["protected"] = True
    (first_year, first_month), (last_year, last_month) = scopes[0].months[0], scopes[0].months[-1]
    protected["snapped"] = {
        "applied": scopes[0].snapped,
        "first": datetime.date(first_year, first_month, 1).isoformat(),
        "last_month": f"{last_year}-{last_month:02d}",
    }
    return protected

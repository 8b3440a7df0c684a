"""The ministry's copy: small-cell suppression applied to every count of the report data.

Counts from 1 to ``SUPPRESSION_THRESHOLD`` − 1 become "< 5"; in tables that publish a
total (and group subtotals) further cells become "•" (complementary suppression by
``core.suppression.protect``) so that no hidden count can be worked out. A percentage or
mean is withheld ("•") when a count behind it is hidden or small, or when the complement
of its numerator is small. Indicator counts of 1–4 read "< 5". The raw counts behind the
indicators are dropped. Free text is never part of the data.
"""

import copy
from collections.abc import Hashable
from typing import Any

from django.conf import settings

from buendnis.core.suppression import TOTAL, Table, protect, share_withheld, suppressed
from buendnis.evaluation.report.formatting import as_decimal
from buendnis.evaluation.report.tables import COUNT, PERCENT, SPECS, Spec

HIDDEN = "•"
ALL = "all"
RATE_PARTS = (("agree", "total"), ("within", "due"))
NOT_COUNTED = ("evaluation",)  # sources whose values are no counts of anything (yes/no)
# Figures that are a protected table's total: the copy shows what the table shows.
FACT_TOTALS = {
    "activities": ("formats", "activities"),
    "attendances": ("formats", "attendances"),
    "first_timers": ("formats", "first_timers"),
    "responses": ("formats", "responses"),
}


def _small(value: object, threshold: int) -> bool:
    """A count from 1 to below the threshold."""
    return isinstance(value, int) and 0 < value < threshold


def _stricter(first: object, second: object) -> object:
    """Of two publications of the same count, the one that hides more."""
    for marker in (HIDDEN, "–"):
        if marker in (first, second):
            return marker
    return first if isinstance(first, str) else second


def _protect_counts(table: dict[str, Any], column: str, threshold: int) -> None:
    """Protect one count column with its total (and group subtotals) in place."""
    rows = table["rows"]
    groups = [group["key"] for group in table.get("groups", [])]
    keys: list[Hashable] = [row["key"] for row in rows]
    grouped = bool(groups)
    if grouped:
        grid = Table(keys, groups, {(r["key"], r["group"]): r["values"][column] for r in rows})
        protect([grid], threshold)
        if grid.shown((TOTAL, TOTAL), threshold) == HIDDEN:
            grouped = False  # the total is published elsewhere: protect without subtotals
    if not grouped:
        grid = Table(keys, [ALL], {(r["key"], ALL): r["values"][column] for r in rows})
        protect([grid], threshold)
    for row in rows:
        inner = (row["key"], row["group"] if grouped else ALL)
        shown = _stricter(grid.shown(inner, threshold), grid.shown((row["key"], TOTAL), threshold))
        row["values"][column] = shown
    for group in groups:
        subtotal = table["subtotals"][group]
        if grouped:
            subtotal[column] = grid.shown((TOTAL, group), threshold)
        elif any(not isinstance(r["values"][column], int) for r in rows if r["group"] == group):
            subtotal[column] = HIDDEN  # would give a hidden count away
    table["total"][column] = grid.shown((TOTAL, TOTAL), threshold)


def _derived(spec: Spec, values: dict[str, Any], threshold: int) -> None:
    """Withhold percentages and means whose counts are hidden or small."""
    for column in spec.columns:
        if column.kind == PERCENT and column.of and values.get(column.key) is not None:
            part, whole = values[column.of[0]], values[column.of[1]]
            if not (isinstance(part, int) and isinstance(whole, int)) or share_withheld(
                part, whole, threshold
            ):
                values[column.key] = HIDDEN
        if column.depends and values.get(column.key) is not None:
            counts = [values[key] for key in column.depends]
            if any(not isinstance(c, int) or _small(c, threshold) for c in counts):
                values[column.key] = HIDDEN


def protect_table(table: dict[str, Any], threshold: int) -> None:
    """Suppress a report table's counts in place (see the module)."""
    spec = SPECS[table["key"]]
    counts = [column.key for column in spec.columns if column.kind == COUNT]
    for column in counts:
        if table["total"] is not None and table["rows"]:
            _protect_counts(table, column, threshold)
        else:
            for row in table["rows"]:
                row["values"][column] = suppressed(row["values"][column])
    for values in [
        *(row["values"] for row in table["rows"]),
        *table.get("subtotals", {}).values(),
        *([table["total"]] if table["total"] is not None else []),
    ]:
        _derived(spec, values, threshold)


def _share_withheld(detail: dict[str, Any], threshold: int) -> bool:
    """Whether the rate's numerator or its complement is small."""
    for part_key, whole_key in RATE_PARTS:
        part, whole = detail.get(part_key), detail.get(whole_key)
        if isinstance(part, int) and isinstance(whole, int):
            return share_withheld(part, whole, threshold)
    return False


def _count_shown(value: object, threshold: int) -> object:
    """A count as published: from 1 to below the threshold as '< 5'."""
    number = as_decimal(value)
    if number is not None and 0 < number < threshold:
        return f"< {threshold}"
    return value


def protect_indicator(indicator: dict[str, Any], threshold: int) -> None:
    """Withhold rates on small counts, show small counts as "< 5", drop the raw counts."""
    detail = indicator.pop("detail", None) or {}
    previous_detail = indicator.pop("previous_detail", None) or {}
    if indicator.get("rate"):
        if indicator["actual"] is not None and _share_withheld(detail, threshold):
            indicator["actual"] = HIDDEN
        if indicator["previous"] is not None and _share_withheld(previous_detail, threshold):
            indicator["previous"] = HIDDEN
    elif indicator.get("source") not in NOT_COUNTED:
        indicator["actual"] = _count_shown(indicator["actual"], threshold)
        indicator["previous"] = _count_shown(indicator["previous"], threshold)


def _protect_facts(data: dict[str, Any], threshold: int) -> None:
    """Key figures: table totals as the tables show them, small shares withheld."""
    tables = data["tables"]
    for facts in (data["facts"].get("input", []), data["facts"].get("output", [])):
        for fact in facts:
            if fact["key"] not in FACT_TOTALS:
                continue
            table, column = FACT_TOTALS[fact["key"]]
            if table in tables and tables[table]["total"] is not None:
                fact["current"] = tables[table]["total"][column]
            else:
                fact["current"] = suppressed(fact["current"])
            fact["previous"] = suppressed(fact["previous"])
    timeliness = tables.get("timeliness")
    for fact in data["facts"].get("timeliness", []):
        if fact["key"] != "share_within" or timeliness is None:
            continue
        for period in ("current", "previous"):
            within = next(r for r in timeliness["rows"] if r["key"] == "within")["values"][period]
            due = timeliness["total"][period]
            if fact[period] is not None and (
                not (isinstance(within, int) and isinstance(due, int))
                or _small(within, threshold)
                or _small(due - within, threshold)
            ):
                fact[period] = HIDDEN


def ministry_copy(data: dict[str, Any]) -> dict[str, Any]:
    """A protected copy of the report data for the ministry (the input stays unchanged)."""
    threshold = settings.SUPPRESSION_THRESHOLD
    protected = copy.deepcopy(data)
    for table in protected["tables"].values():
        protect_table(table, threshold)
    _protect_facts(protected, threshold)
    for indicator in protected["indicators"]:
        protect_indicator(indicator, threshold)
    protected["protected"] = True
    return protected

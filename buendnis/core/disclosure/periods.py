"""The time axis of the publication grids: months, and the nodes built from them.

Every protected figure covers whole months: a month, a quarter, a calendar year, or an
agreement year. Agreement years start on the anniversary of the in-force date; for the
protected grid they are snapped to whole months, starting with the month the anniversary
falls in (an agreement in force since 4 June runs June to May), so the page and the report
say so for such viewers. A period that is no node is answered from the nodes where they
determine it, else withheld.
"""

import datetime
from collections.abc import Iterator

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

Month = tuple[int, int]  # (year, month)

MONTH, QUARTER, YEAR, AGREEMENT_YEAR = "m", "q", "y", "aj"


def month_of(day: datetime.date) -> Month:
    return day.year, day.month


def next_month(month: Month) -> Month:
    year, number = month
    return (year + 1, 1) if number == 12 else (year, number + 1)


def months_between(first: Month, last: Month) -> Iterator[Month]:
    """Every month from ``first`` to ``last``, both included."""
    month = first
    while month <= last:
        yield month
        month = next_month(month)


def node_months(node: tuple, start_month: int | None = None) -> list[Month]:
    """The months a time node covers: ("m", y, m), ("q", y, q), ("y", y) or ("aj", y)."""
    kind = node[0]
    if kind == MONTH:
        return [(node[1], node[2])]
    if kind == QUARTER:
        year, quarter = node[1], node[2]
        return [(year, m) for m in range(3 * quarter - 2, 3 * quarter + 1)]
    if kind == YEAR:
        return [(node[1], m) for m in range(1, 13)]
    if kind == AGREEMENT_YEAR:
        if start_month is None:
            raise ValueError("agreement years need the month the agreement year starts in")
        first = (node[1], start_month)
        last = (node[1] + 1, start_month - 1) if start_month > 1 else (node[1], 12)
        return list(months_between(first, last))
    raise ValueError(f"unknown time node: {node!r}")


def time_nodes(
    first: Month, last: Month, *, start_month: int | None, kinds: tuple[str, ...]
) -> dict[tuple, list[Month]]:
    """Every time node of the given kinds that overlaps the months from first to last."""
    nodes: dict[tuple, list[Month]] = {}
    for year in range(first[0] - 1, last[0] + 1):
        candidates: list[tuple] = []
        if MONTH in kinds:
            candidates += [(MONTH, year, m) for m in range(1, 13)]
        if QUARTER in kinds:
            candidates += [(QUARTER, year, q) for q in range(1, 5)]
        if YEAR in kinds:
            candidates.append((YEAR, year))
        if AGREEMENT_YEAR in kinds and start_month is not None:
            candidates.append((AGREEMENT_YEAR, year))
        for node in candidates:
            months = node_months(node, start_month)
            if months[-1] >= first and months[0] <= last:
                nodes[node] = months
    return nodes


def agreement_start_month(in_force_on: datetime.date | None) -> int | None:
    """The month protected agreement years start in (the in-force date's month)."""
    return in_force_on.month if in_force_on else None


def snapped(start: datetime.date, end: datetime.date) -> tuple[Month, Month]:
    """A date range as whole months: the months of its first and of its last day."""
    return month_of(start), month_of(end)


def local_midnight(year: int, month: int) -> datetime.datetime:
    """The first moment of a month in the installation's time zone."""
    return datetime.datetime(year, month, 1, tzinfo=timezone.get_current_timezone())


def bucket(field: str, starts: list[Month], *, dates: bool = False) -> Case:
    """A database expression giving each row the index of the span its ``field`` falls in.

    ``starts`` are the first months of consecutive spans (the last span is open-ended).
    Comparing against each span's first moment keeps this fast on every database, unlike
    extracting local months row by row.
    """

    def moment(month: Month) -> object:
        return datetime.date(month[0], month[1], 1) if dates else local_midnight(*month)

    whens = [
        When(**{f"{field}__gte": moment(first)}, then=Value(index))
        for index, first in reversed(list(enumerate(starts)))
    ]
    return Case(*whens, default=Value(-1), output_field=IntegerField())

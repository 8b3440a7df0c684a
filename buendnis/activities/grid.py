"""The activities publication grid of one agreement: held activities and their reach.

Time runs in *segments*: the parts of the months that calendar years and (snapped)
agreement years cut each other into — January to the month before the agreement year
starts, and from there to December. Every protected activity figure covers whole calendar
or agreement years, so segments are the finest time the grid needs.

Variables per segment: activities, attendances and first-timers per Kreis (or online);
activities, attendances and first-timers per format; attendances per reach category;
activities whose § 7 deadline has passed per documentation state (within, late,
undocumented). Facts: the Kreis and the format breakdowns count the same activities,
attendances and first-timers; first-timers never exceed attendances (per Kreis and per
format); the group and the migration categories each add up to at most the attendances
(activities saved without reach count none), the sectors to at most the multipliers;
activities due under § 7 are held ones.
Nodes: activities, attendances and first-timers of every Kreis, Regierungsbezirk, online
and the total (the portfolio's reach by region); every format, format status and the
total; every reach category; every documentation state and the due total — per calendar
year and agreement year.
"""

import datetime
from collections import defaultdict
from collections.abc import Hashable

from django.db.models import Case, Count, F, Max, Min, Q, QuerySet, Sum
from django.utils import timezone

from buendnis.activities.models import Activity, Format, Kreis, ReachCategory, ReachCount
from buendnis.agreements.models import Agreement, DocumentationProcedure
from buendnis.core.disclosure.cache import grid_for
from buendnis.core.disclosure.grid import Grid
from buendnis.core.disclosure.periods import (
    AGREEMENT_YEAR,
    YEAR,
    Month,
    agreement_start_month,
    bucket,
)
from buendnis.core.disclosure.publication import Publication
from buendnis.operations.stamps import change_stamp

SOURCE = "activities"
DOCUMENTED_STATUSES = (Activity.Status.DOCUMENTED, Activity.Status.REVIEWED)
HELD_STATUSES = (Activity.Status.HELD, *DOCUMENTED_STATUSES)
ONLINE = "online"
TOTAL = "total"
DOC_STATES = ("within", "late", "undocumented")

Segment = tuple[int, int]  # (year, first month)


def segment_of(month: Month, start_month: int | None) -> Segment:
    year, number = month
    if start_month and start_month > 1 and number >= start_month:
        return year, start_month
    return year, 1


def time_segments(time: tuple, start_month: int | None) -> list[Segment]:
    """The segments a calendar year ("y", Y) or agreement year ("aj", Y) consists of."""
    split = start_month is not None and start_month > 1
    if time[0] == YEAR:
        return [(time[1], 1), (time[1], start_month)] if split else [(time[1], 1)]
    if time[0] == AGREEMENT_YEAR and start_month is not None:
        return [(time[1], start_month), (time[1] + 1, 1)] if split else [(time[1], 1)]
    raise ValueError(f"activities are published per calendar or agreement year: {time!r}")


def segment_end(segment: Segment, start_month: int | None) -> Month:
    year, first = segment
    if first == 1 and start_month is not None and start_month > 1:
        return year, start_month - 1
    return year, 12


def segments_of_months(first: Month, last: Month, start_month: int | None) -> list[Segment] | None:
    """The segments exactly covering the months first..last, or None if a segment is cut."""
    segment = segment_of(first, start_month)
    if first != segment:
        return None
    found = []
    while True:
        found.append(segment)
        end = segment_end(segment, start_month)
        if end == last:
            return found
        if end > last:
            return None
        year, number = end
        segment = segment_of((year + 1, 1) if number == 12 else (year, number + 1), start_month)


def segments_between(first: Month, last: Month, start_month: int | None) -> list[Segment]:
    """Every segment from the one holding ``first`` to the one holding ``last``."""
    segment, found = segment_of(first, start_month), []
    while segment <= segment_of(last, start_month):
        found.append(segment)
        year, number = segment_end(segment, start_month)
        segment = segment_of((year + 1, 1) if number == 12 else (year, number + 1), start_month)
    return found


def _segments(
    queryset: QuerySet, field: str, start: int | None
) -> tuple[list[Segment], Case | None]:
    """The segments the rows span and an expression numbering each row's segment."""
    span = queryset.aggregate(first=Min(field), last=Max(field))
    if span["first"] is None:
        return [], None
    first, last = (timezone.localtime(span[key]) for key in ("first", "last"))
    segments = segments_between((first.year, first.month), (last.year, last.month), start)
    return segments, bucket(field, segments)


def region_node(measure: str, region: Hashable, time: tuple) -> tuple:
    return ("region", measure, region, time)


def format_node(measure: str, key: Hashable, time: tuple) -> tuple:
    return ("format", measure, key, time)


def reach_node(dimension: str, key: str, time: tuple) -> tuple:
    return ("reach", dimension, key, time)


def doc_node(state: str, time: tuple) -> tuple:
    return ("doc", state, time)


def activities_grid(*, agreement: Agreement, today: datetime.date | None = None) -> Grid:
    """The agreement's grid, rebuilt only when its activities, formats or procedure change."""
    today = today or timezone.localdate()
    version = (
        agreement.pk,
        agreement.in_force_on,
        today,
        change_stamp(Activity, agreement.pk),
        list(Format.objects.filter(agreement=agreement).values_list("id", "key", "status")),
        list(ReachCategory.objects.filter(agreement=agreement).values_list("id", "dimension")),
        list(DocumentationProcedure.objects.filter(agreement=agreement).values_list("version")),
    )
    return grid_for(
        SOURCE, version, lambda: build_activities_grid(agreement=agreement, today=today)
    )


def build_activities_grid(*, agreement: Agreement, today: datetime.date | None = None) -> Grid:
    """Build the grid from four aggregate queries (see the module)."""
    today = today or timezone.localdate()
    grid = Grid(f"{SOURCE}:{agreement.pk}:{today.isoformat()}")
    start = agreement_start_month(agreement.in_force_on)
    held = Activity.objects.filter(agreement=agreement, status__in=HELD_STATUSES).order_by()
    spans, numbered = _segments(held, "starts_at", start)
    if numbered is None:
        return grid
    segments: set[Segment] = set()
    for row in (
        held.annotate(segment=numbered)
        .values("segment", "kreis_id", "format_id")
        .annotate(n=Count("id"), people=Sum("participants"), first=Sum("first_timers"))
    ):
        segment = spans[row["segment"]]
        segments.add(segment)
        region = row["kreis_id"] or ONLINE
        grid.variable(("act", segment, region), row["n"])
        grid.variable(("att", segment, region), row["people"] or 0)
        grid.variable(("first", segment, region), row["first"] or 0)
        grid.variable(("f_act", segment, row["format_id"]), row["n"])
        grid.variable(("f_att", segment, row["format_id"]), row["people"] or 0)
        grid.variable(("f_first", segment, row["format_id"]), row["first"] or 0)
    categories = list(
        ReachCategory.objects.filter(agreement=agreement)
        .order_by("dimension", "position", "key")
        .values("id", "key", "dimension", "has_sectors")
    )
    for row in (
        ReachCount.objects.filter(activity__agreement=agreement, activity__status__in=HELD_STATUSES)
        .annotate(segment=bucket("activity__starts_at", spans))
        .values("segment", "category_id")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        segment = spans[row["segment"]]
        segments.add(segment)
        grid.variable(("reach", segment, row["category_id"]), row["n"])
    deadline = (
        DocumentationProcedure.objects.filter(agreement=agreement)
        .order_by("-version")
        .values_list("deadline_days", flat=True)
        .first()
    )
    if deadline is not None:
        _documentation(grid, held.annotate(segment=numbered), deadline, today, spans, segments)
    if not segments:
        return grid
    regions = [(ags, rb) for ags, rb in Kreis.objects.values_list("ags", "regierungsbezirk")]
    formats = list(Format.objects.filter(agreement=agreement).values_list("id", "key", "status"))
    _facts(grid, segments, regions, formats, categories)
    _nodes(grid, segments, start, regions, formats, categories)
    return grid


def _documentation(
    grid: Grid, held: QuerySet, deadline: int, today: datetime.date, spans: list, segments: set
) -> None:
    """Activities whose § 7 deadline has passed, by state, as the timeliness source counts."""
    delta = datetime.timedelta(days=deadline)
    cutoff = datetime.datetime.combine(today, datetime.time.min, timezone.get_current_timezone())
    documented = Q(status__in=DOCUMENTED_STATUSES)
    for row in held.values("segment").annotate(
        due=Count("id", filter=documented | Q(ends_at__lt=cutoff - delta)),
        documented=Count("id", filter=documented),
        within=Count("id", filter=documented & Q(documented_at__lte=F("ends_at") + delta)),
    ):
        segment = spans[row["segment"]]
        segments.add(segment)
        grid.variable(("doc", segment, "within"), row["within"])
        grid.variable(("doc", segment, "late"), row["documented"] - row["within"])
        grid.variable(("doc", segment, "undocumented"), row["due"] - row["documented"])


def _indices(grid: Grid, keys: list[tuple]) -> list[int]:
    return [i for key in keys if (i := grid.index(key)) is not None]


def _facts(grid: Grid, segments: set, regions: list, formats: list, categories: list) -> None:
    region_keys = [ags for ags, _rb in regions] + [ONLINE]
    format_ids = [pk for pk, _key, _status in formats]
    by_dimension: dict[str, list[int]] = defaultdict(list)
    sectors_of = None
    for category in categories:
        by_dimension[category["dimension"]].append(category["id"])
        if category["has_sectors"]:
            sectors_of = category["id"]
    for segment in segments:
        activities = _indices(grid, [("f_act", segment, f) for f in format_ids])
        attendances = _indices(grid, [("f_att", segment, f) for f in format_ids])
        grid.same_sum(_indices(grid, [("act", segment, r) for r in region_keys]), activities)
        grid.same_sum(_indices(grid, [("att", segment, r) for r in region_keys]), attendances)
        grid.same_sum(
            _indices(grid, [("first", segment, r) for r in region_keys]),
            _indices(grid, [("f_first", segment, f) for f in format_ids]),
        )
        for r in region_keys:
            grid.at_most(
                _indices(grid, [("first", segment, r)]), _indices(grid, [("att", segment, r)])
            )
        for f in format_ids:
            grid.at_most(
                _indices(grid, [("f_first", segment, f)]), _indices(grid, [("f_att", segment, f)])
            )
        # Reach is counted only for activities documented with it: at most the attendances.
        for dimension in ("group", "migration"):
            if by_dimension.get(dimension):
                reach = _indices(grid, [("reach", segment, c) for c in by_dimension[dimension]])
                grid.at_most(reach, attendances)
        if sectors_of is not None and by_dimension.get("sector"):
            grid.at_most(
                _indices(grid, [("reach", segment, c) for c in by_dimension["sector"]]),
                _indices(grid, [("reach", segment, sectors_of)]),
            )
        due = _indices(grid, [("doc", segment, state) for state in DOC_STATES])
        if due:
            grid.at_most(due, activities)


def _nodes(
    grid: Grid, segments: set, start: int | None, regions: list, formats: list, categories: list
) -> None:
    years = sorted({year for year, _first in segments})
    times = [(YEAR, y) for y in years]
    if start is not None:
        times += [(AGREEMENT_YEAR, y) for y in range(years[0] - 1, years[-1] + 1)]
    by_rb: dict[str, list[str]] = defaultdict(list)
    for ags, rb in regions:
        by_rb[rb].append(ags)
    region_keys = [ags for ags, _rb in regions] + [ONLINE]
    for time in times:
        parts = time_segments(time, start)
        if not any(part in segments for part in parts):
            continue
        for measure, name in (
            ("act", "activities"),
            ("att", "attendances"),
            ("first", "first_timers"),
        ):
            for region in region_keys:
                grid.node(region_node(name, region, time), [(measure, s, region) for s in parts])
            for rb, members in by_rb.items():
                grid.node(
                    region_node(name, rb, time), [(measure, s, r) for s in parts for r in members]
                )
            grid.node(
                region_node(name, TOTAL, time),
                [(measure, s, r) for s in parts for r in region_keys],
            )
        for measure, name in (
            ("f_act", "activities"),
            ("f_att", "attendances"),
            ("f_first", "first_timers"),
        ):
            for pk, key, _status in formats:
                grid.node(format_node(name, key, time), [(measure, s, pk) for s in parts])
            for status in Format.Status.values:
                grid.node(
                    format_node(name, f"status:{status}", time),
                    [(measure, s, pk) for s in parts for pk, _k, st in formats if st == status],
                )
            grid.node(
                format_node(name, TOTAL, time),
                [(measure, s, pk) for s in parts for pk, _k, _st in formats],
            )
        for category in categories:
            grid.node(
                reach_node(category["dimension"], category["key"], time),
                [("reach", s, category["id"]) for s in parts],
            )
        for state in DOC_STATES:
            grid.node(doc_node(state, time), [("doc", s, state) for s in parts])
        grid.node(doc_node(TOTAL, time), [("doc", s, state) for s in parts for state in DOC_STATES])


def year_figures(publication: Publication, year: int) -> dict[str, object]:
    """The agreement page's figures of a calendar year as the publication shows them."""
    time = (YEAR, year)
    documented: dict[int, int] = {}
    for state in ("within", "late"):
        node = publication.grid.nodes.get(doc_node(state, time))
        for index, coefficient in (node.coefficients if node else {}).items():
            documented[index] = documented.get(index, 0) + coefficient
    return {
        "activities": publication.shown(region_node("activities", TOTAL, time)),
        "attendances": publication.shown(region_node("attendances", TOTAL, time)),
        "people": publication.shown(format_node("first_timers", TOTAL, time)),
        "documented": publication.figure(documented),
        "documented_in_time": publication.shown(doc_node("within", time)),
    }

"""Reads for activities: the filtered list, overdue items, series and partner figures."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.functional import cached_property

from buendnis.accounts.models import Organisation
from buendnis.accounts.policy import (
    AnyUser,
    exact_scope,
    is_admin,
    organisation_ids,
    visible_agreement_ids,
)
from buendnis.activities.grid import activities_grid, year_figures
from buendnis.activities.models import (
    Activity,
    ActivityReminder,
    Format,
    Kreis,
    NetworkPartner,
)
from buendnis.agreements.models import Agreement, Goal
from buendnis.agreements.selectors import effective_procedure, effective_procedures
from buendnis.core.disclosure.cache import publication_for
from buendnis.core.versioned import remembered
from buendnis.operations.stamps import change_stamp, stamps_across

OPEN_STATUSES = (Activity.Status.PLANNED, Activity.Status.HELD)
DOCUMENTED_STATUSES = (Activity.Status.DOCUMENTED, Activity.Status.REVIEWED)


def activities_visible_to(user: AnyUser) -> QuerySet[Activity]:
    """Records are seen in full only by the documenting organisation (and admins)."""
    if is_admin(user):
        return Activity.objects.all()
    return Activity.objects.filter(
        organisation_id__in=sorted(organisation_ids(user)),
        agreement_id__in=visible_agreement_ids(user),
    )


@dataclass(frozen=True)
class ActivityFilter:
    """The list's filters; every field is optional."""

    year: int | None = None
    agreement: int | None = None
    format: int | None = None
    goal: int | None = None
    kreis: str | None = None
    status: str | None = None
    organisation: int | None = None
    search: str = ""
    overdue: bool = False  # past the § 7 deadline and not yet documented
    mine: bool = False  # the user is responsible


def activity_list(*, user: AnyUser, filters: ActivityFilter) -> QuerySet[Activity]:
    """The activities the user may see, filtered, newest first, ready to render."""
    activities = activities_visible_to(user)
    if filters.year:
        start = datetime.datetime(filters.year, 1, 1, tzinfo=timezone.get_current_timezone())
        activities = activities.filter(
            starts_at__gte=start, starts_at__lt=start.replace(year=filters.year + 1)
        )
    if filters.agreement:
        activities = activities.filter(agreement_id=filters.agreement)
    if filters.format:
        activities = activities.filter(format_id=filters.format)
    if filters.goal:
        activities = activities.filter(goals__id=filters.goal)
    if filters.kreis:
        activities = activities.filter(kreis_id=filters.kreis)
    if filters.status:
        activities = activities.filter(status=filters.status)
    if filters.organisation:
        activities = activities.filter(organisation_id=filters.organisation)
    if filters.overdue:
        scope = None if is_admin(user) else visible_agreement_ids(user)
        activities = overdue(activities, now=timezone.now(), agreement_ids=scope)
    if filters.mine:
        activities = activities.filter(responsible_id=user.pk)
    if filters.search:
        term = filters.search.strip()
        activities = activities.filter(
            Q(title__icontains=term)
            | Q(place_name__icontains=term)
            | Q(description__icontains=term)
            | Q(reflection__icontains=term)
        )
    return activities.order_by("-starts_at", "-id")


# What a row of the activity list shows; plain values keep a page cheap at any size.
LIST_FIELDS = (
    "pk", "title", "starts_at", "status", "participants", "online", "format__name",
    "kreis__name", "organisation_id",
)  # fmt: skip
PAGE_SIZE = 25


@dataclass(frozen=True)
class ListVersions:
    """What the activity list keeps between views, and under which version (``list_versions``).

    ``count``: ``None`` where the count must be made on each view. ``choices``: the filter's
    formats, goals and Kreise.
    """

    count: object | None
    choices: tuple


def list_versions(user: AnyUser, filters: ActivityFilter) -> ListVersions:
    """The change stamps the list's count and its filter's choices are kept under, in one read.

    The count reads only activity rows of the user's agreements, so their change stamps
    version it — unless a filter reads another table (goals) or the clock (overdue).
    """
    scope = None if is_admin(user) else visible_agreement_ids(user)
    activities, *choices = stamps_across((Activity, Format, Goal, Kreis), scope)
    counted_each_time = filters.goal or filters.overdue
    return ListVersions(count=None if counted_each_time else activities, choices=tuple(choices))


class _ListPaginator(Paginator):
    """Counts the filtered activities themselves: the rows' joins are not needed to count.

    A page first finds its 25 ids, then reads their rows: finding the ids of a deep page
    reads only the newest-first index (no table rows, no joins) however far it has to skip.
    With a ``version`` the count is kept (a quarter of a million rows take a PostgreSQL
    core 20 ms to count) until an activity of the counted agreements changes.
    """

    def __init__(
        self, activities: QuerySet[Activity], per_page: int, version: object | None
    ) -> None:
        super().__init__(activities, per_page)
        self._activities = activities
        self._version = version

    @cached_property
    def count(self) -> int:
        if self._version is None:
            return self._activities.count()
        try:
            statement = self._activities.query.sql_with_params()
        except EmptyResultSet:  # no agreement to count in: no query at all
            return self._activities.count()
        return remembered("activity-count", (statement, self._version), self._activities.count)

    def page(self, number: object) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self._activities.values_list("pk", flat=True)[bottom:top])
        rows = {row["pk"]: row for row in Activity.objects.filter(pk__in=ids).values(*LIST_FIELDS)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


def activity_page(
    *, activities: QuerySet[Activity], number: object, version: object | None = None
) -> Page:
    """One page of the list as dicts with just the shown columns and ``status_label``.

    ``version`` (``list_versions``) keeps the count between views.
    """
    page = _ListPaginator(activities, PAGE_SIZE, version).get_page(number)
    labels = dict(Activity.Status.choices)
    page.object_list = [{**row, "status_label": labels[row["status"]]} for row in page.object_list]
    return page


def current_deadline_days(agreement: Agreement) -> int | None:
    """The deadline of the § 7 procedure in effect, if one exists."""
    procedure = effective_procedure(agreement=agreement)
    return procedure.deadline_days if procedure else None


def latest_deadlines(agreement_ids: QuerySet | list[int] | None = None) -> dict[int, int]:
    """Each agreement's § 7 deadline in days, from its procedure in effect."""
    procedures = effective_procedures(agreement_ids=agreement_ids)
    return {agreement_id: p.deadline_days for agreement_id, p in procedures.items()}


def overdue(
    activities: QuerySet[Activity],
    *,
    now: datetime.datetime,
    agreement_ids: list[int] | None = None,
    deadlines: dict[int, int] | None = None,
) -> QuerySet[Activity]:
    """The held but undocumented activities past their own agreement's deadline.

    ``agreement_ids`` narrows the deadlines read to the agreements the activities can belong
    to (all agreements if not given; there are few, unlike activities); a caller that has
    read them already (``latest_deadlines``) passes ``deadlines``.
    """
    if deadlines is None:
        deadlines = latest_deadlines(agreement_ids)
    past_deadline = Q(pk__in=[])
    for agreement_id, days in deadlines.items():
        cutoff = now - datetime.timedelta(days=days)
        past_deadline |= Q(agreement_id=agreement_id, ends_at__lt=cutoff)
    return activities.filter(past_deadline, status__in=OPEN_STATUSES)


def _overdue_visible(
    *,
    user: AnyUser,
    now: datetime.datetime,
    only_responsible: bool,
    deadlines: dict[int, int] | None = None,
) -> QuerySet[Activity]:
    scope = None if is_admin(user) else visible_agreement_ids(user)
    activities = overdue(
        activities_visible_to(user), now=now, agreement_ids=scope, deadlines=deadlines
    )
    if only_responsible:
        activities = activities.filter(responsible=user)
    return activities


def overdue_activities(
    *, user: AnyUser, now: datetime.datetime | None = None, only_responsible: bool = False
) -> list[Activity]:
    """What the user sees of the overdue activities, oldest first (unbounded: not for pages)."""
    activities = _overdue_visible(
        user=user, now=now or timezone.now(), only_responsible=only_responsible
    )
    return list(
        activities.select_related("format", "responsible", "agreement").order_by("ends_at", "id")
    )


DASHBOARD_OVERDUE = 10  # the most urgent items the dashboard names; the rest are counted
# What the dashboard shows of each of them.
URGENT_FIELDS = (
    "title", "starts_at", "ends_at", "agreement_id", "responsible__username",
    "responsible__first_name", "responsible__last_name",
)  # fmt: skip


@dataclass(frozen=True)
class OverdueItem:
    """One overdue activity and by how many whole days its deadline has passed."""

    activity: Activity
    days_overdue: int
    last_reminded: datetime.datetime | None = None  # the latest reminder e-mail about it


@dataclass(frozen=True)
class OverdueSummary:
    """The dashboard's § 7 section: counts per agreement and the most urgent items."""

    total: int
    by_agreement: list[tuple[Agreement, int]]
    most_urgent: list[OverdueItem]


def _last_reminded() -> Subquery:
    """When the latest reminder about an activity went out."""
    return Subquery(
        ActivityReminder.objects.filter(activity_id=OuterRef("pk"))
        .order_by()
        .values("activity_id")
        .annotate(last=Max("sent_at"))
        .values("last")
    )


def overdue_summary(
    *,
    user: AnyUser,
    now: datetime.datetime | None = None,
    only_responsible: bool = False,
    limit: int = DASHBOARD_OVERDUE,
    agreements: list[Agreement] | None = None,
) -> OverdueSummary:
    """Counts and the ``limit`` longest-overdue activities: the same queries at any size.

    A page that has read the user's visible agreements (``load_visible_agreements``) with
    ``deadline_days=effective_deadline_days()`` passes them: two queries then, else four.
    """
    now = now or timezone.now()
    if agreements is None:
        scope = None if is_admin(user) else visible_agreement_ids(user)
        deadlines = latest_deadlines(scope)
    else:
        deadlines = {a.pk: a.deadline_days for a in agreements if a.deadline_days is not None}
    activities = _overdue_visible(
        user=user, now=now, only_responsible=only_responsible, deadlines=deadlines
    )
    counts = dict(
        activities.order_by()
        .values("agreement_id")
        .annotate(n=Count("*"))  # not the id: the open activities' index answers alone
        .values_list("agreement_id", "n")
    )
    if not counts:
        return OverdueSummary(total=0, by_agreement=[], most_urgent=[])
    if agreements is None:
        agreements = list(Agreement.objects.filter(pk__in=counts).only("title").order_by("title"))
    urgent = (
        activities.select_related("responsible")
        .only(*URGENT_FIELDS)
        .annotate(last_reminded=_last_reminded())
        .order_by("ends_at", "id")[:limit]
    )
    most_urgent = [
        OverdueItem(
            activity=activity,
            days_overdue=(
                now - activity.ends_at - datetime.timedelta(days=deadlines[activity.agreement_id])
            ).days,
            last_reminded=activity.last_reminded,
        )
        for activity in urgent
    ]
    return OverdueSummary(
        total=sum(counts.values()),
        by_agreement=[
            (agreement, counts[agreement.pk])
            for agreement in agreements  # by title, as read
            if agreement.pk in counts
        ],
        most_urgent=most_urgent,
    )


def series_reach(*, series_id: int) -> dict[str, int]:
    """A series' unduplicated reach (sum of first-timers) beside its attendances."""
    totals = (
        Activity.objects.filter(series_id=series_id)
        .exclude(status=Activity.Status.CANCELLED)
        .aggregate(
            attendances=Sum("participants"), people=Sum("first_timers"), sessions=Count("id")
        )
    )
    return {key: value or 0 for key, value in totals.items()}


def network_partners_with_figures(*, organisation_ids: set[int]) -> QuerySet[NetworkPartner]:
    """The register with first cooperation date and number of joint activities derived."""
    return (
        NetworkPartner.objects.filter(organisation_id__in=organisation_ids)
        .select_related("kreis")
        .annotate(
            first_cooperation=Min("activities__starts_at"),
            joint_activities=Count("activities", distinct=True),
        )
        .order_by("name")
    )


@dataclass(frozen=True)
class AgreementFigures:
    """What the § 7 documentation of one agreement shows for a year."""

    year: int
    activities: int | str
    attendances: int | str
    people: int | str
    documented: int | str
    documented_in_time: int | str
    exact: bool


def agreement_figures(
    *,
    agreement: Agreement,
    year: int,
    user: AnyUser,
    deadline_days: int | None,
    version: tuple | None = None,
) -> AgreementFigures:
    """Held activities of a calendar year, summed in the database.

    Exact for who may see every documenting organisation's records exactly; everyone else
    reads the agreement's protected activities grid (``activities.grid``). ``deadline_days`` is the
    § 7 deadline in effect (``current_deadline_days``; ``None``: no procedure), ``version``
    ``activities_version(agreement)`` if the caller has read it already.
    """
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=tz)
    held = Activity.objects.filter(
        agreement=agreement,
        starts_at__gte=start,
        starts_at__lt=start.replace(year=year + 1),
        status__in=(Activity.Status.HELD, *DOCUMENTED_STATUSES),
    )
    if not _exact_over(held, user=user, agreement=agreement):
        return _protected_figures(agreement, year)
    in_time = Q(status__in=DOCUMENTED_STATUSES)
    if deadline_days is not None:
        in_time &= Q(documented_at__lte=F("ends_at") + datetime.timedelta(days=deadline_days))
    # The same exact totals for every viewer who may see them exactly: kept until the
    # agreement's activities change (``activities_version``) or the deadline does.
    totals = remembered(
        "agreement-figures",
        (agreement.pk, year, deadline_days, version or activities_version(agreement)),
        lambda: held.aggregate(
            activities=Count("id"),
            attendances=Sum("participants", default=0),
            people=Sum("first_timers", default=0),
            documented=Count("id", filter=Q(status__in=DOCUMENTED_STATUSES)),
            documented_in_time=Count("id", filter=in_time),
        ),
    )
    return AgreementFigures(year=year, exact=True, **totals)


def activities_version(agreement: Agreement) -> tuple:
    """A version of the agreement's activities: their change stamp (``operations.stamps``).

    Reach, goals and network partners are written together with their activity, so they
    change it too. A page that shows several figures of one agreement reads it once and
    passes it on (``agreement_detail``).
    """
    return change_stamp(Activity, agreement.pk)


def _exact_over(held: QuerySet[Activity], *, user: AnyUser, agreement: Agreement) -> bool:
    """Whether every record behind the figures belongs to an organisation the user sees exactly.

    A partner's own staff see the figures exactly only while no other organisation
    documented in them: one EXISTS query instead of reading every organisation of the year.
    """
    own = exact_scope(user, agreement)
    if not own:
        return False
    # The other organisations as a list of ids (not ``exclude``, not a subquery): PostgreSQL
    # then probes ``(agreement, organisation, …)`` per organisation — knowing from the
    # statistics ``activity_agreement_organisation`` (migration 0007) that an agreement's
    # rows belong to few organisations — instead of walking all of the agreement's activities
    # when none of them is another organisation's.
    others = list(Organisation.objects.exclude(id__in=own).values_list("id", flat=True))
    return not held.filter(organisation_id__in=others).exists()


def _protected_figures(agreement: Agreement, year: int) -> AgreementFigures:
    """The year's figures as the protected publication shows them."""
    publication = publication_for(activities_grid(agreement=agreement))
    return AgreementFigures(year=year, exact=False, **year_figures(publication, year))  # type: ignore[arg-type]


def formats_with_figures(*, agreement: Agreement, organisation_ids: set[int]) -> QuerySet[Format]:
    """§ 4: the format catalogue with each format's reach so trials can be compared."""
    held = Q(
        activities__status__in=(Activity.Status.HELD, *DOCUMENTED_STATUSES),
        activities__organisation_id__in=organisation_ids,
    )
    return (
        Format.objects.filter(agreement=agreement)
        .annotate(
            held=Count("activities", filter=held),
            attendances=Sum("activities__participants", filter=held, default=0),
            people=Sum("activities__first_timers", filter=held, default=0),
        )
        .order_by("name")
    )

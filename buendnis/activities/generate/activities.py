"""Activities with reach, made up year by year and written in batches."""

import datetime
import itertools
import math
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from buendnis.activities.generate import profiles
from buendnis.activities.generate.setup import Context, place_of
from buendnis.activities.models import Activity, Format, Kreis, ReachCount, Series

Status = Activity.Status
GoalLink = Activity.goals.through
PartnerLink = Activity.network_partners.through
SERIES_SHARE = 0.2  # of a year's activities are sessions of a weekly series
RECENT_DAYS = 90  # some activities held this recently are not yet documented


@dataclass
class Row:
    """One activity before it is written, with the rows that hang off it."""

    activity: Activity
    reach: list[tuple[int, int]]
    goals: list[int]
    partners: list[int]


def is_holiday(day: datetime.date) -> bool:
    """Hessian summer holidays (roughly) and the days around Christmas and New Year."""
    summer = datetime.date(day.year, 7, 5) <= day <= datetime.date(day.year, 8, 14)
    return summer or (day.month == 12 and day.day >= 22) or (day.month == 1 and day.day <= 3)


_MONTH_CUM = list(itertools.accumulate(profiles.MONTH_WEIGHTS))


def _random_day(rng: random.Random, year: int) -> datetime.date:
    """A day of the year, quieter in summer and December, mostly on weekdays."""
    while True:
        [month] = rng.choices(range(1, 13), cum_weights=_MONTH_CUM)
        day = datetime.date(year, month, 1) + datetime.timedelta(days=rng.randrange(31))
        if day.month != month:
            continue
        if day.weekday() >= 5 and rng.random() > profiles.WEEKEND_ACCEPT:
            continue
        if not ((day.month == 12 and day.day >= 24) or (day.month == 1 and day.day == 1)):
            return day


def _split(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """Distribute ``total`` people over categories by weight; the counts add up exactly."""
    counts = [0] * len(weights)
    if not counts or total <= 0:
        return counts
    if not any(weights):
        weights = [1.0] * len(weights)
    for index in rng.choices(range(len(weights)), weights=weights, k=total):
        counts[index] += 1
    return counts


def _reach(
    rng: random.Random, context: Context, profile: profiles.FormatProfile, participants: int
) -> list[tuple[int, int]]:
    """Counts per category that obey the reach rules (see ``reach.check_reach``)."""
    first_sectored = next((c for c in context.groups if c.has_sectors), None)
    group_weights = [
        profile.group.get(c.key, 0.0) if (not c.has_sectors or c is first_sectored) else 0.0
        for c in context.groups
    ]
    counts = dict(zip(context.groups, _split(rng, participants, group_weights), strict=True))
    migration = _split(
        rng, participants, [profile.migration.get(c.key, 0.0) for c in context.migration]
    )
    counts.update(zip(context.migration, migration, strict=True))
    if first_sectored is not None and context.sectors:
        sectors = _split(
            rng, counts[first_sectored], [profile.sector.get(c.key, 0.0) for c in context.sectors]
        )
        counts.update(zip(context.sectors, sectors, strict=True))
    return [(c.pk, n) for c, n in counts.items() if n]


def _status(
    rng: random.Random, context: Context, ends_at: datetime.datetime, now: datetime.datetime
) -> tuple[str, datetime.datetime | None, datetime.datetime | None]:
    """Status with documentation and review times; documentation lags a few days, some more."""
    if ends_at > now:
        return (Status.CANCELLED if rng.random() < 0.02 else Status.PLANNED), None, None
    if rng.random() < 0.02:
        return Status.CANCELLED, None, None
    # A few recent activities are still waiting to be written up, and now and then one is
    # forgotten for good: the overdue items the § 7 reminders are for.
    recent = now - ends_at < datetime.timedelta(days=RECENT_DAYS)
    if rng.random() < (0.06 if recent else 0.004):
        return Status.HELD, None, None
    deadline, r = context.deadline_days, rng.random()
    if r < 0.6:
        lag = rng.randint(0, min(7, deadline))
    elif r < 0.88:
        lag = rng.randint(min(8, deadline), deadline)
    elif r < 0.98:
        lag = rng.randint(deadline + 1, deadline * 3)
    else:
        lag = rng.randint(deadline * 3, 120)
    documented_at = ends_at + datetime.timedelta(days=lag, minutes=rng.randint(30, 1200))
    if documented_at > now:
        return Status.HELD, None, None
    reviewed_at = documented_at + datetime.timedelta(
        days=rng.randint(1, 30), minutes=rng.randint(0, 600)
    )
    if reviewed_at <= now and rng.random() < 0.85:
        return Status.REVIEWED, documented_at, reviewed_at
    return Status.DOCUMENTED, documented_at, None


def _languages(rng: random.Random) -> list[str]:
    """German nearly always, plus up to two community languages."""
    extra = rng.choices(
        list(profiles.LANGUAGE_WEIGHTS),
        weights=list(profiles.LANGUAGE_WEIGHTS.values()),
        k=rng.choice((0, 1, 1, 2)),
    )
    found = ["de"] if rng.random() < 0.95 or not extra else []
    return found + sorted(set(extra) - set(found))


@dataclass
class Plan:
    """What stays the same across the sessions of one series (or is one single activity)."""

    organisation_id: int
    format: Format
    profile: profiles.FormatProfile
    kreis: Kreis | None
    place: str
    title: str
    languages: list[str]
    hour: int
    series: Series | None = None


def _plan(rng: random.Random, context: Context, fmt: Format, series: bool = False) -> Plan:
    """Pick organisation, place, languages and time of day for an activity or a series."""
    profile = profiles.FORMAT_PROFILES.get(fmt.key, profiles.OTHER_FORMAT)
    organisation = rng.choice(context.organisations)
    online = fmt.key == "online" or rng.random() < 0.02
    kreis = None if online else rng.choices(context.kreise, weights=context.kreis_weights)[0]
    place = "" if kreis is None else f"{rng.choice(profiles.VENUES)} {place_of(kreis)}"
    topic = rng.choice(profiles.TOPICS)
    if series:
        title = f"{profile.label} {place_of(kreis)}" if kreis else profile.label
    else:
        title = f"{profile.label}: {topic}"
    return Plan(
        organisation.pk,
        fmt,
        profile,
        kreis,
        place,
        title,
        _languages(rng),
        rng.choice(profile.start_hours),
    )


def _row(
    rng: random.Random,
    context: Context,
    plan: Plan,
    day: datetime.date,
    now: datetime.datetime,
    participants: int,
    first_timers: int,
) -> Row:
    """One activity of a plan on a day, with status, reach, goals and partners."""
    tz = timezone.get_default_timezone()
    starts_at = datetime.datetime.combine(day, datetime.time(plan.hour), tz)
    hours = rng.uniform(*plan.profile.hours)
    ends_at = starts_at + datetime.timedelta(minutes=round(hours * 4) * 15)
    status, documented_at, reviewed_at = _status(rng, context, ends_at, now)
    done = status in (Status.DOCUMENTED, Status.REVIEWED)
    if not done:
        participants = first_timers = 0
    staff = rng.choice((1, 1, 2, 2, 3))
    staff_hours = Decimal(round((hours + rng.uniform(0.5, 2.5)) * staff * 4) / 4)
    org = plan.organisation_id
    activity = Activity(
        agreement_id=context.agreement.pk,
        organisation_id=org,
        format_id=plan.format.pk,
        series=plan.series,
        title=plan.title,
        starts_at=starts_at,
        ends_at=ends_at,
        online=plan.kreis is None,
        kreis=plan.kreis,
        place_name=plan.place,
        languages=plan.languages,
        staff_hours=staff_hours.quantize(Decimal("0.01")),
        description=f"{plan.profile.label} im Rahmen der Vereinbarung.",
        reflection=rng.choice(profiles.REFLECTIONS) if done else "",
        participants=participants,
        first_timers=first_timers,
        status=status,
        documented_at=documented_at,
        reviewed_at=reviewed_at,
        responsible_id=rng.choice(context.staff[org]) if context.staff.get(org) else None,
        reviewed_by_id=(
            rng.choice(context.reviewers[org])
            if reviewed_at and context.reviewers.get(org)
            else None
        ),
    )
    preferred = [context.goals[c] for c in plan.profile.goals if c in context.goals]
    goals = preferred[: rng.randint(1, 2)] if preferred else []
    if not goals and context.goals:
        goals = [rng.choice(sorted(context.goals.values()))]
    register = context.partners.get(org, [])
    partners = []
    if register and rng.random() < plan.profile.partner_share:
        partners = sorted(p.pk for p in rng.sample(register, min(len(register), rng.randint(1, 3))))
    reach = _reach(rng, context, plan.profile, participants) if done else []
    return Row(activity, reach, goals, partners)


def _series_days(rng: random.Random, year: int) -> list[datetime.date]:
    """Weekly sessions from a random start, 8 to 30 of them, skipping holidays."""
    day = datetime.date(year, 1, 5) + datetime.timedelta(days=rng.randrange(330))
    days: list[datetime.date] = []
    length = rng.randint(8, 30)
    while len(days) < length and day.year == year:
        if not is_holiday(day):
            days.append(day)
        day += datetime.timedelta(days=7)
    return days


def year_rows(
    *, rng: random.Random, context: Context, year: int, count: int, now: datetime.datetime
) -> Iterator[Row]:
    """Yield ``count`` activities of one year: weekly series first, then single activities."""
    if not context.organisations or not context.formats or count <= 0:
        return
    by_key = {f.key: f for f in context.formats}
    series_formats = [f for f in (by_key.get("vaetergruppe"), by_key.get("online")) if f]
    plans: list[tuple[Plan, list[datetime.date]]] = []
    planned = 0
    while series_formats and planned < count * SERIES_SHARE:
        fmt = series_formats[0] if rng.random() < 0.9 else series_formats[-1]
        days = _series_days(rng, year)[: count - planned]
        if days:
            plans.append((_plan(rng, context, fmt, series=True), days))
            planned += len(days)
    created = Series.objects.bulk_create(
        Series(agreement_id=context.agreement.pk, organisation_id=p.organisation_id, title=p.title)
        for p, _days in plans
    )
    for (plan, days), series in zip(plans, created, strict=True):
        plan.series = series
        base = rng.randint(*plan.profile.participants)
        for number, day in enumerate(days):
            participants = max(2, base + rng.randint(-3, 3))
            # Everyone is new at the first session; then fewer and fewer newcomers come.
            expected = participants if number == 0 else participants * 0.5 * 0.75**number
            first_timers = min(participants, math.floor(expected + rng.random()))
            yield _row(rng, context, plan, day, now, participants, first_timers)
    for _index in range(count - planned):
        [fmt] = rng.choices(context.formats, weights=context.format_weights)
        plan = _plan(rng, context, fmt)
        participants = rng.randint(*plan.profile.participants)
        first_timers = math.floor(participants * rng.uniform(0.1, 0.7))
        yield _row(rng, context, plan, _random_day(rng, year), now, participants, first_timers)


def _insert_rows(model: type[Model], columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert plain tuples with one ``executemany``; reach rows need no model instances."""
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the models
        quote(model._meta.db_table),
        ", ".join(quote(c) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _flush(batch: list[Row]) -> int:
    """Write one batch of activities and their reach, goal and partner rows."""
    with transaction.atomic():
        Activity.objects.bulk_create([row.activity for row in batch])
        reach = [(row.activity.pk, category, n) for row in batch for category, n in row.reach]
        _insert_rows(ReachCount, ("activity_id", "category_id", "count"), reach)
        _insert_rows(
            GoalLink,
            ("activity_id", "goal_id"),
            [(row.activity.pk, goal) for row in batch for goal in row.goals],
        )
        _insert_rows(
            PartnerLink,
            ("activity_id", "networkpartner_id"),
            [(row.activity.pk, partner) for row in batch for partner in row.partners],
        )
    return len(reach)


def insert(
    rows: Iterable[Row], *, batch_size: int, progress: Callable[[int], None] | None = None
) -> tuple[int, int]:
    """Write rows in batches so memory stays flat; return (activities, reach rows)."""
    activities = reach = 0
    for batch in itertools.batched(rows, batch_size):
        reach += _flush(list(batch))
        activities += len(batch)
        if progress:
            progress(len(batch))
    return activities, reach

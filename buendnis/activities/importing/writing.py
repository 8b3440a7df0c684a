"""Which rows are there already, and writing the new ones with bulk inserts."""

import datetime
import re
from itertools import batched

from django.db import transaction

from buendnis.accounts.models import Organisation, User
from buendnis.activities.export import OWN_REF_PREFIX
from buendnis.activities.importing.rows import Parsed
from buendnis.activities.models import Activity, ReachCount
from buendnis.agreements.models import Agreement
from buendnis.audit.recording import record_created

QUERY_BATCH = 500  # stays below SQLite's limit on query parameters


def existing_refs(agreement: Agreement, organisation: Organisation, refs: list[str]) -> set[str]:
    """The references among ``refs`` that already name an activity of this tenant."""
    # No ordering: sorting by date would make the database walk the tenant's whole date index.
    activities = Activity.objects.filter(agreement=agreement, organisation=organisation).order_by()
    found: set[str] = set()
    for batch in batched(refs, QUERY_BATCH):
        found.update(
            activities.filter(external_ref__in=batch).values_list("external_ref", flat=True)
        )
    own = {
        int(ref.removeprefix(OWN_REF_PREFIX)): ref
        for ref in refs
        if re.fullmatch(re.escape(OWN_REF_PREFIX) + r"\d{1,18}", ref)
    }
    for batch in batched(own, QUERY_BATCH):
        for pk in activities.filter(pk__in=batch, external_ref="").values_list("pk", flat=True):
            found.add(own[pk])
    return found


@transaction.atomic
def write(
    *,
    agreement: Agreement,
    organisation: Organisation,
    rows: list[Parsed],
    responsible: User | None,
    now: datetime.datetime,
) -> int:
    """Create the activities, their reach and goals with bulk inserts; return the count."""
    activities = []
    for item in rows:
        data = item.data
        activities.append(
            Activity(
                agreement=agreement,
                organisation=organisation,
                format=data.format,
                title=data.title,
                starts_at=data.starts_at,
                ends_at=data.ends_at,
                online=data.online,
                kreis=None if data.online else data.kreis,
                place_name=data.place_name,
                languages=data.languages,
                staff_hours=data.staff_hours,
                description=data.description,
                reflection=data.reflection,
                participants=data.participants,
                first_timers=data.first_timers,
                status=item.status,
                documented_at=(item.documented_at or now)
                if item.status in (Activity.Status.DOCUMENTED, Activity.Status.REVIEWED)
                else None,
                responsible=responsible,
                external_ref=item.external_ref,
            )
        )
    Activity.objects.bulk_create(activities, batch_size=QUERY_BATCH)
    ReachCount.objects.bulk_create(
        (
            ReachCount(activity_id=activity.pk, category_id=category_id, count=count)
            for activity, item in zip(activities, rows, strict=True)
            for category_id, count in item.data.reach.items()
        ),
        batch_size=QUERY_BATCH,
    )
    through = Activity.goals.through
    through.objects.bulk_create(
        (
            through(activity_id=activity.pk, goal_id=goal.pk)
            for activity, item in zip(activities, rows, strict=True)
            for goal in item.data.goals
        ),
        batch_size=QUERY_BATCH,
    )
    # bulk inserts send no signals: one audit entry per activity, reach and goals included
    record_created(
        activities,
        extra=[
            {
                **{
                    f"reach.{category_id}": [None, count]
                    for category_id, count in item.data.reach.items()
                },
                **(
                    {"goals": [[], sorted(g.pk for g in item.data.goals)]}
                    if item.data.goals
                    else {}
                ),
            }
            for item in rows
        ],
    )
    return len(activities)

"""§ 7 timeliness: overdue activities on the dashboard and the reminder digest."""

import datetime
from collections.abc import Callable

from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buendnis.accounts.models import Membership, Organisation, User
from buendnis.accounts.services import user_create
from buendnis.activities.models import Activity
from buendnis.activities.reminders import reminders_send
from buendnis.activities.selectors import overdue_activities
from buendnis.conftest import PASSWORD

NOW = timezone.make_aware(datetime.datetime(2026, 11, 28, 12))


def _ago(days: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days)


def test_it_finds_held_activities_past_the_deadline(
    make_activity: Callable[..., Activity], koordination: User
) -> None:
    late = make_activity(title="Workshop vor drei Wochen", status="held", starts_at=_ago(21))
    make_activity(title="Gestern", status="held", starts_at=_ago(1))
    make_activity(title="Dokumentiert", starts_at=_ago(30))
    assert overdue_activities(user=koordination, now=NOW) == [late]


def test_it_counts_the_deadline_from_the_latest_procedure_version(
    make_activity: Callable[..., Activity], koordination: User
) -> None:
    from buendnis.agreements.services import procedure_create_version

    activity = make_activity(status="held", starts_at=_ago(10))
    assert overdue_activities(user=koordination, now=NOW) == []
    procedure_create_version(
        agreement=activity.agreement, deadline_days=7, required_fields=["title"]
    )
    assert overdue_activities(user=koordination, now=NOW) == [activity]


def test_it_shows_the_coordinator_every_overdue_item_and_staff_their_own(
    make_activity: Callable[..., Activity],
    fachkraft: User,
    koordination: User,
    partner_org: Organisation,
) -> None:
    colleague = user_create(
        username="lena",
        password=PASSWORD,
        organisation=partner_org,
        role=Membership.Role.FACHKRAFT,
    )
    mine = make_activity(title="Samirs Workshop", status="held", starts_at=_ago(21))
    theirs = make_activity(title="Lenas Workshop", status="held", starts_at=_ago(22))
    Activity.objects.filter(pk=theirs.pk).update(responsible=colleague)
    assert mine.responsible == fachkraft

    client = Client()
    client.force_login(koordination)
    page = client.get(reverse("core:home")).text
    assert "Samirs Workshop" in page and "Lenas Workshop" in page
    client.force_login(fachkraft)
    page = client.get(reverse("core:home")).text
    assert "Samirs Workshop" in page and "Lenas Workshop" not in page


def test_it_keeps_overdue_items_from_the_ministry(
    make_activity: Callable[..., Activity], referentin: User
) -> None:
    make_activity(title="Workshop vor drei Wochen", status="held", starts_at=_ago(21))
    assert overdue_activities(user=referentin, now=NOW) == []
    client = Client()
    client.force_login(referentin)
    assert "Workshop vor drei Wochen" not in client.get(reverse("core:home")).text


def test_it_sends_each_fachkraft_one_digest(
    make_activity: Callable[..., Activity], fachkraft: User
) -> None:
    fachkraft.email = "samir@iaf.example"
    fachkraft.save(update_fields=["email"])
    make_activity(title="Workshop A", status="held", starts_at=_ago(21))
    make_activity(title="Workshop B", status="held", starts_at=_ago(20))
    make_activity(title="Noch in der Frist", status="held", starts_at=_ago(2))
    assert reminders_send(now=NOW) == 1
    (message,) = mail.outbox
    assert message.to == ["samir@iaf.example"]
    assert "Workshop A" in message.body and "Workshop B" in message.body
    assert "Noch in der Frist" not in message.body
    assert "2 Aktivität" in message.subject


def test_it_sends_nothing_when_nothing_is_overdue(
    make_activity: Callable[..., Activity], fachkraft: User
) -> None:
    make_activity(title="Dokumentiert", starts_at=_ago(30))
    call_command("remind")
    assert mail.outbox == []


def _overdue_bulk(template: Activity, count: int) -> None:
    """``count`` more held activities like ``template``, each three weeks old."""
    activities = []
    for index in range(count):
        template.pk = None
        template.title = "Workshop"
        template.starts_at = _ago(21) - datetime.timedelta(minutes=index)
        template.ends_at = template.starts_at + datetime.timedelta(hours=2)
        activities.append(
            Activity(
                **{f.attname: getattr(template, f.attname) for f in Activity._meta.concrete_fields}
            )
        )
    Activity.objects.bulk_create(activities)


def _dashboard(client: Client) -> tuple[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("core:home")).text
    return page, len(queries)


def test_it_keeps_the_dashboard_the_same_size_however_much_is_overdue(
    make_activity: Callable[..., Activity], koordination: User
) -> None:
    from buendnis.activities.selectors import DASHBOARD_OVERDUE

    template = make_activity(title="Workshop", status="held", starts_at=_ago(21))
    _overdue_bulk(template, 11)
    client = Client()
    client.force_login(koordination)
    few, few_queries = _dashboard(client)
    _overdue_bulk(template, 80)
    many, many_queries = _dashboard(client)

    assert many_queries == few_queries
    assert few.count("Workshop</a>") == many.count("Workshop</a>") == DASHBOARD_OVERDUE
    assert "12 Dokumentationen sind überfällig" in few
    assert "92 Dokumentationen sind überfällig" in many
    # Only the count and the named items' ids differ (a digit more each); 80 more listed
    # items would add thousands of characters.
    assert abs(len(many) - len(few)) <= DASHBOARD_OVERDUE + 2


def test_it_names_the_longest_overdue_first_with_its_days(
    make_activity: Callable[..., Activity], koordination: User
) -> None:
    make_activity(title="Workshop vor drei Wochen", status="held", starts_at=_ago(21))
    make_activity(title="Workshop vor fünf Wochen", status="held", starts_at=_ago(35))
    client = Client()
    client.force_login(koordination)
    page = client.get(reverse("core:home")).text
    assert page.index("Workshop vor fünf Wochen") < page.index("Workshop vor drei Wochen")
    # The deadline is 14 days after the end: 35 days ago is 21 days overdue, less a day's
    # part for the two hours the workshop lasted.
    from buendnis.activities.selectors import overdue_summary

    summary = overdue_summary(user=koordination, now=NOW)
    assert [item.days_overdue for item in summary.most_urgent] == [20, 6]
    assert summary.total == 2


def test_it_links_the_count_to_the_filtered_list(
    make_activity: Callable[..., Activity],
    fachkraft: User,
    koordination: User,
    partner_org: Organisation,
) -> None:
    colleague = user_create(
        username="lena", password=PASSWORD, organisation=partner_org, role=Membership.Role.FACHKRAFT
    )
    make_activity(title="Samirs Workshop", status="held", starts_at=_ago(21))
    theirs = make_activity(title="Lenas Workshop", status="held", starts_at=_ago(22))
    Activity.objects.filter(pk=theirs.pk).update(responsible=colleague)
    make_activity(title="Noch in der Frist", status="held", starts_at=_ago(2))
    make_activity(title="Längst erledigt", starts_at=_ago(30))
    client = Client()

    client.force_login(koordination)
    assert "?overdue=on" in client.get(reverse("core:home")).text
    listed = client.get(reverse("activities:list") + "?overdue=on").text
    assert "Samirs Workshop" in listed and "Lenas Workshop" in listed
    assert "Noch in der Frist" not in listed and "Längst erledigt" not in listed

    client.force_login(fachkraft)
    assert "?overdue=on&amp;mine=on" in client.get(reverse("core:home")).text
    listed = client.get(reverse("activities:list") + "?overdue=on&mine=on").text
    assert "Samirs Workshop" in listed and "Lenas Workshop" not in listed

"""§ 7 timeliness: overdue activities on the dashboard and the reminder digest."""

import datetime
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
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
from buendnis.agreements.models import Agreement
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


@pytest.fixture
def at_now() -> Iterator[None]:
    """The page's clock at NOW too, so days overdue do not change with the time of day."""
    with time_machine.travel(NOW, tick=False):
        yield


def test_it_keeps_the_dashboard_the_same_size_however_much_is_overdue(
    make_activity: Callable[..., Activity], koordination: User, at_now: None
) -> None:
    from buendnis.activities.selectors import DASHBOARD_OVERDUE

    template = make_activity(title="Workshop", status="held", starts_at=_ago(21))
    _overdue_bulk(template, 11)
    client = Client()
    client.force_login(koordination)
    client.get(reverse("core:home"))  # both views below find what is kept (core.views.FACTS)
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
    make_activity: Callable[..., Activity], koordination: User, at_now: None
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


def test_it_says_on_the_dashboard_whether_and_when_a_reminder_went_out(
    make_activity: Callable[..., Activity], koordination: User, at_now: None
) -> None:
    from buendnis.activities.models import ActivityReminder

    reminded = make_activity(title="Erinnert", status="held", starts_at=_ago(30))
    make_activity(title="Nie erinnert", status="held", starts_at=_ago(25))
    ActivityReminder.objects.create(
        activity=reminded, recipient=koordination, sent_at=NOW - datetime.timedelta(days=2)
    )
    client = Client()
    client.force_login(koordination)
    page = client.get(reverse("core:home")).text
    assert "erinnert am 26.11.2026" in page
    assert "noch nicht erinnert" in page
    assert "Tage überfällig" in page


@pytest.fixture
def busy_dashboard(
    make_activity: Callable[..., Activity],
    documenting: Agreement,
    other_agreement: Agreement,
    partner_org: Organisation,
    fachkraft: User,
    koordination: User,
) -> None:
    """Two or more items in every list of the dashboard, for staff and for coordinators.

    Two agreements of the partner, each with overdue activities (some reminded), a due
    evaluation under way, overdue adjustments, a framework proposal and an unagreed § 7
    version.
    """
    from buendnis.activities.models import ActivityReminder
    from buendnis.activities.services import activity_create, documentation_setup
    from buendnis.activities.tests.conftest import fathers_evening
    from buendnis.agreements.models import AgreementPartner, FrameworkVersion
    from buendnis.agreements.services import procedure_create_version
    from buendnis.evaluation.models import Adjustment, Evaluation
    from buendnis.evaluation.tests.factories import evaluation_of_year

    AgreementPartner.objects.create(
        agreement=other_agreement, organisation=partner_org, role=AgreementPartner.Role.PARTNER
    )
    documentation_setup(agreement=other_agreement, on=datetime.date(2019, 6, 4))
    procedure_create_version(agreement=other_agreement, deadline_days=7, required_fields=["title"])
    overdue = [
        make_activity(title=f"Workshop {days}", status="held", starts_at=_ago(days))
        for days in (21, 25, 30)
    ]
    overdue += [
        activity_create(
            agreement=other_agreement,
            organisation=partner_org,
            data=fathers_evening(other_agreement, title=f"Treffen {days}", starts_at=_ago(days)),
            status=Activity.Status.HELD,
            responsible=fachkraft,
        )
        for days in (10, 12)
    ]
    for activity in overdue[:3]:
        ActivityReminder.objects.create(activity=activity, recipient=fachkraft, sent_at=_ago(2))
    for agreement in (documenting, other_agreement):
        Agreement.objects.filter(pk=agreement.pk).update(signed_on=datetime.date(2019, 6, 3))
        evaluation = evaluation_of_year(agreement, 2025, Evaluation.Status.REVIEW)
        for what in ("Mehr Väter-Cafés", "Neue Orte"):
            Adjustment.objects.create(
                evaluation=evaluation,
                responsible=partner_org,
                what=f"{what} ({agreement.slug})",
                due_on=datetime.date(2026, 3, 31),
            )
        FrameworkVersion.objects.create(
            agreement=agreement, version=1, status=FrameworkVersion.Status.PROPOSED
        )


def test_it_reads_the_dashboard_in_a_fixed_number_of_queries(
    busy_dashboard: None,
    fachkraft: User,
    koordination: User,
    at_now: None,
    django_assert_num_queries: Any,
) -> None:
    """Session, then user with roles, then one read of the agreements serves every section.

    Each list below holds two or more items: a query per item would add at least two.
    """
    client = Client()
    client.force_login(koordination)
    # the agreements, the stamps and (the first time) their deadlines, due dates and what
    # is owed; overdue counts, the most urgent items with their reminders, open evaluations,
    # overdue adjustments
    with django_assert_num_queries(2 + 7):
        page = client.get(reverse("core:home")).text
    assert page.count("erinnert am") == 3 and page.count("noch nicht erinnert") == 2
    assert page.count("Dokumentationen sind überfällig") == 1
    assert "Identität und Zugehörigkeit</a>: 2" in page
    assert "Integration braucht Partner</a>: 3" in page
    assert page.count("in Arbeit: 2025 (In Prüfung)") == 2
    assert page.count("Mehr Väter-Cafés") == 2 and page.count("Neue Orte") == 2
    assert page.count("Wirkungsrahmen, Version 1") == 2
    assert page.count("Dokumentationsverfahren (§ 7), Version 1") == 2

    client.force_login(fachkraft)
    # the agreements, the stamps and their deadlines, overdue counts, the most urgent items
    with django_assert_num_queries(2 + 5):
        page = client.get(reverse("core:home")).text
    assert page.count("erinnert am") == 3 and page.count("noch nicht erinnert") == 2
    assert "Identität und Zugehörigkeit</a>: 2" in page
    assert "Auswertung (§ 8)" not in page

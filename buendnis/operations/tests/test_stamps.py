"""Change stamps: every way of writing an agreement's rows moves its stamp, and only its own."""

import datetime
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from buendnis.accounts.models import Organisation
from buendnis.activities.models import Activity
from buendnis.activities.tests import conftest as activity_fixtures
from buendnis.agreements.models import (
    Agreement,
    DocumentationProcedure,
    Goal,
    Indicator,
    IndicatorTarget,
    ProcedureApproval,
)
from buendnis.agreements.services import procedure_approve
from buendnis.counselling.models import Contact
from buendnis.counselling.tests import conftest as counselling_fixtures
from buendnis.feedback.models import FeedbackLink, Response
from buendnis.feedback.tests import conftest as feedback_fixtures
from buendnis.feedback.tests.conftest import answer
from buendnis.operations import stamps
from buendnis.operations.models import ChangeStamp
from buendnis.operations.stamps import change_stamp

documenting = activity_fixtures.documenting
make_activity = activity_fixtures.make_activity
topics = counselling_fixtures.topics
make_contact = counselling_fixtures.make_contact
questionnaires = feedback_fixtures.questionnaires
open_activity = feedback_fixtures.open_activity
link = feedback_fixtures.link

pytestmark = pytest.mark.django_db


@pytest.fixture
def other(partner_org: Organisation) -> Agreement:
    return Agreement.objects.create(slug="andere", title="Andere Vereinbarung")


def test_every_stamped_table_has_its_triggers() -> None:
    """Fails when a migration rebuilt a table (SQLite drops its triggers then)."""
    expected = {name for table in stamps.STAMPED for name in stamps.trigger_names(table)}
    assert expected <= stamps.installed_triggers()


def test_no_row_means_no_change_yet(documenting: Agreement) -> None:
    assert change_stamp(Activity, documenting.pk) == (0, None)


def test_create_update_and_delete_each_move_the_stamp(
    documenting: Agreement, make_activity: Any
) -> None:
    seen = [change_stamp(Activity, documenting.pk)]
    activity = make_activity()
    seen.append(change_stamp(Activity, documenting.pk))
    activity.title = "Väter-Café, verlegt"
    activity.save()
    seen.append(change_stamp(Activity, documenting.pk))
    activity.delete()
    seen.append(change_stamp(Activity, documenting.pk))
    counts = [changes for changes, _at in seen]
    assert counts == sorted(counts) and len(set(counts)) == 4
    assert len(set(seen)) == 4


def test_bulk_writes_and_plain_sql_move_the_stamp(
    documenting: Agreement, make_activity: Any
) -> None:
    activity = make_activity()
    before = change_stamp(Activity, documenting.pk)
    Activity.objects.filter(agreement=documenting).update(title="umbenannt")
    after_update = change_stamp(Activity, documenting.pk)
    assert after_update != before
    copy = Activity.objects.get(pk=activity.pk)
    copy.pk = None
    Activity.objects.bulk_create([copy])
    after_bulk = change_stamp(Activity, documenting.pk)
    assert after_bulk != after_update
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM activities_activity WHERE id = %s", [copy.pk])
    assert change_stamp(Activity, documenting.pk) != after_bulk


def test_a_write_leaves_other_agreements_and_tables_alone(
    documenting: Agreement, other: Agreement, make_activity: Any
) -> None:
    make_activity()
    assert change_stamp(Activity, other.pk) == (0, None)
    assert change_stamp(Contact, documenting.pk) == (0, None)


def test_moving_a_row_to_another_agreement_stamps_both(
    documenting: Agreement, other: Agreement, make_activity: Any
) -> None:
    activity = make_activity()
    mine = change_stamp(Activity, documenting.pk)
    Activity.objects.filter(pk=activity.pk).update(agreement=other)
    assert change_stamp(Activity, documenting.pk) != mine
    assert change_stamp(Activity, other.pk) != (0, None)


def test_contacts_are_stamped(agreement: Agreement, make_contact: Any) -> None:
    contact = make_contact()
    assert change_stamp(Contact, agreement.pk)[0] == 1
    Contact.objects.filter(pk=contact.pk).delete()
    assert change_stamp(Contact, agreement.pk)[0] == 2


def test_feedback_responses_are_stamped(link: FeedbackLink) -> None:
    agreement_id = link.activity.agreement_id
    assert change_stamp(Response, agreement_id) == (0, None)
    answer(link, reflect_role="2")
    assert change_stamp(Response, agreement_id)[0] == 1


YEAR_2025 = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
YEAR_2026 = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


def _at(*when: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*when))


def test_a_period_stamp_moves_only_with_rows_dated_in_it(
    documenting: Agreement, make_activity: Any
) -> None:
    make_activity(starts_at=_at(2025, 3, 1, 18))
    year, whole = (
        change_stamp(Activity, documenting.pk, between=YEAR_2025),
        change_stamp(Activity, documenting.pk),
    )
    make_activity(starts_at=_at(2026, 11, 30, 18))
    assert change_stamp(Activity, documenting.pk, between=YEAR_2025) == year
    assert change_stamp(Activity, documenting.pk) != whole
    make_activity(starts_at=_at(2025, 12, 31, 23, 30))  # the last local hour of the year
    assert change_stamp(Activity, documenting.pk, between=YEAR_2025) != year


def test_a_local_day_is_in_its_period_whatever_its_utc_month(
    documenting: Agreement, make_activity: Any
) -> None:
    before = change_stamp(Activity, documenting.pk, between=YEAR_2026)
    make_activity(starts_at=_at(2026, 1, 1, 0, 30))  # 2025-12-31 23:30 UTC
    assert change_stamp(Activity, documenting.pk, between=YEAR_2026) != before


def test_moving_a_row_to_another_year_stamps_both_years(
    documenting: Agreement, make_activity: Any
) -> None:
    activity = make_activity(starts_at=_at(2025, 3, 1, 18))
    years = (YEAR_2025, YEAR_2026)
    seen = [change_stamp(Activity, documenting.pk, between=year) for year in years]
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=_at(2026, 3, 1, 18), ends_at=_at(2026, 3, 1, 20)
    )
    after = [change_stamp(Activity, documenting.pk, between=year) for year in years]
    assert after[0] != seen[0] and after[1] != seen[1]


def test_contacts_and_answers_are_stamped_by_their_own_day(
    agreement: Agreement, make_contact: Any, link: FeedbackLink
) -> None:
    make_contact(date=datetime.date(2024, 5, 6))
    assert change_stamp(Contact, agreement.pk, between=YEAR_2025) == (0, None)
    assert change_stamp(Contact, agreement.pk, between=(datetime.date(2024, 5, 6),) * 2)[0] == 1
    agreement_id = link.activity.agreement_id
    answer(link, reflect_role="2")
    today = timezone.localdate()
    assert change_stamp(Response, agreement_id, between=(today, today))[0] == 1
    last_year = (today.replace(year=today.year - 1, month=1, day=1),) * 2
    assert change_stamp(Response, agreement_id, between=last_year) == (0, None)


def test_stamps_from_before_months_count_in_every_period(documenting: Agreement) -> None:
    ChangeStamp.objects.create(
        source="activities_activity", agreement_id=documenting.pk, month=stamps.LEGACY_MONTH,
        changes=7, changed_at=timezone.now(),
    )  # fmt: skip
    assert change_stamp(Activity, documenting.pk, between=YEAR_2025)[0] == 7
    assert change_stamp(Activity, documenting.pk)[0] == 7


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_leaves_the_stamp_as_it_was(
    documenting: Agreement, make_activity: Any
) -> None:
    make_activity()
    before = change_stamp(Activity, documenting.pk)
    with transaction.atomic():
        Activity.objects.filter(agreement=documenting).update(
            ends_at=timezone.now() + datetime.timedelta(hours=1)
        )
        inside = change_stamp(Activity, documenting.pk)
        transaction.set_rollback(True)
    assert inside != before  # the writer's own reads see its change at once
    assert change_stamp(Activity, documenting.pk) == before


def test_several_stamps_are_read_in_one_statement_in_the_order_asked(
    agreement: Agreement, make_contact: Any, link: FeedbackLink
) -> None:
    make_contact()
    answer(link, reflect_role="2")
    models = (Response, Activity, Contact)
    with CaptureQueriesContext(connection) as reads:
        together = stamps.change_stamps(models, agreement.pk)
    assert len(reads) == 1
    assert together == [change_stamp(model, agreement.pk) for model in models]
    assert together[2][0] == 1


def test_definitions_are_stamped_undated_and_count_in_every_period(
    documenting: Agreement, other: Agreement
) -> None:
    """A goal has no date: its stamp is month 0, which every period's read includes."""
    year = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    before = change_stamp(Goal, documenting.pk, between=year)
    goal = Goal.objects.create(agreement=documenting, code="Z9", title="Neu")
    created = change_stamp(Goal, documenting.pk, between=year)
    goal.title = "Umbenannt"
    goal.save()
    renamed = change_stamp(Goal, documenting.pk)
    goal.delete()
    assert len({before, created, renamed, change_stamp(Goal, documenting.pk)}) == 4
    assert set(
        ChangeStamp.objects.filter(source="agreements_goal").values_list("month", flat=True)
    ) == {0}
    assert change_stamp(Goal, other.pk) == (0, None)


def test_a_table_without_agreement_is_stamped_through_its_parent(
    documenting: Agreement, other: Agreement
) -> None:
    """Targets reach their agreement through the indicator, also when it moves or goes."""
    indicator = Indicator.objects.create(
        agreement=documenting, code="Z1.9", name="Treffen", level=1, source="activities"
    )
    elsewhere = Indicator.objects.create(
        agreement=other, code="Z1.9", name="Treffen", level=1, source="activities"
    )
    seen = [change_stamp(IndicatorTarget, documenting.pk)]
    target = IndicatorTarget.objects.create(indicator=indicator, year=2026, value=10)
    seen.append(change_stamp(IndicatorTarget, documenting.pk))
    IndicatorTarget.objects.filter(pk=target.pk).update(value=12)  # a queryset's update too
    seen.append(change_stamp(IndicatorTarget, documenting.pk))
    assert len(set(seen)) == 3 and change_stamp(IndicatorTarget, other.pk) == (0, None)

    target.indicator = elsewhere
    target.save()
    assert change_stamp(IndicatorTarget, documenting.pk) != seen[-1]
    assert change_stamp(IndicatorTarget, other.pk)[0] == 1

    moved = change_stamp(IndicatorTarget, other.pk)
    elsewhere.delete()  # Django deletes the targets first, while the indicator still exists
    assert change_stamp(IndicatorTarget, other.pk) != moved


def test_approving_a_procedure_moves_its_agreements_stamp(
    documenting: Agreement, partner_org: Organisation
) -> None:
    """Which procedure is in effect, and so the § 7 deadline, changes with an approval."""
    procedure = DocumentationProcedure.objects.filter(agreement=documenting).first()
    before = change_stamp(ProcedureApproval, documenting.pk)
    procedure_approve(
        procedure=procedure, organisation=partner_org, agreed_on=datetime.date(2026, 1, 5)
    )
    assert change_stamp(ProcedureApproval, documenting.pk) != before


def test_every_table_a_version_reads_is_stamped() -> None:
    """A table read for a version but without triggers would never move it."""
    from buendnis.agreements.selectors import STRUCTURE
    from buendnis.evaluation.live_cache import _definitions

    for version in (_definitions(), STRUCTURE):
        assert {model._meta.db_table for model in version} <= set(stamps.DEFINITIONS)

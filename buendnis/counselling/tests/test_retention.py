"""Counselling contacts are deleted in whole months after the retention period."""

import datetime
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from buendnis.agreements.models import Agreement
from buendnis.counselling.models import Contact
from buendnis.counselling.services import contacts_purge, retention_cutoff
from buendnis.evaluation.periods import calendar_year
from buendnis.evaluation.report.context import figures
from buendnis.evaluation.report.data import report_data
from buendnis.evaluation.services import evaluation_create, evaluation_freeze
from buendnis.operations import schedules, tasks

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _three_years(settings: Any) -> None:
    settings.COUNSELLING_RETENTION_MONTHS = 36


def test_it_keeps_whole_months_from_the_cutoff(settings: Any) -> None:
    assert retention_cutoff(today=TODAY) == datetime.date(2023, 12, 1)
    assert retention_cutoff(today=datetime.date(2026, 1, 31)) == datetime.date(2023, 1, 1)
    assert retention_cutoff(today=datetime.date(2026, 12, 1)) == datetime.date(2023, 12, 1)
    settings.COUNSELLING_RETENTION_MONTHS = 14
    assert retention_cutoff(today=datetime.date(2026, 2, 3)) == datetime.date(2024, 12, 1)


def test_it_deletes_the_contacts_of_months_past_retention(
    make_contact: Callable[..., Contact],
) -> None:
    old = [
        make_contact(date=datetime.date(2023, 11, 30)),
        make_contact(date=datetime.date(2021, 1, 1)),
    ]
    kept = [make_contact(date=datetime.date(2023, 12, 1)), make_contact(date=TODAY)]
    assert contacts_purge(today=TODAY) == 2
    assert set(Contact.objects.values_list("pk", flat=True)) == {c.pk for c in kept}
    assert not Contact.topics.through.objects.filter(contact_id__in=[c.pk for c in old]).exists()
    assert contacts_purge(today=TODAY) == 0


def test_it_counts_without_deleting_in_a_dry_run(make_contact: Callable[..., Contact]) -> None:
    make_contact(date=datetime.date(2022, 5, 2))
    make_contact(date=datetime.date(2026, 5, 2))
    assert contacts_purge(today=TODAY, dry_run=True) == 1
    assert Contact.objects.count() == 2


def test_it_follows_the_setting(settings: Any, make_contact: Callable[..., Contact]) -> None:
    make_contact(date=datetime.date(2025, 10, 31))
    assert contacts_purge(today=TODAY) == 0
    settings.COUNSELLING_RETENTION_MONTHS = 12
    assert contacts_purge(today=TODAY) == 1


@time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_it_has_a_command_with_a_dry_run(make_contact: Callable[..., Contact]) -> None:
    make_contact(date=datetime.date(2022, 5, 2))
    out = StringIO()
    call_command("purge_counselling", "--dry-run", stdout=out)
    assert "1 Beratungskontakte vor dem 01.12.2023 würden gelöscht" in out.getvalue()
    assert "nothing deleted" in out.getvalue()
    assert Contact.objects.count() == 1
    out = StringIO()
    call_command("purge_counselling", stdout=out)
    assert "1 counselling contacts before 2023-12-01 deleted" in out.getvalue()
    assert Contact.objects.count() == 0


@time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_it_runs_daily_beside_the_free_text_purge(make_contact: Callable[..., Contact]) -> None:
    assert schedules.DAILY["counselling_retention"] is tasks.counselling_retention
    names = list(schedules.DAILY)
    assert names.index("counselling_retention") == names.index("purge") + 1
    make_contact(date=datetime.date(2022, 5, 2))
    make_contact(date=datetime.date(2026, 5, 2))
    assert tasks.counselling_retention.call() == 1
    assert Contact.objects.count() == 1


def test_it_leaves_a_frozen_evaluation_unchanged_and_live_figures_not(
    agreement: Agreement, make_contact: Callable[..., Contact]
) -> None:
    for day in (3, 4, 5, 6, 7, 8):
        make_contact(date=datetime.date(2022, 3, day))
    period = calendar_year(2022)
    with time_machine.travel(datetime.datetime(2023, 6, 1, 9, tzinfo=datetime.UTC), tick=False):
        evaluation = evaluation_create(agreement=agreement, period=period, by=None)
        evaluation_freeze(evaluation=evaluation, by=None)
    evaluation.refresh_from_db()
    before = figures(agreement=agreement, period=period, evaluation=evaluation, today=TODAY)
    live_before = report_data(agreement=agreement, period=period, today=TODAY)
    assert contacts_purge(today=TODAY) == 6
    evaluation.refresh_from_db()
    after = figures(agreement=agreement, period=period, evaluation=evaluation, today=TODAY)
    assert after == before
    assert "6" in str(before)
    live_after = report_data(agreement=agreement, period=period, today=TODAY)
    assert live_after != live_before

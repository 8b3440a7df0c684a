"""Fixtures for feedback: seeded questionnaires, an activity open for answers, its link."""

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from buendnis.accounts.models import User
from buendnis.activities.models import Activity, Format
from buendnis.activities.tests.conftest import (  # noqa: F401 - fixtures used here
    documenting,
    make_activity,
    reach,
)
from buendnis.agreements.models import Agreement, Goal
from buendnis.feedback.models import FeedbackLink, Questionnaire, Response
from buendnis.feedback.questionnaires import questionnaires_seed
from buendnis.feedback.selectors import current_version
from buendnis.feedback.services import feedback_link_ensure, response_submit


@pytest.fixture
def questionnaires(documenting: Agreement) -> dict[str, Questionnaire]:  # noqa: F811
    return {q.key: q for q in questionnaires_seed(agreement=documenting)}


@pytest.fixture
def open_activity(
    make_activity: Callable[..., Activity],  # noqa: F811
    questionnaires: dict[str, Questionnaire],
) -> Activity:
    """Tonight's Väter-Café, started an hour ago: its feedback window is open."""
    return make_activity(starts_at=timezone.now() - datetime.timedelta(hours=1))


@pytest.fixture
def link(open_activity: Activity) -> FeedbackLink:
    return feedback_link_ensure(activity=open_activity)


@pytest.fixture
def training(
    make_activity: Callable[..., Activity],  # noqa: F811
    questionnaires: dict[str, Questionnaire],
) -> Activity:
    """Scenario 4: a half-day workshop for 24 multipliers."""
    fmt = Format.objects.get(agreement__slug="integration-braucht-partner", key="qualifizierung")
    return make_activity(
        format=fmt,
        title="Qualifizierung Main-Kinzig",
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        goals=list(Goal.objects.filter(agreement=fmt.agreement, code="Z2")),
        participants=24,
        first_timers=24,
        reach=reach(
            fmt.agreement,
            group_multipliers=24,
            migration_unknown=24,
            sector_administration=12,
            sector_counselling=12,
        ),
    )


def answer(link: FeedbackLink, **answers: str) -> Response:
    """Submit one response through the real service (values as the form sends them)."""
    version = current_version(link.questionnaire or _format_questionnaire(link))
    return response_submit(link=link, version_id=version.pk, answers=answers)


def _format_questionnaire(link: FeedbackLink) -> Questionnaire:
    return link.activity.format.feedback_default.questionnaire


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client

"""No lost update in the results framework: goals, indicators, targets and proposals."""

import html
from typing import Any

import pytest
from django.test import Client

from buendnis.accounts.models import User
from buendnis.agreements import framework
from buendnis.agreements.models import Agreement, FrameworkVersion
from buendnis.core.tests.conflicts import assert_second_writer_refused, loaded_version, resend
from buendnis.evaluation.tests.test_views_framework import (
    YEAR,
    _indicator_post,
    _url,
    documenting,  # noqa: F401 (fixture)
)

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _goal_post(version: int, title: str, code: str = "Z1") -> dict[str, Any]:
    return {"version": version, "code": code, "title": title, "description": ""}


def _draft_goal(agreement: Agreement) -> dict[str, Any]:
    draft = framework.open_version(agreement=agreement)
    return next(g for g in draft.content["goals"] if g["code"] == "Z1")


def test_the_second_goal_edit_gets_409_and_loses_nothing(
    documenting: Agreement,  # noqa: F811
    koordination: User,
) -> None:
    target = _url(documenting, "framework_goal", "Z1")
    anna, samir = _client(koordination), _client(koordination)
    v1, v2 = loaded_version(anna, target), loaded_version(samir, target)
    assert anna.post(target, _goal_post(v1, "Väter stärken")).status_code == 302
    refused = samir.post(target, _goal_post(v2, "Väter begleiten"))
    assert_second_writer_refused(refused, mine="Väter begleiten", stored="Väter stärken")
    assert _draft_goal(documenting)["title"] == "Väter stärken"

    assert samir.post(target, resend(refused)).status_code == 302
    assert _draft_goal(documenting)["title"] == "Väter begleiten"


def test_the_second_target_change_gets_409_and_loses_nothing(
    documenting: Agreement,  # noqa: F811
    koordination: User,
) -> None:
    create = _url(documenting, "framework_indicator_create")
    setup = _client(koordination)
    version = loaded_version(setup, create)
    assert setup.post(create, {**_indicator_post(), "version": version}).status_code == 302
    target = _url(documenting, "framework_indicator", "Z1.1")
    anna, samir = _client(koordination), _client(koordination)
    v1, v2 = loaded_version(anna, target), loaded_version(samir, target)
    assert anna.post(target, {**_indicator_post(**{f"target_{YEAR}": "45"}), "version": v1})[
        "Location"
    ].endswith("/wirkungsrahmen/")
    refused = samir.post(target, {**_indicator_post(**{f"target_{YEAR}": "60"}), "version": v2})
    assert_second_writer_refused(refused, mine="60", stored="45")
    draft = framework.open_version(agreement=documenting)
    [indicator] = draft.content["indicators"]
    assert indicator["targets"][str(YEAR)] == "45"


def test_a_stale_proposal_and_a_stale_agreement_get_409(
    documenting: Agreement,  # noqa: F811
    koordination: User,
    referentin: User,
) -> None:
    goal_url = _url(documenting, "framework_goal", "Z1")
    coordinator = _client(koordination)
    coordinator.post(goal_url, _goal_post(loaded_version(coordinator, goal_url), "Väter stärken"))
    draft = FrameworkVersion.objects.get(agreement=documenting)
    seen = Agreement.objects.get(pk=documenting.pk).framework_revision

    # someone changes the draft after the page with the propose button was loaded
    coordinator.post(goal_url, _goal_post(seen, "Väter begleiten"))
    stale = coordinator.post(
        _url(documenting, "framework_propose", draft.version),
        {"version": seen, "reason": "Neue Schwerpunkte"},
    )
    assert stale.status_code == 409
    text = html.unescape(stale.content.decode())
    assert "Der Wirkungsrahmen wurde inzwischen geändert" in text
    assert "Neue Schwerpunkte" in text  # the reason typed is still in the form
    draft.refresh_from_db()
    assert draft.status == FrameworkVersion.Status.DRAFT

    fresh = Agreement.objects.get(pk=documenting.pk).framework_revision
    proposed = coordinator.post(
        _url(documenting, "framework_propose", draft.version),
        {"version": fresh, "reason": "Neue Schwerpunkte"},
    )
    assert proposed.status_code == 302
    shown = Agreement.objects.get(pk=documenting.pk).framework_revision
    # the coordinator withdraws, changes and proposes again while the ministry's page is open
    draft.refresh_from_db()
    framework.framework_withdraw(version=draft)
    draft.refresh_from_db()
    framework.framework_put_goal(version=draft, code="Z1", title="Anders", original_code="Z1")
    framework.framework_propose(
        version=draft, reason="Korrigiert", by=koordination, organisations=[]
    )
    approve = _client(referentin).post(
        _url(documenting, "framework_approve", draft.version), {"version": shown}
    )
    assert approve.status_code == 409
    draft.refresh_from_db()
    assert draft.status == FrameworkVersion.Status.PROPOSED
    assert not draft.approvals.filter(organisation__memberships__user=referentin).exists()

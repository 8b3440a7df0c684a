"""No lost update in the § 8 evaluation: reflections, comments, the meeting, adjustments."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from buendnis.accounts.models import Organisation, User
from buendnis.agreements.models import Agreement
from buendnis.core.tests.conflicts import (
    assert_second_writer_refused,
    loaded_version,
    resend,
)
from buendnis.evaluation import services
from buendnis.evaluation.models import Adjustment, Evaluation, GoalReflection
from buendnis.evaluation.tests.factories import setup_goals
from buendnis.evaluation.tests.test_views_workflow import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluating(agreement: Agreement) -> Agreement:
    agreement.signed_on = datetime.date(2019, 6, 3)
    agreement.save(update_fields=["signed_on"])
    return setup_goals(agreement)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_second_reflection_gets_409_and_loses_nothing(
    draft: Evaluation, koordination: User, referentin: User
) -> None:
    target = url("reflection", draft, "Z1")
    anna, samir = _client(koordination), _client(koordination)
    first_version, second_version = loaded_version(anna, target), loaded_version(samir, target)
    assert first_version == second_version == 1

    saved = anna.post(target, {"version": first_version, "worked": "Abendtermine"})
    assert saved.status_code == 302
    second = samir.post(target, {"version": second_version, "worked": "Online-Abende"})
    assert_second_writer_refused(second, mine="Online-Abende", stored="Abendtermine")
    reflection = GoalReflection.objects.get(evaluation=draft, goal__code="Z1")
    assert (reflection.worked, reflection.version) == ("Abendtermine", 2)

    assert samir.post(target, resend(second)).status_code == 302
    reflection.refresh_from_db()
    assert (reflection.worked, reflection.version) == ("Online-Abende", 3)


def test_a_ministry_comment_does_not_collide_with_the_reflection(
    draft: Evaluation, koordination: User, referentin: User
) -> None:
    reflection_url, comment_url = url("reflection", draft, "Z3"), url("comment", draft, "Z3")
    version = loaded_version(_client(koordination), reflection_url)
    comment_version = loaded_version(_client(referentin), comment_url)
    assert (
        _client(referentin)
        .post(comment_url, {"version": comment_version, "comment": "Warum so wenig?"})
        .status_code
        == 302
    )
    written = _client(koordination).post(
        reflection_url, {"version": version, "reasons": "Wenig Anfragen"}
    )
    assert written.status_code == 302
    reflection = GoalReflection.objects.get(evaluation=draft, goal__code="Z3")
    assert (reflection.ministry_comment, reflection.reasons) == (
        "Warum so wenig?",
        "Wenig Anfragen",
    )


def test_the_second_ministry_comment_gets_409_and_loses_nothing(
    draft: Evaluation, referentin: User
) -> None:
    target = url("comment", draft, "Z3")
    first, second = _client(referentin), _client(referentin)
    v1, v2 = loaded_version(first, target), loaded_version(second, target)
    assert (
        first.post(target, {"version": v1, "comment": "Reichweite Nordhessen?"}).status_code == 302
    )
    refused = second.post(target, {"version": v2, "comment": "Bitte Zahlen erklären"})
    assert_second_writer_refused(
        refused, mine="Bitte Zahlen erklären", stored="Reichweite Nordhessen?"
    )
    reflection = GoalReflection.objects.get(evaluation=draft, goal__code="Z3")
    assert reflection.ministry_comment == "Reichweite Nordhessen?"


def test_the_second_meeting_record_gets_409_and_loses_nothing(
    review: Evaluation, koordination: User, referentin: User
) -> None:
    target = url("meeting", review)
    anna, ministry = _client(koordination), _client(referentin)
    v1, v2 = loaded_version(anna, target), loaded_version(ministry, target)
    saved = anna.post(
        target, {"version": v1, "meeting_on": "2026-06-12", "participants": "Anna, Samir"}
    )
    assert saved.status_code == 302
    refused = ministry.post(
        target, {"version": v2, "meeting_on": "2026-06-12", "participants": "Referentin Weber"}
    )
    assert_second_writer_refused(refused, mine="Referentin Weber", stored="Anna, Samir")
    review.refresh_from_db()
    assert (review.meeting_participants, review.meeting_version) == ("Anna, Samir", 2)


def _adjustment(evaluation: Evaluation, partner_org: Organisation) -> Adjustment:
    return services.adjustment_create(
        evaluation=evaluation,
        goal=None,
        what="Qualifizierung in Kassel",
        responsible=partner_org,
        responsible_person="",
        due_on=datetime.date(2026, 3, 31),
    )


def test_the_second_adjustment_edit_gets_409_and_loses_nothing(
    draft: Evaluation, koordination: User, partner_org: Organisation
) -> None:
    adjustment = _adjustment(draft, partner_org)
    target = reverse("evaluation:adjustment", args=[draft.agreement.slug, adjustment.pk])
    prefix = f"adj{adjustment.pk}"
    anna, samir = _client(koordination), _client(koordination)
    v1, v2 = loaded_version(anna, target), loaded_version(samir, target)
    base = {
        "goal": "",
        "responsible": partner_org.pk,
        "responsible_person": "",
        "due_on": "2026-03-31",
        "status": "open",
        "outcome": "",
    }

    def post(client: Client, version: int, what: str) -> object:
        data = {f"{prefix}-{k}": v for k, v in {**base, "what": what}.items()}
        return client.post(target, {**data, f"{prefix}-version": version})

    assert post(anna, v1, "Qualifizierung in Kassel und Fulda").status_code == 302
    refused = post(samir, v2, "Qualifizierung online")
    assert_second_writer_refused(
        refused, mine="Qualifizierung online", stored="Qualifizierung in Kassel und Fulda"
    )
    adjustment.refresh_from_db()
    assert (adjustment.what, adjustment.version) == ("Qualifizierung in Kassel und Fulda", 2)


def test_a_stale_status_update_gets_409(
    agreed: Evaluation, koordination: User, partner_org: Organisation
) -> None:
    adjustment = Adjustment.objects.create(
        evaluation=agreed,
        what="Qualifizierung in Kassel",
        responsible=partner_org,
        due_on=datetime.date(2026, 3, 31),
    )
    target = reverse("evaluation:adjustment", args=[agreed.agreement.slug, adjustment.pk])
    prefix = f"adj{adjustment.pk}"
    v1 = loaded_version(_client(koordination), target)

    def data(version: int, outcome: str) -> dict[str, object]:
        return {
            "only_status": "1",
            f"{prefix}-version": version,
            f"{prefix}-status": "in_progress",
            f"{prefix}-outcome": outcome,
        }

    assert _client(koordination).post(target, data(v1, "Termin steht")).status_code == 302
    refused = _client(koordination).post(target, data(v1, "Raum gebucht"))
    assert_second_writer_refused(refused, mine="Raum gebucht", stored="Termin steht")
    adjustment.refresh_from_db()
    assert adjustment.outcome == "Termin steht"

"""§ 8 workflow pages: who may see and do what, post/redirect/get, and German form errors."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buendnis.accounts.models import Organisation, User
from buendnis.agreements.models import Agreement, Indicator
from buendnis.evaluation import services
from buendnis.evaluation.models import Adjustment, Evaluation, EvaluationEvent, ManualValue
from buendnis.evaluation.periods import calendar_year
from buendnis.evaluation.tests.factories import goal, setup_goals

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name: str, evaluation: Evaluation, *args: object) -> str:
    return reverse(
        f"evaluation:{name}", args=[evaluation.agreement.slug, evaluation.period.key, *args]
    )


@pytest.fixture
def evaluating(agreement: Agreement) -> Agreement:
    agreement.signed_on = datetime.date(2019, 6, 3)
    agreement.save(update_fields=["signed_on"])
    return setup_goals(agreement)


# --- list and create ----------------------------------------------------------------


def test_it_lists_evaluations_and_offers_the_start_form_to_the_coordinator(
    draft: Evaluation, koordination: User
) -> None:
    response = client_for(koordination).get(reverse("evaluation:list", args=[draft.agreement.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("evaluation:detail", args=[draft.agreement.slug, "2025"]) in page
    assert "Entwurf" in page
    assert "Auswertung beginnen" in page
    # default: last calendar year
    assert response.context["form"]["year"].value() == datetime.date.today().year - 1


def test_it_shows_the_list_without_the_form_to_staff(draft: Evaluation, fachkraft: User) -> None:
    response = client_for(fachkraft).get(reverse("evaluation:list", args=[draft.agreement.slug]))
    assert response.status_code == 200
    assert "Auswertung beginnen" not in response.content.decode()


def test_it_denies_other_organisation(draft: Evaluation, outsider: User) -> None:
    client = client_for(outsider)
    slug = draft.agreement.slug
    assert client.get(reverse("evaluation:list", args=[slug])).status_code == 404
    assert client.get(url("detail", draft)).status_code == 404
    assert client.post(reverse("evaluation:create", args=[slug]), {}).status_code == 404
    assert client.post(url("freeze", draft)).status_code == 404
    assert client.get(url("reflection", draft, "Z1")).status_code == 404


def test_it_sends_anonymous_users_to_the_login(draft: Evaluation) -> None:
    response = Client().get(url("detail", draft))
    assert response.status_code == 302
    assert "anmelden" in response["Location"]


def test_it_creates_an_evaluation_and_redirects_to_it(
    evaluating: Agreement, koordination: User
) -> None:
    response = client_for(koordination).post(
        reverse("evaluation:create", args=[evaluating.slug]), {"kind": "calendar", "year": "2025"}
    )
    evaluation = Evaluation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", evaluation)
    assert evaluation.created_by == koordination


def test_it_creates_an_agreement_year_and_a_range(
    evaluating: Agreement, koordination: User
) -> None:
    client = client_for(koordination)
    create = reverse("evaluation:create", args=[evaluating.slug])
    client.post(create, {"kind": "agreement_year", "agreement_year": "2024"})
    client.post(create, {"kind": "range", "start": "2026-01-01", "end": "2026-06-30"})
    periods = {(e.period_kind, e.starts_on, e.ends_on) for e in Evaluation.objects.all()}
    assert periods == {
        ("agreement_year", datetime.date(2024, 6, 4), datetime.date(2025, 6, 3)),
        ("range", datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)),
    }
    detail = client.get(reverse("evaluation:detail", args=[evaluating.slug, "aj2024"]))
    assert detail.status_code == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "range", "start": "2026-06-30", "end": "2026-01-01"}, "endet vor seinem Beginn"),
        ({"kind": "range", "start": "2026-01-01"}, "letzten Tag angeben"),
        ({"kind": "calendar", "year": "1990"}, "keine gültige Auswahl"),
        ({"kind": "week"}, "keine gültige Auswahl"),
    ],
)
def test_it_shows_german_errors_for_a_bad_period(
    evaluating: Agreement, koordination: User, data: dict, message: str
) -> None:
    response = client_for(koordination).post(
        reverse("evaluation:create", args=[evaluating.slug]), data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Evaluation.objects.exists()


def test_it_refuses_a_duplicate_period_with_a_form_error(
    draft: Evaluation, koordination: User
) -> None:
    response = client_for(koordination).post(
        reverse("evaluation:create", args=[draft.agreement.slug]),
        {"kind": "calendar", "year": "2025"},
    )
    assert response.status_code == 200
    assert "gibt es schon eine Auswertung" in response.content.decode()
    assert Evaluation.objects.count() == 1


@pytest.mark.parametrize("persona", ["fachkraft", "referentin"])
def test_it_lets_only_coordinators_start_an_evaluation(
    evaluating: Agreement, persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    response = client_for(user).post(
        reverse("evaluation:create", args=[evaluating.slug]), {"kind": "calendar", "year": "2025"}
    )
    assert response.status_code == 403
    assert not Evaluation.objects.exists()


# --- detail -------------------------------------------------------------------------


def test_it_shows_the_draft_with_live_figures_and_the_freeze_button(
    draft: Evaluation, koordination: User
) -> None:
    response = client_for(koordination).get(url("detail", draft))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Z1.1 Vätergruppen durchgeführt" in page
    assert "Zahlen einfrieren und zur Prüfung geben" in page
    assert "Reflexion zu Z1 bearbeiten" in page
    assert "Kommentar zu Z1 schreiben" not in page  # the ministry comments
    assert "Zahlen eingefroren am" not in page


def test_it_reads_the_partners_once_for_the_rules_and_the_approvals(
    draft: Evaluation, koordination: User
) -> None:
    client = client_for(koordination)
    client.get(url("detail", draft))  # the session's once-a-minute touch
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("detail", draft))
    assert response.status_code == 200
    partner_reads = [
        q for q in queries.captured_queries if 'FROM "agreements_agreementpartner"' in q["sql"]
    ]
    assert len(partner_reads) == 1


def test_it_shows_staff_the_evaluation_without_any_action(
    review: Evaluation, fachkraft: User
) -> None:
    page = client_for(fachkraft).get(url("detail", review)).content.decode()
    assert "Zahlen eingefroren am" in page
    for action in ("zustimmen", "Reflexion zu Z1 bearbeiten", "Zur Überarbeitung zurückgeben"):
        assert action not in page


def test_it_offers_the_ministry_comment_return_and_its_own_approval(
    review: Evaluation, referentin: User
) -> None:
    page = client_for(referentin).get(url("detail", review)).content.decode()
    assert "Kommentar zu Z3 schreiben" in page
    assert "Zur Überarbeitung zurückgeben" in page
    assert "Für HMSI zustimmen" in page
    assert "Für iaf e.V. zustimmen" not in page
    assert "Zahlen einfrieren" not in page


def test_it_answers_404_for_a_period_without_evaluation(
    draft: Evaluation, koordination: User
) -> None:
    client = client_for(koordination)
    slug = draft.agreement.slug
    assert client.get(reverse("evaluation:detail", args=[slug, "2024"])).status_code == 404
    assert client.get(reverse("evaluation:detail", args=[slug, "quatsch"])).status_code == 404


# --- workflow -----------------------------------------------------------------------


def test_it_freezes_for_the_coordinator_only(
    draft: Evaluation, koordination: User, fachkraft: User, referentin: User
) -> None:
    assert client_for(fachkraft).post(url("freeze", draft)).status_code == 403
    assert client_for(referentin).post(url("freeze", draft)).status_code == 403
    assert client_for(koordination).get(url("freeze", draft)).status_code == 405
    response = client_for(koordination).post(url("freeze", draft), follow=True)
    assert response.redirect_chain[-1][0] == url("detail", draft)
    assert "Die Zahlen sind eingefroren" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Evaluation.Status.REVIEW


def test_it_reports_a_refused_transition_as_a_message(
    review: Evaluation, koordination: User
) -> None:
    response = client_for(koordination).post(url("freeze", review), follow=True)
    assert "Nur ein Entwurf kann zur Prüfung eingefroren werden." in response.content.decode()


def test_the_ministry_returns_with_a_comment_shown_in_the_history(
    review: Evaluation, referentin: User, koordination: User
) -> None:
    client = client_for(referentin)
    assert client.get(url("return", review)).status_code == 200
    response = client.post(
        url("return", review), {"return-comment": "Warum so wenig in Nordhessen?"}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == Evaluation.Status.DRAFT
    page = client_for(koordination).get(url("detail", review)).content.decode()
    assert "Zur Überarbeitung zurückgegeben" in page
    assert "Warum so wenig in Nordhessen?" in page


def test_it_refuses_a_return_without_comment_and_by_partners(
    review: Evaluation, referentin: User, koordination: User
) -> None:
    response = client_for(referentin).post(url("return", review), {"return-comment": ""})
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    assert (
        client_for(koordination).post(url("return", review), {"return-comment": "x"}).status_code
        == 403
    )
    review.refresh_from_db()
    assert review.status == Evaluation.Status.REVIEW


def test_both_partners_approve_and_the_evaluation_is_agreed(
    review: Evaluation,
    koordination: User,
    referentin: User,
    partner_org: Organisation,
    ministry_org: Organisation,
) -> None:
    client_for(koordination).post(url("approve", review), {"organisation": partner_org.pk})
    page = client_for(referentin).get(url("detail", review)).content.decode()
    assert "zugestimmt am" in page and "Zustimmung steht aus" in page
    response = client_for(referentin).post(
        url("approve", review), {"organisation": ministry_org.pk}, follow=True
    )
    assert "Die Auswertung ist vereinbart." in response.content.decode()
    review.refresh_from_db()
    assert review.status == Evaluation.Status.AGREED
    assert "Reflexion zu Z1 bearbeiten" not in response.content.decode()


def test_it_refuses_approval_for_an_organisation_one_does_not_speak_for(
    review: Evaluation,
    koordination: User,
    fachkraft: User,
    ministry_org: Organisation,
    partner_org: Organisation,
) -> None:
    assert (
        client_for(koordination)
        .post(url("approve", review), {"organisation": ministry_org.pk})
        .status_code
        == 403
    )
    assert (
        client_for(koordination).post(url("approve", review), {"organisation": "x"}).status_code
        == 403
    )
    assert (
        client_for(fachkraft)
        .post(url("approve", review), {"organisation": partner_org.pk})
        .status_code
        == 403
    )
    assert not review.approvals.exists()


# --- reflection, comment, meeting ---------------------------------------------------


def test_it_saves_a_reflection(draft: Evaluation, koordination: User) -> None:
    client = client_for(koordination)
    assert client.get(url("reflection", draft, "Z1")).status_code == 200
    response = client.post(
        url("reflection", draft, "Z1"),
        {"version": 1, "worked": "Väter-Café", "not_worked": "Online", "reasons": "Zeit am Abend"},
    )
    assert response.status_code == 302
    page = client.get(url("detail", draft)).content.decode()
    assert "Väter-Café" in page and "Zeit am Abend" in page


def test_it_denies_reflection_to_staff_and_unknown_goals(
    draft: Evaluation, fachkraft: User, koordination: User
) -> None:
    assert client_for(fachkraft).get(url("reflection", draft, "Z1")).status_code == 403
    assert (
        client_for(fachkraft).post(url("reflection", draft, "Z1"), {"worked": "x"}).status_code
        == 403
    )
    assert client_for(koordination).get(url("reflection", draft, "Z9")).status_code == 404
    assert not draft.reflections.exists()


def test_it_closes_the_forms_once_agreed(agreed: Evaluation, koordination: User) -> None:
    client = client_for(koordination)
    for target in (url("reflection", agreed, "Z1"), url("meeting", agreed)):
        response = client.post(target, {"worked": "x", "participants": "y"}, follow=True)
        assert "Die Auswertung ist vereinbart und gesperrt." in response.content.decode()
    assert not agreed.reflections.exists()


def test_only_the_ministry_comments(
    draft: Evaluation, referentin: User, koordination: User
) -> None:
    assert client_for(koordination).get(url("comment", draft, "Z3")).status_code == 403
    response = client_for(referentin).post(
        url("comment", draft, "Z3"),
        {"version": 1, "comment": "Reichweite in Nordhessen gering – warum?"},
    )
    assert response.status_code == 302
    reflection = draft.reflections.get(goal=goal(draft.agreement, "Z3"))
    assert reflection.ministry_comment == "Reichweite in Nordhessen gering – warum?"


def test_it_saves_the_meeting_and_shows_service_errors(
    review: Evaluation, koordination: User
) -> None:
    client = client_for(koordination)
    bad = client.post(
        url("meeting", review), {"version": 1, "meeting_on": "2024-01-05", "participants": ""}
    )
    assert bad.status_code == 200
    assert "vor Beginn des ausgewerteten Zeitraums" in bad.content.decode()
    client.post(
        url("meeting", review), {"version": 1, "meeting_on": "2026-06-12", "participants": "Anna"}
    )
    review.refresh_from_db()
    assert review.meeting_on == datetime.date(2026, 6, 12)


# --- adjustments --------------------------------------------------------------------


def adjustment_data(responsible: Organisation, **extra: str) -> dict:
    return {
        "goal": "",
        "what": "Qualifizierung in Kassel",
        "responsible": responsible.pk,
        "responsible_person": "Anna",
        "due_on": "2026-03-31",
        **extra,
    }


def test_it_agrees_an_adjustment(
    draft: Evaluation, koordination: User, partner_org: Organisation
) -> None:
    client = client_for(koordination)
    form = client.get(url("adjustment_create", draft) + "?ziel=Z3")
    assert form.context["form"]["goal"].value() == goal(draft.agreement, "Z3").pk
    z3 = goal(draft.agreement, "Z3").pk
    response = client.post(url("adjustment_create", draft), adjustment_data(partner_org, goal=z3))
    assert response.status_code == 302
    adjustment = Adjustment.objects.get()
    assert (adjustment.goal_id, adjustment.responsible) == (z3, partner_org)


def test_it_refuses_bad_adjustments_with_form_errors(
    draft: Evaluation, koordination: User, partner_org: Organisation, other_org: Organisation
) -> None:
    client = client_for(koordination)
    foreign = client.post(url("adjustment_create", draft), adjustment_data(other_org))
    assert "keine gültige Auswahl" in foreign.content.decode()
    early = client.post(
        url("adjustment_create", draft), adjustment_data(partner_org, due_on="2024-12-31")
    )
    assert "darf nicht vor Beginn des Zeitraums" in early.content.decode()
    assert not Adjustment.objects.exists()


def test_it_updates_last_times_adjustment_from_the_next_evaluation(
    agreed: Evaluation, koordination: User, fachkraft: User, partner_org: Organisation
) -> None:
    adjustment = Adjustment.objects.create(
        evaluation=agreed,
        what="Qualifizierung in Kassel",
        responsible=partner_org,
        due_on=datetime.date(2026, 3, 31),
    )
    current = services.evaluation_create(
        agreement=agreed.agreement, period=calendar_year(2026), by=koordination
    )
    client = client_for(koordination)
    page = client.get(url("detail", current)).content.decode()
    assert "Vereinbart beim letzten Mal" in page and "Qualifizierung in Kassel" in page
    target = reverse("evaluation:adjustment", args=[agreed.agreement.slug, adjustment.pk])
    prefix = f"adj{adjustment.pk}"
    data = {
        "only_status": "1",
        "next": url("detail", current),
        f"{prefix}-version": "1",
        f"{prefix}-status": "in_progress",
        f"{prefix}-outcome": "Termin steht",
    }
    assert client_for(fachkraft).post(target, data).status_code == 403
    response = client.post(target, data)
    assert response["Location"] == url("detail", current)
    adjustment.refresh_from_db()
    assert (adjustment.status, adjustment.outcome) == ("in_progress", "Termin steht")
    # an agreed adjustment's content is no longer offered for editing
    form = client.get(target).context["form"]
    assert set(form.fields) == {"version", "status", "outcome"}
    offsite = client.post(
        target, {**data, f"{prefix}-version": "2", "next": "https://example.org/"}
    )
    assert offsite["Location"] == url("detail", agreed)


def test_it_edits_a_whole_adjustment_while_not_agreed(
    draft: Evaluation, koordination: User, partner_org: Organisation, other_agreement: Agreement
) -> None:
    adjustment = services.adjustment_create(
        evaluation=draft,
        goal=None,
        what="alt",
        responsible=partner_org,
        responsible_person="",
        due_on=datetime.date(2026, 3, 31),
    )
    target = reverse("evaluation:adjustment", args=[draft.agreement.slug, adjustment.pk])
    prefix = f"adj{adjustment.pk}"
    data = {f"{prefix}-{k}": v for k, v in adjustment_data(partner_org, what="neu").items()}
    data |= {f"{prefix}-status": "open", f"{prefix}-outcome": "", f"{prefix}-version": "1"}
    assert client_for(koordination).post(target, data).status_code == 302
    adjustment.refresh_from_db()
    assert adjustment.what == "neu"
    elsewhere = reverse("evaluation:adjustment", args=[other_agreement.slug, adjustment.pk])
    assert client_for(koordination).get(elsewhere).status_code == 404


# --- manual values, reopening ------------------------------------------------------


def test_it_records_a_manual_value_in_the_draft(draft: Evaluation, koordination: User) -> None:
    target = url("manual_value", draft, "Z1.9")
    response = client_for(koordination).post(target, {"value": "2", "source_note": "Bericht"})
    assert response.status_code == 302
    assert ManualValue.objects.get().value == 2
    bad = client_for(koordination).post(target, {"value": "-1", "source_note": "Bericht"})
    assert "nicht negativ" in bad.content.decode()
    assert client_for(koordination).get(url("manual_value", draft, "Z1.1")).status_code == 404


def test_it_refuses_manual_values_to_others_and_after_freezing(
    review: Evaluation, koordination: User, referentin: User
) -> None:
    target = url("manual_value", review, "Z1.9")
    assert client_for(referentin).get(target).status_code == 403
    response = client_for(koordination).post(
        target, {"value": "2", "source_note": "x"}, follow=True
    )
    assert "nur im Entwurf" in response.content.decode()
    assert not ManualValue.objects.exists()
    assert Indicator.objects.filter(code="Z1.9").exists()


def test_the_coordinator_reopens_with_a_reason_and_locks_again(
    agreed: Evaluation, koordination: User, referentin: User
) -> None:
    client = client_for(koordination)
    assert client_for(referentin).get(url("reopen", agreed)).status_code == 403
    empty = client.post(url("reopen", agreed), {"reason": ""})
    assert empty.status_code == 200 and not agreed.reopenings.exists()
    client.post(url("reopen", agreed), {"reason": "Nachtrag Fachtag Kassel"})
    page = client.get(url("detail", agreed)).content.decode()
    assert "Nachtrag Fachtag Kassel" in page
    assert "Zeitraum wieder sperren" in page
    assert client.post(url("relock", agreed)).status_code == 302
    kinds = list(agreed.events.values_list("kind", flat=True))
    assert kinds[-2:] == [EvaluationEvent.Kind.REOPENED, EvaluationEvent.Kind.RELOCKED]


def test_it_refuses_to_reopen_a_draft(draft: Evaluation, koordination: User) -> None:
    response = client_for(koordination).post(url("reopen", draft), {"reason": "x"})
    assert "Nur eine vereinbarte Auswertung" in response.content.decode()
    assert not draft.reopenings.exists()

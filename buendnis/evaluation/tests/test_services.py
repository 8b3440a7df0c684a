"""§ 8 workflow services: every transition writes an event; every refusal says why."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from buendnis.accounts.models import Organisation, User
from buendnis.agreements.models import Agreement, Goal, Indicator
from buendnis.evaluation import locks, selectors, services
from buendnis.evaluation.manual import manual_value_set
from buendnis.evaluation.models import Adjustment, Evaluation, EvaluationEvent
from buendnis.evaluation.periods import RANGE, Period, calendar_year
from buendnis.evaluation.services import EvaluationInvalid
from buendnis.evaluation.tests.factories import agree, goal, setup_goals

pytestmark = pytest.mark.django_db
Kind = EvaluationEvent.Kind


@pytest.fixture
def evaluating(agreement: Agreement) -> Agreement:
    return setup_goals(agreement)


def kinds(evaluation: Evaluation) -> list[str]:
    return list(evaluation.events.values_list("kind", flat=True))


# --- create -------------------------------------------------------------------------


def test_it_creates_a_draft_with_an_event(draft: Evaluation, koordination: User) -> None:
    assert draft.status == Evaluation.Status.DRAFT
    assert (draft.starts_on, draft.ends_on) == (
        datetime.date(2025, 1, 1),
        datetime.date(2025, 12, 31),
    )
    assert draft.snapshot is None
    event = draft.events.get()
    assert (event.kind, event.by) == (Kind.CREATED, koordination)


def test_it_refuses_a_second_evaluation_of_the_same_period(
    draft: Evaluation, koordination: User
) -> None:
    with pytest.raises(EvaluationInvalid, match="gibt es schon eine Auswertung"):
        services.evaluation_create(
            agreement=draft.agreement, period=calendar_year(2025), by=koordination
        )
    # the same days as a range are the same period
    same = Period(RANGE, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    with pytest.raises(EvaluationInvalid):
        services.evaluation_create(agreement=draft.agreement, period=same, by=koordination)
    assert Evaluation.objects.count() == 1


def test_it_allows_another_period_of_the_same_agreement(
    draft: Evaluation, koordination: User
) -> None:
    other = services.evaluation_create(
        agreement=draft.agreement, period=calendar_year(2024), by=koordination
    )
    assert other.pk != draft.pk


def test_it_refuses_a_period_that_has_not_begun(evaluating: Agreement, koordination: User) -> None:
    next_year = timezone.localdate().year + 1
    with pytest.raises(EvaluationInvalid, match="noch nicht begonnen"):
        services.evaluation_create(
            agreement=evaluating, period=calendar_year(next_year), by=koordination
        )
    assert not Evaluation.objects.exists()


# --- freeze -------------------------------------------------------------------------


def test_it_freezes_the_figures_for_review(review: Evaluation) -> None:
    review.refresh_from_db()
    assert review.status == Evaluation.Status.REVIEW
    assert review.frozen_at is not None
    codes = [row["code"] for row in review.snapshot["indicators"]]
    assert codes == ["Z1.1", "Z1.9"]
    assert kinds(review) == [Kind.CREATED, Kind.FROZEN]


def test_it_keeps_frozen_figures_when_the_data_changes(
    draft: Evaluation, koordination: User
) -> None:
    indicator = Indicator.objects.get(code="Z1.9")
    manual_value_set(
        indicator=indicator, period=draft.period, value=2, source_note="Bericht", by=koordination
    )
    live = {v.code: v.actual for v in selectors.indicator_values(draft)}
    assert live["Z1.9"] == Decimal(2)

    services.evaluation_freeze(evaluation=draft, by=koordination)
    manual_value_set(
        indicator=indicator, period=draft.period, value=7, source_note="später", by=koordination
    )
    draft.refresh_from_db()
    frozen = {v.code: v.actual for v in selectors.indicator_values(draft)}
    assert frozen["Z1.9"] == Decimal(2)


def test_it_refuses_to_freeze_twice(review: Evaluation, koordination: User) -> None:
    with pytest.raises(EvaluationInvalid, match="Nur ein Entwurf"):
        services.evaluation_freeze(evaluation=review, by=koordination)
    assert kinds(review).count(Kind.FROZEN) == 1


# --- return -------------------------------------------------------------------------


def test_it_returns_a_review_with_the_comment(
    review: Evaluation, referentin: User, koordination: User, partner_org: Organisation
) -> None:
    services.evaluation_approve(evaluation=review, organisation=partner_org, by=koordination)
    services.evaluation_return(
        evaluation=review, by=referentin, comment="Reichweite in Nordhessen ist gering – warum?"
    )
    review.refresh_from_db()
    assert review.status == Evaluation.Status.DRAFT
    assert review.snapshot is None and review.frozen_at is None
    assert not review.approvals.exists()
    event = review.events.last()
    assert (event.kind, event.by) == (Kind.RETURNED, referentin)
    assert event.comment == "Reichweite in Nordhessen ist gering – warum?"


def test_it_refuses_a_return_without_comment(review: Evaluation, referentin: User) -> None:
    with pytest.raises(EvaluationInvalid, match="Kommentar"):
        services.evaluation_return(evaluation=review, by=referentin, comment="   ")
    review.refresh_from_db()
    assert review.status == Evaluation.Status.REVIEW


def test_it_refuses_to_return_a_draft(draft: Evaluation, referentin: User) -> None:
    with pytest.raises(EvaluationInvalid, match="in Prüfung"):
        services.evaluation_return(evaluation=draft, by=referentin, comment="Bitte ändern")


def test_it_refuses_to_return_an_agreed_evaluation(agreed: Evaluation, referentin: User) -> None:
    with pytest.raises(EvaluationInvalid):
        services.evaluation_return(evaluation=agreed, by=referentin, comment="zu spät")
    agreed.refresh_from_db()
    assert agreed.status == Evaluation.Status.AGREED


# --- approve ------------------------------------------------------------------------


def test_it_agrees_when_every_partner_confirmed(
    review: Evaluation,
    koordination: User,
    referentin: User,
    partner_org: Organisation,
    ministry_org: Organisation,
) -> None:
    services.evaluation_approve(evaluation=review, organisation=partner_org, by=koordination)
    review.refresh_from_db()
    assert review.status == Evaluation.Status.REVIEW
    assert review.agreed_on is None

    services.evaluation_approve(evaluation=review, organisation=ministry_org, by=referentin)
    review.refresh_from_db()
    assert review.status == Evaluation.Status.AGREED
    assert review.agreed_on == timezone.localdate()
    assert kinds(review)[-3:] == [Kind.APPROVED, Kind.APPROVED, Kind.AGREED]
    approved = review.events.filter(kind=Kind.APPROVED)
    assert {e.organisation for e in approved} == {partner_org, ministry_org}


def test_agreeing_locks_the_period(agreed: Evaluation) -> None:
    with pytest.raises(locks.ActivityLocked):
        locks.check_unlocked(agreement_id=agreed.agreement_id, day=datetime.date(2025, 6, 1))
    locks.check_unlocked(agreement_id=agreed.agreement_id, day=datetime.date(2026, 6, 1))


def test_it_refuses_approval_of_a_draft(
    draft: Evaluation, koordination: User, partner_org: Organisation
) -> None:
    with pytest.raises(EvaluationInvalid, match="in Prüfung"):
        services.evaluation_approve(evaluation=draft, organisation=partner_org, by=koordination)
    assert not draft.approvals.exists()


def test_it_refuses_approval_for_an_organisation_outside_the_agreement(
    review: Evaluation, outsider: User, other_org: Organisation
) -> None:
    with pytest.raises(EvaluationInvalid, match="nicht Partner"):
        services.evaluation_approve(evaluation=review, organisation=other_org, by=outsider)


def test_it_refuses_approval_by_someone_not_speaking_for_the_organisation(
    review: Evaluation,
    fachkraft: User,
    referentin: User,
    partner_org: Organisation,
) -> None:
    with pytest.raises(EvaluationInvalid, match="Nur Koordination oder Ministerium"):
        services.evaluation_approve(evaluation=review, organisation=partner_org, by=fachkraft)
    with pytest.raises(EvaluationInvalid, match="Nur Koordination oder Ministerium"):
        services.evaluation_approve(evaluation=review, organisation=partner_org, by=referentin)
    assert not review.approvals.exists()


def test_it_refuses_a_second_approval_of_the_same_organisation(
    review: Evaluation, koordination: User, partner_org: Organisation
) -> None:
    services.evaluation_approve(evaluation=review, organisation=partner_org, by=koordination)
    with pytest.raises(EvaluationInvalid, match="bereits zugestimmt"):
        services.evaluation_approve(evaluation=review, organisation=partner_org, by=koordination)
    assert review.approvals.count() == 1


# --- reflection, comment, meeting ---------------------------------------------------


def test_it_saves_and_updates_the_reflection(draft: Evaluation, koordination: User) -> None:
    z1 = goal(draft.agreement, "Z1")
    services.reflection_save(
        evaluation=draft, goal=z1, worked="Väter-Café", not_worked="", reasons="", by=koordination
    )
    saved = services.reflection_save(
        evaluation=draft,
        goal=z1,
        worked=" Väter-Café läuft ",
        not_worked="Online-Abende",
        reasons="Zeit",
        by=koordination,
    )
    assert draft.reflections.count() == 1
    assert (saved.worked, saved.not_worked, saved.reasons) == (
        "Väter-Café läuft",
        "Online-Abende",
        "Zeit",
    )
    assert saved.updated_by == koordination


def test_it_saves_a_reflection_in_review(review: Evaluation, referentin: User) -> None:
    services.reflection_save(
        evaluation=review,
        goal=goal(review.agreement, "Z3"),
        worked="",
        not_worked="Nordhessen",
        reasons="",
        by=referentin,
    )
    assert review.reflections.get().not_worked == "Nordhessen"


def test_it_refuses_reflection_and_comment_once_agreed(
    agreed: Evaluation, koordination: User, referentin: User
) -> None:
    z1 = goal(agreed.agreement, "Z1")
    with pytest.raises(EvaluationInvalid, match="vereinbart und gesperrt"):
        services.reflection_save(
            evaluation=agreed, goal=z1, worked="x", not_worked="", reasons="", by=koordination
        )
    with pytest.raises(EvaluationInvalid, match="vereinbart und gesperrt"):
        services.ministry_comment_save(evaluation=agreed, goal=z1, comment="x", by=referentin)
    assert not agreed.reflections.exists()


def test_it_refuses_a_goal_of_another_agreement(
    draft: Evaluation, other_agreement: Agreement, koordination: User
) -> None:
    foreign = Goal.objects.create(agreement=other_agreement, code="Z1", title="Fremd")
    with pytest.raises(EvaluationInvalid, match="anderen Vereinbarung"):
        services.reflection_save(
            evaluation=draft, goal=foreign, worked="x", not_worked="", reasons="", by=koordination
        )


def test_it_refuses_too_long_texts(draft: Evaluation, koordination: User) -> None:
    with pytest.raises(EvaluationInvalid, match="zu lang"):
        services.reflection_save(
            evaluation=draft,
            goal=goal(draft.agreement, "Z1"),
            worked="x" * (services.TEXT_MAX_LENGTH + 1),
            not_worked="",
            reasons="",
            by=koordination,
        )


def test_it_saves_the_ministry_comment_beside_the_reflection(
    draft: Evaluation, koordination: User, referentin: User
) -> None:
    z3 = goal(draft.agreement, "Z3")
    services.reflection_save(
        evaluation=draft, goal=z3, worked="Fachtag", not_worked="", reasons="", by=koordination
    )
    services.ministry_comment_save(
        evaluation=draft, goal=z3, comment="Nordhessen – warum?", by=referentin
    )
    reflection = draft.reflections.get(goal=z3)
    assert (reflection.worked, reflection.ministry_comment) == ("Fachtag", "Nordhessen – warum?")


def test_it_saves_the_meeting(review: Evaluation) -> None:
    services.meeting_save(
        evaluation=review, meeting_on=datetime.date(2026, 6, 12), participants="Anna, Referentin"
    )
    review.refresh_from_db()
    assert review.meeting_on == datetime.date(2026, 6, 12)
    assert review.meeting_participants == "Anna, Referentin"


def test_it_refuses_a_meeting_before_the_period(draft: Evaluation) -> None:
    with pytest.raises(EvaluationInvalid, match="vor Beginn"):
        services.meeting_save(
            evaluation=draft, meeting_on=datetime.date(2024, 12, 1), participants=""
        )
    draft.refresh_from_db()
    assert draft.meeting_on is None


def test_it_refuses_a_meeting_once_agreed(agreed: Evaluation) -> None:
    with pytest.raises(EvaluationInvalid, match="gesperrt"):
        services.meeting_save(
            evaluation=agreed, meeting_on=datetime.date(2026, 6, 1), participants="x"
        )
    agreed.refresh_from_db()
    assert agreed.meeting_participants == ""


# --- adjustments --------------------------------------------------------------------


def make_adjustment(
    evaluation: Evaluation, responsible: Organisation, **extra: object
) -> Adjustment:
    values = {
        "goal": goal(evaluation.agreement, "Z3"),
        "what": "Qualifizierung in Kassel anbieten",
        "responsible": responsible,
        "responsible_person": "Anna",
        "due_on": datetime.date(2026, 3, 31),
        **extra,
    }
    return services.adjustment_create(evaluation=evaluation, **values)


def test_it_creates_an_adjustment(draft: Evaluation, partner_org: Organisation) -> None:
    adjustment = make_adjustment(draft, partner_org)
    assert adjustment.status == Adjustment.Status.OPEN
    assert adjustment.responsible == partner_org
    assert adjustment.goal.code == "Z3"


def test_it_refuses_adjustments_it_cannot_track(
    draft: Evaluation, partner_org: Organisation, other_org: Organisation
) -> None:
    with pytest.raises(EvaluationInvalid, match="Partner der Vereinbarung"):
        make_adjustment(draft, other_org)
    with pytest.raises(EvaluationInvalid, match="Bis wann"):
        make_adjustment(draft, partner_org, due_on=datetime.date(2024, 12, 31))
    with pytest.raises(EvaluationInvalid, match="Was ändert sich"):
        make_adjustment(draft, partner_org, what="  ")
    assert not Adjustment.objects.exists()


def test_it_refuses_new_adjustments_once_agreed(
    agreed: Evaluation, partner_org: Organisation
) -> None:
    with pytest.raises(EvaluationInvalid, match="gesperrt"):
        make_adjustment(agreed, partner_org)


def test_it_tracks_an_agreed_adjustment_to_closure(
    review: Evaluation,
    koordination: User,
    referentin: User,
    partner_org: Organisation,
    ministry_org: Organisation,
) -> None:
    adjustment = make_adjustment(review, partner_org)
    agree(review, koordination, referentin, partner_org, ministry_org)
    adjustment.refresh_from_db()
    services.adjustment_update(
        adjustment=adjustment,
        status=Adjustment.Status.DONE,
        outcome="Zwei Termine in Kassel",
        by=koordination,
    )
    adjustment.refresh_from_db()
    assert (adjustment.status, adjustment.outcome) == ("done", "Zwei Termine in Kassel")
    # unchanged content passes, a changed one is refused
    services.adjustment_update(
        adjustment=adjustment,
        status=Adjustment.Status.DONE,
        outcome="Zwei Termine in Kassel",
        by=koordination,
        what=adjustment.what,
    )
    with pytest.raises(EvaluationInvalid, match="gesperrt"):
        services.adjustment_update(
            adjustment=adjustment,
            status=Adjustment.Status.DONE,
            outcome="",
            by=koordination,
            due_on=datetime.date(2027, 1, 1),
        )
    adjustment.refresh_from_db()
    assert adjustment.due_on == datetime.date(2026, 3, 31)
    assert adjustment.outcome == "Zwei Termine in Kassel"


def test_it_changes_an_adjustment_while_not_agreed(
    draft: Evaluation, partner_org: Organisation, ministry_org: Organisation, koordination: User
) -> None:
    adjustment = make_adjustment(draft, partner_org)
    services.adjustment_update(
        adjustment=adjustment,
        status=Adjustment.Status.IN_PROGRESS,
        outcome="",
        by=koordination,
        goal=None,
        what="Fachtag in Kassel",
        responsible=ministry_org,
        responsible_person="Referat II",
        due_on=datetime.date(2026, 9, 30),
    )
    adjustment.refresh_from_db()
    assert adjustment.goal is None
    assert (adjustment.what, adjustment.responsible, adjustment.responsible_person) == (
        "Fachtag in Kassel",
        ministry_org,
        "Referat II",
    )
    assert adjustment.status == Adjustment.Status.IN_PROGRESS


def test_it_refuses_an_unknown_status_or_foreign_owner(
    draft: Evaluation, partner_org: Organisation, other_org: Organisation, koordination: User
) -> None:
    adjustment = make_adjustment(draft, partner_org)
    with pytest.raises(EvaluationInvalid, match="Unbekannter Stand"):
        services.adjustment_update(adjustment=adjustment, status="late", outcome="", by=None)
    with pytest.raises(EvaluationInvalid, match="Partner der Vereinbarung"):
        services.adjustment_update(
            adjustment=adjustment,
            status=Adjustment.Status.OPEN,
            outcome="",
            by=koordination,
            responsible=other_org,
        )
    adjustment.refresh_from_db()
    assert adjustment.responsible == partner_org


# --- selectors ----------------------------------------------------------------------


def test_it_finds_last_times_adjustments_and_older_open_ones(
    evaluating: Agreement, koordination: User, partner_org: Organisation
) -> None:
    e2023, e2024, e2025 = (
        services.evaluation_create(agreement=evaluating, period=calendar_year(y), by=koordination)
        for y in (2023, 2024, 2025)
    )
    still_open = make_adjustment(e2023, partner_org, what="alt und offen")
    closed = make_adjustment(e2023, partner_org, what="alt und erledigt")
    services.adjustment_update(
        adjustment=closed, status=Adjustment.Status.DONE, outcome="", by=koordination
    )
    last = make_adjustment(e2024, partner_org, what="letztes Mal")

    assert selectors.previous_evaluation(e2025) == e2024
    assert selectors.previous_evaluation(e2023) is None
    previous = selectors.previous_evaluation
    assert selectors.adjustments_from_last_time(e2025, previous=previous(e2025)) == [
        last,
        still_open,
    ]
    assert selectors.adjustments_from_last_time(e2023, previous=previous(e2023)) == []


def test_it_reads_the_evaluation_behind_a_period_key(draft: Evaluation) -> None:
    agreement = draft.agreement
    assert selectors.evaluation_for(agreement=agreement, period_key="2025") == draft
    assert selectors.evaluation_for(agreement=agreement, period_key="2024") is None
    assert selectors.evaluation_for(agreement=agreement, period_key="kaputt") is None
    assert list(selectors.evaluations_of(agreement)) == [draft]


def test_it_protects_small_counts_of_people_outside_the_documenting_side() -> None:
    from buendnis.evaluation.engine import IndicatorValue
    from buendnis.evaluation.report.protect import protect_indicator

    def of(row: dict, exact: bool) -> selectors.Row:
        shown = dict(row)
        if not exact:
            protect_indicator(shown, 5)
        return selectors.Row.of(row, shown)

    value = IndicatorValue(
        code="Z3.2",
        name="Qualifizierte Multiplikator*innen",
        unit="Personen",
        level=2,
        level_label="2 – Zielgruppen werden erreicht",
        goal_code="Z3",
        source=Indicator.Source.REACH,
        target=Decimal(120),
        actual=Decimal(3),
        previous=Decimal(1234),
        status="behind",
        rate=False,
        note="",
        detail={},
    )
    ministry = of(value.as_dict(), exact=False)
    assert (ministry.actual, ministry.previous, ministry.target) == ("< 5", "1.234", "120")
    assert ministry.status_label == "im Rückstand"
    assert of(value.as_dict(), exact=True).actual == "3"
    share = {**value.__dict__, "source": "feedback", "rate": True, "actual": Decimal("71.25")}
    rate = of(
        IndicatorValue(**{**share, "detail": {"agree": 57, "total": 80}}).as_dict(), exact=False
    )
    assert rate.actual == "71,25"
    small = IndicatorValue(**{**share, "actual": Decimal("60"), "detail": {"agree": 3, "total": 5}})
    assert of(small.as_dict(), exact=False).actual == "•"
    assert of(small.as_dict(), exact=True).actual == "60"
    missing = of(IndicatorValue(**{**value.__dict__, "actual": None}).as_dict(), exact=False)
    assert missing.actual == "–"

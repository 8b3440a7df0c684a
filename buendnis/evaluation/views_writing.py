"""Pages where the partners write the evaluation: reflection, comments, meeting, adjustments."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from buendnis.accounts.policy import Action, requires
from buendnis.agreements.models import Goal, Indicator
from buendnis.evaluation import selectors, services
from buendnis.evaluation.forms import (
    AdjustmentEditForm,
    AdjustmentForm,
    AdjustmentStatusForm,
    CommentForm,
    ManualValueForm,
    MeetingForm,
    ReflectionForm,
    adjustment_initial,
)
from buendnis.evaluation.manual import manual_value_set
from buendnis.evaluation.models import Adjustment, Evaluation, GoalReflection, ManualValue
from buendnis.evaluation.views_common import (
    agreement_for_user,
    edit_page,
    evaluation_for_user,
    refuse_if_locked,
    to_detail,
)


def _goal(evaluation: Evaluation, code: str) -> Goal:
    return get_object_or_404(Goal, agreement=evaluation.agreement, code=code)


# a reflection not written yet starts at version 1 when it is first stored
def _reflection_initial(reflection: GoalReflection | None) -> dict[str, Any]:
    if reflection is None:
        return {"version": 1}
    names = ("version", "worked", "not_worked", "reasons")
    return {name: getattr(reflection, name) for name in names}


def _comment_initial(reflection: GoalReflection | None) -> dict[str, Any]:
    if reflection is None:
        return {"version": 1, "comment": ""}
    return {"version": reflection.comment_version, "comment": reflection.ministry_comment}


def _meeting_initial(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "version": evaluation.meeting_version,
        "meeting_on": evaluation.meeting_on,
        "participants": evaluation.meeting_participants,
    }


@requires(Action.EVALUATION_WRITE)
def reflection_edit(request: HttpRequest, slug: str, period: str, goal: str) -> HttpResponse:
    evaluation = evaluation_for_user(request, slug, period, Action.EVALUATION_WRITE)
    goal_obj = _goal(evaluation, goal)
    if refused := refuse_if_locked(request, evaluation):
        return refused
    current = evaluation.reflections.filter(goal=goal_obj).first()
    form = ReflectionForm(request.POST or None, initial=_reflection_initial(current))
    return edit_page(
        request,
        evaluation,
        form,
        lambda data: services.reflection_save(
            evaluation=evaluation,
            goal=goal_obj,
            by=request.user,
            expected_version=form.expected_version(),
            **data,
        ),
        stored=_reflection_initial,
        what=_("diese Reflexion"),
        success=_("Die Reflexion ist gespeichert."),
        title=_("Reflexion zu %(goal)s") % {"goal": f"{goal_obj.code} {goal_obj.title}"},
        submit=_("Reflexion speichern"),
    )


@requires(Action.EVALUATION_COMMENT)
def ministry_comment_edit(request: HttpRequest, slug: str, period: str, goal: str) -> HttpResponse:
    evaluation = evaluation_for_user(request, slug, period, Action.EVALUATION_COMMENT)
    goal_obj = _goal(evaluation, goal)
    if refused := refuse_if_locked(request, evaluation):
        return refused
    current = evaluation.reflections.filter(goal=goal_obj).first()
    form = CommentForm(request.POST or None, initial=_comment_initial(current))
    return edit_page(
        request,
        evaluation,
        form,
        lambda data: services.ministry_comment_save(
            evaluation=evaluation,
            goal=goal_obj,
            by=request.user,
            expected_version=form.expected_version(),
            **data,
        ),
        stored=_comment_initial,
        what=_("diesen Kommentar"),
        success=_("Der Kommentar ist gespeichert."),
        title=_("Kommentar zu %(goal)s") % {"goal": f"{goal_obj.code} {goal_obj.title}"},
        submit=_("Kommentar speichern"),
    )


@requires(Action.EVALUATION_WRITE)
def meeting_edit(request: HttpRequest, slug: str, period: str) -> HttpResponse:
    evaluation = evaluation_for_user(request, slug, period, Action.EVALUATION_WRITE)
    if refused := refuse_if_locked(request, evaluation):
        return refused
    form = MeetingForm(request.POST or None, initial=_meeting_initial(evaluation))
    return edit_page(
        request,
        evaluation,
        form,
        lambda data: services.meeting_save(
            evaluation=evaluation, expected_version=form.expected_version(), **data
        ),
        stored=_meeting_initial,
        what=_("das Auswertungsgespräch"),
        success=_("Das Auswertungsgespräch ist gespeichert."),
        title=_("Auswertungsgespräch"),
        submit=_("Gespräch speichern"),
    )


@requires(Action.EVALUATION_WRITE)
def adjustment_create(request: HttpRequest, slug: str, period: str) -> HttpResponse:
    evaluation = evaluation_for_user(request, slug, period, Action.EVALUATION_WRITE)
    if refused := refuse_if_locked(request, evaluation):
        return refused
    goal = Goal.objects.filter(agreement=evaluation.agreement, code=request.GET.get("ziel")).first()
    form = AdjustmentForm(
        request.POST or None, agreement=evaluation.agreement, initial={"goal": goal}
    )
    return edit_page(
        request,
        evaluation,
        form,
        lambda data: services.adjustment_create(evaluation=evaluation, **data),
        success=_("Die Anpassung ist gespeichert."),
        title=_("Anpassung vereinbaren"),
        submit=_("Anpassung speichern"),
    )


def _back(request: HttpRequest, fallback: Evaluation) -> HttpResponse:
    """Back to the page the form was on (same site only), else to the evaluation."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return to_detail(fallback)


@requires(Action.EVALUATION_WRITE)
def adjustment_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    agreement = agreement_for_user(request, slug, Action.EVALUATION_WRITE)
    adjustment = get_object_or_404(
        Adjustment.objects.select_related("evaluation", "responsible", "goal"),
        pk=pk,
        evaluation__agreement=agreement,
    )
    evaluation = adjustment.evaluation
    evaluation.agreement = agreement
    # the whole adjustment while not agreed; afterwards (and from the next year's page) its
    # status and outcome only
    whole = selectors.editable(evaluation) and "only_status" not in request.POST
    options = {"prefix": f"adj{adjustment.pk}", "initial": adjustment_initial(adjustment)}
    if whole:
        form = AdjustmentEditForm(request.POST or None, agreement=agreement, **options)
    else:
        form = AdjustmentStatusForm(request.POST or None, **options)
    return edit_page(
        request,
        evaluation,
        form,
        lambda data: services.adjustment_update(
            adjustment=adjustment,
            by=request.user,
            expected_version=form.expected_version(),
            **data,
        ),
        stored=adjustment_initial,
        what=_("diese Anpassung"),
        success=_("Die Anpassung ist gespeichert."),
        done=lambda: _back(request, evaluation),
        title=_("Anpassung bearbeiten"),
        submit=_("Anpassung speichern"),
        intro="" if whole else adjustment.what,
    )


@requires(Action.EVALUATION_PREPARE)
def manual_value_edit(request: HttpRequest, slug: str, period: str, code: str) -> HttpResponse:
    evaluation = evaluation_for_user(request, slug, period, Action.EVALUATION_PREPARE)
    indicator = get_object_or_404(
        Indicator, agreement=evaluation.agreement, code=code, source=Indicator.Source.MANUAL
    )
    if evaluation.status != Evaluation.Status.DRAFT:
        # in review the figures are frozen: a new value would not reach the snapshot
        messages.error(
            request,
            _("Manuelle Werte lassen sich nur im Entwurf ändern; die Zahlen sind eingefroren."),
        )
        return to_detail(evaluation)
    current = ManualValue.objects.filter(
        indicator=indicator, starts_on=evaluation.starts_on, ends_on=evaluation.ends_on
    ).first()
    initial = {"value": current.value, "source_note": current.source_note} if current else {}
    return edit_page(
        request,
        evaluation,
        ManualValueForm(request.POST or None, initial=initial),
        lambda data: manual_value_set(
            indicator=indicator, period=evaluation.period, by=request.user, **data
        ),
        success=_("Der Wert ist gespeichert."),
        title=_("Wert für %(indicator)s") % {"indicator": f"{indicator.code} {indicator.name}"},
        submit=_("Wert speichern"),
        intro=indicator.description,
    )

"""Pages of the annual evaluation (§ 8): list, detail and every step of its workflow."""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buendnis.accounts.policy import Action, can, organisation_ids, requires
from buendnis.agreements.models import Agreement
from buendnis.core.fragments import FRAGMENT_SECONDS, digest
from buendnis.evaluation import locks, selectors, services
from buendnis.evaluation.forms import (
    AdjustmentStatusForm,
    PeriodForm,
    ReopenForm,
    ReturnForm,
    adjustment_initial,
)
from buendnis.evaluation.models import Evaluation
from buendnis.evaluation.report.context import snapped_text
from buendnis.evaluation.report.protect import Scope
from buendnis.evaluation.services import EvaluationInvalid
from buendnis.evaluation.views_common import (
    SPEAKING_ROLES,
    agreement_for_user,
    edit_page,
    evaluation_for_user,
    to_detail,
)


def _list_page(request: HttpRequest, agreement: Agreement, form: PeriodForm | None) -> HttpResponse:
    context = {
        "agreement": agreement,
        "evaluations": selectors.evaluations_of(agreement),
        "form": form,
    }
    return render(request, "evaluation/evaluation_list.html", context)


@requires(Action.EVALUATION_VIEW)
def evaluation_list(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = agreement_for_user(request, slug, Action.EVALUATION_VIEW)
    may_prepare = can(request.user, Action.EVALUATION_PREPARE, agreement)
    return _list_page(request, agreement, PeriodForm(agreement=agreement) if may_prepare else None)


@require_POST
@requires(Action.EVALUATION_PREPARE)
def evaluation_create(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = agreement_for_user(request, slug, Action.EVALUATION_PREPARE)
    form = PeriodForm(request.POST, agreement=agreement)
    if form.is_valid():
        try:
            evaluation = services.evaluation_create(
                agreement=agreement, period=form.cleaned_data["period"], by=request.user
            )
        except EvaluationInvalid as invalid:
            form.add_error(None, invalid.message)
        else:
            messages.success(request, _("Die Auswertung ist als Entwurf angelegt."))
            return to_detail(evaluation)
    return _list_page(request, agreement, form)


def _permissions(request: HttpRequest, evaluation: Evaluation) -> dict[str, Any]:
    agreement, user = evaluation.agreement, request.user
    status = evaluation.status
    may = {
        "prepare": can(user, Action.EVALUATION_PREPARE, agreement),
        "write": can(user, Action.EVALUATION_WRITE, agreement),
        "comment": can(user, Action.EVALUATION_COMMENT, agreement),
        "return": can(user, Action.EVALUATION_RETURN, agreement),
        "reopen": can(user, Action.EVALUATION_REOPEN, agreement),
        "report": can(user, Action.REPORT_VIEW, agreement),
        "internal": can(user, Action.REPORT_INTERNAL, agreement),
    }
    may["edit"] = status != Evaluation.Status.AGREED
    may["freeze"] = may["prepare"] and status == Evaluation.Status.DRAFT
    may["send_back"] = may["return"] and status == Evaluation.Status.REVIEW
    may["manual"] = may["prepare"] and status == Evaluation.Status.DRAFT
    return may


def _approvable(request: HttpRequest, detail: selectors.EvaluationDetail) -> list:
    """The user's own partner organisations that have not confirmed yet."""
    evaluation = detail.evaluation
    if evaluation.status != Evaluation.Status.REVIEW:
        return []
    if not can(request.user, Action.EVALUATION_APPROVE, evaluation.agreement):
        return []
    own = organisation_ids(request.user, *SPEAKING_ROLES)
    return [o for o in detail.pending if o.pk in own]


@requires(Action.EVALUATION_VIEW)
def evaluation_detail(request: HttpRequest, slug: str, period: str) -> HttpResponse:
    evaluation = evaluation_for_user(request, slug, period, Action.EVALUATION_VIEW)
    selectors.with_partners(evaluation.agreement)  # for the rules and the approvals alike
    exact = can(request.user, Action.REPORT_INTERNAL, evaluation.agreement)
    detail = selectors.evaluation_detail(evaluation=evaluation, exact=exact)
    may = _permissions(request, evaluation)
    status_forms = {
        a.pk: AdjustmentStatusForm(prefix=f"adj{a.pk}", initial=adjustment_initial(a))
        for a in detail.last_time
    }
    context = {
        "evaluation": evaluation,
        "agreement": evaluation.agreement,
        "detail": detail,
        "may": may,
        "approvable": _approvable(request, detail),
        "reopening": locks.open_reopening(evaluation) if evaluation.status == "agreed" else None,
        "return_form": ReturnForm(prefix="return") if may["send_back"] else None,
        "last_time": [(a, status_forms[a.pk]) for a in detail.last_time],
        "snapped": "" if exact else _snapped(evaluation),
        # the indicator tables are rendered once per set of values shown (``core.fragments``)
        "rows_key": digest(detail.rows),
        "fragment_seconds": FRAGMENT_SECONDS,
    }
    return render(request, "evaluation/evaluation_detail.html", context)


def _snapped(evaluation: Evaluation) -> str:
    """The note for protected viewers when the period is published as whole months."""
    scope = Scope(evaluation.agreement, evaluation.period.start, evaluation.period.end)
    if not scope.snapped:
        return ""
    (first_year, first_month), (last_year, last_month) = scope.months[0], scope.months[-1]
    return snapped_text(
        datetime.date(first_year, first_month, 1), datetime.date(last_year, last_month, 1)
    )


@require_POST
@requires(Action.EVALUATION_PREPARE)
def evaluation_freeze(request: HttpRequest, slug: str, period: str) -> HttpResponse:
    evaluation = evaluation_for_user(request, slug, period, Action.EVALUATION_PREPARE)
    try:
        services.evaluation_freeze(evaluation=evaluation, by=request.user)
    except EvaluationInvalid as invalid:
        messages.error(request, invalid.message)
    else:
        messages.success(request, _("Die Zahlen sind eingefroren; die Auswertung ist in Prüfung."))
    return to_detail(evaluation)


@requires(Action.EVALUATION_RETURN)
def evaluation_return(request: HttpRequest, slug: str, period: str) -> HttpResponse:
    evaluation = evaluation_for_user(request, slug, period, Action.EVALUATION_RETURN)
    return edit_page(
        request,
        evaluation,
        ReturnForm(request.POST or None, prefix="return"),
        lambda data: services.evaluation_return(evaluation=evaluation, by=request.user, **data),
        success=_("Die Auswertung ist zur Überarbeitung zurückgegeben."),
        title=_("Zur Überarbeitung zurückgeben"),
        submit=_("Zur Überarbeitung zurückgeben"),
        intro=_("Die eingefrorenen Zahlen und alle Zustimmungen werden verworfen."),
    )


@require_POST
@requires(Action.EVALUATION_APPROVE)
def evaluation_approve(request: HttpRequest, slug: str, period: str) -> HttpResponse:
    evaluation = evaluation_for_user(request, slug, period, Action.EVALUATION_APPROVE)
    chosen = request.POST.get("organisation", "")
    partner = (
        evaluation.agreement.partners.filter(organisation_id=int(chosen))
        .select_related("organisation")
        .first()
        if chosen.isdigit()
        else None
    )
    if partner is None or partner.organisation_id not in organisation_ids(
        request.user, *SPEAKING_ROLES
    ):
        raise PermissionDenied
    organisation = partner.organisation
    try:
        services.evaluation_approve(
            evaluation=evaluation, organisation=organisation, by=request.user
        )
    except EvaluationInvalid as invalid:
        messages.error(request, invalid.message)
    else:
        if evaluation.status == Evaluation.Status.AGREED:
            messages.success(
                request, _("Alle Partner haben zugestimmt: Die Auswertung ist vereinbart.")
            )
        else:
            messages.success(
                request,
                _("Die Zustimmung für %(name)s ist gespeichert.")
                % {"name": organisation.display_name},
            )
    return to_detail(evaluation)


@requires(Action.EVALUATION_REOPEN)
def evaluation_reopen(request: HttpRequest, slug: str, period: str) -> HttpResponse:
    evaluation = evaluation_for_user(request, slug, period, Action.EVALUATION_REOPEN)
    return edit_page(
        request,
        evaluation,
        ReopenForm(request.POST or None),
        lambda data: locks.evaluation_reopen(evaluation=evaluation, by=request.user, **data),
        success=_("Der Zeitraum ist zur Änderung geöffnet."),
        title=_("Zeitraum zur Änderung öffnen"),
        submit=_("Zeitraum öffnen"),
        intro=_(
            "Die Aktivitäten des Zeitraums lassen sich dann wieder ändern. Die Begründung wird "
            "im Verlauf festgehalten."
        ),
    )


@require_POST
@requires(Action.EVALUATION_REOPEN)
def evaluation_relock(request: HttpRequest, slug: str, period: str) -> HttpResponse:
    evaluation = evaluation_for_user(request, slug, period, Action.EVALUATION_REOPEN)
    try:
        locks.evaluation_relock(evaluation=evaluation, by=request.user)
    except locks.LockError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Der Zeitraum ist wieder gesperrt."))
    return to_detail(evaluation)

"""What the evaluation's pages share: loading through the policy, redirects, the form page."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from buendnis.accounts.models import Membership
from buendnis.accounts.policy import Action, can
from buendnis.agreements.models import Agreement
from buendnis.core.conflict import conflict_response
from buendnis.core.locking import EditConflict
from buendnis.evaluation import locks, selectors
from buendnis.evaluation.manual import ManualValueInvalid
from buendnis.evaluation.models import Evaluation
from buendnis.evaluation.services import EvaluationInvalid

SPEAKING_ROLES = (Membership.Role.KOORDINATION, Membership.Role.MINISTERIUM)
# what the services say when they refuse; shown to the user as it is (German)
REFUSALS = (EvaluationInvalid, ManualValueInvalid, locks.LockError)


def agreement_for_user(request: HttpRequest, slug: str, action: Action) -> Agreement:
    """404 when the user may not see the agreement; 403 when they see it but may not act."""
    agreement = get_object_or_404(Agreement, slug=slug)
    if not can(request.user, Action.EVALUATION_VIEW, agreement):
        raise Http404
    if action is not Action.EVALUATION_VIEW and not can(request.user, action, agreement):
        raise PermissionDenied
    return agreement


def evaluation_for_user(request: HttpRequest, slug: str, period: str, action: Action) -> Evaluation:
    agreement = agreement_for_user(request, slug, action)
    evaluation = selectors.evaluation_for(agreement=agreement, period_key=period)
    if evaluation is None:
        raise Http404
    evaluation.agreement = agreement
    return evaluation


def to_detail(evaluation: Evaluation) -> HttpResponse:
    return redirect(
        "evaluation:detail", slug=evaluation.agreement.slug, period=evaluation.period.key
    )


def refuse_if_locked(request: HttpRequest, evaluation: Evaluation) -> HttpResponse | None:
    """Forms that change the content are closed once the evaluation is agreed."""
    if selectors.editable(evaluation):
        return None
    messages.error(request, _("Die Auswertung ist vereinbart und gesperrt."))
    return to_detail(evaluation)


def form_page(
    request: HttpRequest, evaluation: Evaluation, form: Form, **extra: Any
) -> HttpResponse:
    context = {"evaluation": evaluation, "agreement": evaluation.agreement, "form": form, **extra}
    return render(request, "evaluation/evaluation_form.html", context)


def edit_page(
    request: HttpRequest,
    evaluation: Evaluation,
    form: Form,
    save: Callable[[dict[str, Any]], object],
    *,
    success: str,
    done: Callable[[], HttpResponse] | None = None,
    stored: Callable[[Any], dict[str, Any]] | None = None,
    what: str = "",
    **page: Any,
) -> HttpResponse:
    """Post/redirect/get: a valid form goes to the service; its refusal becomes a form error.

    The service gets the cleaned data without ``version``; a stale edit (``EditConflict``)
    is answered with the shared 409 page, ``stored`` giving the stored record's form values.
    """
    if request.method == "POST" and form.is_valid():
        try:
            save({k: v for k, v in form.cleaned_data.items() if k != "version"})
        except EditConflict as conflict:
            if stored is None:
                raise
            return conflict_response(
                request,
                mine=form,
                stored=stored(conflict.current),
                version=conflict.current_version,
                what=what,
                back=reverse(
                    "evaluation:detail",
                    kwargs={"slug": evaluation.agreement.slug, "period": evaluation.period.key},
                ),
            )
        except REFUSALS as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, success)
            return done() if done else to_detail(evaluation)
    return form_page(request, evaluation, form, **page)

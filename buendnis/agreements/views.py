"""Pages for agreements: the list, the agreement itself, and its § 7 procedure."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buendnis.accounts.models import Membership
from buendnis.accounts.policy import Action, can, organisation_ids, requires
from buendnis.activities.selectors import agreement_figures
from buendnis.agreements import selectors, services
from buendnis.agreements.models import Agreement, DocumentationProcedure
from buendnis.agreements.procedure_forms import ProcedureForm, category_choices, initial_from
from buendnis.core.fragments import FRAGMENT_SECONDS, digest
from buendnis.evaluation.due import next_evaluation_due
from buendnis.evaluation.live_cache import indicator_data_version
from buendnis.evaluation.selectors import indicator_rows_this_year


def _get_agreement_for_user(request: HttpRequest, slug: str) -> Agreement:
    """Return the agreement if the user may see it; 404 otherwise (existence stays hidden)."""
    agreement = get_object_or_404(Agreement, slug=slug)
    if not can(request.user, Action.AGREEMENT_VIEW, agreement):
        raise Http404
    return agreement


@requires(Action.AGREEMENT_LIST)
def agreement_list(request: HttpRequest) -> HttpResponse:
    agreements = selectors.agreement_list(user=request.user)
    context = {
        "agreements": agreements,
        "may_import": can(request.user, Action.AGREEMENT_IMPORT),
    }
    return render(request, "agreements/agreement_list.html", context)


@requires(Action.AGREEMENT_VIEW)
def agreement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = selectors.agreement_detail(agreement=_get_agreement_for_user(request, slug))
    today = timezone.localdate()
    exact = can(request.user, Action.REPORT_INTERNAL, agreement)
    # the stamps, read once for the figures and the indicators
    version = indicator_data_version(agreement=agreement, today=today)
    rows = indicator_rows_this_year(
        agreement=agreement, exact=exact, today=today, data_version=version
    )
    for goal in agreement.goals.all():
        for indicator in goal.indicators.all():
            indicator.this_year = rows.get(indicator.code)
    for indicator in agreement.duty_indicators:
        indicator.this_year = rows.get(indicator.code)
    procedure = selectors.procedure_state(agreement=agreement)
    in_effect = procedure.effective
    # the sections that show only the structure (and the place and date of signing) are
    # rendered once per version of it, the goals once per version and values shown
    structure_key = digest(agreement.structure_version, agreement.place, agreement.signed_on)
    context = {
        "structure_key": structure_key,
        "goals_key": digest(structure_key, today.year, sorted(rows.items())),
        "fragment_seconds": FRAGMENT_SECONDS,
        "agreement": agreement,
        "indicator_year": today.year,
        "procedure": procedure,
        "evaluation_due": next_evaluation_due(agreement=agreement),
        "today": timezone.localdate(),
        "suppression_threshold": settings.SUPPRESSION_THRESHOLD,
        "figures": agreement_figures(
            agreement=agreement,
            year=today.year,
            user=request.user,
            version=version.activities,
            deadline_days=in_effect.deadline_days if in_effect else None,
        ),
        "may_edit": can(request.user, Action.AGREEMENT_EDIT, agreement),
        "versions": agreement.text_versions.select_related("created_by"),
    }
    return render(request, "agreements/agreement_detail.html", context)


@requires(Action.PROCEDURE_VIEW)
def procedure_history(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = selectors.agreement_detail(agreement=_get_agreement_for_user(request, slug))
    state = selectors.procedure_state(agreement=agreement)
    may_approve = (
        state.procedure is not None
        and can(request.user, Action.PROCEDURE_APPROVE, state.procedure)
        and selectors.procedure_pending_for(
            procedure=state.procedure,
            organisation_ids=organisation_ids(
                request.user, Membership.Role.KOORDINATION, Membership.Role.MINISTERIUM
            ),
        )
    )
    labels = dict(category_choices(agreement))
    for version in agreement.procedures.all():
        version.category_labels = [labels.get(key, key) for key in version.categories]
    context = {
        "agreement": agreement,
        "procedure": state,
        "may_approve": may_approve,
        "may_propose": can(request.user, Action.PROCEDURE_PROPOSE, agreement),
    }
    return render(request, "agreements/procedure_history.html", context)


@requires(Action.PROCEDURE_PROPOSE)
def procedure_propose(request: HttpRequest, slug: str) -> HttpResponse:
    """Propose a new version of the § 7 procedure; it applies once every partner agreed."""
    agreement = _get_agreement_for_user(request, slug)
    if not can(request.user, Action.PROCEDURE_PROPOSE, agreement):
        raise Http404
    initial = initial_from(selectors.effective_procedure(agreement=agreement))
    form = ProcedureForm(request.POST or None, agreement=agreement, initial=initial)
    if request.method == "POST" and form.is_valid():
        own = organisation_ids(
            request.user, Membership.Role.KOORDINATION, Membership.Role.MINISTERIUM
        )
        version = services.procedure_propose(
            agreement=agreement,
            deadline_days=form.cleaned_data["deadline_days"],
            required_fields=form.cleaned_data["required_fields"],
            categories=form.cleaned_data["categories"],
            note=form.cleaned_data["note"],
            by=request.user,
            organisations=[
                p.organisation for p in agreement.partners.filter(organisation_id__in=own)
            ],
            on=timezone.localdate(),
        )
        messages.success(
            request,
            _(
                "Version %(version)s ist vorgeschlagen; sie gilt, sobald alle Partner "
                "zugestimmt haben."
            )
            % {"version": version.version},
        )
        return redirect("agreements:procedure_history", slug=agreement.slug)
    return render(request, "agreements/procedure_form.html", {"agreement": agreement, "form": form})


@require_POST
@requires(Action.PROCEDURE_APPROVE)
def procedure_approve_view(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    agreement = _get_agreement_for_user(request, slug)
    procedure = get_object_or_404(DocumentationProcedure, agreement=agreement, version=version)
    if not can(request.user, Action.PROCEDURE_APPROVE, procedure):
        raise Http404
    own = organisation_ids(request.user, Membership.Role.KOORDINATION, Membership.Role.MINISTERIUM)
    for partner in agreement.partners.filter(organisation_id__in=own):
        services.procedure_approve(
            procedure=procedure,
            organisation=partner.organisation,
            agreed_on=timezone.localdate(),
            agreed_by=request.user,
        )
    messages.success(request, _("Ihre Zustimmung zum Verfahren ist gespeichert."))
    return redirect("agreements:procedure_history", slug=agreement.slug)

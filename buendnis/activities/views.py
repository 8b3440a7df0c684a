"""Pages for § 7 documentation: the list, fast entry, series, review, the network register."""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from buendnis.accounts.models import Membership, Organisation
from buendnis.accounts.policy import (
    Action,
    can,
    load_visible_agreements,
    organisation_ids,
    requires,
)
from buendnis.activities import selectors, services
from buendnis.activities.filters import ActivityFilterForm
from buendnis.activities.forms import ActivityForm, initial_from_activity
from buendnis.activities.models import Activity, Format, Kreis
from buendnis.agreements.models import Agreement
from buendnis.agreements.selectors import effective_procedure
from buendnis.core.conflict import conflict_response
from buendnis.core.forms import KernForm
from buendnis.core.fragments import FRAGMENT_SECONDS, digest
from buendnis.core.locking import EditConflict
from buendnis.evaluation import locks
from buendnis.evaluation.models import Evaluation

DOCUMENTING_ROLES = (Membership.Role.FACHKRAFT, Membership.Role.KOORDINATION)
DRAFT_SAVED = "activities.draft_saved"


def _get_activity_for_user(request: HttpRequest, pk: int, action: Action) -> Activity:
    """Return the activity if the policy allows the action; 404 hides it otherwise."""
    activity = get_object_or_404(
        Activity.objects.select_related(
            "agreement", "format", "kreis", "organisation", "responsible"
        ),
        pk=pk,
    )
    if not can(request.user, action, activity):
        raise Http404
    return activity


def _required_fields(agreement: Agreement) -> list[str]:
    procedure = effective_procedure(agreement=agreement)
    return list(procedure.required_fields) if procedure else []


def _form(request: HttpRequest, agreement: Agreement, **kwargs: Any) -> ActivityForm:
    return ActivityForm(
        agreement=agreement,
        organisation_ids=organisation_ids(request.user, *DOCUMENTING_ROLES),
        required_fields=_required_fields(agreement),
        **kwargs,
    )


def _draft_key(agreement: Agreement, activity: Activity | None) -> str:
    """The browser keeps unsent input under this key (see ``static/activities/draft.js``)."""
    if activity is None:
        return f"new-{agreement.slug}"
    return f"activity-{activity.pk}-v{activity.version}"


def _saved(request: HttpRequest, activity: Activity, draft_key: str) -> HttpResponse:
    """Confirm the save and let the next page tell the browser to drop its draft."""
    messages.success(request, _("Die Aktivität ist gespeichert."))
    request.session[DRAFT_SAVED] = draft_key
    return redirect("activities:detail", pk=activity.pk)


def _lock_context(request: HttpRequest, evaluation: Evaluation | None) -> dict[str, Any]:
    """§ 8: the evaluation locking the activity's period, and whether the user may reopen it."""
    if evaluation is None:
        return {"locked": None, "may_reopen": False}
    return {
        "locked": evaluation,
        "locked_message": locks.locked_message(evaluation),
        "may_reopen": can(request.user, Action.EVALUATION_REOPEN, evaluation.agreement),
    }


def _activity_lock(activity: Activity) -> Evaluation | None:
    return locks.locking_evaluation(
        agreement_id=activity.agreement_id, day=locks.activity_day(activity.starts_at)
    )


def _form_context(
    request: HttpRequest,
    form: ActivityForm,
    activity: Activity,
    locked: Evaluation | None = None,
) -> dict[str, Any]:
    return {
        "form": form,
        "agreement": activity.agreement,
        "activity": activity,
        "draft_key": _draft_key(activity.agreement, activity),
        **_lock_context(request, locked),
    }


def _apply_problems(form: ActivityForm, problems: list) -> None:
    for problem in problems:
        name = problem.field if problem.field in form.fields else None
        form.add_error(name, problem.message)


@requires(Action.ACTIVITY_LIST)
def activity_list(request: HttpRequest) -> HttpResponse:
    agreements = load_visible_agreements(request.user)
    filter_form = ActivityFilterForm(request.GET, agreements=agreements)
    filters = filter_form.to_filter()
    versions = selectors.list_versions(request.user, filters)
    activities = selectors.activity_list(user=request.user, filters=filters)
    page = selectors.activity_page(
        activities=activities,
        number=request.GET.get("page"),
        version=versions.count,
    )
    may_open: dict[int, bool] = {}  # link only what the user may open (the admin sees all)
    for row in page.object_list:
        organisation_id = row["organisation_id"]
        if organisation_id not in may_open:  # a page's rows come from one or two organisations
            may_open[organisation_id] = can(
                request.user, Action.ACTIVITY_EDIT, Activity(organisation_id=organisation_id)
            )
        row["may_open"] = may_open[organisation_id]
    query = request.GET.copy()
    query.pop("page", None)
    documentable = [a for a in agreements if can(request.user, Action.ACTIVITY_CREATE, a)]
    context = {
        "filter_form": filter_form,
        "page": page,
        # the rendered rows are cached by what they show (``core.fragments``)
        "rows_key": digest(page.object_list),
        "filter_key": filter_form.rendering_key(versions.choices),
        "fragment_seconds": FRAGMENT_SECONDS,
        "query": query.urlencode(),
        "documentable": documentable,
        "may_import": can(request.user, Action.ACTIVITY_IMPORT),
    }
    return render(request, "activities/activity_list.html", context)


@requires(Action.ACTIVITY_CREATE)
def activity_create(request: HttpRequest, agreement: str) -> HttpResponse:
    agreement_obj = get_object_or_404(Agreement, slug=agreement)
    if not can(request.user, Action.ACTIVITY_CREATE, agreement_obj):
        raise Http404
    organisation = (
        agreement_obj.partners.filter(
            organisation_id__in=organisation_ids(request.user, *DOCUMENTING_ROLES)
        )
        .first()
        .organisation
    )
    form = _form(request, agreement_obj, data=request.POST or None)
    locked = None
    if request.method == "POST" and form.is_valid():
        document = "document" in request.POST
        if document:
            form.check_required()
        if form.is_valid():
            try:
                activity = services.activity_create(
                    agreement=agreement_obj,
                    organisation=organisation,
                    data=form.to_data(),
                    status=Activity.Status.DOCUMENTED if document else Activity.Status.HELD,
                    responsible=request.user,
                )
            except services.ActivityInvalid as invalid:
                _apply_problems(form, invalid.problems)
            except locks.ActivityLocked as lock:
                locked = lock.evaluation
                form.add_error("starts_at", str(lock))
            else:
                return _saved(request, activity, _draft_key(agreement_obj, None))
    context = {
        "form": form,
        "agreement": agreement_obj,
        "activity": None,
        "draft_key": _draft_key(agreement_obj, None),
        **_lock_context(request, locked),
    }
    return render(request, "activities/activity_form.html", context)


@requires(Action.ACTIVITY_EDIT)
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity_for_user(request, pk, Action.ACTIVITY_EDIT)
    locked = _activity_lock(activity)
    context = {
        "activity": activity,
        "reach": activity.reach.select_related("category").order_by(
            "category__dimension", "category__position"
        ),
        "series": selectors.series_reach(series_id=activity.series_id)
        if activity.series_id
        else None,
        "may_review": can(request.user, Action.ACTIVITY_REVIEW, activity)
        and activity.status == Activity.Status.DOCUMENTED
        and locked is None,
        "draft_saved": request.session.pop(DRAFT_SAVED, ""),
        **_lock_context(request, locked),
    }
    return render(request, "activities/activity_detail.html", context)


@requires(Action.ACTIVITY_EDIT)
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity_for_user(request, pk, Action.ACTIVITY_EDIT)
    if request.method != "POST":
        form = _form(request, activity.agreement, initial=initial_from_activity(activity))
        return render(
            request,
            "activities/activity_form.html",
            _form_context(request, form, activity, _activity_lock(activity)),
        )
    form = _form(request, activity.agreement, data=request.POST)
    locked = None
    document = "document" in request.POST
    if form.is_valid() and document:
        form.check_required()
    if form.is_valid():
        try:
            services.activity_update(
                activity=activity,
                data=form.to_data(),
                expected_version=form.cleaned_data.get("version") or 0,
                document=document,
            )
        except EditConflict as conflict:
            return _conflict(request, form, conflict.current)
        except services.ActivityInvalid as invalid:
            _apply_problems(form, invalid.problems)
        except locks.ActivityLocked as lock:
            locked = lock.evaluation
            form.add_error(None, str(lock))
        else:
            return _saved(request, activity, _draft_key(activity.agreement, activity))
    return render(
        request,
        "activities/activity_form.html",
        _form_context(request, form, activity, locked),
        status=400,
    )


def _conflict(request: HttpRequest, mine: ActivityForm, current: Activity) -> HttpResponse:
    """The shared 409 page: both versions; "save mine" re-sends the input on the new version."""
    return conflict_response(
        request,
        mine=mine,
        stored=initial_from_activity(current),
        version=current.version,
        what=_("diese Aktivität"),
        back=reverse("activities:detail", args=[current.pk]),
        action=reverse("activities:edit", args=[current.pk]),
        drop=("document", "draft"),
    )


@requires(Action.ACTIVITY_EDIT)
def activity_next_session_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The next session as a form filled from this one; nothing is saved before the user does."""
    original = _get_activity_for_user(request, pk, Action.ACTIVITY_EDIT)
    agreement = original.agreement
    if not can(request.user, Action.ACTIVITY_CREATE, agreement):
        raise Http404
    draft_key = f"next-{original.pk}"
    locked = None
    if request.method == "POST":
        form = _form(request, agreement, data=request.POST)
        document = "document" in request.POST
        if form.is_valid() and document:
            form.check_required()
        if form.is_valid():
            try:
                session = services.activity_next_session(
                    activity=original,
                    data=form.to_data(),
                    status=Activity.Status.DOCUMENTED if document else Activity.Status.HELD,
                    responsible=request.user,
                )
            except services.ActivityInvalid as invalid:
                _apply_problems(form, invalid.problems)
            except locks.ActivityLocked as lock:
                locked = lock.evaluation
                form.add_error("starts_at", str(lock))
            else:
                return _saved(request, session, draft_key)
    else:
        form = _form(request, agreement, initial=_next_session_initial(original))
    context = {
        "form": form,
        "agreement": agreement,
        "activity": None,
        "copy_of": original,
        "draft_key": draft_key,
        **_lock_context(request, locked),
    }
    return render(
        request,
        "activities/activity_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


def _next_session_initial(original: Activity) -> dict[str, Any]:
    """This session's values for the next one: new date, no first-timers, no reflection."""
    initial = initial_from_activity(original)
    starts_at = services.next_session_start(activity=original, now=timezone.now())
    shift = starts_at - original.starts_at
    initial.update(
        version=0,
        starts_at=timezone.localtime(starts_at),
        ends_at=timezone.localtime(original.ends_at + shift),
        first_timers=0,
        reflection="",
    )
    return initial


def _posted_version(request: HttpRequest) -> int | None:
    """The version a form without a form class sent back, if it sent one."""
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


@require_POST
@requires(Action.ACTIVITY_REVIEW)
def activity_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity_for_user(request, pk, Action.ACTIVITY_REVIEW)
    try:
        services.activity_review(
            activity=activity, by=request.user, expected_version=_posted_version(request)
        )
    except EditConflict:
        messages.error(
            request,
            _(
                "Die Aktivität wurde inzwischen geändert und ist nicht als geprüft markiert. "
                "Bitte sehen Sie sie sich erneut an."
            ),
        )
    except services.ActivityInvalid as invalid:
        messages.error(request, invalid.problems[0].message)
    except locks.ActivityLocked as lock:
        messages.error(request, str(lock))
    else:
        messages.success(request, _("Die Aktivität ist als geprüft markiert."))
    return redirect("activities:detail", pk=activity.pk)


class NetworkPartnerForm(KernForm):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    sector = forms.ChoiceField(label=gettext_lazy("Bereich"), choices=Organisation.Sector.choices)
    kreis = forms.ModelChoiceField(
        label=gettext_lazy("Kreis"), queryset=Kreis.objects.all(), required=False
    )


@requires(Action.NETWORK_VIEW)
def network_partner_list(request: HttpRequest) -> HttpResponse:
    own = organisation_ids(request.user, *DOCUMENTING_ROLES)
    form = NetworkPartnerForm(request.POST or None)
    if request.method == "POST":
        if not can(request.user, Action.NETWORK_EDIT):
            raise Http404
        if form.is_valid():
            organisation = Organisation.objects.filter(pk__in=own).order_by("pk").first()
            created = services.network_partner_add(organisation=organisation, **form.cleaned_data)
            if created:
                messages.success(request, _("Der Netzwerkpartner ist eingetragen."))
            else:
                messages.info(request, _("Dieser Netzwerkpartner ist schon eingetragen."))
            return redirect("activities:network")
    partners = selectors.network_partners_with_figures(organisation_ids=own)
    return render(request, "activities/network_partners.html", {"partners": partners, "form": form})


class FormatStatusForm(KernForm):
    format = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=gettext_lazy("Neuer Status"), choices=Format.Status.choices)


@requires(Action.ACTIVITY_CREATE)
def format_list(request: HttpRequest, agreement: str) -> HttpResponse:
    """§ 4: the agreement's formats, pilots beside established ones, with their reach."""
    agreement_obj = get_object_or_404(Agreement, slug=agreement)
    if not can(request.user, Action.ACTIVITY_CREATE, agreement_obj):
        raise Http404
    may_edit = can(request.user, Action.FORMAT_EDIT, agreement_obj)
    if request.method == "POST":
        if not may_edit:
            raise Http404
        form = FormatStatusForm(request.POST)
        if form.is_valid():
            fmt = get_object_or_404(Format, agreement=agreement_obj, pk=form.cleaned_data["format"])
            unchanged = fmt.status == form.cleaned_data["status"]
            services.format_set_status(
                fmt=fmt,
                status=form.cleaned_data["status"],
                on=timezone.localdate(),
                by=request.user,
            )
            if unchanged:
                messages.info(
                    request,
                    _("„%(name)s“ hat den Status „%(status)s“ schon; nichts geändert.")
                    % {"name": fmt.name, "status": fmt.get_status_display()},
                )
            else:
                messages.success(
                    request,
                    _("„%(name)s“ hat jetzt den Status „%(status)s“.")
                    % {"name": fmt.name, "status": fmt.get_status_display()},
                )
        else:
            messages.error(request, _("Bitte einen gültigen Status wählen."))
        return redirect("activities:formats", agreement=agreement_obj.slug)
    formats = selectors.formats_with_figures(
        agreement=agreement_obj,
        organisation_ids=organisation_ids(request.user, *DOCUMENTING_ROLES),
    ).prefetch_related("status_changes")
    context = {
        "agreement": agreement_obj,
        "formats": formats,
        "may_edit": may_edit,
        "statuses": Format.Status.choices,
    }
    return render(request, "activities/format_list.html", context)

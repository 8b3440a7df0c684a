"""The results framework editor: goals, indicators and yearly targets as versioned proposals.

A coordinator edits a draft; proposing it puts it to the other partners, and it takes
effect with the last partner's agreement (``agreements.framework``). The indicator form's
preview asks the indicator engine for the value of the last whole year and of this year.
"""

import datetime
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buendnis.accounts.policy import Action, can, organisation_ids, requires
from buendnis.agreements import framework
from buendnis.agreements.models import Agreement, FrameworkVersion, Indicator
from buendnis.core.conflict import conflict_response
from buendnis.core.locking import EditConflict
from buendnis.evaluation.engine import STATUS_LABELS, IndicatorValue, indicator_value
from buendnis.evaluation.framework_forms import (
    GoalForm,
    IndicatorForm,
    indicator_initial,
    target_years,
)
from buendnis.evaluation.periods import calendar_year
from buendnis.evaluation.report.data import period_dict
from buendnis.evaluation.report.formatting import format_value
from buendnis.evaluation.report.protect import protected_indicators
from buendnis.evaluation.views_common import SPEAKING_ROLES

Status = FrameworkVersion.Status


def _agreement(request: HttpRequest, slug: str, action: Action) -> Agreement:
    """The agreement if the user may do the action on its framework; 404 otherwise."""
    agreement = get_object_or_404(Agreement, slug=slug)
    if not can(request.user, Action.FRAMEWORK_VIEW, agreement):
        raise Http404
    if not can(request.user, action, agreement):
        raise Http404
    return agreement


def _overview(agreement: Agreement) -> HttpResponse:
    return redirect("evaluation:framework", slug=agreement.slug)


def _content(agreement: Agreement) -> dict[str, Any]:
    """What the editor works on: the open draft's content, else the framework in effect."""
    version = framework.open_version(agreement=agreement)
    if version is not None and version.status == Status.DRAFT:
        return version.content
    return framework.framework_content(agreement=agreement)


def _own_partners(request: HttpRequest, agreement: Agreement) -> list[Any]:
    own = organisation_ids(request.user, *SPEAKING_ROLES)
    return [p.organisation for p in agreement.partners.filter(organisation_id__in=own)]


def _goal_rows(
    content: dict[str, Any], years: list[int], changed: dict[tuple[str, str], dict[str, Any]]
) -> list[dict[str, Any]]:
    """Goals with their indicators (targets per year) for the page; duties last, goal None."""
    levels = dict(Indicator.Level.choices)
    sources = dict(Indicator.Source.choices)

    def indicator_row(entry: dict[str, Any]) -> dict[str, Any]:
        targets = entry.get("targets", {})
        return {
            **entry,
            "level_label": levels.get(entry["level"], entry["level"]),
            "source_label": sources.get(entry["source"], entry["source"]),
            "year_targets": [format_value(targets.get(str(y))) for y in years],
            "change": changed.get(("indicator", entry["code"])),
        }

    rows = [
        {
            "goal": goal,
            "change": changed.get(("goal", goal["code"])),
            "indicators": [
                indicator_row(i) for i in content["indicators"] if i.get("goal") == goal["code"]
            ],
        }
        for goal in content["goals"]
    ]
    duties = [indicator_row(i) for i in content["indicators"] if not i.get("goal")]
    if duties:
        rows.append({"goal": None, "change": None, "indicators": duties})
    return rows


@requires(Action.FRAMEWORK_VIEW)
def framework_overview(request: HttpRequest, slug: str) -> HttpResponse:
    """The framework in effect, the change under way and every earlier version."""
    return _overview_page(request, _agreement(request, slug, Action.FRAMEWORK_VIEW))


def _overview_page(
    request: HttpRequest, agreement: Agreement, *, status: int = 200, reason: str = ""
) -> HttpResponse:
    """The overview; with 409 after a stale act, keeping the reason the user typed."""
    current = framework.framework_content(agreement=agreement)
    open_version = framework.open_version(agreement=agreement)
    pending: list[Any] = []
    if open_version is not None and open_version.status == Status.PROPOSED:
        agreed = {a.organisation_id for a in open_version.approvals.all()}
        pending = [
            p.organisation
            for p in agreement.partners.select_related("organisation")
            if p.organisation_id not in agreed
        ]
    mine = {o.pk for o in _own_partners(request, agreement)}
    shown = open_version.content if open_version is not None else current
    changed = {
        (c["kind"], c["code"]): c
        for c in (framework.changes(version=open_version) if open_version else [])
    }
    years = sorted(
        {int(y) for i in shown["indicators"] for y in i.get("targets", {})}
        | {timezone.localdate().year}
    )
    context = {
        "agreement": agreement,
        "goals": _goal_rows(shown, years, changed),
        "years": years,
        "open_version": open_version,
        "changes": framework.changes(version=open_version) if open_version else [],
        "pending": pending,
        "may_edit": can(request.user, Action.FRAMEWORK_EDIT, agreement),
        "may_approve": can(request.user, Action.FRAMEWORK_APPROVE, agreement)
        and any(o.pk in mine for o in pending),
        "may_withdraw": can(request.user, Action.FRAMEWORK_APPROVE, agreement),
        "history": agreement.framework_versions.exclude(status=Status.DRAFT).prefetch_related(
            "approvals__organisation"
        ),
        "reason": reason,
    }
    return render(request, "evaluation/framework.html", context, status=status)


def _stale(request: HttpRequest, agreement: Agreement, conflict: EditConflict) -> HttpResponse:
    """409: the framework changed since the page was shown; show it as it is now."""
    messages.error(
        request,
        _(
            "Der Wirkungsrahmen wurde inzwischen geändert. Es wurde nichts gespeichert; "
            "bitte prüfen Sie den aktuellen Stand."
        ),
    )
    agreement.framework_revision = conflict.current_version
    return _overview_page(request, agreement, status=409, reason=request.POST.get("reason", ""))


def _posted_revision(request: HttpRequest) -> int:
    """The framework revision the page was loaded with (0, always stale, when missing)."""
    posted = request.POST.get("version", "")
    return int(posted) if posted.isdigit() else 0


def _entry_conflict(
    request: HttpRequest,
    agreement: Agreement,
    form: Form,
    conflict: EditConflict,
    stored: dict[str, Any],
) -> HttpResponse:
    """The shared 409 page for a goal or indicator changed since the form was loaded."""
    return conflict_response(
        request,
        mine=form,
        stored=stored,
        version=conflict.current_version,
        what=_("den Wirkungsrahmen"),
        back=reverse("evaluation:framework", args=[agreement.slug]),
    )


def _draft(request: HttpRequest, agreement: Agreement) -> FrameworkVersion | None:
    """The draft to write to; a message and None while a proposal awaits agreement."""
    try:
        return framework.framework_draft(agreement=agreement, by=request.user)
    except framework.FrameworkRefused as refusal:
        messages.error(request, str(refusal))
        return None


@requires(Action.FRAMEWORK_EDIT)
def goal_edit(request: HttpRequest, slug: str, code: str | None = None) -> HttpResponse:
    """Add a goal to the draft, or change one."""
    agreement = _agreement(request, slug, Action.FRAMEWORK_EDIT)
    goals = _content(agreement)["goals"]
    entry = next((g for g in goals if g["code"] == code), None)
    if code is not None and entry is None:
        raise Http404
    initial = {**(entry or {"code": f"Z{len(goals) + 1}"}), "version": agreement.framework_revision}
    form = GoalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        version = _draft(request, agreement)
        if version is None:
            return _overview(agreement)
        try:
            framework.framework_put_goal(
                version=version,
                code=form.cleaned_data["code"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                original_code=code,
                expected_revision=form.expected_version(),
            )
        except EditConflict as conflict:
            goals_now = _content(agreement)["goals"]
            stored = next(
                (g for g in goals_now if g["code"] == (code or form.cleaned_data["code"])), {}
            )
            return _entry_conflict(request, agreement, form, conflict, stored)
        except framework.FrameworkRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Das Ziel steht im Entwurf."))
            return _overview(agreement)
    context = {"agreement": agreement, "form": form, "entry": entry, "kind": "goal"}
    return render(request, "evaluation/framework_form.html", context)


def preview(
    agreement: Agreement,
    data: dict[str, Any],
    today: datetime.date | None = None,
    *,
    exact: bool = True,
) -> list[tuple[str, IndicatorValue, dict[str, str]]]:
    """The indicator's value for the last whole year and this year so far, nothing saved.

    Without exact rights over every partner's records (``exact`` false) the values are the
    protected ones: an unsaved filter must not become a way round disclosure control.
    """
    today = today or timezone.localdate()
    indicator = Indicator(
        agreement=agreement,
        code=data["code"],
        name=data["name"],
        unit=data["unit"],
        level=data["level"],
        direction=data["direction"],
        source=data["source"],
        filter=data["filter"],
    )
    rows = []
    for label, period in (
        (str(today.year - 1), calendar_year(today.year - 1)),
        (_("%(year)s bis heute") % {"year": today.year}, calendar_year(today.year)),
    ):
        value = indicator_value(
            indicator=indicator,
            period=period,
            today=today,
            targets=data["targets"],
            with_previous=False,
        )
        actual: object = value.actual
        if not exact:
            [protected] = protected_indicators(
                [value.as_dict()],
                agreement=agreement,
                periods=[period_dict(period), period_dict(period.previous())],
                today=today,
            )
            actual = protected["actual"]
        shown = {
            "actual": format_value(actual),
            "target": format_value(value.target),
            "status": str(STATUS_LABELS.get(value.status, value.status)),
        }
        rows.append((label, value, shown))
    return rows


@requires(Action.FRAMEWORK_EDIT)
def indicator_edit(request: HttpRequest, slug: str, code: str | None = None) -> HttpResponse:
    """Add an indicator to the draft, or change one; "Vorschau" computes without saving."""
    agreement = _agreement(request, slug, Action.FRAMEWORK_EDIT)
    content = _content(agreement)
    entry = next((i for i in content["indicators"] if i["code"] == code), None)
    if code is not None and entry is None:
        raise Http404
    initial = indicator_initial(entry) if entry else {"goal": request.GET.get("ziel", "")}
    initial["version"] = agreement.framework_revision
    years = target_years([int(y) for y in (entry or {}).get("targets", {})])
    form = IndicatorForm(
        request.POST or None,
        agreement=agreement,
        goals=content["goals"],
        years=years,
        initial=initial,
    )
    shown_preview = None
    if request.method == "POST" and form.is_valid():
        data = form.indicator_data()
        if "preview" in request.POST:
            shown_preview = preview(
                agreement,
                {**data, "targets": form.cleaned_data["targets"]},
                exact=can(request.user, Action.REPORT_INTERNAL, agreement),
            )
        else:
            version = _draft(request, agreement)
            if version is None:
                return _overview(agreement)
            try:
                framework.framework_put_indicator(
                    version=version,
                    indicator=data,
                    original_code=code,
                    expected_revision=form.expected_version(),
                )
            except EditConflict as conflict:
                now = _content(agreement)["indicators"]
                wanted = code or data["code"]
                stored = next((i for i in now if i["code"] == wanted), None)
                stored_values = indicator_initial(stored) if stored else {}
                return _entry_conflict(request, agreement, form, conflict, stored_values)
            except framework.FrameworkRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("Der Indikator steht im Entwurf."))
                return _overview(agreement)
    context = {
        "agreement": agreement,
        "form": form,
        "entry": entry,
        "kind": "indicator",
        "preview": shown_preview,
        "target_fields": [form[f"target_{year}"] for year in years],
    }
    return render(request, "evaluation/framework_form.html", context)


def _open(agreement: Agreement, version: int, status: str) -> FrameworkVersion:
    found = framework.open_version(agreement=agreement)
    if found is None or found.version != version or found.status != status:
        raise Http404
    return found


@require_POST
@requires(Action.FRAMEWORK_EDIT)
def framework_propose(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    """Put the draft to the partners with a reason."""
    agreement = _agreement(request, slug, Action.FRAMEWORK_EDIT)
    draft = _open(agreement, version, Status.DRAFT)
    try:
        proposed = framework.framework_propose(
            version=draft,
            reason=request.POST.get("reason", ""),
            by=request.user,
            organisations=_own_partners(request, agreement),
            expected_revision=_posted_revision(request),
        )
    except EditConflict as conflict:
        return _stale(request, agreement, conflict)
    except framework.FrameworkRefused as refusal:
        messages.error(request, str(refusal))
    else:
        if proposed.status == Status.AGREED:
            messages.success(request, _("Die Änderung gilt ab sofort."))
        else:
            messages.success(
                request,
                _("Die Änderung liegt den Partnern vor; sie gilt, sobald alle zugestimmt haben."),
            )
    return _overview(agreement)


@require_POST
@requires(Action.FRAMEWORK_EDIT)
def framework_discard(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    """Throw the draft away."""
    agreement = _agreement(request, slug, Action.FRAMEWORK_EDIT)
    try:
        framework.framework_discard(
            version=_open(agreement, version, Status.DRAFT),
            expected_revision=_posted_revision(request),
        )
    except EditConflict as conflict:
        return _stale(request, agreement, conflict)
    messages.success(request, _("Der Entwurf ist verworfen; es gilt der bisherige Stand."))
    return _overview(agreement)


@require_POST
@requires(Action.FRAMEWORK_APPROVE)
def framework_approve(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    """Agree to the proposal for the user's partner organisation(s)."""
    agreement = _agreement(request, slug, Action.FRAMEWORK_APPROVE)
    proposal = _open(agreement, version, Status.PROPOSED)
    try:
        for organisation in _own_partners(request, agreement):
            proposal = framework.framework_approve(
                version=proposal,
                organisation=organisation,
                by=request.user,
                expected_revision=_posted_revision(request),
            )
    except EditConflict as conflict:
        return _stale(request, agreement, conflict)
    if proposal.status == Status.AGREED:
        messages.success(request, _("Alle Partner haben zugestimmt; die Änderung gilt ab sofort."))
    else:
        messages.success(request, _("Ihre Zustimmung ist gespeichert."))
    return _overview(agreement)


@require_POST
@requires(Action.FRAMEWORK_APPROVE)
def framework_withdraw(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    """Take the proposal back into draft (either party); agreements given lapse."""
    agreement = _agreement(request, slug, Action.FRAMEWORK_APPROVE)
    try:
        framework.framework_withdraw(
            version=_open(agreement, version, Status.PROPOSED),
            expected_revision=_posted_revision(request),
        )
    except EditConflict as conflict:
        return _stale(request, agreement, conflict)
    messages.success(request, _("Die Änderung ist zurück im Entwurf."))
    return _overview(agreement)

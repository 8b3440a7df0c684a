"""Staff pages for feedback: an activity's link, QR code, handout and results; aggregates."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from buendnis.accounts.policy import Action, can, requires
from buendnis.activities.models import Activity
from buendnis.agreements.models import Agreement
from buendnis.feedback import comparison, handout, published, results, selectors, services
from buendnis.feedback.forms import LinkSettingsForm, ResultsFilterForm
from buendnis.feedback.models import FeedbackLink


def _get_activity_for_user(request: HttpRequest, pk: int, action: Action) -> Activity:
    """Return the activity if the policy allows the action; 404 hides it otherwise."""
    activity = get_object_or_404(
        Activity.objects.select_related("agreement", "format", "organisation"), pk=pk
    )
    if not can(request.user, action, activity):
        raise Http404
    return activity


def _get_agreement_for_user(request: HttpRequest, slug: str, action: Action) -> Agreement:
    agreement = get_object_or_404(Agreement, slug=slug)
    if not can(request.user, action, agreement):
        raise Http404
    return agreement


def _link(activity: Activity) -> FeedbackLink:
    link = services.feedback_link_ensure(activity=activity)
    link.activity = activity
    return link


@requires(Action.FEEDBACK_MANAGE)
def activity_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """The short link, QR code and handout of an activity, and its per-activity settings."""
    activity = _get_activity_for_user(request, pk, Action.FEEDBACK_MANAGE)
    link = _link(activity)
    form = LinkSettingsForm(
        request.POST or None,
        agreement=activity.agreement,
        initial={
            "questionnaire": link.questionnaire_id,
            "closes_on": link.closes_on,
            "max_responses": link.max_responses,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.feedback_link_update(link=link, **form.cleaned_data)
        messages.success(request, _("Die Einstellungen für die Rückmeldung sind gespeichert."))
        return redirect("feedback:activity", pk=activity.pk)
    questionnaire = selectors.effective_questionnaire(activity, link)
    opens_at, closes_on = selectors.window(link)
    context = {
        "activity": activity,
        "link": link,
        "url": handout.public_url(request, link),
        "unreachable": handout.is_loopback(handout.public_url(request, link)),
        "questionnaire": questionnaire,
        "version": selectors.current_version(questionnaire),
        "state": selectors.link_state(link),
        "opens_at": opens_at,
        "closes_on": closes_on,
        "cap": selectors.cap(link),
        "responses": selectors.response_count(activity),
        "form": form,
    }
    return render(request, "feedback/activity_feedback.html", context)


@requires(Action.FEEDBACK_MANAGE)
def activity_qr(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    activity = _get_activity_for_user(request, pk, Action.FEEDBACK_MANAGE)
    link = _link(activity)
    url = handout.public_url(request, link)
    if fmt == "svg":
        response = HttpResponse(handout.qr_svg(url), content_type="image/svg+xml")
    elif fmt == "png":
        response = HttpResponse(handout.qr_png(url), content_type="image/png")
    else:
        raise Http404
    response["Content-Disposition"] = f'inline; filename="rueckmeldung-{link.code}.{fmt}"'
    return response


@requires(Action.FEEDBACK_MANAGE)
def activity_handout(request: HttpRequest, pk: int) -> HttpResponse:
    """The A4 handout: QR code and the invitation in every language of the questionnaire."""
    activity = _get_activity_for_user(request, pk, Action.FEEDBACK_MANAGE)
    link = _link(activity)
    version = selectors.link_version(link)
    if version is None:
        raise Http404
    pdf = handout.handout_pdf(
        activity=activity,
        version=version,
        url=handout.public_url(request, link),
        window=selectors.window(link),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="aushang-{link.code}.pdf"'
    return response


@requires(Action.FEEDBACK_RESULTS)
def activity_results(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity_for_user(request, pk, Action.FEEDBACK_RESULTS)
    responses = results.activity_responses(activity)
    context = {
        "activity": activity,
        "count": responses.count(),
        "minimum": settings.FEEDBACK_MIN_RESPONSES,
        "sections": results.sections(
            responses,
            free_text=can(request.user, Action.FEEDBACK_FREE_TEXT, activity),
        ),
    }
    return render(request, "feedback/activity_results.html", context)


@requires(Action.FEEDBACK_AGGREGATES)
def agreement_results(request: HttpRequest, slug: str) -> HttpResponse:
    """Results by year, format and goal; aggregates only, never free text."""
    agreement = _get_agreement_for_user(request, slug, Action.FEEDBACK_AGGREGATES)
    filters = ResultsFilterForm(request.GET or None, agreement=agreement)
    year, fmt, goal = filters.chosen()
    responses = results.agreement_responses(
        agreement=agreement,
        year=year,
        format_id=fmt.pk if fmt else None,
        goal_id=goal.pk if goal else None,
    )
    year_responses = results.agreement_responses(agreement=agreement, year=year)
    exact = results.exact_for(request.user, year_responses)
    context = {
        "agreement": agreement,
        "filters": filters,
        "year": year,
        "minimum": settings.FEEDBACK_MIN_RESPONSES,
        "threshold": settings.SUPPRESSION_THRESHOLD,
        "exact": exact,
        "narrowed_away": not exact and bool(fmt or goal),
    }
    if exact:
        context["sections"] = results.sections(responses, free_text=False)
        context["comparisons"] = comparison.format_comparison(responses)
        context["indicators"] = selectors.feedback_indicators(agreement=agreement, year=year)
    else:
        context["sections"] = published.sections(agreement=agreement, year=year)
        context["comparisons"] = published.format_comparison(agreement=agreement, year=year)
        context["indicators"] = published.indicator_shares(agreement=agreement, year=year)
    return render(request, "feedback/agreement_results.html", context)

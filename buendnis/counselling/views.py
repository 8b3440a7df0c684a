"""Pages for the counselling log: fast entry, own records, topics, protected statistics."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from buendnis.accounts.policy import Action, can, organisation_ids, requires, visible_agreements
from buendnis.agreements.models import Agreement
from buendnis.core.conflict import conflict_response
from buendnis.core.fragments import FRAGMENT_SECONDS, digest
from buendnis.core.locking import EditConflict
from buendnis.counselling import selectors, services
from buendnis.counselling.export import statistics_response
from buendnis.counselling.forms import (
    ContactForm,
    StatisticsFilterForm,
    TopicForm,
    initial_from_contact,
)
from buendnis.counselling.models import Contact
from buendnis.evaluation.locks import PeriodLocked

PAGE_SIZE = 50


def _agreement(request: HttpRequest, slug: str, action: Action) -> Agreement:
    agreement = get_object_or_404(Agreement, slug=slug)
    if not can(request.user, action, agreement):
        raise Http404
    return agreement


def _contact(request: HttpRequest, pk: int) -> Contact:
    """A single record, for its own organisation only; everyone else gets a 404."""
    contact = get_object_or_404(
        Contact.objects.select_related("agreement", "organisation", "counsellor", "referral"),
        pk=pk,
    )
    if not can(request.user, Action.COUNSELLING_VIEW, contact):
        raise Http404
    return contact


def _form(request: HttpRequest, agreement: Agreement, **kwargs: Any) -> ContactForm:
    return ContactForm(
        agreement=agreement,
        organisation_ids=organisation_ids(request.user, *selectors.DOCUMENTING_ROLES),
        **kwargs,
    )


def _save(form: ContactForm, save: Any) -> Contact | None:
    """Call the service; its refusals become form errors (a conflict is the caller's)."""
    try:
        return save(form.to_data())
    except services.ContactInvalid as invalid:
        for name, problems in invalid.errors.items():
            for problem in problems:
                form.add_error(name if name in form.fields else None, problem)
    except PeriodLocked as lock:
        form.add_error("date", str(lock))
    return None


@requires(Action.COUNSELLING_LOG)
def contact_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.COUNSELLING_LOG):
        raise PermissionDenied
    page = Paginator(selectors.contact_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    agreements = [
        a for a in visible_agreements(request.user) if can(request.user, Action.COUNSELLING_LOG, a)
    ]
    context = {
        "page": page,
        "agreements": agreements,
        "editable": {c.pk for c in page if can(request.user, Action.COUNSELLING_EDIT, c)},
    }
    return render(request, "counselling/contact_list.html", context)


@requires(Action.COUNSELLING_LOG)
def contact_create(request: HttpRequest, agreement: str) -> HttpResponse:
    agreement_obj = _agreement(request, agreement, Action.COUNSELLING_LOG)
    own = organisation_ids(request.user, *selectors.DOCUMENTING_ROLES)
    organisation = agreement_obj.partners.filter(organisation_id__in=own).first().organisation
    form = _form(
        request,
        agreement_obj,
        data=request.POST or None,
        initial=selectors.counsellor_defaults(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        contact = _save(
            form,
            lambda data: services.contact_create(
                data=data,
                agreement=agreement_obj,
                organisation=organisation,
                counsellor=request.user,
            ),
        )
        if contact is not None:
            messages.success(request, _("Der Beratungskontakt ist gespeichert."))
            if "next" in request.POST:
                return redirect("counselling:create", agreement=agreement_obj.slug)
            return redirect("counselling:list")
    context = {"form": form, "agreement": agreement_obj, "contact": None}
    return render(request, "counselling/contact_form.html", context)


@requires(Action.COUNSELLING_VIEW)
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact(request, pk)
    if not can(request.user, Action.COUNSELLING_EDIT, contact):
        context = {"contact": contact, "edit_days": settings.COUNSELLING_EDIT_DAYS}
        return render(request, "counselling/contact_detail.html", context)
    form = _form(
        request, contact.agreement, data=request.POST or None, initial=initial_from_contact(contact)
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save(
                form,
                lambda data: services.contact_update(
                    contact=contact, data=data, expected_version=form.expected_version()
                ),
            )
        except EditConflict as conflict:
            return conflict_response(
                request,
                mine=form,
                stored=initial_from_contact(conflict.current),
                version=conflict.current_version,
                what=_("diesen Beratungskontakt"),
                back=reverse("counselling:list"),
                skip=("topic_search",),
            )
        if saved is not None:
            messages.success(request, _("Der Beratungskontakt ist gespeichert."))
            return redirect("counselling:list")
    context = {"form": form, "agreement": contact.agreement, "contact": contact}
    return render(request, "counselling/contact_form.html", context)


@requires(Action.COUNSELLING_TOPICS)
def topic_list(request: HttpRequest, agreement: str) -> HttpResponse:
    agreement_obj = _agreement(request, agreement, Action.COUNSELLING_TOPICS)
    form = TopicForm(request.POST or None)
    if request.method == "POST":
        if "suggested" in request.POST:
            services.topics_setup(agreement=agreement_obj)
            return redirect("counselling:topics", agreement=agreement_obj.slug)
        if "toggle" in request.POST:
            # the button says which state it wants, so two clicks on one stale page agree
            # instead of switching the topic back and forth
            pk, _sep, wanted = request.POST["toggle"].partition("-")
            topic = get_object_or_404(agreement_obj.counselling_topics, pk=pk)
            active = wanted == "1" if wanted in ("0", "1") else not topic.active
            services.topic_set_active(topic=topic, active=active)
            return redirect("counselling:topics", agreement=agreement_obj.slug)
        if form.is_valid():
            try:
                services.topic_add(agreement=agreement_obj, name=form.cleaned_data["name"])
            except services.ContactInvalid as invalid:
                form.add_error("name", invalid.errors["name"])
            else:
                messages.success(request, _("Das Thema ist angelegt."))
                return redirect("counselling:topics", agreement=agreement_obj.slug)
    context = {
        "agreement": agreement_obj,
        "topics": agreement_obj.counselling_topics.all(),
        "form": form,
    }
    return render(request, "counselling/topic_list.html", context)


def _statistics(
    request: HttpRequest, agreement: Agreement
) -> tuple[selectors.CounsellingStatistics, StatisticsFilterForm]:
    years = selectors.years_with_contacts(agreement=agreement)
    data = request.GET if "year" in request.GET else None
    filter_form = StatisticsFilterForm(
        data, years=years, initial={"year": years[0], "period": "month"}
    )
    year, period = years[0], "month"
    if filter_form.is_valid():
        year, period = filter_form.cleaned_data["year"], filter_form.cleaned_data["period"]
    figures = selectors.statistics(agreement=agreement, year=year, user=request.user, period=period)
    return figures, filter_form


@requires(Action.COUNSELLING_STATISTICS)
def statistics(request: HttpRequest, agreement: str) -> HttpResponse:
    agreement_obj = _agreement(request, agreement, Action.COUNSELLING_STATISTICS)
    figures, filter_form = _statistics(request, agreement_obj)
    tables = [(t, t.rows(figures.row_labels)) for t in figures.tables]
    context = {
        "agreement": agreement_obj,
        "figures": figures,
        "tables": tables,
        # the rendered tables are cached by what they show (``core.fragments``)
        "tables_key": digest(
            figures.year,
            figures.period,
            [(t.key, t.title, t.columns, t.total_label, rows) for t, rows in tables],
        ),
        "fragment_seconds": FRAGMENT_SECONDS,
        "filter_form": filter_form,
        "query": request.GET.urlencode(),
        "may_log": can(request.user, Action.COUNSELLING_LOG, agreement_obj),
        "may_edit_topics": can(request.user, Action.COUNSELLING_TOPICS, agreement_obj),
        "suppression_threshold": settings.SUPPRESSION_THRESHOLD,
    }
    return render(request, "counselling/statistics.html", context)


@requires(Action.COUNSELLING_STATISTICS)
def statistics_export(request: HttpRequest, agreement: str, fmt: str) -> HttpResponse:
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    agreement_obj = _agreement(request, agreement, Action.COUNSELLING_STATISTICS)
    figures, _filter_form = _statistics(request, agreement_obj)
    return statistics_response(figures, fmt)

"""Staff pages: publish a planned activity (a series at once), withdraw, cancel; contact."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from buendnis.accounts.models import Organisation
from buendnis.accounts.policy import Action, can, requires
from buendnis.activities.models import Activity
from buendnis.core.conflict import conflict_response
from buendnis.core.locking import EditConflict
from buendnis.offers import selectors, services
from buendnis.offers.forms import ContactForm, OfferForm
from buendnis.offers.models import PublicContact


def _activity(request: HttpRequest, pk: int) -> Activity:
    activity = get_object_or_404(
        Activity.objects.select_related("organisation", "kreis", "format", "series"), pk=pk
    )
    if not can(request.user, Action.OFFER_PUBLISH, activity):
        raise PermissionDenied
    return activity


def _apply_problems(form: OfferForm, problems: dict[str, str]) -> None:
    for name, message in problems.items():
        form.add_error(name if name in form.fields else None, message)


@requires(Action.OFFER_PUBLISH)
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    offer = selectors.staff_offer(activity)
    sessions = selectors.series_sessions(activity)
    if request.method == "POST" and "withdraw" in request.POST:
        count = services.offer_withdraw(activity=activity)
        messages.success(request, _("%(n)d Termine sind nicht mehr öffentlich.") % {"n": count})
        return redirect("offers:publish", pk=activity.pk)
    if request.method == "POST" and "cancel" in request.POST:
        try:
            services.offer_cancel(activity=activity)
        except services.OfferInvalid as refused:
            messages.error(request, " ".join(refused.problems.values()))
        else:
            messages.success(request, _("Der Termin ist abgesagt; Kalender erfahren es."))
        return redirect("offers:publish", pk=activity.pk)
    if request.method == "POST":
        form = OfferForm(request.POST)
        if form.is_valid():
            try:
                published = services.offer_publish(
                    activity=activity,
                    data=form.offer_data(),
                    whole_series=form.cleaned_data["whole_series"],
                    expected_version=form.expected_version(),
                )
            except EditConflict as conflict:
                return conflict_response(
                    request,
                    mine=form,
                    stored=OfferForm.initial_for(conflict.current),
                    version=services.offer_version(conflict.current),
                    what=_("dieses Angebot"),
                    back=reverse("offers:publish", args=[activity.pk]),
                )
            except services.OfferInvalid as refused:
                _apply_problems(form, refused.problems)
            else:
                messages.success(
                    request, _("%(n)d Termine sind öffentlich.") % {"n": len(published)}
                )
                return redirect("offers:publish", pk=activity.pk)
    else:
        form = OfferForm(initial=OfferForm.initial_for(offer))
    context = {
        "activity": activity,
        "offer": offer,
        "form": form,
        "sessions": sessions,
        "contact": PublicContact.objects.filter(organisation=activity.organisation).first(),
        "may_edit_contact": can(request.user, Action.OFFER_CONTACT, activity.organisation),
    }
    return render(request, "offers/publish.html", context)


@requires(Action.OFFER_CONTACT)
def contact(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not can(request.user, Action.OFFER_CONTACT, organisation):
        raise PermissionDenied
    current = PublicContact.objects.filter(organisation=organisation).first()
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                services.contact_save(organisation=organisation, **form.cleaned_data)
            except services.OfferInvalid as refused:
                for name, message in refused.problems.items():
                    form.add_error(name, message)
            else:
                messages.success(request, _("Der öffentliche Kontakt ist gespeichert."))
                return redirect("offers:contact", pk=organisation.pk)
    else:
        initial = (
            {"email": current.email, "phone": current.phone, "website": current.website}
            if current
            else {}
        )
        form = ContactForm(initial=initial)
    return render(request, "offers/contact.html", {"organisation": organisation, "form": form})

"""§ 4 pages for coordinators: add a format to an agreement's catalogue, rename it."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buendnis.accounts.policy import Action, can, requires
from buendnis.activities import services
from buendnis.activities.models import Format
from buendnis.agreements.models import Agreement
from buendnis.core.conflict import conflict_response
from buendnis.core.forms import KernForm, VersionedForm
from buendnis.core.locking import EditConflict


class FormatForm(KernForm):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    description = forms.CharField(
        label=gettext_lazy("Beschreibung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Was das Format ausmacht, in ein, zwei Sätzen."),
    )


class FormatEditForm(VersionedForm, FormatForm):
    """Renaming a format: the same fields, with the version the page was loaded with."""


def _format_initial(fmt: Format) -> dict[str, object]:
    return {"version": fmt.version, "name": fmt.name, "description": fmt.description}


def _get_agreement_for_coordinator(request: HttpRequest, slug: str) -> Agreement:
    """The agreement if the user manages its formats; 404 otherwise."""
    agreement = get_object_or_404(Agreement, slug=slug)
    if not can(request.user, Action.FORMAT_EDIT, agreement):
        raise Http404
    return agreement


def _name_taken(form: FormatForm) -> None:
    form.add_error(
        "name",
        _("Diese Vereinbarung hat schon ein Format mit diesem Namen. Bitte einen anderen wählen."),
    )


@requires(Action.FORMAT_EDIT)
def format_create(request: HttpRequest, agreement: str) -> HttpResponse:
    """Add a format; it starts as a pilot (§ 4: formats are tried out)."""
    agreement_obj = _get_agreement_for_coordinator(request, agreement)
    form = FormatForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            fmt = services.format_create(
                agreement=agreement_obj,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                on=timezone.localdate(),
                by=request.user,
            )
        except services.FormatNameTaken:
            _name_taken(form)
        else:
            messages.success(
                request, _("„%(name)s“ ist angelegt und wird erprobt.") % {"name": fmt.name}
            )
            return redirect("activities:formats", agreement=agreement_obj.slug)
    context = {"agreement": agreement_obj, "form": form, "fmt": None}
    return render(request, "activities/format_form.html", context)


@requires(Action.FORMAT_EDIT)
def format_edit(request: HttpRequest, agreement: str, pk: int) -> HttpResponse:
    """Rename a format or describe it anew; its key, activities and history stay."""
    agreement_obj = _get_agreement_for_coordinator(request, agreement)
    fmt = get_object_or_404(Format, agreement=agreement_obj, pk=pk)
    form = FormatEditForm(request.POST or None, initial=_format_initial(fmt))
    if request.method == "POST" and form.is_valid():
        try:
            services.format_rename(
                fmt=fmt,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                expected_version=form.expected_version(),
            )
        except EditConflict as conflict:
            return conflict_response(
                request,
                mine=form,
                stored=_format_initial(conflict.current),
                version=conflict.current_version,
                what=_("dieses Format"),
                back=reverse("activities:formats", args=[agreement_obj.slug]),
            )
        except services.FormatNameTaken:
            _name_taken(form)
        else:
            messages.success(request, _("Das Format heißt jetzt „%(name)s“.") % {"name": fmt.name})
            return redirect("activities:formats", agreement=agreement_obj.slug)
    context = {"agreement": agreement_obj, "form": form, "fmt": fmt}
    return render(request, "activities/format_form.html", context)

"""Open data pages: the public downloads, and the ministry's switch."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from buendnis.accounts.policy import Action, can, requires, visible_agreements
from buendnis.agreements.models import Agreement
from buendnis.opendata import selectors, services
from buendnis.opendata.package import DESCRIPTOR, LICENSE, package, package_name, protection_rule
from buendnis.opendata.tables import TABLE_NAMES

FILES = (DESCRIPTOR, *(f"{name}.csv" for name in TABLE_NAMES))
CONTENT_TYPES = {".json": "application/json", ".csv": "text/csv; charset=utf-8"}


@require_GET
@requires(Action.PUBLIC)
def download_list(request: HttpRequest) -> HttpResponse:
    """Every published year of every agreement, with the package as ZIP and each file."""
    german, english = protection_rule()
    context = {
        "releases": selectors.releases(),
        "files": FILES,
        "license": LICENSE,
        "rule": english if request.LANGUAGE_CODE == "en" else german,
        "may_manage": can(request.user, Action.OPENDATA_MANAGE),
    }
    return render(request, "opendata/download_list.html", context)


def _published_agreement(slug: str, year: int) -> Agreement:
    """The agreement if the year is published; 404 otherwise (as if it did not exist)."""
    agreement = get_object_or_404(Agreement, slug=slug)
    if not selectors.is_published(agreement, year):
        raise Http404
    return agreement


@require_GET
@requires(Action.PUBLIC)
def download_zip(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    agreement = _published_agreement(slug, year)
    response = HttpResponse(package(agreement, year).zip(), content_type="application/zip")
    name = package_name(agreement, year)
    response["Content-Disposition"] = f'attachment; filename="{name}.zip"'
    return response


@require_GET
@requires(Action.PUBLIC)
def download_file(request: HttpRequest, slug: str, year: int, filename: str) -> HttpResponse:
    if filename not in FILES:
        raise Http404
    agreement = _published_agreement(slug, year)
    content = package(agreement, year).files[filename]
    suffix = filename[filename.rindex(".") :]
    response = HttpResponse(content, content_type=CONTENT_TYPES[suffix])
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _publishable(request: HttpRequest) -> list[Agreement]:
    return [
        a
        for a in visible_agreements(request.user).order_by("title")
        if can(request.user, Action.OPENDATA_PUBLISH, a)
    ]


@requires(Action.OPENDATA_MANAGE)
def manage(request: HttpRequest) -> HttpResponse:
    """The switch page: each agreement's agreed years, published or not, and who decided."""
    rows = [
        {
            "agreement": agreement,
            "all_years": selectors.all_years_on(agreement),
            "years": selectors.year_states(agreement),
            "history": selectors.decisions(agreement)[:10],
        }
        for agreement in _publishable(request)
    ]
    return render(request, "opendata/manage.html", {"rows": rows})


def _get_agreement_for_publisher(request: HttpRequest, slug: str) -> Agreement:
    agreement = get_object_or_404(Agreement, slug=slug)
    if not can(request.user, Action.OPENDATA_PUBLISH, agreement):
        raise Http404
    return agreement


@require_POST
@requires(Action.OPENDATA_PUBLISH)
def switch(request: HttpRequest, slug: str) -> HttpResponse:
    """Publish or withdraw one year, or every agreed year ("alle")."""
    agreement = _get_agreement_for_publisher(request, slug)
    raw_year, state = request.POST.get("year", ""), request.POST.get("published", "")
    if state not in {"1", "0"} or not (raw_year == "alle" or raw_year.isdigit()):
        messages.error(request, _("Ungültige Auswahl."))
        return redirect("opendata:manage")
    year = None if raw_year == "alle" else int(raw_year)
    try:
        services.opendata_switch(
            agreement=agreement, year=year, published=state == "1", by=request.user
        )
    except services.SwitchRefused as refused:
        messages.error(request, str(refused))
        return redirect("opendata:manage")
    messages.success(request, _("Gespeichert."))
    return redirect("opendata:manage")

"""Pages for moving activities in and out: streamed CSV/XLSX export, import with preview."""

import re
import secrets
import tempfile
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buendnis.accounts.models import Membership, Organisation
from buendnis.accounts.policy import (
    Action,
    load_visible_agreements,
    organisation_ids,
    requires,
    visible_agreements,
)
from buendnis.activities import export, importing, selectors
from buendnis.activities.filters import ActivityFilterForm
from buendnis.agreements.models import Agreement
from buendnis.core.forms import KernForm

SESSION_KEY = "activity_import"
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
STALE_UPLOAD_SECONDS = 24 * 60 * 60
MAX_PROBLEMS_SHOWN = 200
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@requires(Action.ACTIVITY_EXPORT)
def activity_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The list's activities (same filters) as a streamed CSV or XLSX file."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    filter_form = ActivityFilterForm(request.GET, agreements=load_visible_agreements(request.user))
    activities = selectors.activity_list(user=request.user, filters=filter_form.to_filter())
    categories = export.export_categories(activities)
    filename = f"aktivitaeten-{timezone.localdate().isoformat()}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            export.iter_csv(activities, categories), content_type=CONTENT_TYPES["csv"]
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    # openpyxl needs a seekable file for the zip container; rows still stream into it.
    spool = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    export.write_xlsx(activities, categories, spool)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=filename, content_type=CONTENT_TYPES["xlsx"]
    )


def _import_agreements(request: HttpRequest) -> QuerySet[Agreement]:
    """Agreements the user coordinates documentation for."""
    own = organisation_ids(request.user, Membership.Role.KOORDINATION)
    return visible_agreements(request.user).filter(partners__organisation_id__in=own).distinct()


def _import_organisation(request: HttpRequest, agreement: Agreement) -> Organisation:
    """The user's coordinating organisation that is party to the agreement."""
    own = organisation_ids(request.user, Membership.Role.KOORDINATION)
    partner = agreement.partners.filter(organisation_id__in=own).order_by("position").first()
    if partner is None:
        raise Http404
    return partner.organisation


class ImportForm(KernForm):
    """The upload: a file and the agreement its rows belong to."""

    agreement = forms.ModelChoiceField(
        label=gettext_lazy("Vereinbarung"), queryset=Agreement.objects.none()
    )
    file = forms.FileField(
        label=gettext_lazy("Datei (CSV oder XLSX)"),
        help_text=gettext_lazy(
            "Die erste Zeile nennt die Spalten, wie sie der Export schreibt. Jede Zeile braucht "
            "eine „Externe Referenz“; Zeilen, deren Referenz es schon gibt, werden übersprungen."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args: object, agreements: QuerySet[Agreement], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements

    def clean_file(self) -> object:
        """Refuse files larger than ``MAX_UPLOAD_BYTES``."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Die Datei ist größer als %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // 2**20}
            )
        return upload


def _upload_dir() -> Path:
    """The folder that keeps uploads between preview and confirmation."""
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _upload_path(token: str) -> Path:
    """The upload's file for a token (only tokens we made are accepted)."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{16,64}", token):
        raise Http404
    return _upload_dir() / f"{token}.upload"


def _remove_stale_uploads() -> None:
    """Delete uploads that were previewed but never confirmed or cancelled."""
    cutoff = time.time() - STALE_UPLOAD_SECONDS
    for path in _upload_dir().glob("*.upload"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _forget_upload(request: HttpRequest) -> None:
    """Delete the pending upload and its session entry."""
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        _upload_path(pending["token"]).unlink(missing_ok=True)


@requires(Action.ACTIVITY_IMPORT)
def activity_import(request: HttpRequest) -> HttpResponse:
    """Upload → preview with every problem → confirm writes all rows, or none."""
    agreements = _import_agreements(request)
    if request.method == "POST" and "cancel" in request.POST:
        _forget_upload(request)
        messages.info(request, _("Der Import ist abgebrochen, es wurde nichts gespeichert."))
        return redirect("activities:import")
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, agreements)

    form = ImportForm(request.POST or None, request.FILES or None, agreements=agreements)
    if request.method != "POST" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return render(request, "activities/activity_import.html", {"form": form}, status=status)

    _forget_upload(request)
    _remove_stale_uploads()
    agreement = form.cleaned_data["agreement"]
    token = secrets.token_urlsafe(24)
    path = _upload_path(token)
    with path.open("wb") as target:
        for chunk in form.cleaned_data["file"].chunks():
            target.write(chunk)
    request.session[SESSION_KEY] = {"token": token, "agreement": agreement.pk}
    result = importing.activities_import(
        agreement=agreement,
        organisation=_import_organisation(request, agreement),
        source=path,
        dry_run=True,
    )
    if not result.ok:
        _forget_upload(request)
    return _preview(request, agreement, result, form.cleaned_data["file"].name, token)


def _preview(
    request: HttpRequest,
    agreement: Agreement,
    result: importing.ImportResult,
    filename: str,
    token: str,
) -> HttpResponse:
    """The preview: counts, the first rows, every problem, and the confirm button."""
    context = {
        "agreement": agreement,
        "result": result,
        "problems": [str(p) for p in result.problems[:MAX_PROBLEMS_SHOWN]],
        "more_problems": max(len(result.problems) - MAX_PROBLEMS_SHOWN, 0),
        "filename": filename,
        "token": token,
        "form": ImportForm(agreements=_import_agreements(request)),
    }
    status = 200 if result.ok else 400
    return render(request, "activities/activity_import.html", context, status=status)


def _confirm(request: HttpRequest, agreements: QuerySet[Agreement]) -> HttpResponse:
    """Write the previewed file; the token ties the form to the upload in the session."""
    pending = request.session.get(SESSION_KEY)
    if not pending or request.POST.get("token") != pending["token"]:
        messages.error(
            request, _("Die hochgeladene Datei ist nicht mehr da. Bitte noch einmal hochladen.")
        )
        return redirect("activities:import")
    agreement = agreements.filter(pk=pending["agreement"]).first()
    path = _upload_path(pending["token"])
    if agreement is None or not path.exists():
        _forget_upload(request)
        messages.error(
            request, _("Die hochgeladene Datei ist nicht mehr da. Bitte noch einmal hochladen.")
        )
        return redirect("activities:import")
    result = importing.activities_import(
        agreement=agreement,
        organisation=_import_organisation(request, agreement),
        source=path,
        responsible=request.user,
    )
    _forget_upload(request)
    if not result.ok:
        return _preview(request, agreement, result, "", "")
    messages.success(
        request,
        _("%(created)s Aktivitäten sind angelegt, %(present)s waren schon vorhanden.")
        % {"created": result.created, "present": result.already_present},
    )
    return redirect(f"{reverse('activities:list')}?agreement={agreement.pk}")

"""The report on the web: the page inside the site, and files prepared in the background (§ 8)."""

from typing import Any
from uuid import UUID

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models.functions import Length
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from buendnis.accounts.policy import Action, can, requires
from buendnis.agreements.models import Agreement
from buendnis.evaluation import jobs, selectors
from buendnis.evaluation.models import ReportJob
from buendnis.evaluation.periods import Period, PeriodInvalid, parse
from buendnis.operations.selectors import worker_alive

MINISTRY, INTERNAL = "ministry", "internal"
FORMAT_LABELS = {
    "pdf": gettext_lazy("PDF-Dokument"),
    "xlsx": gettext_lazy("Tabellen (XLSX)"),
    "html": gettext_lazy("HTML-Datei"),
}
COPY_LABELS = {
    MINISTRY: gettext_lazy("Ministeriumsfassung (kleine Zahlen geschützt)"),
    INTERNAL: gettext_lazy("Interne Fassung (exakte Zahlen)"),
}
# How often report_job.js asks for the status page while the file is being prepared.
POLL_MILLISECONDS = 1500


class ReportRequestForm(forms.Form):
    """Which file to prepare: format and copy."""

    format = forms.ChoiceField(label=gettext_lazy("Format"))
    copy = forms.ChoiceField(label=gettext_lazy("Fassung"))

    def __init__(self, *args: Any, copies: list[str], **kwargs: Any) -> None:
        from buendnis.evaluation.report.render import FORMATS

        super().__init__(*args, **kwargs)
        self.fields["format"].choices = [(f, FORMAT_LABELS.get(f, f)) for f in FORMATS]
        self.fields["copy"].choices = [(c, COPY_LABELS.get(c, c)) for c in copies]


def _get_agreement_for_user(request: HttpRequest, slug: str) -> Agreement:
    """The agreement if the user may see its reports; 404 otherwise."""
    agreement = get_object_or_404(Agreement, slug=slug)
    if not can(request.user, Action.REPORT_VIEW, agreement):
        raise Http404
    return agreement


def _get_period(text: str, agreement: Agreement) -> Period:
    try:
        return parse(text, agreement)
    except PeriodInvalid as error:
        raise Http404(str(error)) from error


def _get_job_for_user(request: HttpRequest, job_id: UUID, *, with_file: bool = False) -> ReportJob:
    """The user's own job on an agreement they still see; everyone else gets a 404."""
    jobs_of_user = ReportJob.objects.select_related("agreement").annotate(size=Length("content"))
    if not with_file:
        jobs_of_user = jobs_of_user.defer("content")
    job = get_object_or_404(jobs_of_user, pk=job_id, requested_by_id=request.user.pk)
    if not can(request.user, Action.REPORT_VIEW, job.agreement):
        raise Http404
    return job


def _copies_for(request: HttpRequest, agreement: Agreement) -> list[str]:
    """The copies the user may ask for: the internal one only with exact-figure rights."""
    if can(request.user, Action.REPORT_INTERNAL, agreement):
        return [INTERNAL, MINISTRY]
    return [MINISTRY]


@requires(Action.REPORT_VIEW)
def report_page(request: HttpRequest, slug: str, period: str) -> HttpResponse:
    from buendnis.evaluation.report.render import report_context

    agreement = _get_agreement_for_user(request, slug)
    period_obj = _get_period(period, agreement)
    copies = _copies_for(request, agreement)
    asked = request.GET.get("copy", "")
    copy = asked if asked in copies else MINISTRY
    context = report_context(
        agreement=agreement,
        period=period_obj,
        copy=copy,
        evaluation=selectors.evaluation_of_period(agreement=agreement, period=period_obj),
        user=request.user,
    )
    context.update(
        {
            "agreement": agreement,
            "period": period_obj,
            "copy": copy,
            "copies": [(c, COPY_LABELS[c]) for c in copies],
            "internal_refused": asked == INTERNAL and INTERNAL not in copies,
            "form": ReportRequestForm(copies=copies, initial={"format": "pdf", "copy": copy}),
        }
    )
    return render(request, "evaluation/report_page.html", context)


@requires(Action.REPORT_VIEW)
@require_POST
def report_job_start(request: HttpRequest, slug: str, period: str) -> HttpResponse:
    agreement = _get_agreement_for_user(request, slug)
    period_obj = _get_period(period, agreement)
    copies = _copies_for(request, agreement)
    if request.POST.get("copy") == INTERNAL and INTERNAL not in copies:
        raise PermissionDenied
    form = ReportRequestForm(request.POST, copies=copies)
    if not form.is_valid():
        return _bad_request(
            _("Bitte ein gültiges Format (%(formats)s) und eine gültige Fassung wählen.")
            % {"formats": ", ".join(FORMAT_LABELS)}
        )
    try:
        job = jobs.report_job_start(
            agreement=agreement,
            period=period_obj,
            fmt=form.cleaned_data["format"],
            copy=form.cleaned_data["copy"],
            user=request.user,
        )
    except jobs.ReportJobInvalid as error:
        return _bad_request(str(error))
    return redirect(reverse("evaluation:report_job", kwargs={"job": job.pk}))


def _bad_request(message: str) -> HttpResponse:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def _announcement(job: ReportJob) -> str:
    """What the status region says (and screen readers announce) in the job's state."""
    if job.status == ReportJob.Status.DONE:
        return _("Der Bericht ist fertig. Die Datei kann jetzt heruntergeladen werden.")
    if job.status == ReportJob.Status.FAILED:
        return _("Der Bericht konnte nicht erstellt werden.")
    return job.step or job.get_status_display()


@requires(Action.REPORT_VIEW)
def report_job_status(request: HttpRequest, job: UUID) -> HttpResponse:
    """The job's state; report_job.js fetches this page again and updates it in place."""
    job_obj = _get_job_for_user(request, job)
    context = {
        "job": job_obj,
        "agreement": job_obj.agreement,
        "period": jobs.job_period(job_obj),
        "unfinished": job_obj.status in jobs.UNFINISHED,
        "no_worker": job_obj.status in jobs.UNFINISHED and not worker_alive(),
        "announcement": _announcement(job_obj),
        "poll_ms": POLL_MILLISECONDS,
        "percent": jobs.report_job_progress(job_obj),
        "size": job_obj.size or 0,
        "format_label": FORMAT_LABELS.get(job_obj.format, job_obj.format),
        "copy_label": COPY_LABELS.get(job_obj.copy, job_obj.copy),
    }
    response = render(request, "evaluation/report_job.html", context)
    patch_cache_control(response, private=True, no_store=True)
    return response


@requires(Action.REPORT_VIEW)
def report_job_download(request: HttpRequest, job: UUID) -> HttpResponse:
    job_obj = _get_job_for_user(request, job, with_file=True)
    if job_obj.status != ReportJob.Status.DONE or job_obj.content is None:
        raise Http404
    response = HttpResponse(
        bytes(job_obj.content),
        content_type=jobs.CONTENT_TYPES.get(job_obj.format, "application/octet-stream"),
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=job_obj.filename
    )
    patch_cache_control(response, private=True, no_store=True)
    return response

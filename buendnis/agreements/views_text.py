"""Pages for an agreement's text: import a file with a checked preview, correct it later.

The preview keeps its state in the posted form only: nothing is written until the person
confirms, and then everything in one transaction (``services``).
"""

import datetime

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.forms import BaseFormSet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buendnis.accounts.policy import Action, can, requires
from buendnis.agreements import selectors, services, text_draft
from buendnis.agreements.importer import AgreementImportError
from buendnis.agreements.models import Agreement
from buendnis.agreements.setup import ready_for_documentation
from buendnis.agreements.text_forms import AgreementUploadForm, TextForms


def _get_agreement_for_edit(request: HttpRequest, slug: str) -> Agreement:
    """The agreement if the user may correct it; 404 otherwise (existence stays hidden)."""
    agreement = get_object_or_404(Agreement, slug=slug)
    if not can(request.user, Action.AGREEMENT_EDIT, agreement):
        raise Http404
    return agreement


def _in_force_on(draft: text_draft.Draft) -> datetime.date | None:
    try:
        signed_on = text_draft.as_date(draft.get("signed_on") or None)
    except ValueError:
        return None
    return signed_on + datetime.timedelta(days=1) if signed_on else None


def _render_text_form(
    request: HttpRequest,
    *,
    forms: TextForms,
    draft: text_draft.Draft,
    agreement: Agreement | None,
    filename: str = "",
    status: int = 200,
) -> HttpResponse:
    doubts = text_draft.doubts(draft)

    def rows(formset: BaseFormSet, kind: str) -> list[dict[str, object]]:
        return [
            {"form": form, "doubts": [d for d in doubts if d.target == f"{kind}-{index}"]}
            for index, form in enumerate(formset.forms)
        ]

    context = {
        "forms": forms,
        "agreement": agreement,
        "filename": filename,
        "doubts": doubts,
        "partner_rows": rows(forms.partners, "partner"),
        "paragraph_rows": rows(forms.paragraphs, "paragraph"),
        "signatory_rows": rows(forms.signatories, "signatory"),
        "signatory_section_doubts": [d for d in doubts if d.target == "signatories"],
        "in_force_on": _in_force_on(draft),
        "partner_names": [p["name"] for p in draft["partners"] if p["name"]],
        "errors": forms.errors() if forms.main.is_bound else [],
        "in_force": agreement is not None and services.agreement_in_force(agreement=agreement),
        "versions": agreement.text_versions.select_related("created_by") if agreement else [],
    }
    return render(request, "agreements/agreement_text_form.html", context, status=status)


def _show_draft(
    request: HttpRequest,
    draft: text_draft.Draft,
    *,
    agreement: Agreement | None,
    filename: str = "",
) -> HttpResponse:
    """Render the draft as an unbound form (after an upload or an operation)."""
    draft = text_draft.sort_paragraphs(draft)
    forms = TextForms(draft=draft, reason_required=_reason_required(agreement))
    return _render_text_form(
        request, forms=forms, draft=draft, agreement=agreement, filename=filename
    )


def _reason_required(agreement: Agreement | None) -> bool:
    return agreement is not None and services.agreement_in_force(agreement=agreement)


def _handle_post(request: HttpRequest, *, agreement: Agreement | None) -> HttpResponse:
    """Apply the button pressed: an operation on the draft, cancel, or confirm."""
    operation = request.POST.get("op", "check")
    filename = request.POST.get("filename", "")[:200]
    if operation == "cancel":
        messages.info(request, _("Abgebrochen – es wurde nichts gespeichert."))
        if agreement is None:
            return redirect("agreements:list")
        return redirect("agreements:detail", slug=agreement.slug)
    draft = text_draft.draft_from_post(request.POST)
    if operation != "confirm":
        try:
            draft = text_draft.apply_operation(draft, operation)
        except text_draft.OperationError as error:
            messages.warning(request, str(error))
        return _show_draft(request, draft, agreement=agreement, filename=filename)

    forms = TextForms(data=request.POST, reason_required=_reason_required(agreement))
    if forms.is_valid():
        draft["signed_on"] = forms.main.cleaned_data["signed_on"]
        parsed = text_draft.draft_to_parsed(draft)
        try:
            if agreement is None:
                services.agreement_check_new(parsed=parsed, slug=None)
                with transaction.atomic():
                    saved = services.agreement_create_from_import(parsed=parsed)
                    ready_for_documentation(saved)
                messages.success(request, _("Die Vereinbarung ist gespeichert."))
            else:
                services.agreement_correct(
                    agreement=agreement,
                    parsed=parsed,
                    user=request.user,
                    reason=forms.main.cleaned_data.get("reason", ""),
                )
                saved = agreement
                messages.success(request, _("Die Änderungen sind gespeichert."))
        except AgreementImportError as error:
            forms.problems.append(str(error))
        except services.ReasonRequired:
            forms.problems.append(_("Bitte geben Sie den Grund der Änderung an."))
        except IntegrityError:
            forms.problems.append(
                _("Die Vereinbarung konnte nicht gespeichert werden; bitte erneut versuchen.")
            )
        else:
            return redirect("agreements:detail", slug=saved.slug)
    # The bound rows still hold those ticked for removal; the doubts must count them too.
    draft = text_draft.draft_from_post(request.POST, keep_removed=True)
    return _render_text_form(
        request, forms=forms, draft=draft, agreement=agreement, filename=filename, status=400
    )


@requires(Action.AGREEMENT_IMPORT)
def agreement_import(request: HttpRequest) -> HttpResponse:
    """Upload a .pdf or .txt; a valid file shows the parser's result as an editable preview."""
    if request.method == "POST":
        form = AgreementUploadForm(request.POST, request.FILES)
        if form.is_valid():
            known = selectors.known_organisations(partners=form.parsed.partners)
            draft = text_draft.draft_from_parsed(form.parsed, known)
            return _show_draft(request, draft, agreement=None, filename=form.files["file"].name)
        status = 400
    else:
        form = AgreementUploadForm()
        status = 200
    return render(request, "agreements/agreement_upload.html", {"form": form}, status=status)


@require_POST
@requires(Action.AGREEMENT_IMPORT)
def agreement_import_preview(request: HttpRequest) -> HttpResponse:
    """The preview's buttons: add, merge, split, check again, cancel or confirm."""
    return _handle_post(request, agreement=None)


@requires(Action.AGREEMENT_EDIT)
def agreement_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Correct the agreement's text; once in force, as a new version with a reason."""
    agreement = _get_agreement_for_edit(request, slug)
    if request.method == "POST":
        return _handle_post(request, agreement=agreement)
    snapshot = services.agreement_text_snapshot(agreement=agreement)
    organisation_ids = list(
        agreement.partners.order_by("position").values_list("organisation_id", flat=True)
    )
    draft = text_draft.draft_from_snapshot(snapshot, organisation_ids)
    return _show_draft(request, draft, agreement=agreement)

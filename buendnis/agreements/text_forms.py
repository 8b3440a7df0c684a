"""Forms for importing an agreement file and checking or correcting its text."""

import tempfile
from pathlib import Path
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from buendnis.accounts.models import Organisation
from buendnis.agreements.importer import AgreementImportError, ParsedAgreement, read_agreement_file
from buendnis.agreements.models import AgreementPartner
from buendnis.agreements.text_draft import LABEL, Draft, split_label
from buendnis.core.forms import KernForm

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
NEW_ORGANISATION = "new"


class AgreementUploadForm(KernForm):
    """A .pdf or .txt file of an agreement, parsed on validation (nothing is stored)."""

    file = forms.FileField(
        label=_("Vereinbarung als PDF- oder Textdatei"),
        help_text=_("Eine .pdf- oder .txt-Datei, höchstens 50 MB."),
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.txt,application/pdf,text/plain"}),
    )

    parsed: ParsedAgreement

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                "Die Datei ist größer als 50 MB. / The file is larger than 50 MB.", code="too_big"
            )
        suffix = Path(upload.name or "").suffix.casefold()
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / f"vereinbarung{suffix}"
            with path.open("wb") as target:
                for chunk in upload.chunks():
                    target.write(chunk)
            try:
                self.parsed = read_agreement_file(path, strict=False)
            except AgreementImportError as error:
                raise ValidationError(str(error), code=error.code) from error
        return upload


class AgreementTextForm(KernForm):
    """Title block, place and date; a reason once the agreement is in force."""

    title = forms.CharField(label=_("Titel"), max_length=300)
    subtitle = forms.CharField(label=_("Untertitel"), max_length=300, required=False)
    topic = forms.CharField(label=_("Thema"), max_length=300, required=False)
    place = forms.CharField(label=_("Ort der Unterzeichnung"), max_length=120, required=False)
    signed_on = forms.DateField(
        label=_("Unterzeichnet am"),
        required=False,
        help_text=_("Die Vereinbarung tritt am Tag nach der Unterzeichnung in Kraft (§ 9)."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(
        label=_("Grund der Änderung"),
        help_text=_(
            "Die Vereinbarung ist in Kraft: Jede Änderung wird als neue Fassung mit diesem "
            "Grund festgehalten."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, reason_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not reason_required:
            del self.fields["reason"]


def _organisation_choices() -> list[tuple[str, str]]:
    return [(NEW_ORGANISATION, str(_("Als neue Organisation anlegen")))] + [
        (str(pk), name) for pk, name in Organisation.objects.values_list("pk", "name")
    ]


class PartnerForm(KernForm):
    """A partner as named in the text, and the organisation it is."""

    name = forms.CharField(label=_("Name"), max_length=300)
    aliases = forms.CharField(
        label=_("Andere Schreibweisen"),
        help_text=_("Eine je Zeile."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    role = forms.ChoiceField(
        label=_("Rolle"),
        choices=[("", _("aus dem Namen ableiten")), *AgreementPartner.Role.choices],
        required=False,
    )
    organisation = forms.ChoiceField(label=_("Organisation"))

    def __init__(self, *args: Any, organisation_choices: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisation_choices


class ParagraphForm(KernForm):
    """One § with its number (3 or 3a), heading and text."""

    label = forms.CharField(
        label=_("§-Nummer"),
        max_length=5,
        validators=[
            RegexValidator(LABEL, _("Eine Zahl, auf Wunsch mit Buchstaben, etwa 3 oder 3a."))
        ],
    )
    heading = forms.CharField(label=_("Überschrift"), max_length=300)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}))


class SignatoryForm(KernForm):
    """A person who signed, with function and the organisation they signed for."""

    name = forms.CharField(label=_("Name"), max_length=200)
    function = forms.CharField(label=_("Funktion"), max_length=200, required=False)
    organisation = forms.CharField(
        label=_("unterschreibt für"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"list": "partner-names"}),
    )


PartnerFormSet = formset_factory(PartnerForm, extra=0, can_delete=True)
ParagraphFormSet = formset_factory(ParagraphForm, extra=0, can_delete=True)
SignatoryFormSet = formset_factory(SignatoryForm, extra=0, can_delete=True)


class TextForms:
    """The main form and the three row sets of the preview, bound or from a draft."""

    def __init__(
        self, *, data: Any = None, draft: Draft | None = None, reason_required: bool = False
    ) -> None:
        choices = _organisation_choices()
        initial = draft or {}
        self.main = AgreementTextForm(
            data, initial=initial or None, reason_required=reason_required
        )
        self.partners = PartnerFormSet(
            data,
            initial=initial.get("partners"),
            prefix="partners",
            form_kwargs={"organisation_choices": choices},
        )
        self.paragraphs = ParagraphFormSet(
            data, initial=initial.get("paragraphs"), prefix="paragraphs"
        )
        self.signatories = SignatoryFormSet(
            data, initial=initial.get("signatories"), prefix="signatories"
        )
        self.problems: list[str] = []

    @staticmethod
    def _kept(formset: forms.BaseFormSet) -> list[forms.Form]:
        """The rows not ticked for removal (call after validation)."""
        return [
            form
            for form in formset.forms
            if not (getattr(form, "cleaned_data", None) or {}).get("DELETE")
        ]

    def is_valid(self) -> bool:
        """Validate every row, then what only holds across rows."""
        parts = (self.main, self.partners, self.paragraphs, self.signatories)
        valid = all([part.is_valid() for part in parts])
        partners = self._kept(self.partners)
        if len(partners) < 2:
            self.problems.append(
                str(_("Eine Vereinbarung braucht mindestens zwei Bündnispartner."))
            )
        linked = [f.cleaned_data.get("organisation") for f in partners if f.is_valid()]
        linked = [value for value in linked if value and value != NEW_ORGANISATION]
        if len(linked) != len(set(linked)):
            self.problems.append(
                str(_("Zwei Bündnispartner sind mit derselben Organisation verknüpft."))
            )
        paragraphs = self._kept(self.paragraphs)
        if not paragraphs:
            self.problems.append(str(_("Die Vereinbarung braucht mindestens einen Paragrafen.")))
        labels = [split_label(f["label"].value() or "") for f in paragraphs]
        for label in sorted({label for label in labels if label and labels.count(label) > 1}):
            self.problems.append(
                str(_("§ %(label)s kommt mehrfach vor.")) % {"label": f"{label[0]}{label[1]}"}
            )
        return valid and not self.problems

    def errors(self) -> list[tuple[str, str]]:
        """(anchor, message) for the error summary, in the order of the page."""
        found: list[tuple[str, str]] = [("text-problems", problem) for problem in self.problems]
        forms_in_order: list[forms.Form] = [self.main]
        for formset in (self.partners, self.paragraphs, self.signatories):
            forms_in_order += self._kept(formset)
            found += [("text-problems", str(error)) for error in formset.non_form_errors()]
        for form in forms_in_order:
            for name, errors in form.errors.items():
                anchor = form[name].auto_id if name in form.fields else "text-problems"
                label = form.fields[name].label if name in form.fields else ""
                for error in errors:
                    found.append((anchor, f"{label}: {error}" if label else str(error)))
        return found

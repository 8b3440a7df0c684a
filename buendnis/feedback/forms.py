"""Staff forms: a link's overrides, result filters, questionnaire texts and questions."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from buendnis.activities.models import Format
from buendnis.agreements.models import Agreement, Goal
from buendnis.core.forms import KernForm, VersionedForm
from buendnis.feedback.models import SOURCE_LANGUAGE, Question, Questionnaire, QuestionnaireVersion
from buendnis.feedback.questionnaires import KEY, LANGUAGE_CODE
from buendnis.feedback.texts import FORM_TEXT_KEYS

LONG_TEXTS = {"intro", "text_hint", "closed", "cap_reached", "too_many", "invalid", "invitation"}


class LinkSettingsForm(KernForm):
    questionnaire = forms.ModelChoiceField(
        label=_("Fragebogen"), queryset=Questionnaire.objects.none(), required=False
    )
    closes_on = forms.DateField(
        label=_("Rückmeldung möglich bis einschließlich"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    max_responses = forms.IntegerField(
        label=_("Höchstzahl an Rückmeldungen"), required=False, min_value=1
    )

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["closes_on"].help_text = _(
            "Leer lassen für die Voreinstellung (%(days)s Tage nach dem Termin)."
        ) % {"days": settings.FEEDBACK_WINDOW_DAYS}
        self.fields["max_responses"].help_text = _(
            "Leer lassen für die Voreinstellung "
            "(%(factor)s × Teilnehmende, mindestens %(minimum)s)."
        ) % {"factor": settings.FEEDBACK_CAP_FACTOR, "minimum": settings.FEEDBACK_CAP_MINIMUM}
        field = self.fields["questionnaire"]
        field.queryset = Questionnaire.objects.filter(agreement=agreement)
        field.empty_label = _("wie beim Format")


class ResultsFilterForm(KernForm):
    year = forms.TypedChoiceField(label=_("Jahr"), coerce=int, required=False)
    format = forms.ModelChoiceField(
        label=_("Format"), queryset=Format.objects.none(), required=False
    )
    goal = forms.ModelChoiceField(label=_("Ziel"), queryset=Goal.objects.none(), required=False)

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, y) for y in range(this_year, this_year - 6, -1)]
        self.fields["format"].queryset = Format.objects.filter(agreement=agreement)
        self.fields["goal"].queryset = Goal.objects.filter(agreement=agreement)
        for name in ("format", "goal"):
            self.fields[name].empty_label = _("alle")

    def chosen(self) -> tuple[int, Format | None, Goal | None]:
        data = self.cleaned_data if self.is_valid() else {}
        return (
            data.get("year") or timezone.localdate().year,
            data.get("format"),
            data.get("goal"),
        )


class FormatQuestionnaireForm(forms.Form):
    format = forms.IntegerField(widget=forms.HiddenInput)
    questionnaire = forms.IntegerField(required=False)


class AddLanguageForm(KernForm):
    code = forms.CharField(
        label=_("Sprachcode (ISO 639, z. B. „ku“ für Kurdisch, „ti“ für Tigrinya)"),
        max_length=12,
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().lower()
        if not LANGUAGE_CODE.match(code):
            raise forms.ValidationError(_("Bitte einen Sprachcode wie „ku“ angeben."))
        return code


class TranslationForm(VersionedForm):
    """One language's texts; each field shows the German text it translates."""

    name = forms.CharField(label=_("Name der Sprache, in ihrer eigenen Schrift"), max_length=60)
    dir = forms.ChoiceField(
        label=_("Schreibrichtung"),
        choices=[("ltr", _("links nach rechts")), ("rtl", _("rechts nach links"))],
    )

    def __init__(self, *args: Any, version: QuestionnaireVersion, code: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._code = code
        german = version.texts.get(SOURCE_LANGUAGE, {})
        mine = version.texts.get(code, {})
        required = code == SOURCE_LANGUAGE
        for key in FORM_TEXT_KEYS:
            widget = forms.Textarea(attrs={"rows": 3}) if key in LONG_TEXTS else forms.TextInput
            self._add(f"text__{key}", german.get(key, ""), mine.get(key, ""), required, widget)
        for question in version.questions.all():
            self._add(
                f"question__{question.key}",
                question.labels.get(SOURCE_LANGUAGE, ""),
                question.labels.get(code, ""),
                required,
            )
            for option in question.options:
                self._add(
                    f"option__{question.key}__{option['key']}",
                    option["labels"].get(SOURCE_LANGUAGE, ""),
                    option["labels"].get(code, ""),
                    required,
                )
        self.fields["dir"].widget.attrs.pop("class", None)

    def _add(
        self, name: str, german: str, current: str, required: bool, widget: Any = forms.TextInput
    ) -> None:
        field = forms.CharField(label=german, required=required, initial=current, widget=widget)
        field.widget.attrs.update(
            {"class": "kern-form-input__input", "dir": "auto", "lang": self._code}
        )
        self.fields[name] = field

    def texts(self) -> dict[str, str]:
        return self._group("text__")

    def labels(self) -> dict[str, str]:
        return self._group("question__")

    def option_labels(self) -> dict[str, dict[str, str]]:
        grouped: dict[str, dict[str, str]] = {}
        for name, text in self._group("option__").items():
            question_key, option_key = name.split("__", 1)
            grouped.setdefault(question_key, {})[option_key] = text
        return grouped

    def _group(self, prefix: str) -> dict[str, str]:
        return {
            name.removeprefix(prefix): value
            for name, value in self.cleaned_data.items()
            if name.startswith(prefix)
        }


class QuestionForm(VersionedForm):
    key = forms.CharField(
        label=_("Kürzel (bleibt über Versionen gleich; Indikatoren nennen es)"),
        max_length=40,
        validators=[RegexValidator(KEY, _("Nur Kleinbuchstaben, Ziffern und _."))],
    )
    kind = forms.ChoiceField(label=_("Art"), choices=Question.Kind.choices)
    label = forms.CharField(label=_("Frage auf Deutsch"), max_length=300)
    options = forms.CharField(
        label=_("Antwortmöglichkeiten (nur bei Einfachauswahl), eine je Zeile"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        lines = [line.strip() for line in data.get("options", "").splitlines() if line.strip()]
        data["option_list"] = [
            ((slugify(line).replace("-", "_") or f"option_{n}")[:40], line)
            for n, line in enumerate(lines, start=1)
        ]
        if data.get("kind") == Question.Kind.CHOICE and len(lines) < 2:
            self.add_error("options", _("Bitte mindestens zwei Antwortmöglichkeiten angeben."))
        return data

"""The fast counselling form: the few choices first, the usual values filled in."""

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from buendnis.activities.forms import LANGUAGES
from buendnis.activities.models import NetworkPartner
from buendnis.agreements.models import Agreement
from buendnis.core.forms import KernForm, VersionedForm
from buendnis.counselling.models import NOTE_MAX_LENGTH, Contact, Topic
from buendnis.counselling.services import MAX_DURATION_MINUTES, ContactData

CONTACT_TYPES = [("first", _("Erstkontakt")), ("follow_up", _("Folgekontakt"))]
TOPIC_SEPARATORS = str.maketrans({",": ";"})


def _with_empty(choices: list) -> list:
    return [("", KernForm.empty_label), *choices]


class ContactForm(VersionedForm):
    sought_by = forms.ChoiceField(
        label=_("Wer suchte Rat?"), choices=_with_empty(Contact.SoughtBy.choices)
    )
    kind = forms.ChoiceField(label=_("Art der Beratung"), choices=_with_empty(Contact.Kind.choices))
    topic_search = forms.CharField(
        label=_("Thema"),
        required=False,
        help_text=_(
            "Anfang eintippen, z. B. „Famil“; mehrere mit Semikolon trennen. Oder unten ankreuzen."
        ),
    )
    duration_minutes = forms.IntegerField(
        label=_("Dauer in Minuten"), min_value=1, max_value=MAX_DURATION_MINUTES
    )
    contact_type = forms.ChoiceField(label=_("Erst- oder Folgekontakt"), choices=CONTACT_TYPES)
    date = forms.DateField(
        label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    channel = forms.ChoiceField(label=_("Weg"), choices=_with_empty(Contact.Channel.choices))
    topics = forms.ModelMultipleChoiceField(
        label=_("Themen"),
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Sprachen"), choices=LANGUAGES, required=False, widget=forms.CheckboxSelectMultiple
    )
    referral = forms.ModelChoiceField(
        label=_("Weitervermittelt an"), queryset=NetworkPartner.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("Notiz"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Keine personenbezogenen Daten: keine Namen, Geburtsdaten, Anschriften, "
            "Telefonnummern, E-Mail-Adressen, IBAN oder Aktenzeichen."
        ),
    )

    def __init__(
        self, *args: Any, agreement: Agreement, organisation_ids: set[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        self.fields["topics"].queryset = Topic.objects.filter(agreement=agreement, active=True)
        self.fields["referral"].queryset = NetworkPartner.objects.filter(
            organisation_id__in=organisation_ids
        )
        self.fields["sought_by"].widget.attrs["autofocus"] = True
        self.fields["topic_search"].widget.attrs["list"] = "topic-names"

    def topic_names(self) -> list[str]:
        return [topic.name for topic in self.fields["topics"].queryset]

    def _topics_from_search(self, text: str) -> list[Topic]:
        """Match each typed entry to one topic: by name, else by a unique beginning."""
        available = list(self.fields["topics"].queryset)
        found, problems = [], []
        for entry in filter(
            None, (part.strip() for part in text.translate(TOPIC_SEPARATORS).split(";"))
        ):
            wanted = entry.casefold()
            exact = [t for t in available if t.name.casefold() == wanted]
            matches = exact or [t for t in available if t.name.casefold().startswith(wanted)]
            if len(matches) == 1:
                found.append(matches[0])
            elif matches:
                problems.append(
                    gettext("„%(entry)s“ passt zu mehreren Themen: %(names)s")
                    % {"entry": entry, "names": ", ".join(t.name for t in matches)}
                )
            else:
                problems.append(gettext("Kein Thema beginnt mit „%(entry)s“.") % {"entry": entry})
        if problems:
            raise forms.ValidationError(problems)
        return found

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        try:
            searched = self._topics_from_search(cleaned.get("topic_search", ""))
        except forms.ValidationError as error:
            self.add_error("topic_search", error)
            return cleaned
        cleaned["all_topics"] = list({t.pk: t for t in [*cleaned.get("topics", []), *searched]})
        return cleaned

    def to_data(self) -> ContactData:
        data = self.cleaned_data
        return ContactData(
            date=data["date"],
            channel=data["channel"],
            sought_by=data["sought_by"],
            kind=data["kind"],
            duration_minutes=data["duration_minutes"],
            first_contact=data["contact_type"] == "first",
            topic_ids=data["all_topics"],
            languages=list(data.get("languages") or []),
            referral_id=data["referral"].pk if data.get("referral") else None,
            note=data.get("note", ""),
        )


def initial_from_contact(contact: Contact) -> dict[str, Any]:
    return {
        "version": contact.version,
        "sought_by": contact.sought_by,
        "kind": contact.kind,
        "duration_minutes": contact.duration_minutes,
        "contact_type": "first" if contact.first_contact else "follow_up",
        "date": contact.date,
        "channel": contact.channel,
        "topics": list(contact.topics.all()),
        "languages": contact.languages,
        "referral": contact.referral,
        "note": contact.note,
    }


class TopicForm(KernForm):
    name = forms.CharField(label=_("Neues Thema"), max_length=80)


class StatisticsFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Jahr"), coerce=int, choices=())
    period = forms.ChoiceField(
        label=_("Aufteilung"),
        choices=[("month", _("nach Monaten")), ("quarter", _("nach Quartalen"))],
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]

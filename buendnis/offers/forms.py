"""Staff forms: publishing an activity and the organisation's public contact."""

from django import forms
from django.utils.translation import gettext_lazy as _

from buendnis.core.forms import KernForm, VersionedForm
from buendnis.offers.models import OFFER_LANGUAGES, Offer
from buendnis.offers.services import OfferData, offer_version

TRANSLATED = [(code, name, direction) for code, name, direction in OFFER_LANGUAGES if code != "de"]


def translation_field(code: str) -> str:
    return f"invitation_{code}"


class OfferForm(VersionedForm):
    invitation = forms.CharField(
        label=_("Einladungstext (Deutsch)"),
        max_length=1200,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Kurz und einladend: worum es geht und für wen. Nichts über Teilnehmende."),
    )
    address = forms.CharField(
        label=_("Adresse"),
        max_length=200,
        required=False,
        help_text=_("Straße und Ort; bei Online-Angeboten leer lassen."),
    )
    online_link = forms.URLField(
        label=_("Link zur Online-Veranstaltung (wird nicht veröffentlicht)"),
        required=False,
        help_text=_("Öffentlich steht nur: Link auf Anfrage beim Veranstalter."),
    )
    accessibility = forms.CharField(
        label=_("Barrierefreiheit"),
        max_length=400,
        required=False,
        help_text=_("Etwa: stufenloser Zugang, Kinderbetreuung, Gebärdensprache auf Anfrage."),
    )
    # Not "required": the first choice is the default (a required select would need an
    # empty placeholder option to be valid HTML).
    registration = forms.TypedChoiceField(
        label=_("Anmeldung"),
        choices=Offer.Registration.choices,
        required=False,
        empty_value=Offer.Registration.NONE,
    )
    registration_note = forms.CharField(
        label=_("Hinweis zur Anmeldung"),
        max_length=300,
        required=False,
        help_text=_("Angemeldet wird über den öffentlichen Kontakt der Organisation."),
    )
    whole_series = forms.BooleanField(
        label=_("Alle künftigen Termine der Reihe veröffentlichen"), required=False, initial=True
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for code, name, direction in TRANSLATED:
            field = forms.CharField(
                label=_("Einladung auf %(language)s") % {"language": name},
                max_length=1200,
                required=False,
                widget=forms.Textarea(
                    attrs={
                        "rows": 3,
                        "lang": code,
                        "dir": direction,
                        "class": "kern-form-input__input",
                    }
                ),
            )
            self.fields[translation_field(code)] = field

    def translation_fields(self) -> list:
        return [self[translation_field(code)] for code, _name, _dir in TRANSLATED]

    def main_fields(self) -> list:
        names = ["invitation", "address", "online_link", "accessibility", "registration"]
        return [self[name] for name in [*names, "registration_note", "whole_series"]]

    def offer_data(self) -> OfferData:
        data = self.cleaned_data
        return OfferData(
            invitation=data["invitation"],
            translations={
                code: data[translation_field(code)]
                for code, _name, _dir in TRANSLATED
                if data.get(translation_field(code))
            },
            address=data["address"],
            online_link=data["online_link"],
            accessibility=data["accessibility"],
            registration=data["registration"],
            registration_note=data["registration_note"],
        )

    @classmethod
    def initial_for(cls, offer: Offer | None) -> dict:
        if offer is None:
            return {"version": 0, "whole_series": True}
        initial = {
            "version": offer_version(offer),
            "invitation": offer.invitation,
            "address": offer.address,
            "online_link": offer.online_link,
            "accessibility": offer.accessibility,
            "registration": offer.registration,
            "registration_note": offer.registration_note,
            "whole_series": True,
        }
        for code, text in offer.translations.items():
            initial[translation_field(code)] = text
        return initial


class ContactForm(KernForm):
    email = forms.EmailField(label=_("E-Mail der Organisation"), required=False)
    phone = forms.CharField(label=_("Telefon der Organisation"), max_length=40, required=False)
    website = forms.URLField(label=_("Website"), required=False)

"""The one-page activity documentation form, built from the agreement's own categories."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from buendnis.activities.models import Activity, Format, Kreis, NetworkPartner, ReachCategory
from buendnis.activities.reach import field_name
from buendnis.activities.services import ActivityData
from buendnis.agreements.models import Agreement, Goal
from buendnis.core.forms import KernForm, version_field

LANGUAGES = [
    ("de", "Deutsch"),
    ("ar", "العربية"),
    ("tr", "Türkçe"),
    ("fa", "فارسی"),
    ("ru", "Русский"),
    ("uk", "Українська"),
    ("en", "English"),
    ("fr", "Français"),
    ("ku", "Kurdî"),
    ("ti", "ትግርኛ"),
    ("so", "Soomaali"),
    ("pl", "Polski"),
]

# Procedure's required field names mapped to the form fields that carry them.
REQUIRED_FIELD_MAP = {
    "title": ["title"],
    "format": ["format"],
    "start": ["starts_at"],
    "end": ["ends_at"],
    "location": ["kreis"],
    "languages": ["languages"],
    "goals": ["goals"],
    "reach": ["participants"],
    "staff_hours": ["staff_hours"],
    "description": ["description"],
    "reflection": ["reflection"],
    "network_partners": ["network_partners"],
}


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class ActivityForm(KernForm):
    """Everything about one activity on one mobile-first page."""

    version = version_field()
    title = forms.CharField(label=_("Titel"), max_length=200)
    format = forms.ModelChoiceField(label=_("Format"), queryset=Format.objects.none())
    starts_at = forms.DateTimeField(label=_("Beginn"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ende"), widget=DateTimeInput())
    online = forms.BooleanField(label=_("Online"), required=False)
    kreis = forms.ModelChoiceField(
        label=_("Kreis oder kreisfreie Stadt"), queryset=Kreis.objects.all(), required=False
    )
    place_name = forms.CharField(label=_("Ort"), max_length=120, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Sprachen"),
        choices=LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("Ziele"),
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    network_partners = forms.ModelMultipleChoiceField(
        label=_("Kooperationspartner"),
        queryset=NetworkPartner.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    participants = forms.IntegerField(label=_("Teilnehmende insgesamt"), required=False)
    first_timers = forms.IntegerField(label=_("davon zum ersten Mal"), required=False)
    staff_hours = forms.DecimalField(
        label=_("Personalstunden"), max_digits=7, decimal_places=2, required=False
    )
    description = forms.CharField(
        label=_("Beschreibung"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reflection = forms.CharField(
        label=_("Reflexion: Was hat funktioniert, was nicht?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        agreement: Agreement,
        organisation_ids: set[int],
        required_fields: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        self.required_fields = required_fields
        self.fields["format"].queryset = Format.objects.filter(agreement=agreement).exclude(
            status=Format.Status.DROPPED
        )
        self.fields["goals"].queryset = Goal.objects.filter(agreement=agreement)
        self.fields["network_partners"].queryset = NetworkPartner.objects.filter(
            organisation_id__in=organisation_ids
        )
        self.categories = list(ReachCategory.objects.filter(agreement=agreement))
        for category in self.categories:
            self.fields[field_name(category)] = forms.IntegerField(
                label=category.label,
                required=False,
                widget=forms.NumberInput(
                    attrs={"inputmode": "numeric", "min": 0, "class": "kern-form-input__input"}
                ),
            )
        for name in ("participants", "first_timers"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "min": 0})

    def reach_fields(self) -> dict[str, list[forms.BoundField]]:
        """The reach fields grouped by dimension label, for fieldsets in the template."""
        groups: dict[str, list[forms.BoundField]] = {}
        for category in self.categories:
            label = ReachCategory.Dimension(category.dimension).label
            groups.setdefault(str(label), []).append(self[field_name(category)])
        return groups

    def check_required(self) -> None:
        """Documenting (not drafting) needs the fields the § 7 procedure requires."""
        for required in self.required_fields:
            for name in REQUIRED_FIELD_MAP.get(required, []):
                value = self.cleaned_data.get(name)
                if name == "kreis" and self.cleaned_data.get("online"):
                    continue
                if value in (None, "", [], ()) or (hasattr(value, "exists") and not value.exists()):
                    self.add_error(
                        name, _("Das Dokumentationsverfahren (§ 7) verlangt diese Angabe.")
                    )

    def to_data(self) -> ActivityData:
        """The cleaned form as the services' ``ActivityData``."""
        data = self.cleaned_data
        return ActivityData(
            format=data["format"],
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            online=data.get("online", False),
            kreis=data.get("kreis"),
            place_name=data.get("place_name", ""),
            languages=list(data.get("languages") or []),
            goals=list(data.get("goals") or []),
            network_partners=list(data.get("network_partners") or []),
            staff_hours=data.get("staff_hours"),
            description=data.get("description", ""),
            reflection=data.get("reflection", ""),
            participants=data.get("participants") or 0,
            first_timers=data.get("first_timers") or 0,
            reach={c.pk: data.get(field_name(c)) or 0 for c in self.categories},
        )


def initial_from_activity(activity: Activity) -> dict[str, Any]:
    """Form values of a stored activity (for editing and for the conflict page)."""
    from django.utils import timezone

    initial: dict[str, Any] = {
        "version": activity.version,
        "title": activity.title,
        "format": activity.format_id,
        "starts_at": timezone.localtime(activity.starts_at),
        "ends_at": timezone.localtime(activity.ends_at),
        "online": activity.online,
        "kreis": activity.kreis_id,
        "place_name": activity.place_name,
        "languages": activity.languages,
        "goals": [g.pk for g in activity.goals.all()],
        "network_partners": [p.pk for p in activity.network_partners.all()],
        "participants": activity.participants,
        "first_timers": activity.first_timers,
        "staff_hours": activity.staff_hours,
        "description": activity.description,
        "reflection": activity.reflection,
    }
    by_category = {r.category_id: r.count for r in activity.reach.all()}
    for category in ReachCategory.objects.filter(agreement_id=activity.agreement_id):
        initial[field_name(category)] = by_category.get(category.pk, 0)
    return initial

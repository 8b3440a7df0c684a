"""The activity list's filters, read from a query string (shared by list and exports)."""

from collections.abc import Sequence

from django import forms
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from buendnis.activities.models import Activity, Format, Kreis
from buendnis.activities.selectors import ActivityFilter
from buendnis.agreements.models import Agreement, Goal
from buendnis.core.forms import KernForm, choices_of
from buendnis.core.fragments import digest
from buendnis.core.versioned import remembered

# The selects whose choices are kept between views (``rendering_key``).
KEPT_CHOICES = ("format", "goal", "kreis")


class ActivityFilterForm(KernForm):
    """Filters for the activity list and its exports; unknown values are ignored."""

    empty_label = _("– alle –")

    q = forms.CharField(label=_("Suche"), required=False, max_length=100)
    year = forms.IntegerField(label=_("Jahr"), required=False, min_value=2000, max_value=2100)
    # the user's agreements are read already: the choice is checked against them, unread
    agreement = forms.TypedChoiceField(
        label=_("Vereinbarung"), coerce=int, empty_value=None, required=False
    )
    format = forms.ModelChoiceField(
        label=_("Format"), queryset=Format.objects.none(), required=False
    )
    goal = forms.ModelChoiceField(label=_("Ziel"), queryset=Goal.objects.none(), required=False)
    kreis = forms.ModelChoiceField(label=_("Kreis"), queryset=Kreis.objects.all(), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("– alle –")), *Activity.Status.choices], required=False
    )
    overdue = forms.BooleanField(label=_("nur überfällige"), required=False)
    mine = forms.BooleanField(label=_("nur meine"), required=False)

    def __init__(self, data: QueryDict, *, agreements: Sequence[Agreement]) -> None:
        """``agreements``: the user's, already read (their choices need no second query)."""
        super().__init__(data)
        ids = self._agreement_ids = [agreement.pk for agreement in agreements]
        self.fields["agreement"].choices = [
            ("", self.empty_label),
            *((agreement.pk, str(agreement)) for agreement in agreements),
        ]
        self.fields["format"].queryset = Format.objects.filter(agreement_id__in=ids)
        self.fields["goal"].queryset = Goal.objects.filter(agreement_id__in=ids)

    def rendering_key(self, version: tuple) -> str:
        """A key for the rendered fields (``core.fragments``): all they show.

        That is each field's sent values, each select's choices (set here once, for the key
        and the rendering alike) and the errors. The formats, goals and Kreise are read once
        per ``version`` (``list_versions``: the stamps of their tables) and agreements.
        """
        kept = remembered(
            "activity-filter-choices",
            (translation.get_language(), self._agreement_ids, version),
            lambda: {name: choices_of(self.fields[name]) for name in KEPT_CHOICES},
        )
        choices = []
        for name, field in self.fields.items():
            if isinstance(field, forms.ChoiceField):
                field.choices = kept[name] if name in kept else choices_of(field)
                choices.append((name, field.choices))
        sent = [(name, self.data.getlist(name)) for name in self.fields]
        return digest(sent, choices, self.errors)

    def to_filter(self) -> ActivityFilter:
        """The valid filters as an ``ActivityFilter``; invalid ones are left out."""
        data = self.cleaned_data if self.is_valid() else {}
        return ActivityFilter(
            year=data.get("year"),
            agreement=data.get("agreement"),
            format=data["format"].pk if data.get("format") else None,
            goal=data["goal"].pk if data.get("goal") else None,
            kreis=data["kreis"].pk if data.get("kreis") else None,
            status=data.get("status") or None,
            search=data.get("q", ""),
            overdue=bool(data.get("overdue")),
            mine=bool(data.get("mine")),
        )

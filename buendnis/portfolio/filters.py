"""The portfolio's filters: a GET form, so every view of the portfolio is a bookmark."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from buendnis.activities.models import Format, Kreis
from buendnis.agreements.models import Agreement, Goal

YEARS_BACK = 9  # how many years before the current one the form offers
DEFAULT_YEARS = 3


@dataclass(frozen=True)
class Filters:
    """What the viewer asked for, checked against what they may see."""

    years: list[int]
    agreements: list[Agreement]
    regierungsbezirke: list[str] = field(default_factory=list)
    kreise: list[str] = field(default_factory=list)
    format: str = ""
    goal: Goal | None = None

    @property
    def regional(self) -> bool:
        return bool(self.regierungsbezirke or self.kreise)

    def kreis_keys(self, kreise: list[tuple[str, str]]) -> list[str]:
        """The chosen Kreise: named ones and those in a chosen Regierungsbezirk (all if none)."""
        if not self.regional:
            return [ags for ags, _rb in kreise]
        return [ags for ags, rb in kreise if ags in self.kreise or rb in self.regierungsbezirke]


def default_years(today: datetime.date) -> list[int]:
    """The last three calendar years, the current one included."""
    return list(range(today.year - DEFAULT_YEARS + 1, today.year + 1))


class PortfolioFilterForm(forms.Form):
    """Years, agreements, Regierungsbezirk and Kreis, format and goal."""

    years = forms.TypedMultipleChoiceField(
        label=_("Jahre"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Unbekanntes Jahr: %(value)s")},
    )
    agreements = forms.MultipleChoiceField(
        label=_("Vereinbarungen"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Unbekannte Vereinbarung: %(value)s")},
    )
    regierungsbezirke = forms.MultipleChoiceField(
        label=_("Regierungsbezirke"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Unbekannter Regierungsbezirk: %(value)s")},
    )
    kreise = forms.MultipleChoiceField(
        label=_("Kreise und kreisfreie Städte"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Unbekannter Kreis: %(value)s")},
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        error_messages={"invalid_choice": _("Unbekanntes Format: %(value)s")},
    )
    goal = forms.TypedChoiceField(
        label=_("Ziel"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Unbekanntes Ziel: %(value)s")},
    )

    def __init__(
        self, *args: Any, agreements: list[Agreement], today: datetime.date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.available = agreements
        self.today = today
        self.fields["years"].choices = [
            (year, str(year)) for year in range(today.year, today.year - YEARS_BACK - 1, -1)
        ]
        self.fields["agreements"].choices = [(a.slug, a.title) for a in agreements]
        # Unfiltered, the page shows its defaults ticked: what the figures cover.
        self.fields["years"].initial = default_years(today)
        self.fields["agreements"].initial = [a.slug for a in agreements]
        kreise = list(Kreis.objects.order_by("ags").values_list("ags", "name", "regierungsbezirk"))
        self.fields["regierungsbezirke"].choices = [
            (rb, rb) for rb in sorted({rb for _ags, _name, rb in kreise})
        ]
        self.fields["kreise"].choices = [(ags, name) for ags, name, _rb in kreise]
        formats = dict(
            Format.objects.filter(agreement__in=agreements)
            .order_by("-agreement__slug", "key")
            .values_list("key", "name")
        )
        self.fields["format"].choices = [
            ("", _("alle Formate")),
            *sorted(formats.items(), key=lambda item: item[1]),
        ]
        goals = Goal.objects.filter(agreement__in=agreements).select_related("agreement")
        self.fields["goal"].choices = [("", _("alle Ziele"))] + [
            (goal.pk, f"{goal.agreement.title}: {goal}")
            for goal in goals.order_by("agreement__title", "code")
        ]

    def filters(self) -> Filters:
        """The checked filters, with the defaults: the last three years, every agreement."""
        data = self.cleaned_data
        years = sorted(data.get("years") or [])
        if not years:
            years = default_years(self.today)
        slugs = set(data.get("agreements") or [])
        agreements = [a for a in self.available if not slugs or a.slug in slugs]
        goal = None
        if data.get("goal") is not None:
            goal = Goal.objects.select_related("agreement").get(pk=data["goal"])
        return Filters(
            years=years,
            agreements=agreements,
            regierungsbezirke=list(data.get("regierungsbezirke") or []),
            kreise=list(data.get("kreise") or []),
            format=data.get("format") or "",
            goal=goal,
        )

"""The form for proposing a new version of the § 7 documentation procedure."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from buendnis.agreements.models import Agreement, DocumentationProcedure
from buendnis.core.forms import KernForm


def category_choices(agreement: Agreement) -> list[tuple[str, str]]:
    """The agreement's reach categories as ("dimension:key", "label (dimension)")."""
    from buendnis.activities.models import ReachCategory

    return [
        (f"{c.dimension}:{c.key}", f"{c.label} ({c.get_dimension_display()})")
        for c in ReachCategory.objects.filter(agreement=agreement)
    ]


class ProcedureForm(KernForm):
    deadline_days = forms.IntegerField(
        label=_("Frist in Tagen nach der Aktivität"),
        min_value=1,
        max_value=365,
        help_text=_("Bis wann eine Aktivität dokumentiert sein soll, gezählt ab ihrem Ende."),
    )
    required_fields = forms.MultipleChoiceField(
        label=_("Pflichtangaben"),
        choices=DocumentationProcedure.Field.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    categories = forms.MultipleChoiceField(
        label=_("Kategorien der Reichweite"),
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(
        label=_("Anmerkung oder Begründung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = category_choices(agreement)
        self.fields["deadline_days"].widget.attrs["inputmode"] = "numeric"


def initial_from(procedure: DocumentationProcedure | None) -> dict[str, Any]:
    """Start a new version from the one in effect."""
    if procedure is None:
        return {"deadline_days": 14, "required_fields": ["title", "format", "start", "end"]}
    return {
        "deadline_days": procedure.deadline_days,
        "required_fields": list(procedure.required_fields),
        "categories": list(procedure.categories),
    }

"""Shared form helpers."""

from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _


class KernForm(forms.Form):
    """A form whose text inputs carry the KERN UX input class, with German empty choices."""

    empty_label = _("– bitte wählen –")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and field.empty_label is not None:
                field.empty_label = self.empty_label
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                continue
            if isinstance(widget, forms.Select):
                continue
            widget.attrs["class"] = "kern-form-input__input"


def version_field() -> forms.IntegerField:
    """The hidden ``version`` an edit form sends back (see ``core.locking``)."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class VersionedForm(KernForm):
    """An edit form of a versioned record: it carries the version it was loaded with."""

    version = version_field()

    def expected_version(self) -> int:
        """The version the edit began from; 0 (never stored) when the form did not send one."""
        return self.cleaned_data.get("version") or 0


def choices_of(field: forms.ChoiceField) -> list:
    """A select's choices, a model field's read with one plain query.

    Django's iterator counts a model field's choices first and reads them through a
    server-side cursor on PostgreSQL: four round trips where one does.
    """
    choices = field.choices
    if not isinstance(choices, ModelChoiceIterator):
        return list(choices)
    empty = [("", field.empty_label)] if field.empty_label is not None else []  # type: ignore[attr-defined]
    return empty + [choices.choice(obj) for obj in field.queryset]  # type: ignore[attr-defined]

"""Shared form helpers."""

from typing import Any

from django import forms
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

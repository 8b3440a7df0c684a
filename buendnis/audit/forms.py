"""The filter of the audit log page."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from buendnis.audit.models import AuditEntry
from buendnis.audit.recording import object_type_labels
from buendnis.audit.selectors import AuditFilter


class AuditFilterForm(forms.Form):
    """Period, person, object type and action; all optional."""

    date_from = forms.DateField(
        label=_("Von"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Bis"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    person = forms.CharField(label=_("Person (Benutzername)"), required=False, max_length=150)
    object_type = forms.ChoiceField(label=_("Art"), required=False)
    action = forms.ChoiceField(
        label=_("Aktion"),
        required=False,
        choices=[("", _("alle")), *AuditEntry.Action.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", _("alle")), *object_type_labels().items()]

    def criteria(self) -> AuditFilter:
        """The valid filter (invalid parts are ignored and shown as errors)."""
        data = self.cleaned_data if self.is_valid() else {}
        return AuditFilter(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            person=(data.get("person") or "").strip(),
            object_type=data.get("object_type") or "",
            action=data.get("action") or "",
        )

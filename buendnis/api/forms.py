from django import forms
from django.utils.translation import gettext_lazy as _

from buendnis.api.models import ApiToken
from buendnis.core.forms import KernForm


class TokenForm(KernForm):
    name = forms.CharField(
        label=_("Bezeichnung"),
        max_length=80,
        help_text=_("Wofür der Schlüssel ist, z. B. „Terminverwaltung“."),
    )
    scope = forms.ChoiceField(label=_("Berechtigung"), choices=ApiToken.Scope.choices)

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """A code from the authenticator app (or, at login, a recovery code)."""

    code = forms.CharField(label=_("Code"), max_length=32, strip=True)


class UsernameForm(forms.Form):
    """The account an admin acts on."""

    username = forms.CharField(label=_("Benutzername"), max_length=150, strip=True)

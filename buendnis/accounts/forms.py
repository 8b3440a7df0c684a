"""Forms for organisations, invitations, roles and passwords, in KERN UX dress."""

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from buendnis.accounts.models import Membership, Organisation, User
from buendnis.accounts.policy import AnyUser, assignable_roles
from buendnis.core.forms import KernForm

PASSWORD_HINT = _(
    "Mindestens 8 Zeichen, nicht nur Ziffern, kein gängiges Passwort und nicht ähnlich zu "
    "Ihrem Namen."
)


def _kern_dress(form: forms.BaseForm) -> None:
    """Give text inputs KERN's input class and password fields a plain-text hint."""
    for name, field in form.fields.items():
        if not isinstance(field.widget, forms.CheckboxInput | forms.Select):
            field.widget.attrs["class"] = "kern-form-input__input"
        if name in {"new_password1", "password1"}:
            field.help_text = PASSWORD_HINT


class OrganisationForm(KernForm):
    name = forms.CharField(label=_("Name"), max_length=300)
    short_name = forms.CharField(label=_("Kurzname"), max_length=80, required=False)
    kind = forms.ChoiceField(label=_("Art"), choices=Organisation.Kind.choices)
    sector = forms.ChoiceField(label=_("Sektor"), choices=Organisation.Sector.choices)
    aliases = forms.CharField(
        label=_("Andere Schreibweisen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Eine je Zeile: Namen, unter denen die Organisation in Texten vorkommt."),
    )

    def __init__(self, *args: Any, organisation: Organisation | None = None, **kwargs: Any):
        self.organisation = organisation
        if organisation is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": organisation.name,
                "short_name": organisation.short_name,
                "kind": organisation.kind,
                "sector": organisation.sector,
                "aliases": "\n".join(organisation.aliases),
            }
        super().__init__(*args, **kwargs)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = Organisation.objects.filter(name__iexact=name)
        if self.organisation is not None:
            taken = taken.exclude(pk=self.organisation.pk)
        if taken.exists():
            raise forms.ValidationError(_("Eine Organisation mit diesem Namen gibt es schon."))
        return name

    def to_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["aliases"] = [line for line in data["aliases"].splitlines() if line.strip()]
        return data


class InvitationForm(KernForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    email = forms.EmailField(label=_("E-Mail-Adresse"))
    role = forms.ChoiceField(label=_("Rolle"), choices=Membership.Role.choices)

    def __init__(self, *args: Any, user: AnyUser, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].empty_label = None
        offered = {
            role for organisation in organisations for role in assignable_roles(user, organisation)
        }
        self.fields["role"].choices = [c for c in Membership.Role.choices if c[0] in offered]
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        organisation, role, email = data.get("organisation"), data.get("role"), data.get("email")
        if (
            organisation is not None
            and role
            and role not in assignable_roles(self.user, organisation)
        ):
            self.add_error(
                "role", _("Diese Rolle können Sie in dieser Organisation nicht vergeben.")
            )
        if organisation is not None and email:
            exists = User.objects.filter(
                email__iexact=email, memberships__organisation=organisation
            ).exists()
            if exists:
                self.add_error(
                    "email",
                    _(
                        "Diese Person hat schon ein Konto in der Organisation; "
                        "ändern Sie dort ihre Rolle."
                    ),
                )
        return data


class RoleForm(KernForm):
    role = forms.ChoiceField(label=_("Rolle"), choices=Membership.Role.choices)

    def __init__(self, *args: Any, user: AnyUser, membership: Membership, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"role": membership.role})
        super().__init__(*args, **kwargs)
        roles = set(assignable_roles(user, membership.organisation)) | {membership.role}
        self.fields["role"].choices = [c for c in Membership.Role.choices if c[0] in roles]
        self.fields["role"].label = _("Rolle in %(organisation)s") % {
            "organisation": membership.organisation.display_name
        }


class AcceptInvitationForm(KernForm):
    first_name = forms.CharField(label=_("Vorname"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nachname"), max_length=150, required=False)
    username = forms.CharField(
        label=_("Benutzername"),
        max_length=150,
        help_text=_("Damit melden Sie sich an. Buchstaben, Ziffern und @ . + - _"),
        validators=[User.username_validator],
    )
    password1 = forms.CharField(
        label=_("Passwort"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Passwort wiederholen"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields[
            "password1"
        ].help_text = password_validation.password_validators_help_text_html()

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Dieser Benutzername ist schon vergeben."))
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Die beiden Passwörter stimmen nicht überein."))
        elif password1:
            candidate = User(
                username=data.get("username", ""),
                email=self.email,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class KernPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _kern_dress(self)


class KernPasswordResetForm(PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _kern_dress(self)


class KernSetPasswordForm(SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _kern_dress(self)


class ProfileForm(KernForm):
    first_name = forms.CharField(label=_("Vorname"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nachname"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        required=False,
        help_text=_("Dorthin schickt Bündnis Erinnerungen und den Link für ein neues Passwort."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"first_name": user.first_name, "last_name": user.last_name, "email": user.email},
        )
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"


class PseudonymiseForm(KernForm):
    """The confirmation that a departed person's account is to be pseudonymised for good."""

    confirm = forms.BooleanField(
        label=_("Ich weiß, dass die Pseudonymisierung nicht rückgängig gemacht werden kann."),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("confirm"):
            raise forms.ValidationError(
                _(
                    "Bitte bestätigen Sie, dass die Pseudonymisierung nicht rückgängig gemacht "
                    "werden kann."
                )
            )
        return data

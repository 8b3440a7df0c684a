"""Pages for one's own account, organisations (admin) and people (coordinators, ministry)."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.messages.views import SuccessMessageMixin
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from buendnis.accounts import data_export, selectors, services
from buendnis.accounts.forms import (
    AcceptInvitationForm,
    InvitationForm,
    KernPasswordChangeForm,
    KernPasswordResetForm,
    KernSetPasswordForm,
    OrganisationForm,
    ProfileForm,
    PseudonymiseForm,
    RoleForm,
)
from buendnis.accounts.models import Invitation, Membership, Organisation, User
from buendnis.accounts.policy import Action, can, requires


def _absolute(request: HttpRequest, path: str) -> str:
    """A link for an e-mail: under ``PUBLIC_URL`` when set, else the address asked under."""
    if settings.PUBLIC_URL:
        return settings.PUBLIC_URL.rstrip("/") + path
    return request.build_absolute_uri(path)


def _organisation_for_user(request: HttpRequest, pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not can(request.user, Action.PEOPLE_MANAGE, organisation):
        raise Http404
    return organisation


def _person_for_user(request: HttpRequest, pk: int) -> User:
    """A person the user manages; anyone else's person is a 404, not a 403."""
    person = get_object_or_404(User, pk=pk)
    if not can(request.user, Action.PEOPLE_MANAGE, person):
        raise Http404
    return person


# --- one's own account ----------------------------------------------------------------


@requires(Action.ACCOUNT_MANAGE)
def profile(request: HttpRequest) -> HttpResponse:
    """„Mein Konto“: name, e-mail address, roles, and the way to a new password."""
    form = ProfileForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(user=request.user, **form.cleaned_data)
        messages.success(request, _("Ihre Angaben sind gespeichert."))
        return redirect("accounts:profile")
    memberships = request.user.memberships.select_related("organisation").order_by(
        "organisation__name"
    )
    context = {"form": form, "memberships": memberships}
    return render(request, "accounts/profile.html", context)


@requires(Action.ACCOUNT_DATA_EXPORT)
def account_data(request: HttpRequest) -> HttpResponse:
    """Download one's own account data as JSON (GDPR Art. 15 and 20)."""
    if not can(request.user, Action.ACCOUNT_DATA_EXPORT, request.user):
        raise Http404
    response = JsonResponse(
        data_export.account_data(request.user),
        encoder=DjangoJSONEncoder,
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="buendnis-konto-{day}.json"'
    response["Cache-Control"] = "no-store"
    return response


class _PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    form_class = KernPasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")
    success_message = gettext_lazy("Ihr Passwort ist geändert.")


class _PasswordResetView(auth_views.PasswordResetView):
    """Django's reset: the same answer whether or not the address has an account."""

    form_class = KernPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        if settings.PUBLIC_URL:
            scheme, _sep, domain = settings.PUBLIC_URL.rstrip("/").partition("://")
            self.extra_email_context = {"protocol": scheme, "domain": domain}
        return super().form_valid(form)


class _PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = KernSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


password_change = requires(Action.ACCOUNT_MANAGE)(_PasswordChangeView.as_view())
password_reset = requires(Action.PUBLIC)(_PasswordResetView.as_view())
password_reset_done = requires(Action.PUBLIC)(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = requires(Action.PUBLIC)(_PasswordResetConfirmView.as_view())
password_reset_complete = requires(Action.PUBLIC)(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"
    )
)


# --- organisations (admin) ------------------------------------------------------------


@requires(Action.ORGANISATION_MANAGE)
def organisation_list(request: HttpRequest) -> HttpResponse:
    context = {"organisations": selectors.organisation_list()}
    return render(request, "accounts/organisation_list.html", context)


@requires(Action.ORGANISATION_MANAGE)
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_create(**form.to_data())
        messages.success(request, _("„%(name)s“ ist angelegt.") % {"name": organisation.name})
        return redirect("accounts:organisation_list")
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": None})


@requires(Action.ORGANISATION_MANAGE)
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    form = OrganisationForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_update(organisation=organisation, **form.to_data())
        messages.success(request, _("Die Änderungen sind gespeichert."))
        return redirect("accounts:organisation_list")
    context = {
        "form": form,
        "organisation": organisation,
        "deletable": not services.organisation_has_records(organisation=organisation),
    }
    return render(request, "accounts/organisation_form.html", context)


@requires(Action.ORGANISATION_MANAGE)
@require_POST
def organisation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    try:
        services.organisation_delete(organisation=organisation)
    except services.NotAllowed as refused:
        messages.error(request, str(refused))
        return redirect("accounts:organisation_edit", pk=organisation.pk)
    messages.success(request, _("„%(name)s“ ist gelöscht.") % {"name": organisation.name})
    return redirect("accounts:organisation_list")


# --- people (coordinators, ministry, admin) -------------------------------------------


@requires(Action.PEOPLE_LIST)
def people_list(request: HttpRequest) -> HttpResponse:
    organisations = selectors.managed_organisations(user=request.user)
    organisation = None
    if request.GET.get("organisation"):
        organisation = _organisation_for_user(request, _int(request.GET["organisation"]))
    people = selectors.people_list(user=request.user, organisation=organisation)
    context = {
        "organisations": organisations,
        "organisation": organisation,
        "people": people,
        "manageable": {p.pk for p in people if can(request.user, Action.PEOPLE_MANAGE, p)},
        "invitations": selectors.open_invitations(user=request.user, organisation=organisation),
    }
    return render(request, "accounts/people_list.html", context)


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise Http404 from None


@requires(Action.PEOPLE_LIST)
def invitation_create(request: HttpRequest) -> HttpResponse:
    organisations = selectors.managed_organisations(user=request.user)
    initial = {}
    if request.GET.get("organisation"):
        initial["organisation"] = _organisation_for_user(request, _int(request.GET["organisation"]))
    form = InvitationForm(
        request.POST or None, user=request.user, organisations=organisations, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invitation_create(
                organisation=data["organisation"],
                email=data["email"],
                role=data["role"],
                invited_by=request.user,
                accept_url=lambda token: _absolute(
                    request, reverse("accounts:invitation_accept", args=[token])
                ),
            )
        except services.NotAllowed as refused:
            form.add_error("role", str(refused))
        else:
            messages.success(
                request,
                ngettext(
                    "Die Einladung an %(email)s ist verschickt; der Link gilt %(days)s Tag.",
                    "Die Einladung an %(email)s ist verschickt; der Link gilt %(days)s Tage.",
                    settings.INVITATION_DAYS,
                )
                % {"email": invitation.email, "days": settings.INVITATION_DAYS},
            )
            return redirect("accounts:people_list")
    context = {"form": form, "days": settings.INVITATION_DAYS}
    return render(request, "accounts/invitation_form.html", context)


@requires(Action.PEOPLE_MANAGE)
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk)
    if not can(request.user, Action.PEOPLE_MANAGE, invitation.organisation):
        raise Http404
    services.invitation_revoke(invitation=invitation)
    messages.success(
        request, _("Die Einladung an %(email)s ist zurückgezogen.") % {"email": invitation.email}
    )
    return redirect("accounts:people_list")


@requires(Action.PUBLIC)
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the e-mail: choose a user name and password, once, before it expires."""
    invitation = services.invitation_open(token=token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.invitation_accept(
                token=token,
                username=data["username"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except services.NotAllowed:
            return render(request, "accounts/invitation_invalid.html", status=404)
        messages.success(request, _("Ihr Konto ist angelegt. Bitte melden Sie sich jetzt an."))
        return redirect("accounts:login")
    context = {"form": form, "invitation": invitation}
    return render(request, "accounts/invitation_accept.html", context)


@requires(Action.PEOPLE_MANAGE)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_for_user(request, pk)
    return _render_person(request, person)


def _render_person(
    request: HttpRequest, person: User, bound: RoleForm | None = None, status: int = 200
) -> HttpResponse:
    memberships = selectors.person_memberships(user=request.user, person=person)
    forms = [
        (
            membership,
            bound
            if bound is not None and bound.prefix == f"m{membership.pk}"
            else RoleForm(user=request.user, membership=membership, prefix=f"m{membership.pk}"),
        )
        for membership in memberships
    ]
    context = {
        "person": person,
        "forms": forms,
        "pseudonymisation": selectors.pseudonymisation_of(person),
    }
    return render(request, "accounts/person_detail.html", context, status=status)


@requires(Action.PEOPLE_MANAGE)
@require_POST
def person_role(request: HttpRequest, pk: int, membership: int) -> HttpResponse:
    person = _person_for_user(request, pk)
    membership_obj = get_object_or_404(Membership, pk=membership, user=person)
    if not can(request.user, Action.PEOPLE_MANAGE, membership_obj.organisation):
        raise Http404
    form = RoleForm(
        request.POST, user=request.user, membership=membership_obj, prefix=f"m{membership_obj.pk}"
    )
    if not form.is_valid():
        return _render_person(request, person, bound=form, status=400)
    try:
        services.membership_change_role(
            membership=membership_obj, role=form.cleaned_data["role"], changed_by=request.user
        )
    except services.NotAllowed as refused:
        form.add_error("role", str(refused))
        return _render_person(request, person, bound=form, status=400)
    messages.success(request, _("Die Rolle ist geändert."))
    return redirect("accounts:person_detail", pk=person.pk)


@requires(Action.PEOPLE_MANAGE)
@require_POST
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_for_user(request, pk)
    try:
        services.user_deactivate(user=person, deactivated_by=request.user)
    except services.NotAllowed as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _(
                "Das Konto ist deaktiviert. Alles, was die Person dokumentiert hat, "
                "bleibt erhalten."
            ),
        )
    return redirect("accounts:person_detail", pk=person.pk)


@requires(Action.PEOPLE_MANAGE)
@require_POST
def person_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_for_user(request, pk)
    try:
        services.user_reactivate(user=person)
    except services.NotAllowed as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Das Konto ist wieder aktiv."))
    return redirect("accounts:person_detail", pk=person.pk)


@requires(Action.PEOPLE_MANAGE)
def person_pseudonymise(request: HttpRequest, pk: int) -> HttpResponse:
    """A departed person: confirm, then deactivate and pseudonymise the account for good."""
    person = _person_for_user(request, pk)
    if selectors.pseudonymisation_of(person) is not None:
        return redirect("accounts:person_detail", pk=person.pk)
    form = PseudonymiseForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                record = services.user_pseudonymise(user=person, pseudonymised_by=request.user)
            except services.NotAllowed as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(
                    request,
                    _(
                        "Das Konto ist deaktiviert und pseudonymisiert. Die Einträge der Person "
                        "erscheinen jetzt unter „%(pseudonym)s“."
                    )
                    % {"pseudonym": services.pseudonym(record)},
                )
                return redirect("accounts:person_detail", pk=person.pk)
    context = {"person": person, "form": form}
    return render(request, "accounts/person_pseudonymise.html", context, status=status)

"""Account security pages: the second factor, the session list and the admins' tools."""

import base64

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buendnis.accounts.models import User
from buendnis.accounts.policy import Action, can, requires
from buendnis.accounts.security import selectors, services
from buendnis.accounts.security.forms import CodeForm, UsernameForm
from buendnis.accounts.security.middleware import second_factor_settled

RECOVERY_CODES_KEY = "_buendnis_new_recovery_codes"


def _next_url(request: HttpRequest, default: str = "core:home") -> str:
    """The validated ``next`` parameter, or the default page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _show_codes(request: HttpRequest, codes: list[str]) -> HttpResponse:
    """Keep new recovery codes for one display on the next page (post/redirect/get)."""
    request.session[RECOVERY_CODES_KEY] = codes
    return redirect("security:recovery_codes")


@requires(Action.SECURITY_OWN)
def overview(request: HttpRequest) -> HttpResponse:
    """The user's own security page: second factor and signed-in sessions."""
    user = request.user
    return render(
        request,
        "security/overview.html",
        {
            "device": selectors.confirmed_totp_device(user),
            "required": selectors.second_factor_required(user),
            "codes_left": selectors.recovery_codes_left(user),
            "sessions": selectors.live_sessions(user),
            "current_key": request.session.session_key,
            "idle_minutes": settings.SESSION_IDLE_MINUTES,
            "max_hours": settings.SESSION_MAX_HOURS,
            "may_manage": can(user, Action.SECURITY_MANAGE),
        },
    )


@requires(Action.SECURITY_OWN)
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: QR code and manual key, confirmed with one code."""
    user = request.user
    if selectors.confirmed_totp_device(user) is not None and request.method == "GET":
        messages.info(request, _("Sie nutzen bereits eine Authenticator-App."))
        return redirect("security:overview")
    device = services.totp_enrolment_start(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_enrolment_confirm(
            user=user, device=device, token=form.cleaned_data["code"]
        )
        if codes is not None:
            second_factor_settled(request)
            services.session_rekey(request=request)
            request.session["_buendnis_after_codes"] = _next_url(request, "")
            return _show_codes(request, codes)
        form.add_error("code", _("Der Code stimmt nicht. Bitte geben Sie den aktuellen Code ein."))
    secret = base64.b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "security/enrol.html",
        {
            "form": form,
            "qr": qr.svg_data_uri(scale=5, border=2),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "required": selectors.second_factor_required(user),
            "next": _next_url(request, ""),
        },
        status=200 if request.method == "GET" or form.is_valid() else 400,
    )


@requires(Action.SECURITY_OWN)
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Show freshly made recovery codes once."""
    codes = request.session.pop(RECOVERY_CODES_KEY, None)
    if not codes:
        return redirect("security:overview")
    after = request.session.pop("_buendnis_after_codes", "") or ""
    return render(request, "security/recovery_codes.html", {"codes": codes, "after": after})


@requires(Action.SECURITY_OWN)
@require_POST
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    """Replace the recovery codes (the old ones stop working)."""
    if selectors.confirmed_totp_device(request.user) is None:
        return redirect("security:overview")
    return _show_codes(request, services.recovery_codes_renew(user=request.user))


@requires(Action.SECURITY_OWN)
def verify(request: HttpRequest) -> HttpResponse:
    """The login's second step: a code from the app or a recovery code."""
    user = request.user
    if selectors.confirmed_totp_device(user) is None:
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.second_factor_verify(user=user, code=form.cleaned_data["code"]):
            second_factor_settled(request)
            services.session_rekey(request=request)
            return redirect(_next_url(request))
        form.add_error(
            "code",
            _(
                "Der Code stimmt nicht oder wurde schon verwendet. Nach mehreren falschen "
                "Codes müssen Sie kurz warten."
            ),
        )
    return render(
        request,
        "security/verify.html",
        {"form": form, "next": _next_url(request, "")},
        status=200 if request.method == "GET" else 400,
    )


@requires(Action.SECURITY_OWN)
@require_POST
def second_factor_remove(request: HttpRequest) -> HttpResponse:
    """Switch one's own second factor off, where the role does not require it."""
    user = request.user
    if selectors.second_factor_required(user):
        messages.error(request, _("Für Ihre Rolle ist die Zwei-Faktor-Anmeldung vorgeschrieben."))
        return redirect("security:overview")
    # Re-authentication before switching a factor off (ASVS 3.7.1): a current code.
    form = CodeForm(request.POST)
    if not form.is_valid() or not services.second_factor_verify(
        user=user, code=form.cleaned_data["code"]
    ):
        messages.error(request, _("Der Code stimmt nicht. Bitte geben Sie den aktuellen Code ein."))
        return redirect("security:overview")
    services.second_factor_reset(user=user, by_admin=False)
    logout(request)
    messages.info(
        request, _("Die Zwei-Faktor-Anmeldung ist ausgeschaltet. Bitte melden Sie sich neu an.")
    )
    return redirect("accounts:login")


@requires(Action.SECURITY_OWN)
@require_POST
def session_end(request: HttpRequest, session_id: int) -> HttpResponse:
    """End one of one's own sessions on another device."""
    if not services.session_end(user=request.user, session_id=session_id):
        messages.error(request, _("Diese Sitzung gibt es nicht mehr."))
    else:
        messages.success(request, _("Die Sitzung wurde beendet."))
    return redirect("security:overview")


@requires(Action.SECURITY_OWN)
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session of the user, this one included."""
    services.sessions_end_all(user=request.user)
    logout(request)
    messages.info(request, _("Sie wurden auf allen Geräten abgemeldet."))
    return redirect("accounts:login")


# --- admins ---------------------------------------------------------------------------


@requires(Action.SECURITY_MANAGE)
def manage(request: HttpRequest) -> HttpResponse:
    """Locked usernames and addresses with an unlock button; second-factor reset."""
    return render(
        request,
        "security/manage.html",
        {"lockouts": selectors.current_lockouts(), "form": UsernameForm()},
    )


@requires(Action.SECURITY_MANAGE)
@require_POST
def unlock(request: HttpRequest) -> HttpResponse:
    """Lift a lockout now instead of after the cool-off."""
    username = request.POST.get("username", "")
    address = request.POST.get("address", "")
    if not username and not address:
        messages.error(request, _("Bitte nennen Sie einen Benutzernamen oder eine Adresse."))
    else:
        services.login_unlock(username=username, address=address)
        messages.success(request, _("Die Sperre ist aufgehoben."))
    return redirect("security:manage")


@requires(Action.SECURITY_MANAGE)
@require_POST
def second_factor_reset(request: HttpRequest) -> HttpResponse:
    """Remove a user's authenticator after they lost it; they enrol anew at the next login."""
    form = UsernameForm(request.POST)
    user = None
    if form.is_valid():
        user = User.objects.filter(username=form.cleaned_data["username"]).first()
    if user is None:
        messages.error(request, _("Dieses Konto gibt es nicht."))
    else:
        services.second_factor_reset(user=user)
        messages.success(
            request,
            _("Die Zwei-Faktor-Anmeldung von %(name)s ist zurückgesetzt.")
            % {"name": user.get_username()},
        )
    return redirect("security:manage")

"""GDPR Art. 15 and 20: a person's own account data as JSON, in named sections.

The export is a list of sections, each built by a small function ``(user) -> JSON-safe
value``. The sections about the account itself (profile, memberships, invitations, sessions,
second factor, failed sign-ins) are built here; other apps add theirs with
``register_section`` in their ``AppConfig.ready()`` (the API its tokens, the audit log the
person's audit entries), so this module imports none of them.

No section ever holds a secret: no password hash, session key, authenticator key,
recovery-code digest, token hash or client address.
"""

from collections.abc import Callable
from typing import Any

from axes.models import AccessAttempt
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from buendnis.accounts.models import Invitation, User
from buendnis.accounts.security.models import RecoveryCode, UserSession

FORMAT = "buendnis-account-data/1"

SectionBuilder = Callable[[User], Any]
_SECTIONS: dict[str, SectionBuilder] = {}


def register_section(name: str, builder: SectionBuilder) -> None:
    """Add a named section to every export; a name can be registered only once."""
    known = _SECTIONS.get(name)
    if known is not None and known is not builder:
        raise ValueError(f"Export section {name!r} is already registered")
    _SECTIONS[name] = builder


def unregister_section(name: str) -> None:
    """Remove a section (for tests of the registry)."""
    _SECTIONS.pop(name, None)


def section_names() -> list[str]:
    """The registered sections, in the order the export lists them."""
    return list(_SECTIONS)


def account_data(user: User) -> dict[str, Any]:
    """Everything the export holds about the user, section by section."""
    return {
        "format": FORMAT,
        "exported_at": timezone.now(),
        "sections": {name: builder(user) for name, builder in _SECTIONS.items()},
    }


# --- the account's own sections -------------------------------------------------------


def profile(user: User) -> dict[str, Any]:
    """Name, user name, e-mail address and the account's dates."""
    return {
        "username": user.get_username(),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "active": user.is_active,
        "installation_admin": user.is_superuser,
        "joined_at": user.date_joined,
        "last_login_at": user.last_login,
    }


def memberships(user: User) -> list[dict[str, Any]]:
    """Every organisation the user works for, in which role, since when."""
    return [
        {
            "organisation": m.organisation.name,
            "role": m.role,
            "role_label": str(m.get_role_display()),
            "since": m.created_at,
        }
        for m in user.memberships.select_related("organisation").order_by("organisation__name")
    ]


def _invitation(invitation: Invitation) -> dict[str, Any]:
    return {
        "email": invitation.email,
        "organisation": invitation.organisation.name,
        "role": invitation.role,
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
        "accepted_at": invitation.accepted_at,
        "revoked_at": invitation.revoked_at,
    }


def invitations_sent(user: User) -> list[dict[str, Any]]:
    """The invitations the user sent (never their link's token or its hash)."""
    sent = Invitation.objects.filter(invited_by=user).select_related("organisation")
    return [_invitation(i) for i in sent.order_by("created_at", "pk")]


def invitations_received(user: User) -> list[dict[str, Any]]:
    """The invitations to the user's account or e-mail address."""
    to_user = Q(accepted_user=user)
    if user.email:
        to_user |= Q(email__iexact=user.email)
    received = Invitation.objects.filter(to_user).select_related("organisation")
    return [_invitation(i) for i in received.order_by("created_at", "pk")]


def sessions(user: User) -> list[dict[str, Any]]:
    """The signed-in sessions as the security page lists them (never their keys)."""
    return [
        {"device": s.device, "signed_in_at": s.created_at, "last_seen_at": s.last_seen_at}
        for s in UserSession.objects.filter(user=user).order_by("created_at", "pk")
    ]


def second_factor(user: User) -> dict[str, Any]:
    """Whether a second factor is set up, and how many recovery codes are left (no secrets)."""
    devices = TOTPDevice.objects.filter(user=user)
    codes = RecoveryCode.objects.filter(user=user)
    return {
        "authenticator_app": devices.filter(confirmed=True).exists(),
        "enrolment_pending": devices.filter(confirmed=False).exists(),
        "recovery_codes_left": codes.filter(used_at__isnull=True).count(),
        "recovery_codes_used": codes.filter(used_at__isnull=False).count(),
    }


def login_failures(user: User) -> list[dict[str, Any]]:
    """Failed sign-ins recorded against the user name (the throttle's records, no address)."""
    attempts = AccessAttempt.objects.filter(username=user.get_username()).order_by("attempt_time")
    return [
        {"last_attempt_at": a.attempt_time, "failures": a.failures_since_start} for a in attempts
    ]


def register_account_sections() -> None:
    """Register the sections built here (called from ``AccountsConfig.ready``)."""
    register_section("profile", profile)
    register_section("memberships", memberships)
    register_section("invitations_sent", invitations_sent)
    register_section("invitations_received", invitations_received)
    register_section("sessions", sessions)
    register_section("second_factor", second_factor)
    register_section("login_failures", login_failures)

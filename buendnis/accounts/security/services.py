"""Writes for account security: unlocking, the second factor and signed-in sessions."""

import hashlib
import hmac
import re
import secrets
from importlib import import_module

from axes.models import AccessAttempt
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from buendnis.accounts.models import User
from buendnis.accounts.security import selectors
from buendnis.accounts.security.devices import device_summary
from buendnis.accounts.security.models import RecoveryCode, UserSession
from buendnis.audit import events as audit_events

RECOVERY_CODE_COUNT = 10
# Twelve characters from 31 unambiguous ones (about 59 bits); stored salted and hashed.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
SESSION_STATE_KEY = "_buendnis_security"
# Whether this session has passed its second factor, or needs none (decided at login).
SECOND_FACTOR_KEY = "_buendnis_second_factor"
SECOND_FACTOR_VERIFIED = "verified"
SECOND_FACTOR_NOT_NEEDED = "not_needed"
# Seen-times are written back at most this often, so most requests write nothing.
SEEN_RESOLUTION_SECONDS = 60


# --- login throttling -----------------------------------------------------------------


@transaction.atomic
def login_unlock(*, username: str = "", address: str = "") -> int:
    """Lift the lockout of a username or of a (pseudonymised) address; return rows removed."""
    if not username and not address:
        raise ValueError("Name a username or an address to unlock")
    attempts = AccessAttempt.objects.all()
    if username:
        attempts = attempts.filter(username=username)
    if address:
        attempts = attempts.filter(ip_address=address)
    count, _ = attempts.delete()
    return count


@transaction.atomic
def login_forget_own_failures(*, username: str) -> None:
    """After a successful login, forget the failures recorded for this username.

    Only the username's own rows go: another account's failures from the same address still
    count against that address, so signing in to one's own account unlocks nobody else.
    """
    AccessAttempt.objects.filter(username=username).delete()


# --- second factor --------------------------------------------------------------------

_NOTICE_SUBJECTS = {
    "enrolled": "Bündnis: zweiter Faktor eingerichtet / second factor set up",
    "renewed": "Bündnis: neue Wiederherstellungscodes / new recovery codes",
    "reset": "Bündnis: zweiter Faktor zurückgesetzt / second factor reset",
    "removed": "Bündnis: Zwei-Faktor-Anmeldung ausgeschaltet / two-factor sign-in off",
}


def _notify(*, user: User, event: str) -> None:
    """E-mail the user (once the change is committed) that their second factor changed."""
    if not user.email:
        return
    with translation.override("de"):
        body = render_to_string("security/second_factor_email.txt", {"user": user, "event": event})
    message = EmailMessage(subject=_NOTICE_SUBJECTS[event], body=body, to=[user.email])
    transaction.on_commit(message.send)


def _digest(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def _normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


@transaction.atomic
def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """Return the user's pending authenticator (not yet confirmed), creating one if needed."""
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if pending is not None:
        return pending
    return TOTPDevice.objects.create(user=user, name="Authenticator-App", confirmed=False)


@transaction.atomic
def totp_enrolment_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the pending authenticator with a code from it; return fresh recovery codes.

    Returns ``None`` when the code is wrong (or verification is throttled). On success the
    new device replaces any earlier one.
    """
    if device.user_id != user.pk or device.confirmed:
        return None
    if not device.verify_token(_normalise(token)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    _notify(user=user, event="enrolled")
    return recovery_codes_generate(user=user)


@transaction.atomic
def recovery_codes_generate(*, user: User) -> list[str]:
    """Replace the user's recovery codes with new ones and return them (shown only once)."""
    RecoveryCode.objects.filter(user=user).delete()
    codes = []
    rows = []
    for _ in range(RECOVERY_CODE_COUNT):
        code = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(12))
        salt = secrets.token_hex(16)
        rows.append(RecoveryCode(user=user, salt=salt, digest=_digest(salt, code)))
        codes.append(f"{code[:4]}-{code[4:8]}-{code[8:]}")
    RecoveryCode.objects.bulk_create(rows)
    return codes


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """New recovery codes on the user's request; the user is told by e-mail."""
    codes = recovery_codes_generate(user=user)
    _notify(user=user, event="renewed")
    return codes


@transaction.atomic
def recovery_code_use(*, user: User, code: str) -> bool:
    """Spend one recovery code: true only the first time a valid code is given."""
    wanted = _normalise(code)
    for candidate in RecoveryCode.objects.filter(user=user, used_at__isnull=True):
        if hmac.compare_digest(candidate.digest, _digest(candidate.salt, wanted)):
            # The conditional update makes two requests with the same code race safely.
            spent = RecoveryCode.objects.filter(pk=candidate.pk, used_at__isnull=True).update(
                used_at=timezone.now()
            )
            return spent == 1
    return False


def second_factor_verify(*, user: User, code: str) -> bool:
    """Check a code from the authenticator app or a recovery code, throttled per device.

    django-otp doubles the wait after each wrong code on the device; recovery codes share
    that throttle, so neither can be guessed quickly.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()
    if device is None:
        return False
    token = _normalise(code)
    if token.isdigit() and len(token) == device.digits:
        with transaction.atomic():
            device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
            return bool(device.verify_token(token))
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return False
    if recovery_code_use(user=user, code=token):
        device.throttle_reset()
        return True
    device.throttle_increment()
    return False


@transaction.atomic
def second_factor_reset(*, user: User, by_admin: bool = True) -> None:
    """Remove the user's authenticator and recovery codes and end all their sessions.

    For a lost device (by an admin) or a user who switches the second factor off. The next
    login asks for a new enrolment where the user's role requires one.
    """
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    sessions_end_all(user=user)
    audit_events.second_factor_reset(user=user)
    _notify(user=user, event="reset" if by_admin else "removed")


# --- sessions -------------------------------------------------------------------------


def _session_store() -> type:
    return import_module(settings.SESSION_ENGINE).SessionStore


def _epoch() -> int:
    return int(timezone.now().timestamp())


def session_register(*, request: HttpRequest, user: User) -> UserSession:
    """Record a new sign-in: the session's start and last-seen times and its device.

    Entries of the user's sessions that ran out without a logout are dropped on the way.
    """
    now = timezone.now()
    UserSession.objects.filter(user=user).exclude(
        pk__in=selectors.live_sessions(user).values("pk")
    ).delete()
    request.session[SESSION_STATE_KEY] = {"started": _epoch(), "seen": _epoch()}
    if request.session.session_key is None:
        request.session.save()
    session, _ = UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "device": device_summary(request.META.get("HTTP_USER_AGENT", "")),
            "created_at": now,
            "last_seen_at": now,
        },
    )
    return session


def second_factor_decide(*, request: HttpRequest, user: User) -> None:
    """At login: note in the session when the user needs no second factor at all.

    Users with an authenticator, or whose role requires one, get no note; the middleware
    then holds them at the code or enrolment page until the factor is settled.
    """
    if selectors.confirmed_totp_device(user) is None and not selectors.second_factor_required(user):
        request.session[SECOND_FACTOR_KEY] = SECOND_FACTOR_NOT_NEEDED


def session_expired(*, request: HttpRequest) -> bool:
    """Whether the session has been idle too long or has passed its absolute lifetime."""
    state = request.session.get(SESSION_STATE_KEY)
    if state is None:
        return False
    now = _epoch()
    idle = now - state["seen"] > settings.SESSION_IDLE_MINUTES * 60
    too_old = now - state["started"] > settings.SESSION_MAX_HOURS * 3600
    return idle or too_old


def session_touch(*, request: HttpRequest) -> None:
    """Note activity; writes to the session and its list entry at most once a minute."""
    state = request.session.get(SESSION_STATE_KEY)
    if state is None:
        session_register(request=request, user=request.user)
        return
    now = _epoch()
    if now - state["seen"] < SEEN_RESOLUTION_SECONDS:
        return
    request.session[SESSION_STATE_KEY] = {**state, "seen": now}
    updated = UserSession.objects.filter(session_key=request.session.session_key).update(
        last_seen_at=timezone.now()
    )
    if not updated:
        session_register(request=request, user=request.user)
        request.session[SESSION_STATE_KEY] = {**state, "seen": now}


def session_rekey(*, request: HttpRequest) -> None:
    """Give the session a new key (after the second factor) and keep its list entry."""
    old_key = request.session.session_key
    request.session.cycle_key()
    UserSession.objects.filter(session_key=old_key).update(session_key=request.session.session_key)


def session_forget(*, session_key: str | None) -> None:
    """Drop the list entry of a session that was signed out or expired."""
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


@transaction.atomic
def session_end(*, user: User, session_id: int) -> bool:
    """Sign one of the user's sessions out (on whichever device it is)."""
    session = UserSession.objects.filter(user=user, pk=session_id).first()
    if session is None:
        return False
    _session_store()(session_key=session.session_key).delete()
    session.delete()
    return True


@transaction.atomic
def sessions_end_all(*, user: User) -> int:
    """Sign the user out everywhere: every session of theirs ends."""
    store = _session_store()
    sessions = list(UserSession.objects.filter(user=user))
    for session in sessions:
        store(session_key=session.session_key).delete()
    UserSession.objects.filter(pk__in=[s.pk for s in sessions]).delete()
    return len(sessions)

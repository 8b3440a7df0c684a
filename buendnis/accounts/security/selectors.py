"""Reads for account security: who must use a second factor, devices, sessions, lockouts."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from buendnis.accounts.models import User
from buendnis.accounts.security.models import RecoveryCode, UserSession


def second_factor_required(user: User) -> bool:
    """Whether the user's roles oblige them to use a second factor."""
    required = set(settings.TWO_FACTOR_REQUIRED_ROLES)
    if not required:
        return False
    if user.is_superuser and "admin" in required:
        return True
    return user.memberships.filter(role__in=required).exists()


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they enrolled one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def recovery_codes_left(user: User) -> int:
    """How many unused recovery codes the user still holds."""
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def live_sessions(user: User) -> QuerySet[UserSession]:
    """The user's sessions that have neither idled out nor passed their lifetime."""
    now = timezone.now()
    return UserSession.objects.filter(
        user=user,
        last_seen_at__gt=now - timedelta(minutes=settings.SESSION_IDLE_MINUTES),
        created_at__gt=now - timedelta(hours=settings.SESSION_MAX_HOURS),
    ).order_by("-last_seen_at")


def current_lockouts() -> dict[str, list[dict]]:
    """Usernames and (pseudonymised) addresses now locked, with their failures, newest first."""
    recent = AccessAttempt.objects.filter(
        attempt_time__gt=timezone.now() - settings.AXES_COOLOFF_TIME
    )
    limit = settings.AXES_FAILURE_LIMIT
    return {
        field: list(
            recent.exclude(**{f"{field}__isnull": True})
            .values(field)
            .annotate(failures=Sum("failures_since_start"), last_attempt=Max("attempt_time"))
            .filter(failures__gte=limit)
            .order_by("-last_attempt")
        )
        for field in ("username", "ip_address")
    }

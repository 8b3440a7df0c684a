"""Account events that are not a row's change: signing in and out, a second-factor reset."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out

from buendnis.audit.models import AuditEntry
from buendnis.audit.recording import record


def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(AuditEntry.Action.LOGIN, obj=user, actor=user)


def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(AuditEntry.Action.LOGOUT, obj=user, actor=user)


def second_factor_reset(*, user: Any, by: Any = None) -> None:
    """Record that a user's second factor was removed (by an admin, or at the console)."""
    record(AuditEntry.Action.SECOND_FACTOR_RESET, obj=user, actor=by)


def connect() -> None:
    """Listen to Django's sign-in and sign-out signals."""
    user_logged_in.connect(_logged_in, dispatch_uid="audit-login")
    user_logged_out.connect(_logged_out, dispatch_uid="audit-logout")

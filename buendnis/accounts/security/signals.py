"""Receivers that keep the session list and the lockout counts in step with logins."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from buendnis.accounts.models import User
from buendnis.accounts.security import services


@receiver(user_logged_in, dispatch_uid="buendnis_security_logged_in")
def _on_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    services.session_register(request=request, user=user)
    services.second_factor_decide(request=request, user=user)
    services.login_forget_own_failures(username=user.get_username())


@receiver(user_logged_out, dispatch_uid="buendnis_security_logged_out")
def _on_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        services.session_forget(session_key=request.session.session_key)

"""Ends idle and over-age sessions and holds signed-in users at the second factor.

Runs before every view (``process_view``): a session past ``SESSION_IDLE_MINUTES`` without
a request, or older than ``SESSION_MAX_HOURS``, is signed out; a user with an authenticator
must give a code before anything but the code page, logout and the language switch; a user
whose role requires a second factor but who has none is sent to enrolment first. Pages
served to a signed-in user are marked not to be stored by browsers or proxies (ASVS 8.2.1),
unless the view set its own caching.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from buendnis.accounts.security import selectors, services

SECOND_FACTOR_KEY = services.SECOND_FACTOR_KEY
VERIFIED = services.SECOND_FACTOR_VERIFIED
NOT_NEEDED = services.SECOND_FACTOR_NOT_NEEDED

# Pages a signed-in user may reach before the second factor is settled.
_OPEN_BEFORE_SECOND_FACTOR = {
    "security:verify",
    "security:enrol",
    "accounts:logout",
    "core:set_language",
}


def second_factor_settled(request: HttpRequest) -> None:
    """Mark the session as having passed (or set up) its second factor."""
    request.session[SECOND_FACTOR_KEY] = VERIFIED


class AccountSecurityMiddleware:
    """Session lifetime and the second factor, checked before any view runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated:
            return None
        if services.session_expired(request=request):
            logout(request)
            messages.info(
                request,
                _("Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an."),
            )
            return redirect_to_login(request.get_full_path())
        services.session_touch(request=request)
        return self._second_factor(request)

    def _second_factor(self, request: HttpRequest) -> HttpResponse | None:
        state = request.session.get(SECOND_FACTOR_KEY)
        if state in (VERIFIED, NOT_NEEDED):
            return None
        user = request.user
        if selectors.confirmed_totp_device(user) is not None:
            target = "security:verify"
        elif selectors.second_factor_required(user):
            target = "security:enrol"
        else:
            request.session[SECOND_FACTOR_KEY] = NOT_NEEDED
            return None
        match = request.resolver_match
        if match is not None and match.view_name in _OPEN_BEFORE_SECOND_FACTOR:
            return None
        response = redirect(target)
        response["Location"] += "?" + urlencode({"next": request.get_full_path()})
        return response

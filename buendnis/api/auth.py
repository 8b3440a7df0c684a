"""Who calls the API: a personal token (``Authorization: Bearer …``) or the browser session.

Session requests that change data need Django's CSRF token (``X-CSRFToken``), as forms do.
Token requests are throttled per token through the shared cache (``django.core.cache``).
"""

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from buendnis.accounts.policy import load_grants
from buendnis.api.models import ApiToken
from buendnis.api.problems import Problem
from buendnis.api.services import token_for_secret

UNITS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"120/minute"`` → (120 requests, 60 seconds); a number alone means per minute."""
    count, _sep, unit = rate.partition("/")
    return int(count), UNITS.get(unit.strip() or "minute", 60)


def throttle(token: ApiToken) -> None:
    """Count the request in the token's fixed window; raise 429 with Retry-After when full."""
    limit, window = parse_rate(settings.API_TOKEN_RATE)
    if limit <= 0:
        return
    now = time.time()
    slot = int(now // window)
    key = f"buendnis:api:throttle:{token.pk}:{slot}"
    # Count first: the window's key exists for all but its first request, and every cache
    # call is a round trip (with the database cache, several statements).
    try:
        used = cache.incr(key)
    except ValueError:  # the window's first request; if another process added it, count on
        used = 1 if cache.add(key, 1, timeout=window + 1) else cache.incr(key)
    if used > limit:
        wait = max(1, int((slot + 1) * window - now + 0.999))
        raise Problem(
            "throttled",
            _("Zu viele Anfragen mit diesem Schlüssel; bitte in %(wait)s s erneut versuchen.")
            % {"wait": wait},
            headers={"Retry-After": str(wait)},
        )


class TokenAuth(HttpBearer):
    """A personal API token; the request then acts as the token's owner."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_for_secret(token)
        if found is None:
            raise Problem("unauthenticated", _("Der API-Schlüssel ist ungültig oder widerrufen."))
        throttle(found)
        load_grants(found.user)  # the policy asks roles and agreements of every request
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found


class BrowserSession(SessionAuth):
    """The logged-in browser session (CSRF is checked for writes)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        request.api_token = None  # type: ignore[attr-defined]
        return super().authenticate(request, key)


def may_write(request: HttpRequest) -> bool:
    """A read token cannot write; sessions and read-write tokens can (the policy decides more)."""
    token = getattr(request, "api_token", None)
    return token is None or token.writes

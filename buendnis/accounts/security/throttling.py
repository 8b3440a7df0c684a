"""Login throttling glue for django-axes: the client address it counts and the lockout page.

django-axes keeps its counts in the database (``AccessAttempt``), so every worker and every
process sees the same failures. It stores an address per attempt; Bündnis hands it a keyed
hash of the client address instead of the address itself, shaped as an IPv6 address so it
fits axes' column: attempts from one client still add up, yet no address is kept.
"""

import ipaddress
from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.crypto import salted_hmac

_ADDRESS_SALT = "buendnis.accounts.security.client_address"


def raw_client_address(request: HttpRequest) -> str:
    """The client's address, from the configured proxy header or ``REMOTE_ADDR``."""
    header = settings.FEEDBACK_CLIENT_ADDRESS_HEADER
    address = (request.META.get(header) if header else None) or request.META.get("REMOTE_ADDR", "")
    # In X-Forwarded-For the last entry is the one the trusted proxy itself added.
    return address.split(",")[-1].strip()


def pseudonymise_address(address: str) -> str:
    """A stable keyed hash of an address (same for every worker), written as IPv6."""
    digest = salted_hmac(_ADDRESS_SALT, address, algorithm="sha256").digest()
    return str(ipaddress.IPv6Address(digest[:16]))


def client_address(request: HttpRequest) -> str:
    """What django-axes records and counts as the client's address."""
    return pseudonymise_address(raw_client_address(request))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The same refusal for every locked username or address, known account or not."""
    return render(
        request,
        "security/locked.html",
        {"minutes": settings.LOGIN_COOLOFF_MINUTES},
        status=429,
    )


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every sign-in that comes with a request.

    ``authenticate()`` without a request comes from code, not from a sign-in form (Django's
    test client, a management command): there is no client to count against, so it passes
    on to the password check instead of failing. Every web sign-in passes its request
    (``LoginView`` and ``AuthenticationForm`` do).
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

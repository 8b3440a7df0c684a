"""A request id for every request: taken from a trusted proxy's header or made here."""

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from buendnis.operations.logs import request_id

HEADER = "X-Request-ID"
# A proxy's id is used only when it looks like one (no room for log injection).
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Set the request id for the logs and return it in the ``X-Request-ID`` header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(HEADER, "")
        value = given if _VALID.match(given) else uuid.uuid4().hex
        request.request_id = value  # type: ignore[attr-defined]
        token = request_id.set(value)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[HEADER] = value
        return response

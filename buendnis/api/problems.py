"""Errors as problem details (RFC 9457): ``application/problem+json`` in German or English.

Titles and details are translated through Django's i18n: the request's language
(``Accept-Language``, German by default) decides which one a client reads.
"""

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

PROBLEM_TYPE = "application/problem+json"


def _titles() -> dict[str, str]:
    return {
        "bad-request": _("Ungültige Anfrage"),
        "unauthenticated": _("Anmeldung erforderlich"),
        "forbidden": _("Keine Berechtigung"),
        "not-found": _("Nicht gefunden"),
        "conflict": _("Konflikt"),
        "locked": _("Zeitraum gesperrt"),
        "invalid": _("Ungültige Daten"),
        "throttled": _("Zu viele Anfragen"),
    }


STATUS = {
    "bad-request": 400,
    "unauthenticated": 401,
    "forbidden": 403,
    "not-found": 404,
    "conflict": 409,
    "locked": 409,
    "invalid": 422,
    "throttled": 429,
}


@dataclass
class Problem(Exception):
    """Raise to answer with a problem document; ``kind`` is one of ``STATUS``."""

    kind: str
    detail: str = ""
    invalid_params: list[dict[str, str]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


def problem_response(request: HttpRequest, problem: Problem) -> HttpResponse:
    """The problem as ``application/problem+json`` with its status and headers."""
    status = STATUS[problem.kind]
    body: dict[str, Any] = {
        "type": f"/api/v1/docs/#problem-{problem.kind}",
        "title": _titles()[problem.kind],
        "status": status,
        "detail": problem.detail or _titles()[problem.kind],
        "instance": request.path,
    }
    if problem.invalid_params:
        body["invalid_params"] = problem.invalid_params
    body.update(problem.extra)
    response = JsonResponse(body, status=status, content_type=PROBLEM_TYPE)
    for name, value in problem.headers.items():
        response[name] = value
    return response


def bad_parameter(name: str, reason: str) -> Problem:
    """400 naming the query parameter that could not be read."""
    return Problem(
        "bad-request",
        _("Der Parameter „%(name)s“ ist ungültig: %(reason)s") % {"name": name, "reason": reason},
        invalid_params=[{"name": name, "reason": reason}],
    )


def not_found() -> Problem:
    """404: also what another organisation's objects answer, so their existence stays hidden."""
    return Problem("not-found", _("Diese Ressource gibt es nicht oder sie ist nicht sichtbar."))


def forbidden(detail: str = "") -> Problem:
    return Problem("forbidden", detail or _("Dafür fehlt die Berechtigung."))

"""Attribute the changes a request makes to its signed-in user and its request id."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from buendnis.audit.context import Actor, reset_actor, set_actor


class _RequestUser:
    """``request.user`` read when an entry is written, so an API token's user counts too."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    @property
    def _user(self) -> object:
        return getattr(self._request, "user", None)

    @property
    def is_authenticated(self) -> bool:
        return bool(getattr(self._user, "is_authenticated", False))

    @property
    def pk(self) -> object:
        return getattr(self._user, "pk", None)

    def __getattr__(self, name: str) -> object:
        return getattr(self._user, name)


class AuditActorMiddleware:
    """Set the audit actor for the request (after authentication and the request id)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        actor = Actor(user=_RequestUser(request), request_id=getattr(request, "request_id", ""))
        token = set_actor(actor)
        try:
            return self.get_response(request)
        finally:
            reset_actor(token)

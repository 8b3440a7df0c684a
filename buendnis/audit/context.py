"""Who is acting right now: set by the middleware for requests, by code for commands and tasks.

The recording hooks read the actor from here, so services need no extra argument. Code that
acts without a request (a command, a task) names its actor with ``acting_as``; without one
an entry is attributed to the system (no actor).
"""

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class Actor:
    """The person (or none: the system) on whose behalf changes are made."""

    user: Any = None  # a User, or a lazy ``request.user``; anonymous counts as none
    request_id: str = ""

    @property
    def user_id(self) -> int | None:
        user = self.user
        if user is None or not getattr(user, "is_authenticated", False):
            return None
        return user.pk


_actor: ContextVar[Actor | None] = ContextVar("buendnis_audit_actor", default=None)
_maintenance: ContextVar[bool] = ContextVar("buendnis_audit_maintenance", default=False)
_disabled: ContextVar[bool] = ContextVar("buendnis_audit_disabled", default=False)


def current_actor() -> Actor:
    """The actor set for this request, command or task; the system if none."""
    return _actor.get() or Actor()


@contextlib.contextmanager
def acting_as(user: Any, *, request_id: str = "") -> Iterator[None]:
    """Attribute every change made inside the block to ``user``."""
    token = _actor.set(Actor(user=user, request_id=request_id))
    try:
        yield
    finally:
        _actor.reset(token)


def set_actor(actor: Actor | None) -> Any:
    """Set the actor and return the token to reset it with (for the middleware)."""
    return _actor.set(actor)


def reset_actor(token: Any) -> None:
    """Restore the actor before ``set_actor``."""
    _actor.reset(token)


@contextlib.contextmanager
def maintenance() -> Iterator[None]:
    """Let this thread's SQLite connection delete audit rows: only for ``flush`` (tests)."""
    token = _maintenance.set(True)
    try:
        yield
    finally:
        _maintenance.reset(token)


def in_maintenance() -> bool:
    """Whether ``maintenance`` is active (read by the SQLite trigger's function)."""
    return _maintenance.get()


@contextlib.contextmanager
def recording_off() -> Iterator[None]:
    """Write no audit entries inside the block: for the benchmark's baseline only."""
    token = _disabled.set(True)
    try:
        yield
    finally:
        _disabled.reset(token)


def recording_enabled() -> bool:
    """Whether changes are being recorded (``AUDIT_ENABLED`` and not ``recording_off``)."""
    return getattr(settings, "AUDIT_ENABLED", True) and not _disabled.get()

"""Answers kept under a version of the data they were computed from.

``version`` is something cheap to read that changes whenever the data behind the answer do
(row counts, the latest change, the definitions). A new version is a new key, so nothing is
ever invalidated by hand and nothing stale can be read; old keys expire. The answer is kept
in the shared cache (every worker) and in a few of this process's own slots.
"""

import hashlib
import time
from collections.abc import Callable

from django.core.cache import cache

TIMEOUT_SECONDS = 24 * 3600
POLL_SECONDS = 0.05
_MISSING = object()
_recent: dict[str, object] = {}  # this process's last few answers


def remembered[T](
    name: str, version: object, compute: Callable[[], T], *, wait_seconds: float = 10.0
) -> T:
    """``compute()``'s answer for this version of the data, computed once and then shared.

    While one request computes an answer, others asking for the same version wait for it
    (up to ``wait_seconds``, then they compute it themselves) instead of running the same
    expensive queries side by side.
    """
    key = "live:" + hashlib.sha256(f"{name}:{version!r}".encode()).hexdigest()
    if key in _recent:
        return _recent[key]  # type: ignore[return-value]
    value = cache.get(key, _MISSING)
    if value is _MISSING and not cache.add(key + ":computing", True, int(wait_seconds) + 1):
        value = _wait_for(key, wait_seconds)
    if value is _MISSING:
        try:
            value = compute()
            cache.set(key, value, TIMEOUT_SECONDS)
        finally:
            cache.delete(key + ":computing")
    if len(_recent) > 32:
        _recent.clear()
    _recent[key] = value
    return value  # type: ignore[return-value]


def _wait_for(key: str, wait_seconds: float) -> object:
    """The answer another request is computing, or ``_MISSING`` if it does not come in time."""
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        value = cache.get(key, _MISSING)
        if value is not _MISSING:
            return value
    return _MISSING


def forget() -> None:
    """Drop this process's remembered answers (tests start from nothing)."""
    _recent.clear()

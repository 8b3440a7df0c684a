"""Answers kept under a version of the data they were computed from.

``version`` is something cheap to read that changes whenever the data behind the answer do
(row counts, the latest change, the definitions). A new version is a new key, so nothing is
ever invalidated by hand and nothing stale can be read; old keys expire. The answer is kept
in the shared cache (every worker) and in a few of this process's own slots.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache

TIMEOUT_SECONDS = 24 * 3600
_recent: dict[str, object] = {}  # this process's last few answers


def remembered[T](name: str, version: object, compute: Callable[[], T]) -> T:
    """``compute()``'s answer for this version of the data, computed once and then shared."""
    key = "live:" + hashlib.sha256(f"{name}:{version!r}".encode()).hexdigest()
    if key in _recent:
        return _recent[key]  # type: ignore[return-value]
    value = cache.get(key, _recent)
    if value is _recent:
        value = compute()
        cache.set(key, value, TIMEOUT_SECONDS)
    if len(_recent) > 32:
        _recent.clear()
    _recent[key] = value
    return value  # type: ignore[return-value]


def forget() -> None:
    """Drop this process's remembered answers (tests start from nothing)."""
    _recent.clear()

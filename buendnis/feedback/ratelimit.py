"""Rate limiting of feedback submissions per client address, held only in this process.

The address never leaves memory and is not kept as such: it is hashed with a key made
fresh for each process, so even the in-memory table holds no readable address. Several
server processes each count on their own; the per-activity cap still bounds the total.
"""

import hashlib
import secrets
import threading
import time
from collections import OrderedDict, deque

from django.conf import settings
from django.http import HttpRequest

_PROCESS_KEY = secrets.token_bytes(32)


class SlidingWindow:
    """At most ``limit`` hits per key within the last ``seconds``; bounded in memory."""

    def __init__(self, max_keys: int = 50_000) -> None:
        self._hits: OrderedDict[bytes, deque[float]] = OrderedDict()
        self._lock = threading.Lock()
        self._max_keys = max_keys

    def hit(self, key: bytes, *, limit: int, seconds: float, now: float | None = None) -> bool:
        """Count a hit and say whether it is allowed (a refused hit counts as well)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.pop(key, None) or deque()
            while hits and hits[0] <= now - seconds:
                hits.popleft()
            hits.append(now)
            self._hits[key] = hits  # most recently used last
            while len(self._hits) > self._max_keys:
                self._hits.popitem(last=False)
            return len(hits) <= limit

    def clear(self) -> None:
        with self._lock:
            self._hits.clear()


submissions = SlidingWindow()


def client_key(request: HttpRequest) -> bytes:
    """A keyed hash of the client address (or of the configured proxy header)."""
    header = settings.FEEDBACK_CLIENT_ADDRESS_HEADER
    address = (request.META.get(header) if header else None) or request.META.get("REMOTE_ADDR", "")
    # In X-Forwarded-For the last entry is the one the trusted proxy itself added.
    address = address.split(",")[-1].strip()
    return hashlib.blake2b(address.encode(), key=_PROCESS_KEY, digest_size=16).digest()


def allow_submission(request: HttpRequest) -> bool:
    """Whether this client may submit now; 0 in ``FEEDBACK_RATE_LIMIT`` switches the limit off."""
    limit = settings.FEEDBACK_RATE_LIMIT
    if limit <= 0:
        return True
    return submissions.hit(
        client_key(request), limit=limit, seconds=settings.FEEDBACK_RATE_WINDOW_SECONDS
    )

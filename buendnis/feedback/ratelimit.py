"""Rate limiting of feedback submissions, counted in the cache all server processes share.

Two limits, each a sliding window over ``FEEDBACK_RATE_WINDOW_SECONDS``:
``FEEDBACK_RATE_LIMIT`` submissions per link *and* client address, and
``FEEDBACK_RATE_LIMIT_ADDRESS`` per address over all links. A room of 80 participants on
one venue Wi-Fi reaches the server from one address; per link that room fits in the first
limit with room for corrected submissions, and parallel workshops of one Fachtag fit in the
second. The per-activity cap bounds what one link can take in any case (docs/feedback.md).

The cache sees no address: keys are keyed hashes (HMAC with the secret key, so every
process computes the same key and nobody can reverse it), and they expire with the window.
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

PREFIX = "feedback-rate"


def client_address(request: HttpRequest) -> str:
    """The client address (or the configured proxy header's last entry)."""
    header = settings.FEEDBACK_CLIENT_ADDRESS_HEADER
    address = (request.META.get(header) if header else None) or request.META.get("REMOTE_ADDR", "")
    # In X-Forwarded-For the last entry is the one the trusted proxy itself added.
    return address.split(",")[-1].strip()


def hashed(*parts: str) -> str:
    """A keyed hash of the parts: the same in every process, readable in none."""
    message = "\0".join(parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]


def hit(key: str, *, limit: int, seconds: int, now: float | None = None) -> bool:
    """Count a hit on ``key`` and say whether it is within ``limit`` per ``seconds``.

    A sliding-window counter: this window's count plus the previous window's, weighted by
    how much of it still lies inside the last ``seconds``. The increment is atomic in Redis
    and in the database cache (``operations.cache``), so processes cannot overshoot together.
    A refused hit counts as well.
    """
    now = time.time() if now is None else now
    window, elapsed = divmod(now, seconds)
    current = f"{PREFIX}:{key}:{int(window)}"
    # Count first, create only for the window's first hit: most hits find the counter.
    try:
        count = cache.incr(current)
    except ValueError:  # the window's first hit
        if cache.add(current, 1, timeout=2 * seconds):
            count = 1
        else:  # another process created it just now
            try:
                count = cache.incr(current)
            except ValueError:  # and it expired at once
                cache.add(current, 1, timeout=2 * seconds)
                count = 1
    previous = cache.get(f"{PREFIX}:{key}:{int(window) - 1}", 0)
    return previous * (1 - elapsed / seconds) + count <= limit


def allow_submission(request: HttpRequest, *, link_code: str) -> bool:
    """Whether this client may submit to this link now; a limit of 0 switches it off."""
    address = client_address(request)
    seconds = settings.FEEDBACK_RATE_WINDOW_SECONDS
    per_link = settings.FEEDBACK_RATE_LIMIT
    per_address = settings.FEEDBACK_RATE_LIMIT_ADDRESS
    allowed = True
    if per_link > 0:
        allowed = hit(hashed("link", link_code, address), limit=per_link, seconds=seconds)
    if per_address > 0:
        allowed = hit(hashed("address", address), limit=per_address, seconds=seconds) and allowed
    return allowed

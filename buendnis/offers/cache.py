"""Public pages and feeds from Django's cache, invalidated on every change they show.

Every cached entry remembers the *generation* token it was built under; any save or delete
of an offer, its activity, organisation, format, Kreis or agreement replaces the token, so
all public pages are rebuilt on their next request. A cache hit costs no query on the
application's tables (with the database cache, one read of the cache table). Entries also
expire after ``OFFERS_CACHE_SECONDS`` so that offers leave the list once they have passed;
browsers and proxies may keep a page for a minute and then revalidate with its ETag.
"""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

GENERATION_KEY = "offers:generation"


def generation() -> str:
    """The current generation token (a time in nanoseconds), made if missing."""
    token = cache.get(GENERATION_KEY)
    if token is None:
        token = str(time.time_ns())
        if not cache.add(GENERATION_KEY, token, timeout=None):
            token = cache.get(GENERATION_KEY) or token
    return token


def invalidate() -> None:
    """Drop every cached public page and feed (now and again once the transaction commits)."""
    cache.set(GENERATION_KEY, str(time.time_ns()), timeout=None)
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, str(time.time_ns()), timeout=None))


def _changed(sender: type, **kwargs: object) -> None:
    invalidate()


def connect_signals() -> None:
    from buendnis.accounts.models import Organisation
    from buendnis.activities.models import Activity, Format, Kreis
    from buendnis.agreements.models import Agreement
    from buendnis.offers.models import Offer, PublicContact

    for model in (Offer, PublicContact, Activity, Organisation, Format, Kreis, Agreement):
        uid = f"offers-invalidate-{model.__name__}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")


@dataclass(frozen=True)
class Cached:
    generation: str
    body: bytes
    content_type: str
    etag: str
    last_modified: float
    headers: tuple[tuple[str, str], ...] = ()


def cached_response(
    request: HttpRequest,
    key: str,
    build: Callable[[], HttpResponse],
    *,
    vary_language: bool = False,
) -> HttpResponse:
    """Serve ``build()``'s response from the cache, answering conditional GETs with 304.

    The generation token and the entry are read in one round trip (``get_many``): with the
    database cache that is one query on the cache table, with Redis or locmem none at all.
    """
    page_key = "offers:page:" + hashlib.sha256(key.encode()).hexdigest()
    found = cache.get_many([GENERATION_KEY, page_key])
    token = found.get(GENERATION_KEY) or generation()
    entry: Cached | None = found.get(page_key)
    if entry is None or entry.generation != token:
        built = build()
        body = built.content
        extra = tuple(
            (name, built[name])
            for name in ("Content-Language", "Content-Disposition")
            if built.has_header(name)
        )
        entry = Cached(
            generation=token,
            body=body,
            content_type=built["Content-Type"],
            etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"',
            last_modified=int(token) / 1e9,
            headers=extra,
        )
        cache.set(page_key, entry, timeout=settings.OFFERS_CACHE_SECONDS)
    response = HttpResponse(entry.body, content_type=entry.content_type)
    for name, value in entry.headers:
        response[name] = value
    response["ETag"] = entry.etag
    response["Last-Modified"] = http_date(entry.last_modified)
    response["Cache-Control"] = f"public, max-age={min(settings.OFFERS_CACHE_SECONDS, 60)}"
    response["Vary"] = "Accept-Language" if vary_language else "Accept-Encoding"
    conditional = get_conditional_response(
        request, etag=entry.etag, last_modified=int(entry.last_modified), response=response
    )
    if isinstance(conditional, HttpResponseNotModified):
        return conditional
    return response

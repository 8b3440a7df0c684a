"""The database cache's increment: counted under a row lock, in three statements."""

from typing import Any

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache(settings: Any) -> Any:
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "buendnis.operations.cache.DatabaseCache",
            "LOCATION": "buendnis_test_cache",
        },
    }
    call_command("createcachetable", verbosity=0)
    return caches["default"]


def _expires(key: str) -> object:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT expires FROM buendnis_test_cache WHERE cache_key LIKE %s", [f"%{key}"]
        )
        return cursor.fetchone()[0]


def test_it_adds_to_the_number_and_keeps_the_expiry(cache: Any) -> None:
    cache.add("hits", 1, timeout=1200)
    before = _expires("hits")
    with CaptureQueriesContext(connection) as context:
        assert cache.incr("hits") == 2
        assert cache.incr("hits", 3) == 5
    statements = [
        q["sql"]
        for q in context.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]
    assert len(statements) == 6, statements  # lock, read, write – twice
    assert cache.get("hits") == 5
    assert _expires("hits") == before, "a counter lives as long as its window, as in Redis"


def test_it_refuses_a_missing_or_expired_number(cache: Any) -> None:
    with pytest.raises(ValueError):
        cache.incr("never")
    cache.set("old", 7, timeout=-1)
    with pytest.raises(ValueError):
        cache.incr("old")
    assert cache.add("old", 1)  # an expired entry counts as missing for ``add`` as well
    assert cache.incr("old") == 2

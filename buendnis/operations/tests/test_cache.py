"""The database cache's increment: atomic, three statements, the expiry kept."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from buendnis.operations.cache import DatabaseCache

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache() -> DatabaseCache:
    return DatabaseCache("buendnis_cache", {"KEY_PREFIX": "test"})


def _expires(cache: DatabaseCache, key: str) -> datetime.datetime:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT expires FROM buendnis_cache WHERE cache_key = %s",
            [cache.make_and_validate_key(key)],
        )
        return cursor.fetchone()[0]


def test_it_counts_and_keeps_the_expiry(cache: DatabaseCache) -> None:
    cache.add("hits", 0, timeout=60)
    expires = _expires(cache, "hits")
    assert [cache.incr("hits"), cache.incr("hits", 5), cache.decr("hits")] == [1, 6, 5]
    assert cache.get("hits") == 5
    assert _expires(cache, "hits") == expires


def test_it_refuses_a_missing_or_expired_key(cache: DatabaseCache) -> None:
    with pytest.raises(ValueError, match="not found"):
        cache.incr("never")
    cache.set("old", 3, timeout=60)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE buendnis_cache SET expires = %s WHERE cache_key = %s",
            [timezone.now() - datetime.timedelta(seconds=1), cache.make_and_validate_key("old")],
        )
    with pytest.raises(ValueError, match="not found"):
        cache.incr("old")


def test_it_counts_in_three_statements(cache: DatabaseCache) -> None:
    cache.add("hits", 0, timeout=60)
    with CaptureQueriesContext(connection) as captured:
        cache.incr("hits")
    statements = [q["sql"] for q in captured.captured_queries if "buendnis_cache" in q["sql"]]
    assert [sql.split()[0] for sql in statements] == ["UPDATE", "SELECT", "UPDATE"]

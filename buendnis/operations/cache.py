"""Django's database cache with an increment that two processes cannot interleave.

Django's ``incr`` reads, adds and writes; two workers counting the same rate-limit key could
both read 5 and both write 6. Here a no-op ``UPDATE`` on the row first takes its write lock
(a row lock on PostgreSQL, the database's write lock on SQLite) inside one transaction, so
the read-add-write of the next process waits until this one has committed.
"""

import base64
import pickle
from typing import Any

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router, transaction
from django.utils import timezone


class DatabaseCache(DjangoDatabaseCache):
    """The database cache, with an atomic ``incr``/``decr``."""

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        """Add ``delta`` to the stored number under a row lock; ValueError if it is missing.

        Three statements (lock, read, write) where Django's read-then-``set`` takes five,
        and the entry keeps its expiry, as a Redis counter does.
        """
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table, key_column = quote_name(self._table), quote_name("cache_key")
        value_column, expires_column = quote_name("value"), quote_name("expires")
        cache_key = self.make_and_validate_key(key, version=version)
        now = connection.ops.adapt_datetimefield_value(timezone.now().replace(microsecond=0))
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {expires_column} = {expires_column} "  # noqa: S608 - quoted names
                f"WHERE {key_column} = %s",
                [cache_key],
            )
            row = None
            if cursor.rowcount:
                cursor.execute(
                    f"SELECT {value_column} FROM {table} "  # noqa: S608 - quoted names
                    f"WHERE {key_column} = %s AND {expires_column} >= %s",
                    [cache_key, now],
                )
                row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            stored = connection.ops.process_clob(row[0])
            value = pickle.loads(base64.b64decode(stored.encode(), validate=True)) + delta  # noqa: S301 - our own cache table
            pickled = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {value_column} = %s WHERE {key_column} = %s",  # noqa: S608 - quoted names
                [pickled, cache_key],
            )
            return value

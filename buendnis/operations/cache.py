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


class DatabaseCache(DjangoDatabaseCache):
    """The database cache, with an atomic ``incr``/``decr``."""

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        """Add ``delta`` to the stored number under a row lock; ValueError if it is missing.

        The new value is written into the locked row as it is, keeping its expiry (as Redis
        does): Django's ``set`` would count the table for culling and look the row up again,
        five statements more on every rate-limited request.
        """
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table, cache_key = quote_name(self._table), self.make_and_validate_key(key, version)
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {quote_name('expires')} = "  # noqa: S608 - quoted names
                f"{quote_name('expires')} WHERE {quote_name('cache_key')} = %s",
                [cache_key],
            )
            value = self.get(key, self._missing_key, version=version)
            if value is self._missing_key:
                raise ValueError(f"Key '{key}' not found.")
            value += delta
            pickled = pickle.dumps(value, self.pickle_protocol)
            cursor.execute(
                f"UPDATE {table} SET {quote_name('value')} = %s "  # noqa: S608 - quoted names
                f"WHERE {quote_name('cache_key')} = %s",
                [base64.b64encode(pickled).decode("latin1"), cache_key],
            )
            return value

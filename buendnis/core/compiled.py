"""Hot reads compiled by the ORM once per process, then sent with each request's values.

Building a queryset and compiling it to SQL costs the processor more than the database
takes to answer a small read (about 1 ms against 0.3 ms at a million activities on two
cores). Every signed-in request reads its user, and most pages read their change stamps,
always in the same shape with other values. ``CompiledRead`` has the ORM write such a read
once per database, with placeholders where the values go, and afterwards sends the same SQL
with the request's values and converts the rows as the ORM would (SQLite's dates and
booleans, for instance).

The placeholders must come out of the compilation unchanged (ids and table names do; values
the database layer adapts, such as datetimes on SQLite, do not): a read whose placeholders
are lost fails on its first use, so its tests fail.
"""

import threading
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections
from django.db.models import QuerySet

# SQL, each parameter's placeholder (None: a constant), the compiled parameters, the number of
# columns the rows have, and the converters by column
_Compiled = tuple[str, list[int | None], list[Any], int, list]


class CompiledRead:
    """``build(*placeholders)``'s SQL, kept per database; ``rows(*values)`` sends it.

    ``build`` returns a ``values_list`` queryset; each placeholder must be a value that no
    constant of the query equals (a negative id, a name no table has).
    """

    def __init__(self, build: Callable[..., QuerySet], placeholders: Sequence[Any]) -> None:
        self._build = build
        self._placeholders = tuple(placeholders)
        self._compiled: dict[tuple[str, str], _Compiled] = {}
        self._lock = threading.Lock()

    def rows(self, *values: Any, using: str = "default") -> list[tuple]:
        """The read's rows for ``values`` (one per placeholder, in their order)."""
        if len(values) != len(self._placeholders):
            raise TypeError(f"{len(self._placeholders)} values expected, got {len(values)}")
        sql, positions, constants, width, converters = self._compile(using)
        params = [
            constant if position is None else _as(constant, values[position])
            for position, constant in zip(positions, constants, strict=True)
        ]
        connection = connections[using]  # this thread's, not the compiling thread's
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if width < len(rows[0] if rows else ()):
            rows = [row[:width] for row in rows]
        if not converters:
            return rows
        converted = []
        for row in map(list, rows):
            for position, (functions, expression) in converters:
                for function in functions:
                    row[position] = function(row[position], expression, connection)
            converted.append(tuple(row))
        return converted

    def _compile(self, using: str) -> "_Compiled":
        key = (using, connections[using].vendor)
        compiled = self._compiled.get(key)
        if compiled is not None:
            return compiled
        with self._lock:
            query = self._build(*self._placeholders).using(using).query
            compiler = query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            positions = [self._position(param) for param in params]
            missing = set(range(len(self._placeholders))) - set(positions)
            if missing:
                lost = [self._placeholders[index] for index in sorted(missing)]
                raise RuntimeError(f"placeholders lost in the compiled read: {lost!r}")
            width = compiler.col_count
            columns = [column for column, _sql, _alias in compiler.select[:width]]
            converters = list(compiler.get_converters(columns).items())
            compiled = (sql, positions, list(params), width, converters)
            self._compiled[key] = compiled
        return compiled

    def _position(self, param: Any) -> int | None:
        for index, placeholder in enumerate(self._placeholders):
            # PostgreSQL's backend may wrap a number in the type of its column (Int8 is an int)
            if isinstance(param, type(placeholder)) and param == placeholder:
                return index
        return None


def _as(compiled: Any, value: Any) -> Any:
    """``value`` in the type the compilation gave its placeholder (psycopg's Int8, say)."""
    kind = type(compiled)
    if kind in (int, str) or isinstance(value, kind):
        return value
    return kind(value)

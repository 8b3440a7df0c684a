"""The CSV export on PostgreSQL: rows assembled and written as CSV by the database.

``export.iter_csv`` hands over to ``iter_csv`` here on PostgreSQL. The activities'
queryset (the list's visibility and filters, unchanged) becomes the inner part of one
``COPY (SELECT …) TO STDOUT WITH (FORMAT csv)``: the reach counts pivoted, the goals and
languages joined, labels, local times, decimal commas and the formula guard of
``export.quote_text`` are computed in SQL, and PostgreSQL writes the CSV. Python only adds
the BOM and the header and turns each record's line end into ``\\r\\n`` — so the bytes are
those of the generic path (``tests/test_export_postgresql.py`` compares both on the same
data), and memory stays flat: the rows stream from the server as the response is sent.
"""

from collections.abc import Iterator, Sequence
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from buendnis.activities import export
from buendnis.activities.models import Activity, ReachCategory

# The list's order; another one falls back to the generic path.
ORDERING = ("-starts_at", "-id")
PIECE_BYTES = 1 << 16  # what one chunk of the response holds, about


def supports(activities: QuerySet[Activity]) -> bool:
    """Whether the fast path can write this export (PostgreSQL, the list's order)."""
    return (
        connections[activities.db].vendor == "postgresql"
        and tuple(activities.query.order_by) == ORDERING
    )


class _Sql:
    """Collects named parameters while the statement is built."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}

    def param(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f"%({name})s"


_ESCAPES = {"\t": "t", "\r": "r"}  # the formula starts that are no printable character


def _text(expression: str) -> str:
    """``export.quote_text`` in SQL; an empty text becomes NULL, which COPY writes as ``""``.

    COPY writes an empty string as ``""`` and NULL as nothing; the csv module writes both
    as nothing. A text starting like a formula (after any apostrophes) gets one more.
    """
    starts = ", ".join(
        f"'{c}'" if c.isprintable() else f"E'\\{_ESCAPES[c]}'" for c in export.FORMULA_STARTS
    )
    return (
        f"NULLIF(CASE WHEN left(ltrim({expression}, ''''), 1) IN ({starts}) "
        f"THEN '''' || {expression} ELSE {expression} END, '')"
    )


def _datetime(local: str) -> str:
    """``export._csv_datetime`` of a local timestamp text ``YYYY-MM-DD HH:MM:SS``."""
    return f"CASE WHEN right({local}, 3) = ':00' THEN left({local}, 16) ELSE {local} END"


def _reach_columns(
    sql: _Sql, activities: QuerySet[Activity], categories: Sequence[ReachCategory]
) -> tuple[list[str], list[str]]:
    """The lateral aggregate's outputs and each reach column's expression.

    A column holds the activity's count of that (dimension, key); 0 where the activity's
    agreement has the category but no count was given; empty where it has no such category.
    """
    position = {(c.dimension, c.key): i for i, c in enumerate(categories)}
    category_ids: list[list[int]] = [[] for _ in categories]
    agreement_ids: list[list[int]] = [[] for _ in categories]
    agreements = activities.order_by().values("agreement_id").distinct()
    for pk, agreement_id, dimension, key in ReachCategory.objects.filter(
        agreement_id__in=agreements
    ).values_list("pk", "agreement_id", "dimension", "key"):
        if (dimension, key) in position:
            category_ids[position[(dimension, key)]].append(pk)
            agreement_ids[position[(dimension, key)]].append(agreement_id)
    aggregates, columns = [], []
    for number, (ids, owners) in enumerate(zip(category_ids, agreement_ids, strict=True)):
        aggregates.append(
            f"max(r.count) FILTER (WHERE r.category_id = ANY({sql.param(ids)}::bigint[])) "
            f"AS c{number}"
        )
        columns.append(
            f"COALESCE(reach.c{number}, CASE WHEN a.agreement_id = "
            f"ANY({sql.param(owners)}::bigint[]) THEN 0 END)"
        )
    return aggregates, columns


def copy_statement(
    activities: QuerySet[Activity], categories: Sequence[ReachCategory]
) -> tuple[str, dict[str, Any]]:
    """The ``COPY … TO STDOUT`` of the export's rows (no header) and its parameters."""
    connection = connections[activities.db]
    base, base_params = (
        activities.order_by().values_list(*export.ROW_FIELDS).query.sql_with_params()
    )
    # The queryset's SQL with its values bound (by psycopg), so that the statement's own
    # parameters can be named ones.
    inner_base = connection.ops.compose_sql(base, base_params).replace("%", "%%")
    sql = _Sql()
    tz = sql.param(timezone.get_current_timezone_name())
    statuses = " ".join(
        f"WHEN {sql.param(value)} THEN {sql.param(str(label))}"
        for value, label in Activity.Status.choices
    )
    aggregates, reach = _reach_columns(sql, activities, categories)
    reach_join = (
        f"CROSS JOIN LATERAL (SELECT {', '.join(aggregates)} FROM activities_reachcount r "  # noqa: S608 - fixed names, values are parameters
        "WHERE r.activity_id = a.id) reach"
        if aggregates
        else ""
    )
    local = "to_char({} AT TIME ZONE {tz}, 'YYYY-MM-DD HH24:MI:SS')"
    # The inner query computes each value once (OFFSET 0 keeps PostgreSQL from merging it
    # into the outer one, which would compute a value again wherever the outer names it).
    inner = f"""
        SELECT a.id, a.starts_at,
            COALESCE(NULLIF(a.external_ref, ''), {sql.param(export.OWN_REF_PREFIX)} || a.id)
                AS external_ref,
            g.slug AS agreement, a.title, f.name AS format, f.key AS format_key,
            {local.format("a.starts_at", tz=tz)} AS starts,
            {local.format("a.ends_at", tz=tz)} AS ends,
            CASE a.status {statuses} END AS status,
            a.kreis_id, k.name AS kreis_name,
            CASE WHEN a.online THEN {sql.param(_("ja"))} ELSE {sql.param(_("nein"))} END
                AS online,
            a.place_name,
            (SELECT string_agg(l.value, ', ' ORDER BY l.position)
             FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(a.languages) = 'array'
                  THEN a.languages ELSE '[]'::jsonb END) WITH ORDINALITY AS l(value, position)
            ) AS languages,
            (SELECT string_agg(goal.code, ', ' ORDER BY goal.code COLLATE "C")
             FROM activities_activity_goals ag JOIN agreements_goal goal ON goal.id = ag.goal_id
             WHERE ag.activity_id = a.id) AS goals,
            a.participants, a.first_timers,
            {"".join(f"{column} AS r{n}, " for n, column in enumerate(reach))}
            replace(trim_scale(a.staff_hours)::text, '.', ',') AS staff_hours,
            a.description, a.reflection,
            {local.format("a.documented_at", tz=tz)} AS documented,
            (a.documented_at AT TIME ZONE {tz})::date - (a.ends_at AT TIME ZONE {tz})::date
                AS lag_days
        FROM ({inner_base}) a
        JOIN agreements_agreement g ON g.id = a.agreement_id
        JOIN activities_format f ON f.id = a.format_id
        LEFT JOIN activities_kreis k ON k.ags = a.kreis_id
        {reach_join}
        ORDER BY a.starts_at DESC, a.id DESC
        OFFSET 0
    """  # noqa: S608 - table names are fixed, every value is a parameter
    outer = ", ".join(
        [
            *map(_text, ("external_ref", "agreement", "title", "format", "format_key")),
            _datetime("starts"),
            _datetime("ends"),
            *map(_text, ("status", "kreis_id", "kreis_name", "online")),
            *map(_text, ("place_name", "languages", "goals")),
            "participants",
            "first_timers",
            *(f"r{n}" for n in range(len(reach))),
            "staff_hours",
            _text("description"),
            _text("reflection"),
            _datetime("documented"),
            "lag_days",
        ]
    )
    statement = (
        f"COPY (SELECT {outer} FROM ({inner}) line ORDER BY line.starts_at DESC, line.id DESC) "  # noqa: S608 - as above
        f"TO STDOUT WITH (FORMAT csv, DELIMITER '{export.CSV_DELIMITER}')"
    )
    return statement, sql.params


def iter_csv(
    activities: QuerySet[Activity],
    categories: Sequence[ReachCategory],
    *,
    piece_bytes: int = PIECE_BYTES,
) -> Iterator[bytes]:
    """The export as UTF-8 bytes in pieces of about 64 KB: BOM and header, then the rows."""
    header = io_header(categories)
    statement, params = copy_statement(activities, categories)
    connection = connections[activities.db]
    connection.ensure_connection()
    pending: list[Any] = []
    size = 0
    yield header
    with connection.cursor() as cursor, cursor.cursor.copy(statement, params) as copy:
        for record in copy:
            # COPY ends a record with "\n"; the export (and Excel) want "\r\n". A record
            # comes whole and alone from libpq, so its last byte is the line end.
            pending.append(record[:-1])
            size += len(record)
            if size >= piece_bytes:
                pending.append(b"")
                yield b"\r\n".join(pending)
                pending, size = [], 0
    if pending:
        pending.append(b"")
        yield b"\r\n".join(pending)


def io_header(categories: Sequence[ReachCategory]) -> bytes:
    """The BOM and the header line, written by the csv module as the generic path does."""
    import csv
    import io

    buffer = io.StringIO()
    buffer.write(export.BOM)
    csv.writer(buffer, delimiter=export.CSV_DELIMITER, lineterminator="\r\n").writerow(
        export.headers(categories)
    )
    return buffer.getvalue().encode()

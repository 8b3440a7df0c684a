"""The floor of the report benchmark: every aggregate the report needs, hand-written in SQL.

One statement per report section (the current and the previous period read together and
split with ``CASE``), plus one per indicator for both periods, run with ``cursor.execute``
and fetched — no ORM, no Python beyond fetching. Runs on SQLite and PostgreSQL; on SQLite
the local day of a timestamp comes from the ``django_datetime_cast_date`` function that
Django registers on its connections (as the ORM's ``TruncDate`` uses it).
"""

# ruff: noqa: S608 - the SQL is put together from constant fragments; values are parameters
import datetime
import json
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

HELD = "('held', 'documented', 'reviewed')"
DOCUMENTED = "('documented', 'reviewed')"
TZ = "Europe/Berlin"


def _held(alias: str = "a") -> str:
    return (
        f"{alias}.agreement_id = %(agreement)s AND {alias}.status IN {HELD} "
        f"AND {alias}.starts_at >= %(first)s AND {alias}.starts_at < %(stop)s"
    )


def _now(alias: str = "a") -> str:
    return f"{alias}.starts_at >= %(start)s"


SECTIONS = {
    "formats": f"""
        SELECT a.format_id,
          SUM(CASE WHEN {_now()} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {_now()} THEN a.participants ELSE 0 END),
          SUM(CASE WHEN {_now()} THEN a.first_timers ELSE 0 END),
          SUM(CASE WHEN {_now()} THEN a.staff_hours END),
          SUM(CASE WHEN {_now()} THEN 0 ELSE 1 END),
          SUM(CASE WHEN {_now()} THEN 0 ELSE a.participants END),
          SUM(CASE WHEN {_now()} THEN 0 ELSE a.first_timers END),
          SUM(CASE WHEN {_now()} THEN NULL ELSE a.staff_hours END)
        FROM activities_activity a WHERE {_held()} GROUP BY a.format_id""",
    "organisations": f"""
        SELECT COUNT(DISTINCT CASE WHEN {_now()} THEN a.organisation_id END),
               COUNT(DISTINCT CASE WHEN {_now()} THEN NULL ELSE a.organisation_id END)
        FROM activities_activity a WHERE {_held()}""",
    "network_partners": f"""
        SELECT COUNT(DISTINCT CASE WHEN {_now()} THEN l.networkpartner_id END),
               COUNT(DISTINCT CASE WHEN {_now()} THEN NULL ELSE l.networkpartner_id END)
        FROM activities_activity_network_partners l
        JOIN activities_activity a ON a.id = l.activity_id WHERE {_held()}""",
    "responses_by_format": """
        SELECT a.format_id, COUNT(*) FROM feedback_response r
        JOIN activities_activity a ON a.id = r.activity_id
        WHERE r.agreement_id = %(agreement)s AND r.submitted_on >= %(start_day)s
          AND r.submitted_on <= %(end_day)s GROUP BY a.format_id""",
    "answers_by_format": """
        SELECT a.format_id, COUNT(*), SUM(CASE WHEN n.scale >= 4 THEN 1 ELSE 0 END)
        FROM feedback_answer n JOIN feedback_response r ON r.id = n.response_id
        JOIN activities_activity a ON a.id = r.activity_id
        WHERE r.agreement_id = %(agreement)s AND r.submitted_on >= %(start_day)s
          AND r.submitted_on <= %(end_day)s AND n.scale IS NOT NULL GROUP BY a.format_id""",
    "reach": f"""
        SELECT r.category_id, SUM(CASE WHEN {_now()} THEN r.count ELSE 0 END),
               SUM(CASE WHEN {_now()} THEN 0 ELSE r.count END)
        FROM activities_reachcount r JOIN activities_activity a ON a.id = r.activity_id
        WHERE {_held()} GROUP BY r.category_id""",
    "kreise": f"""
        SELECT a.kreis_id, k.name, k.regierungsbezirk,
               SUM(CASE WHEN {_now()} THEN 1 ELSE 0 END),
               SUM(CASE WHEN {_now()} THEN a.participants ELSE 0 END),
               SUM(CASE WHEN {_now()} THEN 0 ELSE a.participants END)
        FROM activities_activity a LEFT JOIN activities_kreis k ON k.ags = a.kreis_id
        WHERE {_held()} GROUP BY a.kreis_id, k.name, k.regierungsbezirk""",
    "counselling": """
        SELECT c.kind, c.channel, c.sought_by, c.first_contact,
               SUM(CASE WHEN c.date >= %(start_day)s THEN 1 ELSE 0 END),
               SUM(CASE WHEN c.date >= %(start_day)s THEN 0 ELSE 1 END)
        FROM counselling_contact c WHERE c.agreement_id = %(agreement)s
          AND c.date >= %(first_day)s AND c.date < %(stop_day)s
        GROUP BY c.kind, c.channel, c.sought_by, c.first_contact""",
    "counselling_topics": """
        SELECT t.topic_id, o.name, SUM(CASE WHEN c.date >= %(start_day)s THEN 1 ELSE 0 END),
               SUM(CASE WHEN c.date >= %(start_day)s THEN 0 ELSE 1 END)
        FROM counselling_contact_topics t JOIN counselling_contact c ON c.id = t.contact_id
        JOIN counselling_topic o ON o.id = t.topic_id WHERE c.agreement_id = %(agreement)s
          AND c.date >= %(first_day)s AND c.date < %(stop_day)s GROUP BY t.topic_id, o.name""",
    "feedback": """
        SELECT q.key, COUNT(*), SUM(CASE WHEN n.scale >= 4 THEN 1 ELSE 0 END), SUM(n.scale),
               SUM(CASE WHEN n.scale = 1 THEN 1 ELSE 0 END),
               SUM(CASE WHEN n.scale = 2 THEN 1 ELSE 0 END),
               SUM(CASE WHEN n.scale = 3 THEN 1 ELSE 0 END),
               SUM(CASE WHEN n.scale = 4 THEN 1 ELSE 0 END),
               SUM(CASE WHEN n.scale = 5 THEN 1 ELSE 0 END)
        FROM feedback_answer n JOIN feedback_response r ON r.id = n.response_id
        JOIN feedback_question q ON q.id = n.question_id
        WHERE r.agreement_id = %(agreement)s AND r.submitted_on >= %(start_day)s
          AND r.submitted_on <= %(end_day)s AND n.scale IS NOT NULL GROUP BY q.key""",
}


def _local_day(column: str, vendor: str) -> str:
    if vendor == "postgresql":
        return f"({column} AT TIME ZONE '{TZ}')::date"
    return f"julianday(django_datetime_cast_date({column}, '{TZ}', 'UTC'))"


def timeliness(vendor: str) -> tuple[str, str]:
    """§ 7 counts of one period, and its middle documentation lags (``LIMIT … OFFSET``)."""
    held = (
        "a.agreement_id = %(agreement)s AND a.status IN "
        f"{HELD} AND a.starts_at >= %(from)s AND a.starts_at < %(to)s"
    )
    deadline = (
        "(SELECT deadline_days FROM agreements_documentationprocedure "
        "WHERE agreement_id = %(agreement)s ORDER BY version DESC LIMIT 1)"
    )
    if vendor == "postgresql":
        within = f"a.documented_at <= a.ends_at + make_interval(days => {deadline})"
        overdue = f"a.ends_at < %(cutoff)s - make_interval(days => {deadline})"
    else:
        within = f"julianday(a.documented_at) <= julianday(a.ends_at) + {deadline}"
        overdue = f"julianday(a.ends_at) < julianday(%(cutoff)s) - {deadline}"
    counts = f"""
        SELECT SUM(CASE WHEN a.status IN {DOCUMENTED} OR {overdue} THEN 1 ELSE 0 END),
               SUM(CASE WHEN a.status IN {DOCUMENTED} THEN 1 ELSE 0 END),
               SUM(CASE WHEN a.status IN {DOCUMENTED} AND a.documented_at IS NOT NULL
                   THEN 1 ELSE 0 END),
               SUM(CASE WHEN a.status IN {DOCUMENTED} AND {within} THEN 1 ELSE 0 END)
        FROM activities_activity a WHERE {held}"""
    lag = f"{_local_day('a.documented_at', vendor)} - {_local_day('a.ends_at', vendor)}"
    median = f"""
        SELECT {lag} AS lag FROM activities_activity a
        WHERE {held} AND a.status IN {DOCUMENTED} AND a.documented_at IS NOT NULL
        ORDER BY lag LIMIT %(limit)s OFFSET %(offset)s"""
    return counts, median


def _in(name: str, values: list[str], params: dict[str, Any]) -> str:
    """``IN (%(name0)s, …)`` with the values added to the parameters."""
    for index, value in enumerate(values):
        params[f"{name}{index}"] = value
    return "(" + ", ".join(f"%({name}{index})s" for index in range(len(values))) + ")"


def indicator_sql(pk: int, source: str, spec: dict[str, Any], params: dict[str, Any]) -> str | None:
    """One statement giving the indicator's value for both periods, or None (no SQL needed)."""
    where = _held()
    if spec.get("formats"):
        where += " AND a.format_id IN (SELECT id FROM activities_format WHERE agreement_id = "
        where += f"%(agreement)s AND key IN {_in('fmt', spec['formats'], params)})"
    if spec.get("goals"):
        where += " AND EXISTS (SELECT 1 FROM activities_activity_goals ag JOIN agreements_goal g "
        where += "ON g.id = ag.goal_id WHERE ag.activity_id = a.id AND g.code IN "
        where += f"{_in('goal', spec['goals'], params)})"
    split = f"SUM(CASE WHEN {_now()} THEN {{v}} ELSE 0 END), "
    split += f"SUM(CASE WHEN {_now()} THEN 0 ELSE {{v}} END)"
    if source == "activities":
        return f"SELECT {split.format(v=1)} FROM activities_activity a WHERE {where}"
    if source == "reach":
        factors, columns = [], []
        dims = [("sector", "sectors")] if spec.get("sectors") else [("group", "groups")]
        for index, (dimension, key) in enumerate([*dims, ("migration", "migration")]):
            if not spec.get(key):
                continue
            keys = _in(f"cat{index}", spec[key], params)
            columns.append(
                f"COALESCE(SUM(CASE WHEN c.dimension = '{dimension}' AND c.key IN {keys} "
                f"THEN r.count END), 0) AS n{index}"
            )
            factors.append(f" * n{index} / CAST(a.participants AS FLOAT)")
        base = "a.participants" if spec.get("metric") == "attendances" else "a.first_timers"
        term = f"CAST({base} AS FLOAT){''.join(factors)}"
        return f"""
            SELECT {split.format(v=term)} FROM (
              SELECT a.starts_at, a.participants, a.first_timers{"".join(", " + c for c in columns)}
              FROM activities_activity a LEFT JOIN activities_reachcount r ON r.activity_id = a.id
              LEFT JOIN activities_reachcategory c ON c.id = r.category_id
              WHERE {where} AND a.participants > 0
              GROUP BY a.id, a.starts_at, a.participants, a.first_timers) a"""
    if source == "feedback":
        params["question"] = spec["question"]
        now = "r.submitted_on >= %(start_day)s"
        return f"""
            SELECT SUM(CASE WHEN {now} THEN 1 ELSE 0 END),
                   SUM(CASE WHEN {now} AND n.scale >= 4 THEN 1 ELSE 0 END),
                   SUM(CASE WHEN {now} THEN 0 ELSE 1 END),
                   SUM(CASE WHEN NOT ({now}) AND n.scale >= 4 THEN 1 ELSE 0 END)
            FROM feedback_answer n JOIN feedback_response r ON r.id = n.response_id
            JOIN feedback_question q ON q.id = n.question_id
            WHERE r.agreement_id = %(agreement)s AND r.submitted_on >= %(first_day)s
              AND r.submitted_on <= %(end_day)s AND q.key = %(question)s
              AND n.scale IS NOT NULL"""
    if source == "counselling":
        narrow = ""
        for key, column in (("kinds", "kind"), ("sought_by", "sought_by"), ("channels", "channel")):
            if spec.get(key):
                narrow += f" AND c.{column} IN {_in(column, spec[key], params)}"
        return f"""
            SELECT SUM(CASE WHEN c.date >= %(start_day)s THEN 1 ELSE 0 END),
                   SUM(CASE WHEN c.date >= %(start_day)s THEN 0 ELSE 1 END)
            FROM counselling_contact c WHERE c.agreement_id = %(agreement)s
              AND c.date >= %(first_day)s AND c.date < %(stop_day)s{narrow}"""
    if source == "network" and spec.get("metric") == "active_partners":
        return f"""
            SELECT COUNT(DISTINCT CASE WHEN {_now()} THEN l.networkpartner_id END),
                   COUNT(DISTINCT CASE WHEN {_now()} THEN NULL ELSE l.networkpartner_id END)
            FROM activities_activity_network_partners l
            JOIN activities_activity a ON a.id = l.activity_id WHERE {where}"""
    if source == "network":
        joint = "EXISTS (SELECT 1 FROM activities_activity_network_partners l "
        joint += "WHERE l.activity_id = a.id)"
        return f"SELECT {split.format(v=1)} FROM activities_activity a WHERE {where} AND {joint}"
    if source == "manual":
        params["indicator"] = pk
        return """
            SELECT starts_on, value FROM evaluation_manualvalue WHERE indicator_id = %(indicator)s
              AND starts_on >= %(first_day)s AND ends_on <= %(end_day)s"""
    if source == "evaluation":
        return """
            SELECT MAX(agreed_on) FROM evaluation_evaluation WHERE agreement_id = %(agreement)s
              AND status = 'agreed' AND agreed_on <= %(end_day)s"""
    return None  # timeliness: the § 7 section's figures


def floor(agreement_id: int, period: Any, today: datetime.date) -> dict[str, Any]:
    """Run every aggregate of the report for the period and the one before; count statements."""
    from django.db import connection

    from buendnis.evaluation.sources.base import local_bounds

    adapt = connection.ops.adapt_datetimefield_value
    previous = period.previous()
    first, _end = local_bounds(previous)
    start, stop = local_bounds(period)
    cutoff = datetime.datetime.combine(today, datetime.time.min, start.tzinfo)
    params: dict[str, Any] = {
        "agreement": agreement_id,
        "first": adapt(first),
        "start": adapt(start),
        "stop": adapt(stop),
        "cutoff": adapt(cutoff),
        "first_day": previous.start,
        "start_day": period.start,
        "end_day": period.end,
        "stop_day": period.stop,
    }
    statements = 0
    with connection.cursor() as cursor:

        def run(sql: str, extra: dict[str, Any] | None = None) -> list[Any]:
            nonlocal statements
            statements += 1
            cursor.execute(sql, {**params, **(extra or {})})
            return cursor.fetchall()

        for sql in SECTIONS.values():
            run(sql)
        counts, median = timeliness(connection.vendor)
        for begin, end in ((first, start), (start, stop)):
            bounds = {"from": adapt(begin), "to": adapt(end)}
            [(_due, _documented, dated, _within)] = run(counts, bounds)
            if dated:
                run(median, {**bounds, "limit": 2 - dated % 2, "offset": (dated - 1) // 2})
        indicators = run(
            "SELECT id, code, source, filter FROM agreements_indicator "
            "WHERE agreement_id = %(agreement)s ORDER BY code"
        )
        values = {}
        for pk, code, source, spec in indicators:
            spec = json.loads(spec) if isinstance(spec, str) else spec
            extra: dict[str, Any] = {}
            if (sql := indicator_sql(pk, source, spec, extra)) is not None:
                values[code] = (source, run(sql, extra))
    return {"statements": statements, "indicators": values}


def differences(floor_values: dict[str, Any], indicators: list[dict[str, Any]]) -> list[str]:
    """Indicators whose sums the floor found different from the report (a check on both)."""
    found = []
    for value in indicators:
        source, rows = floor_values.get(value["code"], (None, None))
        if source not in ("activities", "counselling", "network", "reach") or not rows:
            continue
        current, previous = (Decimal(repr(v or 0)) for v in rows[0][:2])
        mine = [v.quantize(Decimal(1), rounding=ROUND_HALF_UP) for v in (current, previous)]
        theirs = [Decimal(value["actual"] or 0), Decimal(value["previous"] or 0)]
        if mine != theirs:
            found.append(f"{value['code']}: floor {mine}, report {theirs}")
    return found

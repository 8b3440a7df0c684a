"""The § 6 portfolio page and its XLSX export at a million activities, beside raw SQL.

Reads an existing, filled database (by default the shared ``bench_perf`` on PostgreSQL)
and writes nothing to it: the shared cache is replaced by this process's memory, and the
view runs from a request factory (no session row). The ministry officer's portfolio —
every agreement, the last three calendar years — is timed

- **cold**: the first request in the process, which builds and protects every agreement's
  publication grids (activities, counselling, feedback) before reading them;
- **warm**: later requests, which find the grids and their protection in the cache and only
  check each grid's version (one aggregate per source and agreement);

and the XLSX export likewise warm. The floor is the hand-written SQL the portfolio's
figures need: held activities by agreement, year, Kreis and format; reach by agreement, year
and category; § 7 documentation states by agreement and year; counselling contacts by
agreement, year and kind; feedback answers and agreeing answers by agreement and year — five
statements, run with ``cursor.execute`` and fetched.

    .venv/bin/python bench/portfolio.py
    .venv/bin/python bench/portfolio.py --database-url postgres://postgres@127.0.0.1/other
"""

# ruff: noqa: S608 - the SQL is put together from constant fragments; values are parameters
import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_perf"
HELD = "('held', 'documented', 'reviewed')"
DOCUMENTED = "('documented', 'reviewed')"
TZ = "Europe/Berlin"


def _setup_django(database_url: str) -> None:
    os.environ["BUENDNIS_DATABASE_URL"] = database_url
    os.environ.setdefault("BUENDNIS_DATA_DIR", tempfile.mkdtemp(prefix="bench-portfolio-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buendnis.settings")
    import django
    from django.conf import settings

    django.setup()
    # This process's memory instead of the shared cache table: nothing is written.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }


def _timed(work: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The median of ``repeat`` runs, in seconds, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def floor_statements(years: list[int]) -> list[str]:
    """The five aggregates the portfolio's figures need, as plain SQL (PostgreSQL)."""
    year = f"EXTRACT(YEAR FROM a.starts_at AT TIME ZONE '{TZ}')"
    held = (
        f"a.agreement_id = ANY(%(agreements)s) AND a.status IN {HELD} "
        f"AND a.starts_at >= %(first)s AND a.starts_at < %(stop)s"
    )
    return [
        f"""SELECT a.agreement_id, {year}, a.kreis_id, a.format_id, COUNT(*),
                   SUM(a.participants), SUM(a.first_timers)
            FROM activities_activity a WHERE {held} GROUP BY 1, 2, 3, 4""",
        f"""SELECT a.agreement_id, {year}, r.category_id, SUM(r.count)
            FROM activities_reachcount r JOIN activities_activity a ON a.id = r.activity_id
            WHERE {held} GROUP BY 1, 2, 3""",
        f"""SELECT a.agreement_id, {year},
                   COUNT(*) FILTER (WHERE a.status IN {DOCUMENTED}
                       AND a.documented_at <= a.ends_at + make_interval(days => 14)),
                   COUNT(*) FILTER (WHERE a.status IN {DOCUMENTED}),
                   COUNT(*) FILTER (WHERE a.status IN {DOCUMENTED}
                       OR a.ends_at < now() - make_interval(days => 14))
            FROM activities_activity a WHERE {held} GROUP BY 1, 2""",
        """SELECT c.agreement_id, EXTRACT(YEAR FROM c.date), c.kind, COUNT(*)
           FROM counselling_contact c
           WHERE c.agreement_id = ANY(%(agreements)s) AND c.date >= %(first_day)s
             AND c.date < %(stop_day)s GROUP BY 1, 2, 3""",
        """SELECT r.agreement_id, EXTRACT(YEAR FROM r.submitted_on),
                  COUNT(n.scale), COUNT(*) FILTER (WHERE n.scale >= 4)
           FROM feedback_answer n JOIN feedback_response r ON r.id = n.response_id
           WHERE r.agreement_id = ANY(%(agreements)s) AND r.submitted_on >= %(first_day)s
             AND r.submitted_on < %(stop_day)s GROUP BY 1, 2""",
    ]


def floor(agreement_ids: list[int], years: list[int]) -> int:
    import datetime
    from zoneinfo import ZoneInfo

    from django.db import connection

    zone = ZoneInfo(TZ)
    params = {
        "agreements": agreement_ids,
        "first": datetime.datetime(years[0], 1, 1, tzinfo=zone),
        "stop": datetime.datetime(years[-1] + 1, 1, 1, tzinfo=zone),
        "first_day": datetime.date(years[0], 1, 1),
        "stop_day": datetime.date(years[-1] + 1, 1, 1),
    }
    rows = 0
    with connection.cursor() as cursor:
        for statement in floor_statements(years):
            cursor.execute(statement, params)
            rows += len(cursor.fetchall())
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--username", default="ministerium")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    _setup_django(args.database_url)

    from django.db import connection
    from django.test import RequestFactory
    from django.utils import timezone

    from buendnis.accounts.models import User
    from buendnis.activities.models import Activity
    from buendnis.core.disclosure.cache import forget
    from buendnis.portfolio import views
    from buendnis.portfolio.filters import default_years
    from buendnis.portfolio.selectors import portfolio_agreements

    if connection.vendor != "postgresql":
        raise SystemExit("bench/portfolio.py measures PostgreSQL (--database-url postgres://…)")
    user = User.objects.get(username=args.username)
    years = default_years(timezone.localdate())
    agreements = portfolio_agreements(user)
    ids = [a.pk for a in agreements]
    factory = RequestFactory()

    def request(path: str) -> Any:
        built = factory.get(path)
        built.user = user
        return built

    def page() -> int:
        response = views.portfolio_page(request("/portfolio/"))
        assert response.status_code == 200, response.status_code
        return len(response.content)

    def export() -> int:
        response = views.portfolio_export(request("/portfolio/export/xlsx/"), "xlsx")
        assert response.status_code == 200, response.status_code
        return len(response.content)

    result: dict[str, Any] = {
        "database": args.database_url.rsplit("@", 1)[-1],
        "activities": Activity.objects.count(),
        "agreements": len(ids),
        "years": years,
    }
    floor_seconds, floor_rows = _timed(lambda: floor(ids, years), args.repeat)
    forget()
    cold_seconds, _size = _timed(page, 1)
    warm_seconds, page_bytes = _timed(page, args.repeat)
    export_seconds, xlsx_bytes = _timed(export, args.repeat)
    result.update(
        {
            "floor_seconds": round(floor_seconds, 4),
            "floor_rows": floor_rows,
            "page_cold_seconds": round(cold_seconds, 3),
            "page_warm_seconds": round(warm_seconds, 4),
            "export_warm_seconds": round(export_seconds, 4),
            "page_bytes": page_bytes,
            "xlsx_bytes": xlsx_bytes,
            "ratio_page_cold": round(cold_seconds / floor_seconds, 2),
            "ratio_page_warm": round(warm_seconds / floor_seconds, 2),
            "ratio_export_warm": round(export_seconds / floor_seconds, 2),
        }
    )
    print(json.dumps(result, indent=1))
    out = Path(__file__).with_name("last-portfolio.json")
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

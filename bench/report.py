"""Benchmark the evaluation report (§ 8) of one agreement-year beside its raw SQL aggregates.

    .venv/bin/python bench/report.py [--activities 10000] [--database-url URL]

Without ``--database-url`` a SQLite file in a temporary directory is used. The reported
agreement is the founding one of the demo portfolio (goals Z1–Z6, 19 indicators, counselling
and feedback); the other activities belong to generated agreements of the same shape. The
report's times are set beside a floor: the aggregates it needs, hand-written in SQL and run
with ``cursor.execute``. See ``bench/README.md``.
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from report_floor import differences, floor  # bench/ is on the path: it holds this script

ROOT = Path(__file__).resolve().parent.parent

SEED = 1
YEARS = 3
TODAY = datetime.date(2026, 6, 30)
REPORTED_YEAR = 2025  # a whole year, with the year before it in the data too
FOUNDING = "integration-braucht-partner"
CONTACTS_PER_YEAR = 320


def _setup_django(database_url: str, data_dir: str) -> None:
    """Point the settings at the bench database before Django starts."""
    os.environ["BUENDNIS_DATABASE_URL"] = database_url
    os.environ["BUENDNIS_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buendnis.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _timed(work: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median seconds over ``repeat`` runs after one warm-up, and the last result."""
    result = work()
    times = []
    for _index in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def reported_per_year(activities: int) -> int:
    """Activities per year of the reported agreement: a large partner's, not the whole base."""
    return min(3000, max(300, activities // 300))


def setup(activities: int, other_agreements: int | None = None) -> dict[str, Any]:
    """Migrate, load the demo portfolio and generate ``activities`` activities in all.

    The activities beyond the reported agreement's go to ``other_agreements`` generated
    agreements (default: as many as it takes to make each the reported one's size).
    """
    from django.core.management import call_command

    from buendnis.accounts.models import Organisation
    from buendnis.accounts.services import user_create
    from buendnis.activities.generate import generate
    from buendnis.activities.services import documentation_setup
    from buendnis.agreements.models import Agreement
    from buendnis.agreements.services import portfolio_load
    from buendnis.core.management.commands.demo import DEMO_PASSWORD, DEMO_USERS, PORTFOLIO
    from buendnis.counselling.generate import contacts_generate
    from buendnis.counselling.services import topics_setup
    from buendnis.feedback.demo import demo_responses_generate
    from buendnis.feedback.questionnaires import questionnaires_seed

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    for agreement in portfolio_load(data=json.loads(PORTFOLIO.read_text(encoding="utf-8"))):
        documentation_setup(agreement=agreement, on=agreement.in_force_on or TODAY)
        topics_setup(agreement=agreement)
        if agreement.slug == FOUNDING:
            questionnaires_seed(agreement=agreement)
    for username, role, name in DEMO_USERS:
        organisation = Organisation.objects.get(name=name) if name else None
        user_create(username=username, password=DEMO_PASSWORD, organisation=organisation, role=role)
    per_year = reported_per_year(activities)
    generate(
        agreement_slug=FOUNDING, years=YEARS, activities_per_year=per_year, seed=SEED, today=TODAY
    )
    founding = Agreement.objects.get(slug=FOUNDING)
    contacts = contacts_generate(
        agreement=founding,
        years=range(TODAY.year - YEARS + 1, TODAY.year + 1),
        per_year=CONTACTS_PER_YEAR,
    )
    responses = demo_responses_generate(agreement=founding, seed=SEED)
    rest = max(0, activities - per_year * YEARS)
    others = other_agreements or max(1, rest // (per_year * YEARS))
    if rest:
        generate(
            agreements=others,
            years=YEARS,
            activities_per_year=rest // (others * YEARS),
            seed=SEED + 1,
            today=TODAY,
        )
    return {
        "seconds": time.perf_counter() - started,
        "reported_activities_per_year": per_year,
        "other_agreements": others if rest else 0,
        "contacts": contacts,
        "responses": responses,
    }


def sizes(agreement: Any, period: Any) -> dict[str, int]:
    """How much data there is, in the whole database and in the reported agreement-year."""
    from buendnis.activities.models import Activity, ReachCount
    from buendnis.evaluation.sources.base import held_activities

    return {
        "activities_in_database": Activity.objects.count(),
        "reach_rows_in_database": ReachCount.objects.count(),
        "held_in_reported_year": held_activities(
            agreement=agreement, period=period, filter={}
        ).count(),
    }


def bench_report(agreement: Any, period: Any, repeat: int) -> dict[str, Any]:
    """Time ``report_data`` and ``render_report`` per format, the floor and the ORM's SQL."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from buendnis.evaluation.report.data import report_data
    from buendnis.evaluation.report.render import render_report

    def data() -> dict[str, Any]:
        return report_data(agreement=agreement, period=period, today=TODAY)

    with CaptureQueriesContext(connection) as captured:
        data()
    statements = [(q["sql"]) for q in captured.captured_queries]

    def replay() -> int:
        """The exact SQL ``report_data`` sent, without the ORM and the Python around it."""
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
        return len(statements)

    out: dict[str, Any] = {}
    floor_s, floor_result = _timed(lambda: floor(agreement.pk, period, TODAY), repeat)
    out["floor"] = {"ms": floor_s * 1000, "statements": floor_result["statements"]}
    replay_s, _count = _timed(replay, repeat)
    out["orm_sql_replayed"] = {"ms": replay_s * 1000, "statements": len(statements)}
    data_s, figures = _timed(data, repeat)
    out["report_data"] = {"ms": data_s * 1000, "queries": len(statements)}
    out["floor"]["differences"] = differences(floor_result["indicators"], figures["indicators"])
    for fmt in ("html", "pdf", "xlsx"):

        def render(fmt: str = fmt) -> Any:
            return render_report(
                agreement=agreement, period=period, fmt=fmt, copy="ministry", today=TODAY
            )

        seconds, rendered = _timed(render, max(1, repeat // 2) if fmt == "pdf" else repeat)
        out[fmt] = {"ms": seconds * 1000, "bytes": len(rendered.content)}
    for name in ("report_data", "html", "pdf", "xlsx", "orm_sql_replayed"):
        out[name]["ratio_to_floor"] = out[name]["ms"] / out["floor"]["ms"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a temp SQLite file)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per step (median)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time the report on a PostgreSQL database an earlier run already filled",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="buendnis-bench-report-") as tmp:
        database_url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        _setup_django(database_url, tmp)
        from django.utils import translation

        from buendnis.agreements.models import Agreement
        from buendnis.evaluation.periods import calendar_year

        translation.activate("de")
        result: dict[str, Any] = {"database": database_url.split("@")[-1]}
        if args.reuse and not args.database_url:
            parser.error("--reuse needs --database-url")
        result["setup"] = "reused" if args.reuse else setup(args.activities)
        agreement = Agreement.objects.get(slug=FOUNDING)
        period = calendar_year(REPORTED_YEAR)
        result["data"] = {"agreement": FOUNDING, "period": period.key, **sizes(agreement, period)}
        print(json.dumps(result, indent=1), flush=True)
        result["report"] = bench_report(agreement, period, args.repeat)
        print(json.dumps(result["report"], indent=1), flush=True)
        (ROOT / "bench" / "last-report-run.json").write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()

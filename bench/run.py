"""Benchmark Bündnis on a throwaway database: generate, list, export, import.

    .venv/bin/python bench/run.py [--activities 1000000] [--database-url URL]

Without ``--database-url`` a SQLite file in a temporary directory is used. Each measurement
is set beside a floor (the same work done as plainly as possible) and reported as a ratio.
Memory is measured in a fresh subprocess per measurement (peak RSS), so one measurement's
garbage does not count against the next. See ``bench/README.md``.
"""

import argparse
import csv
import datetime
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PAGE_SIZE = 25
SEED = 1
AGREEMENTS = 4
YEARS = 3


def _setup_django(database_url: str, data_dir: str) -> None:
    """Point the settings at the bench database before Django starts."""
    os.environ["BUENDNIS_DATABASE_URL"] = database_url
    os.environ["BUENDNIS_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buendnis.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _rss_kb() -> int:
    """Peak resident memory of this process so far, in KiB.

    On Linux ``VmHWM`` is used: ``ru_maxrss`` survives ``exec`` and would report the parent's
    peak in a child process.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _timed(work: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    """Median seconds over ``repeat`` runs after one warm-up, and the last result."""
    result = work()
    times = []
    for _index in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _admin() -> Any:
    from buendnis.accounts.models import Membership, User
    from buendnis.accounts.services import user_create

    user = User.objects.filter(username="bench-admin").first()
    return user or user_create(
        username="bench-admin",
        password=os.urandom(16).hex(),
        organisation=None,
        role=Membership.Role.ADMIN,
    )


# --- set-up --------------------------------------------------------------------------


def setup(activities: int) -> dict[str, Any]:
    """Migrate and generate ``activities`` activities; report rows per second."""
    from django.core.management import call_command

    from buendnis.activities.generate import generate
    from buendnis.activities.models import ReachCount

    call_command("migrate", interactive=False, verbosity=0)
    per_year = max(1, activities // (AGREEMENTS * YEARS))
    started = time.perf_counter()
    result = generate(
        agreements=AGREEMENTS,
        years=YEARS,
        activities_per_year=per_year,
        seed=SEED,
        today=datetime.date(2026, 6, 30),
    )
    seconds = time.perf_counter() - started
    rows = result.activities + ReachCount.objects.count()
    return {
        "activities": result.activities,
        "reach_rows": result.reach_rows,
        "seconds": seconds,
        "activities_per_s": result.activities / seconds,
        "rows_per_s": rows / seconds,
        "peak_rss_mb": _rss_kb() / 1024,
    }


# --- (a) the activity list -----------------------------------------------------------


def bench_list() -> dict[str, Any]:
    """First and a deep page of the filtered list: selector + Paginator against raw SQL."""
    from django.core.paginator import Paginator
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from buendnis.activities.models import Activity
    from buendnis.activities.selectors import (
        ActivityFilter,
        activity_list,
        activity_page,
    )

    user = _admin()
    agreement_id = Activity.objects.order_by("id").values_list("agreement_id", flat=True)[0]
    filters = ActivityFilter(agreement=agreement_id, year=2025)
    out: dict[str, Any] = {"filter": "agreement + year"}

    def orm(number: int) -> list[Any]:
        activities = activity_list(user=user, filters=filters)
        return activity_page(activities=activities, number=number).object_list

    count = Paginator(activity_list(user=user, filters=filters), PAGE_SIZE).num_pages
    for name, number in (("first", 1), ("deep", max(1, count * 3 // 4)), ("last", count)):
        # The floor runs exactly the SQL the ORM sent (count + page), without the ORM.
        with CaptureQueriesContext(connection) as captured:
            orm(number)
        statements = [q["sql"] for q in captured.captured_queries]

        def raw(statements: list[str] = statements) -> list[Any]:
            rows: list[Any] = []
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
                    rows = cursor.fetchall()
            return rows

        orm_s, rows = _timed(lambda number=number: orm(number))
        raw_s, raw_rows = _timed(raw)
        assert len(rows) == len(raw_rows), (len(rows), len(raw_rows))
        out[name] = {
            "page": number,
            "queries": len(statements),
            "orm_ms": orm_s * 1000,
            "raw_ms": raw_s * 1000,
            "ratio": orm_s / raw_s,
        }
    out["pages"] = count
    return out


# --- (b) the CSV export --------------------------------------------------------------


def export_app(path: Path) -> int:
    """The app's streamed CSV export of every activity an admin sees."""
    from buendnis.activities import export
    from buendnis.activities.selectors import ActivityFilter, activity_list

    activities = activity_list(user=_admin(), filters=ActivityFilter())
    with path.open("w", encoding="utf-8", newline="") as out:
        return export.write_csv(activities, export.export_categories(activities), out)


FLOOR_EXPORT_SQL = """
SELECT a.id, a.external_ref, g.slug, a.title, f.name, f.key, a.starts_at, a.ends_at,
       a.status, a.kreis_id, k.name, a.online, a.place_name, a.languages,
       (SELECT {concat}(goal.code, ', ') FROM activities_activity_goals ag
        JOIN agreements_goal goal ON goal.id = ag.goal_id WHERE ag.activity_id = a.id),
       a.participants, a.first_timers, {pivot},
       a.staff_hours, a.description, a.reflection, a.documented_at
FROM activities_activity a
JOIN agreements_agreement g ON g.id = a.agreement_id
JOIN activities_format f ON f.id = a.format_id
LEFT JOIN activities_kreis k ON k.ags = a.kreis_id
LEFT JOIN activities_reachcount r ON r.activity_id = a.id
LEFT JOIN activities_reachcategory c ON c.id = r.category_id
GROUP BY a.id, g.slug, f.name, f.key, k.name
ORDER BY a.starts_at DESC, a.id DESC
"""


def export_floor(path: Path) -> int:
    """The floor: one raw query (reach pivoted, goals joined in SQL) and the csv module alone."""
    from django.db import connection

    from buendnis.activities.models import ReachCategory

    keys = sorted(set(ReachCategory.objects.values_list("dimension", "key")))
    pivot = ", ".join(
        f"MAX(CASE WHEN c.dimension = '{d}' AND c.key = '{k}' THEN r.count END)" for d, k in keys
    )
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out, connection.chunked_cursor() as cur:
        writer = csv.writer(out, delimiter=";")
        concat = "string_agg" if connection.vendor == "postgresql" else "group_concat"
        cur.execute(FLOOR_EXPORT_SQL.format(pivot=pivot, concat=concat))
        while batch := cur.fetchmany(2000):
            writer.writerows(batch)
            rows += len(batch)
    return rows


# --- (c) the import ------------------------------------------------------------------

IMPORT_ROWS = 10_000


def import_prepare(path: Path, rows: int = IMPORT_ROWS) -> dict[str, Any]:
    """Write a CSV of ``rows`` exported activities with fresh references, for the import."""
    from buendnis.activities import export
    from buendnis.activities.models import Activity

    first = Activity.objects.order_by("id").first()
    assert first is not None
    ids = Activity.objects.filter(
        agreement_id=first.agreement_id, organisation_id=first.organisation_id
    ).order_by("-starts_at", "-id")[:rows]
    activities = Activity.objects.filter(pk__in=list(ids.values_list("pk", flat=True)))
    categories = export.export_categories(Activity.objects.filter(agreement_id=first.agreement_id))
    exported = io.StringIO(newline="")
    export.write_csv(activities, categories, exported)
    exported.seek(0)
    rows_in = csv.reader(exported, delimiter=";")
    next(rows_in)  # the import also reads column keys as headers
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow([column.key for column in export.columns_for(categories)])
        for number, cells in enumerate(rows_in):
            cells[0] = f"bench-import-{number}"
            writer.writerow(cells)
    return {"agreement": first.agreement_id, "organisation": first.organisation_id}


def import_app(path: Path, agreement_id: int, organisation_id: int) -> int:
    """The app's import: check every row, then write all of them."""
    from buendnis.accounts.models import Organisation
    from buendnis.activities import importing
    from buendnis.agreements.models import Agreement

    result = importing.activities_import(
        agreement=Agreement.objects.get(pk=agreement_id),
        organisation=Organisation.objects.get(pk=organisation_id),
        source=path,
    )
    assert result.ok, result.problems[:3]
    return result.created


def import_floor(path: Path, agreement_id: int, organisation_id: int) -> int:
    """The floor: csv module and executemany, no checks, lookups by dictionary."""
    from django.db import connection, transaction
    from django.utils import timezone

    from buendnis.activities.export import columns_for, export_categories
    from buendnis.activities.models import Activity, Format

    categories = export_categories(Activity.objects.filter(agreement_id=agreement_id))
    keys = [c.key for c in columns_for(categories)]
    at = {key: keys.index(key) for key in keys}
    reach_at = [(c.pk, keys.index(f"reach_{c.dimension}_{c.key}")) for c in categories]
    formats = dict(Format.objects.filter(agreement_id=agreement_id).values_list("key", "id"))
    ops, tz = connection.ops, timezone.get_default_timezone()

    def when(text: str) -> Any:
        if not text:
            return None
        value = datetime.datetime.strptime(text[:16], "%Y-%m-%d %H:%M").replace(tzinfo=tz)
        return ops.adapt_datetimefield_value(value)

    now = ops.adapt_datetimefield_value(timezone.now())
    with path.open(encoding="utf-8-sig", newline="") as source:
        rows = list(csv.reader(source, delimiter=";"))[1:]
    activity_rows, reach_rows = [], []
    for number, row in enumerate(rows):
        ref = f"bench-floor-{number}"
        activity_rows.append(
            (
                agreement_id,
                organisation_id,
                formats[row[at["format_key"]]],
                row[at["title"]],
                when(row[at["starts_at"]]),
                when(row[at["ends_at"]]),
                row[at["online"]] == "ja",
                row[at.get("kreis_ags", at.get("kreis", -1))] or None,
                row[at["place_name"]],
                json.dumps([x.strip() for x in row[at["languages"]].split(",") if x.strip()]),
                row[at["staff_hours"]].replace(",", ".") or None,
                row[at["description"]],
                row[at["reflection"]],
                int(row[at["participants"]] or 0),
                int(row[at["first_timers"]] or 0),
                "documented",
                when(row[at["documented_at"]]),
                ref,
                1,
                now,
                now,
            )
        )
        reach_rows.append([(pk, int(row[i])) for pk, i in reach_at if row[i] not in ("", "0")])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO activities_activity (agreement_id, organisation_id, format_id, title, "
            "starts_at, ends_at, online, kreis_id, place_name, languages, staff_hours, "
            "description, reflection, participants, first_timers, status, documented_at, "
            "external_ref, version, created_at, updated_at) VALUES "
            "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            activity_rows,
        )
        cursor.execute(
            "SELECT external_ref, id FROM activities_activity WHERE external_ref LIKE %s",
            ["bench-floor-%"],
        )
        ids = dict(cursor.fetchall())
        cursor.executemany(
            "INSERT INTO activities_reachcount (activity_id, category_id, count) "
            "VALUES (%s, %s, %s)",
            [
                (ids[f"bench-floor-{n}"], pk, count)
                for n, counts in enumerate(reach_rows)
                for pk, count in counts
            ],
        )
    return len(activity_rows)


# --- the driver ----------------------------------------------------------------------

CHILD_TASKS: dict[str, Callable[..., int]] = {
    "export_app": export_app,
    "export_floor": export_floor,
    "import_app": import_app,
    "import_floor": import_floor,
}


def child(task: str, path: str, extra: list[int]) -> None:
    """Run one measurement in this (fresh) process and print its figures as JSON."""
    before = _rss_kb()
    started = time.perf_counter()
    rows = CHILD_TASKS[task](Path(path), *extra)
    seconds = time.perf_counter() - started
    after = _rss_kb()
    print(
        json.dumps(
            {
                "rows": rows,
                "seconds": seconds,
                "rows_per_s": rows / seconds,
                "peak_rss_mb": after / 1024,
                "growth_mb": (after - before) / 1024,
            }
        )
    )


def _in_child(args: argparse.Namespace, task: str, path: Path, *extra: int) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--child",
        task,
        "--path",
        str(path),
        "--database-url",
        args.database_url,
        "--data-dir",
        args.data_dir,
        *(["--extra", *map(str, extra)] if extra else []),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise SystemExit(f"{task} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _compare(app: dict[str, Any], floor: dict[str, Any]) -> dict[str, Any]:
    return {
        "app": app,
        "floor": floor,
        "time_ratio": app["seconds"] / floor["seconds"],
        "memory_growth_ratio": max(app["growth_mb"], 1) / max(floor["growth_mb"], 1),
        "peak_rss_ratio": app["peak_rss_mb"] / floor["peak_rss_mb"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a temp SQLite file)")
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    parser.add_argument("--child", choices=CHILD_TASKS, help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--extra", nargs="*", type=int, default=[], help=argparse.SUPPRESS)
    parser.add_argument("--skip", nargs="*", default=[], choices=["list", "export", "import"])
    args = parser.parse_args()
    if args.child:
        _setup_django(args.database_url, args.data_dir)
        child(args.child, args.path, args.extra)
        return
    with tempfile.TemporaryDirectory(prefix="buendnis-bench-") as tmp:
        args.data_dir = tmp
        args.database_url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        _setup_django(args.database_url, tmp)
        report: dict[str, Any] = {"database": args.database_url.split("@")[-1]}
        report["generate"] = setup(args.activities)
        print(json.dumps(report, indent=1), flush=True)
        if "list" not in args.skip:
            report["list"] = bench_list()
            print(json.dumps(report["list"], indent=1), flush=True)
        if "export" not in args.skip:
            app = _in_child(args, "export_app", Path(tmp) / "app.csv")
            floor = _in_child(args, "export_floor", Path(tmp) / "floor.csv")
            report["export"] = _compare(app, floor)
            print(json.dumps(report["export"], indent=1), flush=True)
        if "import" not in args.skip:
            path = Path(tmp) / "import.csv"
            ids = import_prepare(path)
            app = _in_child(args, "import_app", path, ids["agreement"], ids["organisation"])
            floor = _in_child(args, "import_floor", path, ids["agreement"], ids["organisation"])
            report["import"] = _compare(app, floor)
            print(json.dumps(report["import"], indent=1), flush=True)
        (ROOT / "bench" / "last-run.json").write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()

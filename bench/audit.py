"""Benchmark what writing the audit log costs: the import of 10,000 activities and fast entry.

    .venv/bin/python bench/audit.py [--entries 200] [--imports 3] [--database-url URL]

Without ``--database-url`` a SQLite file in a temporary directory is used (for PostgreSQL
give an empty database of your own: the bench migrates it and writes into it). The demo is
set up, then each path runs with the audit log and without it (``recording_off``, which
exists for this comparison only), alternating, in one run:

- the import of 10,000 activities (the demo's rows repeated with fresh references) through
  ``importing.activities_import`` — bulk inserts plus one audit entry per activity;
- the fast-entry path: the documentation form's POST as the Fachkraft sends it (test client,
  all middleware), and ``services.activity_create`` alone.

The ratios (with / without) are printed as JSON and written to ``bench/last-audit.json``.
The target is at most 1.20.
"""

import argparse
import csv
import datetime
import io
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
IMPORT_ROWS = 10_000


def _setup_django(database_url: str, data_dir: str) -> None:
    os.environ["BUENDNIS_DATABASE_URL"] = database_url
    os.environ["BUENDNIS_DATA_DIR"] = data_dir
    os.environ["BUENDNIS_ALLOWED_HOSTS"] = "testserver"
    os.environ["BUENDNIS_2FA_REQUIRED_ROLES"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buendnis.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _seconds(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _alternating(
    with_audit: Callable[[], object], without: Callable[[], object], repeat: int
) -> tuple[float, float]:
    """Median seconds of each, run in turns so both see the same database growth."""
    from buendnis.audit.context import recording_off

    def off() -> object:
        with recording_off():
            return without()

    on_times, off_times = [], []
    for index in range(repeat):
        if index % 2:
            on_times.append(_seconds(with_audit))
            off_times.append(_seconds(off))
        else:
            off_times.append(_seconds(off))
            on_times.append(_seconds(with_audit))
    return statistics.median(on_times), statistics.median(off_times)


def _import_csv(agreement: Any, organisation: Any, path: Path, prefix: str) -> None:
    """The demo's activities as the app exports them, repeated to 10,000 fresh rows."""
    from buendnis.activities import export
    from buendnis.activities.models import Activity

    activities = Activity.objects.filter(agreement=agreement, organisation=organisation)
    categories = export.export_categories(activities)
    exported = io.StringIO(newline="")
    export.write_csv(activities, categories, exported)
    exported.seek(0)
    rows = list(csv.reader(exported, delimiter=";"))[1:]
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow([column.key for column in export.columns_for(categories)])
        for number in range(IMPORT_ROWS):
            cells = list(rows[number % len(rows)])
            cells[0] = f"{prefix}-{number}"
            writer.writerow(cells)


def bench_import(agreement: Any, organisation: Any, data_dir: str, repeat: int) -> dict:
    from buendnis.activities import importing

    counter = iter(range(1000))

    def run() -> None:
        path = Path(data_dir) / "import.csv"
        _import_csv(agreement, organisation, path, f"bench-{next(counter)}")
        started = time.perf_counter()
        result = importing.activities_import(
            agreement=agreement, organisation=organisation, source=path
        )
        run.seconds = time.perf_counter() - started  # type: ignore[attr-defined]
        assert result.ok and result.created == IMPORT_ROWS, result.problems[:3]

    from buendnis.audit.context import recording_off

    on_times, off_times = [], []
    for index in range(repeat):
        for audited in (index % 2 == 0, index % 2 == 1):
            if audited:
                run()
                on_times.append(run.seconds)  # type: ignore[attr-defined]
            else:
                with recording_off():
                    run()
                off_times.append(run.seconds)  # type: ignore[attr-defined]
    on, off = statistics.median(on_times), statistics.median(off_times)
    return {"rows": IMPORT_ROWS, "with_audit_s": on, "without_s": off, "ratio": on / off}


def bench_fast_entry(agreement: Any, organisation: Any, repeat: int) -> dict:
    from django.test import Client
    from django.utils import timezone

    from buendnis.accounts.models import User
    from buendnis.activities.services import activity_create
    from buendnis.activities.tests.conftest import fathers_evening, form_data

    fachkraft = User.objects.get(username="fachkraft")
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    data = fathers_evening(agreement, starts_at=start - datetime.timedelta(days=1))
    client = Client()
    client.force_login(fachkraft)
    body = form_data(data, agreement, document="1")
    url = f"/aktivitaeten/neu/{agreement.slug}/"

    def post() -> None:
        response = client.post(url, body)
        assert response.status_code == 302, response.status_code

    def service() -> None:
        activity_create(
            agreement=agreement, organisation=organisation, data=data, responsible=fachkraft
        )

    for _ in range(5):  # warm up
        post()
    post_on, post_off = _alternating(post, post, repeat)
    service_on, service_off = _alternating(service, service, repeat)
    return {
        "form_post": {
            "with_audit_ms": post_on * 1000,
            "without_ms": post_off * 1000,
            "ratio": post_on / post_off,
        },
        "service": {
            "with_audit_ms": service_on * 1000,
            "without_ms": service_off * 1000,
            "ratio": service_on / service_off,
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=200, help="fast-entry saves per variant")
    parser.add_argument("--imports", type=int, default=3, help="imports per variant")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        url = args.database_url or f"sqlite:///{Path(data_dir) / 'bench.sqlite3'}"
        _setup_django(url, data_dir)
        from django.core.management import call_command
        from django.db import connection

        from buendnis.accounts.models import User
        from buendnis.agreements.models import Agreement
        from buendnis.audit.chain import verify
        from buendnis.core.management.commands.demo import DEMO_AGREEMENT

        call_command("demo", "--no-serve", stdout=io.StringIO())
        agreement = Agreement.objects.get(slug=DEMO_AGREEMENT)
        organisation = User.objects.get(username="fachkraft").memberships.get().organisation
        result: dict[str, Any] = {"database": connection.vendor}
        result["fast_entry"] = bench_fast_entry(agreement, organisation, args.entries)
        print(json.dumps(result, indent=2), flush=True)
        result["import"] = bench_import(agreement, organisation, data_dir, args.imports)
        result["audit_verify"] = {"entries": verify().entries}
        print(json.dumps(result, indent=2), flush=True)
        (ROOT / "bench" / "last-audit.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()

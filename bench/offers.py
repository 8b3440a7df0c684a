"""Benchmark the public offers: cached pages cost 0 queries; a bounded load run under gunicorn.

    .venv/bin/python bench/offers.py [--duration 60] [--connections 64] [--database-url URL]

A throwaway database (SQLite in a temporary directory unless ``--database-url`` is given)
gets the ministry's founding agreement and the demo's public offers. Then:

1. each public page and feed is requested twice in this process with Django's test client;
   the queries of each request are captured (the second must be 0: the cached response);
2. gunicorn (``buendnis.wsgi``, 127.0.0.1, a free port) serves the same database, and wrk
   runs ``--connections`` connections for ``--duration`` seconds over the same URLs.

The figures are printed as JSON and written to ``bench/last-offers.json``. See README.md.
"""

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def _setup(database_url: str, data_dir: str) -> None:
    os.environ["BUENDNIS_DATABASE_URL"] = database_url
    os.environ["BUENDNIS_DATA_DIR"] = data_dir
    os.environ["BUENDNIS_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buendnis.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _load() -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from buendnis.accounts.models import Organisation
    from buendnis.activities.services import documentation_setup
    from buendnis.agreements.services import portfolio_load
    from buendnis.core.management.commands.demo import DEMO_AGREEMENT, DEMO_USERS, PORTFOLIO
    from buendnis.offers.demo import demo_offers_publish

    call_command("migrate", interactive=False, verbosity=0)
    for agreement in portfolio_load(data=json.loads(PORTFOLIO.read_text(encoding="utf-8"))):
        if agreement.slug == DEMO_AGREEMENT:
            documentation_setup(agreement=agreement, on=timezone.localdate())
            organisation = Organisation.objects.get(name=DEMO_USERS[0][2])
            demo_offers_publish(agreement=agreement, organisation=organisation)


def _paths() -> list[str]:
    from django.urls import reverse

    from buendnis.offers.models import Offer

    offer = Offer.objects.order_by("pk").first()
    return [
        "/",
        reverse("offers:list") + "?kreis=06413&sprache=ar&lang=ar",
        reverse("offers:detail", args=[offer.pk]) + "?lang=fa",
        reverse("offers:ics", args=[offer.pk]),
        reverse("offers:calendar") + f"?organisation={offer.activity.organisation_id}",
        reverse("offers:atom"),
    ]


def _queries(paths: list[str]) -> dict[str, list[int]]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # Queries on a database cache's own table are the cache, not the application's data.
    cache_tables = [
        c["LOCATION"] for c in settings.CACHES.values() if c["BACKEND"].endswith("DatabaseCache")
    ]
    client = Client()
    result = {}
    for path in paths:
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            data = [q for q in captured if not any(t in q["sql"] for t in cache_tables)]
            counts.append(len(data))
        result[path] = counts
    return result


def _timings(paths: list[str], repeat: int = 20) -> dict[str, dict[str, float]]:
    """Median in-process time of a page built afresh (cache cleared) and served cached."""
    import statistics

    from django.core.cache import cache
    from django.test import Client

    client = Client()
    result = {}
    for path in paths:
        built, cached = [], []
        for _ in range(repeat):
            cache.clear()
            start = time.perf_counter()
            client.get(path)
            built.append(time.perf_counter() - start)
            start = time.perf_counter()
            client.get(path)
            cached.append(time.perf_counter() - start)
        b, c = statistics.median(built), statistics.median(cached)
        result[path] = {"built_ms": round(b * 1000, 2), "cached_ms": round(c * 1000, 2),
                        "ratio": round(b / c, 1)}  # fmt: skip
    return result


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _parse_wrk(output: str) -> dict[str, float | int]:
    def seconds(value: str) -> float:
        number, unit = re.match(r"([\d.]+)(us|ms|s|m)", value).groups()
        return float(number) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]

    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = 0
    if m := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(g) for g in m.groups())
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(m.group(1))
    return {
        "requests": requests,
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": round(seconds(re.search(r"50%\s+(\S+)", output).group(1)) * 1000, 2),
        "p99_ms": round(seconds(re.search(r"99%\s+(\S+)", output).group(1)) * 1000, 2),
        "errors": errors,
    }


def _load_run(paths: list[str], *, duration: int, connections: int, workers: int) -> dict:
    wrk = shutil.which("wrk")
    gunicorn = Path(sys.executable).parent / "gunicorn"
    if wrk is None or not gunicorn.exists():
        return {"skipped": "needs wrk (apt-get install -y wrk) and gunicorn in the venv"}
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own server on 127.0.0.1
        [
            str(gunicorn),
            "buendnis.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                for path in paths:  # warm every worker's cache once (wrk measures the rest)
                    urllib.request.urlopen(base + path, timeout=5).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT % ", ".join(json.dumps(p) for p in paths))
        output = subprocess.run(  # noqa: S603 - wrk against our own server on 127.0.0.1
            [
                wrk,
                "-t",
                "2",
                "-c",
                str(connections),
                "-d",
                f"{duration}s",
                "--latency",
                "-s",
                script.name,
                base,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        os.unlink(script.name)
        result = _parse_wrk(output)
        result.update(duration_s=duration, connections=connections, workers=workers)
        return result
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        url = args.database_url or f"sqlite:///{data_dir}/bench.sqlite3"
        _setup(url, data_dir)
        _load()
        paths = _paths()
        queries = _queries(paths)
        from django.conf import settings

        result = {
            "cache_backend": settings.CACHES["default"]["BACKEND"],
            "queries_first_then_cached": queries,
            "cached_requests_with_queries": sum(1 for c in queries.values() if c[1] != 0),
            "built_vs_cached": _timings(paths),
        }
        print(json.dumps(result, indent=2), flush=True)
        result["load"] = _load_run(
            paths, duration=args.duration, connections=args.connections, workers=args.workers
        )
        print(json.dumps(result["load"], indent=2), flush=True)
    (ROOT / "bench" / "last-offers.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()

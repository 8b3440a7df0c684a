"""Benchmark the REST API: keyset pages against their raw SQL, and schemathesis at volume.

    .venv/bin/python bench/api.py [--activities 100000] [--database-url URL]
    .venv/bin/python bench/api.py --activities 2000 --cases 10000 --skip list

(a) list: ``GET /api/v1/activities/`` through the whole stack (token, policy, selector,
serialisation) for the first page and a deep page (¾ through one agreement's activities),
beside exactly the SQL statements that request sent, run with ``cursor.execute``: the ratio is
what the API's layers cost, and the deep page must cost what the first one costs (keyset).
A trivial authenticated request (``GET /api/v1/agreements/``), timed in the same rounds, is
the stack's fixed cost: ``ratio_after_fixed_cost`` is (request − fixed) / SQL.
(b) schemathesis: generated requests (positive and negative) against ``/api/v1/schema/``
until ``--cases`` are done; server errors and schema violations are counted.
Writes ``bench/last-api-run.json``. See ``bench/README.md``.
"""

import argparse
import json
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import ROOT, _setup_django, setup

LIMIT = 50
# The cheapest authenticated operation there is (the API has no root document): the caller's
# agreements, a handful of rows. Its time is the stack's fixed cost per request.
FIXED_PATH = "/api/v1/agreements/"


def _coordinator() -> tuple[Any, Any, str]:
    """A coordinator of the first generated agreement's partner, with a read-write token."""
    from buendnis.accounts.models import Membership, User
    from buendnis.accounts.services import user_create
    from buendnis.agreements.models import AgreementPartner
    from buendnis.api.services import token_create

    partner = (
        AgreementPartner.objects.filter(role=AgreementPartner.Role.PARTNER)
        .select_related("agreement", "organisation")
        .order_by("agreement_id", "pk")
        .first()
    )
    user = User.objects.filter(username="bench-api").first() or user_create(
        username="bench-api",
        password="bench-api-password",  # noqa: S106 (a throwaway bench database)
        organisation=partner.organisation,
        role=Membership.Role.KOORDINATION,
    )
    _token, secret = token_create(user=user, name="bench", scope="write")
    return partner.agreement, partner.organisation, secret


def _paired(*calls: Any, rounds: int = 15) -> list[float]:
    """Median seconds of each call, measured in alternating rounds (one of each per round).

    Alternating keeps a busy machine's changing load from favouring one side.
    """
    for call in calls:
        call()  # warm up
    times: list[list[float]] = [[] for _call in calls]
    for _round in range(rounds):
        for call, taken in zip(calls, times, strict=True):
            started = time.perf_counter()
            call()
            taken.append(time.perf_counter() - started)
    return [statistics.median(taken) for taken in times]


def _captured(request: Any) -> list[str]:
    """The SQL statements one request sends (after a first call that may stamp the token)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    request()
    with CaptureQueriesContext(connection) as captured:
        request()
    return [q["sql"] for q in captured.captured_queries]


def _replay(statements: list[str]) -> Any:
    """A call that sends exactly these statements with ``cursor.execute`` and fetches every row."""
    from django.db import connection

    def raw() -> int:
        rows: list[Any] = []
        with connection.cursor() as db:
            for sql in statements:
                db.execute(sql)
                if db.description is not None:
                    rows = db.fetchall()
        return len(rows)

    return raw


def _explain(sql: str) -> list[str]:
    """The plan PostgreSQL chose for a statement, with its real timings (EXPLAIN ANALYZE)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as db:
        db.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return [row[0] for row in db.fetchall()]


def bench_list(*, explain: bool = False) -> dict[str, Any]:
    from django.conf import settings
    from django.test import Client

    from buendnis.activities.models import Activity

    settings.API_TOKEN_RATE = "0"  # noqa: S105 (a rate, no secret: throttle off)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    agreement, organisation, secret = _coordinator()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    out: dict[str, Any] = {"limit": LIMIT, "fixed_cost_request": f"GET {FIXED_PATH}"}
    # The agreement's list (the usual call) and every visible activity (no filter).
    for scope, rows_of, filters in (
        (
            "agreement",
            Activity.objects.filter(agreement=agreement, organisation=organisation),
            {"agreement": agreement.slug},
        ),
        ("all", Activity.objects.filter(organisation=organisation), {}),
    ):
        out[scope] = _bench_scope(client, rows_of, filters, explain=explain)
    out["fixed_cost_ms"] = statistics.median(
        out[scope][name]["fixed_ms"] for scope in ("agreement", "all") for name in ("first", "deep")
    )
    # The earlier keys, for comparison with older runs: the agreement's list.
    out.update({k: out["agreement"][k] for k in ("first", "deep", "deep_over_first")})
    return out


def _bench_scope(client: Any, mine: Any, filters: dict, *, explain: bool) -> dict[str, Any]:
    from buendnis.api.selectors import encode_cursor

    def fixed() -> None:
        response = client.get(FIXED_PATH)
        assert response.status_code == 200, response.content

    fixed_statements = _captured(fixed)
    total = mine.count()
    deep_at = max(0, total * 3 // 4)
    deep = mine.order_by("-starts_at", "-id")[deep_at]
    out: dict[str, Any] = {"activities": total}
    for name, cursor in (("first", None), ("deep", encode_cursor(deep))):
        query = {**filters, "limit": LIMIT, **({"cursor": cursor} if cursor else {})}

        def api(query: dict[str, Any] = query) -> int:
            response = client.get("/api/v1/activities/", query)
            assert response.status_code == 200, response.content
            return len(response.json()["results"])

        statements = _captured(api)
        raw = _replay(statements)
        rows = api()
        api_s, raw_s, fixed_s, fixed_raw_s = _paired(api, raw, fixed, _replay(fixed_statements))
        out[name] = {
            "position": 0 if cursor is None else deep_at,
            "rows": rows,
            "queries": len(statements),
            "api_ms": api_s * 1000,
            "raw_ms": raw_s * 1000,
            "ratio": api_s / raw_s,
            # The API stack's fixed cost, timed in the same rounds: a trivial authenticated
            # request (token, policy, ninja, a small answer), taken off before dividing.
            "fixed_ms": fixed_s * 1000,
            "fixed_raw_ms": fixed_raw_s * 1000,
            "fixed_queries": len(fixed_statements),
            "ratio_after_fixed_cost": max(0.0, api_s - fixed_s) / raw_s,
        }
        if explain:
            page = next(
                sql for sql in statements if 'FROM "activities_activity"' in sql and "LIMIT" in sql
            )
            out[name]["plan"] = _explain(page)
    out["deep_over_first"] = out["deep"]["api_ms"] / out["first"]["api_ms"]
    out["deep_raw_over_first_raw"] = out["deep"]["raw_ms"] / out["first"]["raw_ms"]
    return out


def bench_schemathesis(cases: int) -> dict[str, Any]:
    from django.conf import settings
    from schemathesis.generation import GenerationMode

    from buendnis.activities.models import Activity
    from buendnis.api.tests.conformance import Outcome, run

    settings.API_TOKEN_RATE = "0"  # noqa: S105 (a rate, no secret: throttle off)
    logging.getLogger("django.request").setLevel(logging.ERROR)  # 4xx are expected here
    agreement, organisation, secret = _coordinator()
    activity = Activity.objects.filter(agreement=agreement, organisation=organisation).first()
    total = Outcome()
    started = time.perf_counter()
    rounds = 0
    while total.cases < cases:
        rounds += 1
        outcome = run(
            secret=secret,
            known={"slug": agreement.slug, "pk": activity.pk},
            examples=100,
            modes=(GenerationMode.POSITIVE, GenerationMode.NEGATIVE),
            derandomize=False,
            progress=lambda line: print(line, file=sys.stderr, flush=True),
        )
        total.cases += outcome.cases
        total.server_errors += outcome.server_errors
        total.schema_violations += outcome.schema_violations
        total.failures += outcome.failures
        for status, count in outcome.statuses.items():
            total.statuses[status] = total.statuses.get(status, 0) + count
        print(
            f"round {rounds}: {total.cases} cases, {total.server_errors} server errors, "
            f"{total.schema_violations} schema violations",
            file=sys.stderr,
            flush=True,
        )
    return {
        "cases": total.cases,
        "rounds": rounds,
        "server_errors": total.server_errors,
        "schema_violations": total.schema_violations,
        "statuses": {str(k): v for k, v in sorted(total.statuses.items())},
        "failures": total.failures[:20],
        "seconds": time.perf_counter() - started,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a temp SQLite file)")
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--skip", nargs="*", default=[], choices=["list", "schemathesis"])
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time on an existing, migrated --database-url: no new data, no migration",
    )
    parser.add_argument("--explain", action="store_true", help="add each page's query plan")
    args = parser.parse_args()
    if args.reuse and not args.database_url:
        parser.error("--reuse needs --database-url")
    with tempfile.TemporaryDirectory(prefix="buendnis-bench-api-") as tmp:
        database_url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        _setup_django(database_url, tmp)
        report: dict[str, Any] = {"database": database_url.split("@")[-1]}
        if args.reuse:
            # Someone else's database (e.g. the million-activity one): read it as it is.
            from buendnis.activities.models import Activity

            report["activities"] = Activity.objects.count()
        else:
            report["generate"] = setup(args.activities)
        print(json.dumps(report, indent=1), flush=True)
        if "list" not in args.skip:
            report["list"] = bench_list(explain=args.explain)
            print(json.dumps(report["list"], indent=1), flush=True)
        if "schemathesis" not in args.skip:
            report["schemathesis"] = bench_schemathesis(args.cases)
            print(json.dumps(report["schemathesis"], indent=1), flush=True)
        (ROOT / "bench" / "last-api-run.json").write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()

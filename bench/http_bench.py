"""Measure Bündnis over HTTP against the production server at a million activities.

    .venv/bin/python bench/http_bench.py --database-url URL --setup [--activities 1000000]
    .venv/bin/python bench/http_bench.py --database-url URL [--workers 4] [--load-seconds 60]

Each key page is timed over HTTP (gunicorn, keep-alive) against a replay of the SQL it
sends; the CSV export against PostgreSQL's ``COPY`` of the same columns; a 50 MB upload of
junk for the worker's memory; then a bounded load run with wrk on 127.0.0.1. See
``bench/README.md``.
"""

import argparse
import datetime
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import report as report_bench  # bench/ is on the path: it holds this script
import run as run_bench  # the export floor's SQL

ROOT = Path(__file__).resolve().parent.parent
OTHER_AGREEMENTS = 4  # large partners: about 250,000 activities each at a million
PASSWORD = "bench-http-password"  # noqa: S105 - only for the throwaway bench database
LOGIN = "/konto/anmelden/"
SIGNED_IN_TRIVIAL = "trivial (signed in)"
UPLOAD_MB = 50


def setup(activities: int) -> dict[str, Any]:
    """The report bench's database, with the rest split over a few large partners.

    Then ``VACUUM (ANALYZE)``, as autovacuum would do in time: without it the freshly
    written tables have no visibility map (an index-only count reads every row's page) and
    no statistics, and the pages would be timed in a state no installation stays in.
    """
    from django.db import connection

    result = report_bench.setup(activities, other_agreements=OTHER_AGREEMENTS)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    result["vacuum_seconds"] = time.perf_counter() - started
    return result


# --- what the pages need ---------------------------------------------------------------


def prepare() -> dict[str, Any]:
    """Users of the largest partners, an evaluation and an open feedback link (idempotent)."""
    from django.core.management import call_command
    from django.db.models import Count
    from django.utils import timezone

    from buendnis.accounts.models import Membership, Organisation, User
    from buendnis.accounts.services import user_create
    from buendnis.activities.models import Activity
    from buendnis.agreements.models import Agreement
    from buendnis.core.management.commands.demo import DEMO_PASSWORD
    from buendnis.evaluation.models import Evaluation
    from buendnis.evaluation.periods import calendar_year
    from buendnis.evaluation.services import evaluation_create
    from buendnis.feedback.models import Question
    from buendnis.feedback.selectors import current_version, effective_questionnaire
    from buendnis.feedback.services import feedback_link_ensure
    from buendnis.feedback.texts import field_name

    call_command("migrate", interactive=False, verbosity=0)
    founding = Agreement.objects.get(slug=report_bench.FOUNDING)
    largest = (
        Activity.objects.order_by()
        .values("organisation_id", "agreement_id")
        .annotate(n=Count("id"))
        .order_by("-n")[:OTHER_AGREEMENTS]
    )
    passwords = {name: DEMO_PASSWORD for name in ("koordination", "fachkraft", "ministerium")}
    passwords["admin"] = DEMO_PASSWORD
    large = []
    for number, row in enumerate(largest, start=1):
        organisation = Organisation.objects.get(pk=row["organisation_id"])
        for role in (Membership.Role.KOORDINATION, Membership.Role.FACHKRAFT):
            name = f"bench-{role}-{number}"
            if not User.objects.filter(username=name).exists():
                user_create(username=name, password=PASSWORD, organisation=organisation, role=role)
            passwords[name] = PASSWORD
        agreement = Agreement.objects.get(pk=row["agreement_id"])
        large.append({"number": number, "agreement": agreement.slug, "id": agreement.pk})
    period = calendar_year(report_bench.REPORTED_YEAR)
    if not Evaluation.objects.filter(
        agreement=founding, starts_on=period.start, ends_on=period.end
    ).exists():
        evaluation_create(agreement=founding, period=period, by=None)
    # An activity of yesterday with an open feedback link (the generated ones are older).
    activity = Activity.objects.filter(agreement=founding, external_ref="bench-feedback").first()
    if activity is None:
        activity = Activity.objects.filter(agreement=founding).order_by("-starts_at").first()
        assert activity is not None
        goals = list(activity.goals.all())
        activity.pk = None
        activity.external_ref = "bench-feedback"
        activity.title = "Bench-Feedback"
        activity.starts_at = timezone.now() - datetime.timedelta(days=1)
        activity.ends_at = activity.starts_at + datetime.timedelta(hours=2)
        activity.save()
        activity.goals.set(goals)
    link = feedback_link_ensure(activity=activity)
    published = _publish_open_data(founding)
    version = current_version(effective_questionnaire(activity, link))
    assert version is not None
    answers = {
        field_name(q.key): "4" for q in version.questions.all() if q.kind == Question.Kind.SCALE
    }
    return {
        "founding": founding.slug,
        "founding_id": founding.pk,
        "period": period.key,
        "feedback": f"/r/{link.code}/",
        "feedback_post": {"v": str(version.pk), **answers},
        "large": large,
        "passwords": passwords,
        "open_data_year": published,
    }


def _publish_open_data(agreement: Any) -> int | None:
    """The ministry publishes the agreement's latest closed year, so its download is timed."""
    from buendnis.accounts.models import User
    from buendnis.opendata import selectors
    from buendnis.opendata.services import opendata_switch

    years = selectors.agreed_years(agreement)
    if not years:
        return None
    if not selectors.is_published(agreement, years[-1]):
        opendata_switch(
            agreement=agreement,
            year=years[-1],
            published=True,
            by=User.objects.get(username="ministerium"),
        )
    return years[-1]


@dataclass(frozen=True)
class Page:
    """One request the bench times: who asks, for what."""

    name: str
    user: str | None  # None: not logged in
    path: str
    post: dict[str, str] | None = None


def pages(scenario: dict[str, Any], deep: dict[str, int]) -> list[Page]:
    """The key pages, for the largest partner's coordinator where the data is theirs."""
    big = scenario["large"][0]
    coordinator = f"bench-koordination-{big['number']}"
    founding, period = scenario["founding"], scenario["period"]
    filtered = f"?agreement={big['id']}&year=2025&status=documented"
    signed_in = [
        Page("trivial (login form)", None, LOGIN),
        # a signed-in page with a form and no data: session, user, memberships, the layout
        Page(SIGNED_IN_TRIVIAL, coordinator, "/konto/passwort/"),
        Page("dashboard", coordinator, "/"),
        Page("dashboard (Fachkraft)", f"bench-fachkraft-{big['number']}", "/"),
        Page("list first", coordinator, "/aktivitaeten/"),
        Page("list deep", coordinator, f"/aktivitaeten/?page={deep['unfiltered']}"),
        Page("list filtered first", coordinator, "/aktivitaeten/" + filtered),
        Page(
            "list filtered deep",
            coordinator,
            "/aktivitaeten/" + filtered + f"&page={deep['filtered']}",
        ),
        Page("list overdue", coordinator, "/aktivitaeten/?overdue=on"),
        Page("agreement page", coordinator, f"/vereinbarungen/{big['agreement']}/"),
        Page("evaluation page", "koordination", f"/auswertung/{founding}/{period}/"),
        Page("counselling statistics", "koordination", f"/beratung/statistik/{founding}/"),
        Page("feedback form GET", None, scenario["feedback"]),
        Page("feedback form POST", None, scenario["feedback"], post=scenario["feedback_post"]),
        # the ministry's outputs (issue 15) and the audit log (issue 16)
        Page("portfolio", "ministerium", "/portfolio/"),
        Page("portfolio XLSX", "ministerium", "/portfolio/export/xlsx/"),
        Page("open data page", None, "/offene-daten/"),
        Page("Protokoll (coordinator)", coordinator, "/protokoll/"),
        Page("Protokoll (ministry)", "ministerium", "/protokoll/"),
    ]
    year = scenario.get("open_data_year")
    if year is not None:
        signed_in.append(Page("open data package", None, f"/offene-daten/{founding}/{year}.zip"))
    return signed_in


def deep_pages(scenario: dict[str, Any]) -> dict[str, int]:
    """Page numbers three quarters through the big partner's list, unfiltered and filtered."""
    from buendnis.accounts.models import User
    from buendnis.activities.selectors import PAGE_SIZE, ActivityFilter, activity_list

    big = scenario["large"][0]
    user = User.objects.get(username=f"bench-koordination-{big['number']}")
    unfiltered = activity_list(user=user, filters=ActivityFilter()).count()
    filtered = activity_list(
        user=user, filters=ActivityFilter(agreement=big["id"], year=2025, status="documented")
    ).count()
    return {
        "unfiltered": max(1, unfiltered // PAGE_SIZE * 3 // 4),
        "filtered": max(1, filtered // PAGE_SIZE * 3 // 4),
    }


# --- the floor: the SQL a page sends, replayed ---------------------------------------------


def page_sql(page: Page) -> list[str]:
    """The statements the page sends once warm, captured in-process with Django's test client.

    The server's timed requests follow a warm-up request on the same worker, so the worker
    has its per-process answers (``core.versioned``) by then; the capture does the same: one
    request first, then the captured one. Without it the floor would count the shared
    cache's reads that the timed requests no longer send.
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from buendnis.accounts.models import User

    # The test client would end the transaction below at the request's start and end.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    client = Client(SERVER_NAME="127.0.0.1")
    if page.user:
        client.force_login(User.objects.get(username=page.user))

    # Writes (a feedback answer) are rolled back here and in the replay.
    def ask() -> Any:
        return client.get(page.path) if page.post is None else client.post(page.path, page.post)

    with transaction.atomic():
        ask()  # the warm-up, as the server had
        with CaptureQueriesContext(connection) as captured:
            response = ask()
        transaction.set_rollback(True)
    assert response.status_code in (200, 302), (page, response.status_code)
    control = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")
    return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(control)]


def _run(cursor: Any, sql: str) -> None:
    """One captured statement, every row fetched.

    A write may meet a row that the timed HTTP requests have meanwhile committed (the
    feedback form's rate-limit counter of this minute): the statement still ran, and only
    its savepoint is rolled back, so the replay goes on.
    """
    from django.db import IntegrityError, transaction

    if sql.lstrip().upper().startswith("SELECT"):  # reads need no savepoint (nor its time)
        cursor.execute(sql)
        cursor.fetchall()
        return
    try:
        with transaction.atomic():
            cursor.execute(sql)
            if cursor.description is not None:
                cursor.fetchall()
    except IntegrityError:
        pass


def slowest(statements: list[str], count: int = 3) -> list[tuple[float, str]]:
    """The statements that take longest, in milliseconds, to see where a page's time goes."""
    from django.db import connection, transaction

    timed = []
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in statements:
            started = time.perf_counter()
            _run(cursor, sql)
            timed.append((round((time.perf_counter() - started) * 1000, 1), sql[:300]))
        transaction.set_rollback(True)
    return sorted(timed, reverse=True)[:count]


def replay(statements: list[str], repeat: int) -> float:
    """Median seconds to run the statements with a plain cursor and fetch every row."""
    from django.db import connection, transaction

    def once() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in statements:
                _run(cursor, sql)
            transaction.set_rollback(True)

    return report_bench._timed(once, repeat)[0]


# --- the server --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """gunicorn with the production settings on a free loopback port."""

    database_url: str
    workers: int
    data_dir: str
    threads: int = 4
    connections: int = 12
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    access_log: Path | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "BUENDNIS_DATABASE_URL": self.database_url,
            "BUENDNIS_DATA_DIR": self.data_dir,
            "BUENDNIS_DEBUG": "",
            "BUENDNIS_ALLOWED_HOSTS": "127.0.0.1",
            # the throwaway data directory holds no collected (hashed) static files
            "BUENDNIS_STATIC_HASHED": "false",
            # the admin (export) and the ministry official (dashboard) sign in without a
            # second factor here: it costs once per login, not per request
            "BUENDNIS_2FA_REQUIRED_ROLES": "",
            # the load run posts feedback from one address, far past the per-address limit
            "BUENDNIS_FEEDBACK_RATE_LIMIT": "100000000",
            "BUENDNIS_FEEDBACK_CAP_MINIMUM": "100000000",
            "DJANGO_SETTINGS_MODULE": "buendnis.settings",
        }
        self.access_log = Path(self.data_dir) / "access.log"
        from buendnis.core.management.commands.serve import gunicorn_arguments

        self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            [
                # what `buendnis serve` runs, but for the port, the access log and a timeout
                # of 30 s (gunicorn's default, which cut a streamed export in issue 13)
                *gunicorn_arguments(
                    f"127.0.0.1:{self.port}",
                    workers=self.workers,
                    threads=self.threads,
                    connections=self.connections,
                    timeout=30,
                ),
                f"--access-logfile={self.access_log}",
                "--access-logformat=%(m)s|%(U)s|%(q)s|%(s)s|%(D)s|%(B)s",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(Path(self.data_dir) / "gunicorn.log", "w"),  # noqa: SIM115
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _body, _headers = self.request("GET", LOGIN)
                if status == 200 and len(self.worker_pids()) == self.workers:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(30)

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def reset_peaks(self) -> None:
        """Set each worker's peak resident memory back to its current size (Linux)."""
        for pid in self.worker_pids():
            Path(f"/proc/{pid}/clear_refs").write_text("5")

    def peak_mb(self) -> float:
        """The largest worker's peak resident memory since ``reset_peaks``, in MB."""
        peaks = []
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        return max(peaks)

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        conn: http.client.HTTPConnection | None = None,
    ) -> tuple[int, bytes, http.client.HTTPMessage]:
        own = conn is None
        conn = conn or self.connection()
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read(), response.headers
        finally:
            if own:
                conn.close()


def _cookies(headers: http.client.HTTPMessage) -> dict[str, str]:
    found = {}
    for header in headers.get_all("Set-Cookie") or []:
        name, _sep, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def log_in(server: Server, username: str, password: str) -> str:
    """Log in over HTTP like a browser; return the Cookie header of the session."""
    status, body, headers = server.request("GET", LOGIN)
    cookies = _cookies(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert token, "no CSRF token on the login form"
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token[1].decode()}
    ).encode()
    status, _body, headers = server.request(
        "POST",
        LOGIN,
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken']}",
            "Referer": f"http://127.0.0.1:{server.port}{LOGIN}",
        },
    )
    session = _cookies(headers).get("sessionid")
    assert status == 302 and session, (username, status)
    return f"sessionid={session}; csrftoken={cookies['csrftoken']}"


def time_page(server: Server, page: Page, cookie: str | None, repeat: int) -> dict[str, Any]:
    """Median seconds over HTTP on one kept-alive connection, size and peak worker memory."""
    headers = {"Cookie": cookie} if cookie else {}
    body = None
    if page.post is not None:
        body = urllib.parse.urlencode(page.post).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn = server.connection()
    server.request("POST" if body else "GET", page.path, body, headers, conn)  # warm-up
    server.reset_peaks()
    times, size, status = [], 0, 0
    for _ in range(repeat):
        started = time.perf_counter()
        status, content, _headers = server.request(
            "POST" if body else "GET", page.path, body, headers, conn
        )
        times.append(time.perf_counter() - started)
        size = len(content)
    conn.close()
    return {
        "status": status,
        "seconds": statistics.median(times),
        "bytes": size,
        "peak_worker_mb": round(server.peak_mb(), 1),
    }


def orm_statement_cost(repeat: int) -> float:
    """Seconds the ORM adds to one small read: building and compiling the query and making a
    model of the row, over the same statement replayed with a plain cursor (in-process)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from buendnis.accounts.models import Organisation

    pk = Organisation.objects.order_by("pk").values_list("pk", flat=True).first()

    def read() -> None:
        Organisation.objects.filter(pk=pk).first()

    with CaptureQueriesContext(connection) as captured:
        read()
    orm = report_bench._timed(read, repeat)[0]
    return max(0.0, orm - replay([q["sql"] for q in captured.captured_queries], repeat))


def fixed_costs(
    measured: dict[str, dict[str, Any]], by_name: dict[str, Page], statement_cost: float
) -> None:
    """Each page's ratio once the framework's fixed cost per request is taken off.

    ``ratio_after_fixed_cost``: less the login form (a request without a session).
    ``ratio_after_signed_in_cost`` for pages of a signed-in user: less a signed-in page
    without data (session, user and memberships read, the layout with its navigation drawn),
    on both sides — its time from the page's, its SQL from the page's floor — so what is
    left is the page's own work against the SQL of its own data.
    ``ratio_after_statement_cost``: that, less also the ORM's own cost of each of the page's
    own statements (``orm_statement_cost``), which no page can avoid but by sending fewer.
    """
    anonymous = measured["trivial (login form)"]["seconds"]
    signed_in = measured[SIGNED_IN_TRIVIAL]
    for name, page in measured.items():
        floor = page["floor_seconds"]
        page["ratio_after_fixed_cost"] = (
            max(0.0, page["seconds"] - anonymous) / floor if floor else None
        )
        if by_name[name].user is None or name == SIGNED_IN_TRIVIAL:
            continue
        own_floor = floor - signed_in["floor_seconds"]
        page["ratio_after_signed_in_cost"] = (
            max(0.0, page["seconds"] - signed_in["seconds"]) / own_floor if own_floor > 0 else None
        )
        own_statements = page["queries"] - signed_in["queries"]
        page["ratio_after_statement_cost"] = (
            max(0.0, page["seconds"] - signed_in["seconds"] - own_statements * statement_cost)
            / own_floor
            if own_floor > 0
            else None
        )


# --- export and upload ---------------------------------------------------------------------


def export_floor_copy(out: Path) -> tuple[float, int]:
    """PostgreSQL's COPY of the export's columns (reach pivoted, goals joined) to a file."""
    from django.db import connection

    from buendnis.activities.models import ReachCategory

    keys = sorted(set(ReachCategory.objects.values_list("dimension", "key")))
    pivot = ", ".join(
        f"MAX(CASE WHEN c.dimension = '{d}' AND c.key = '{k}' THEN r.count END)" for d, k in keys
    )
    sql = run_bench.FLOOR_EXPORT_SQL.format(pivot=pivot, concat="string_agg")
    started = time.perf_counter()
    size = 0
    with connection.cursor() as cursor, out.open("wb") as target:
        raw = cursor.cursor  # psycopg's own cursor
        with raw.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, DELIMITER ';')") as copy:
            for data in copy:
                target.write(data)
                size += len(data)
    return time.perf_counter() - started, size


def time_export(server: Server, cookie: str, out: Path) -> dict[str, Any]:
    """The whole CSV export of everything the admin sees, streamed to a file."""
    server.reset_peaks()
    conn = server.connection()
    started = time.perf_counter()
    conn.request("GET", "/aktivitaeten/export.csv", headers={"Cookie": cookie})
    response = conn.getresponse()
    size = 0
    with out.open("wb") as target:
        while chunk := response.read(1 << 16):
            target.write(chunk)
            size += len(chunk)
    seconds = time.perf_counter() - started
    conn.close()
    assert response.status == 200, f"the export answered {response.status}"
    with out.open("rb") as written:
        lines = sum(1 for _line in written) - 1
    return {
        "status": response.status,
        "seconds": seconds,
        "bytes": size,
        "rows": lines,
        "peak_worker_mb": round(server.peak_mb(), 1),
    }


def junk_upload(path: Path, megabytes: int) -> None:
    """A CSV with the export's header and rows of junk, ``megabytes`` large."""
    from buendnis.activities import export
    from buendnis.activities.models import ReachCategory
    from buendnis.agreements.models import Agreement

    founding = Agreement.objects.get(slug=report_bench.FOUNDING)
    header = ";".join(
        c.key for c in export.columns_for(list(ReachCategory.objects.filter(agreement=founding)))
    )
    line = "Unsinn;" * 30 + "noch mehr Unsinn\r\n"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(header + "\r\n")
        # just under the upload limit (``views_io.MAX_UPLOAD_BYTES``)
        for _ in range((megabytes * 2**20 - len(header) - 2) // len(line)):
            out.write(line)


def time_upload(server: Server, cookie: str, agreement_id: int, path: Path) -> dict[str, Any]:
    """Post the junk file to the import page; the worker must refuse it early and stay small."""
    status, body, _headers = server.request(
        "GET", "/aktivitaeten/import/", headers={"Cookie": cookie}
    )
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert token
    boundary = "benchboundary7d8a"
    data = path.read_bytes()
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f"{token[1].decode()}\r\n",
        f'--{boundary}\r\nContent-Disposition: form-data; name="agreement"\r\n\r\n'
        f"{agreement_id}\r\n",
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="junk.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n",
    ]
    payload = "".join(parts).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    server.reset_peaks()
    started = time.perf_counter()
    status, body, _headers = server.request(
        "POST",
        "/aktivitaeten/import/",
        body=payload,
        headers={
            "Cookie": cookie,
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Referer": f"http://127.0.0.1:{server.port}/aktivitaeten/import/",
        },
    )
    return {
        "status": status,
        "seconds": time.perf_counter() - started,
        "upload_mb": round(len(data) / 2**20, 1),
        "stopped_early": b"nicht weiter gelesen" in body,
        "peak_worker_mb": round(server.peak_mb(), 1),
    }


# --- the load run --------------------------------------------------------------------------

WRK_SCRIPT = """
local requests = {}
%(entries)s
local counter = 0
request = function()
  counter = counter + 1
  local r = requests[math.random(#requests)]
  if r.body then
    return wrk.format("POST", r.path, r.headers, r.body)
  end
  return wrk.format("GET", r.path, r.headers)
end
"""


def _lua(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid Lua string literal here (ASCII)


def load_run(
    server: Server, mix: list[tuple[Page, str | None]], seconds: int, connections: int
) -> dict[str, Any]:
    """wrk over the mix of pages and users; per-page figures from gunicorn's access log.

    Each distinct GET of the mix is asked once first, as someone would have opened it
    before: the run measures the steady state, not the first view after a restart (that is
    timed per page above). Writes during the run (feedback answers) still change what the
    founding agreement's pages must recompute.
    """
    _warm_up(server, mix)
    entries = []
    tagged = []
    for page, cookie in mix:
        # a tag the pages ignore tells the access log's lines apart (the dashboards all
        # have the path "/")
        tag = re.sub(r"[^a-z]+", "-", page.name.lower()).strip("-")
        separator = "&" if "?" in page.path else "?"
        page = Page(page.name, page.user, f"{page.path}{separator}bench={tag}", page.post)
        tagged.append((page, cookie))
    for page, cookie in tagged:
        headers = ["Cookie = " + _lua(cookie)] if cookie else []
        body = ""
        if page.post is not None:
            headers.append('["Content-Type"] = "application/x-www-form-urlencoded"')
            body = ", body = " + _lua(urllib.parse.urlencode(page.post))
        entries.append(
            f"table.insert(requests, {{path = {_lua(page.path)}, "
            f"headers = {{{', '.join(headers)}}}{body}}})"
        )
    script = Path(server.data_dir) / "mix.lua"
    script.write_text(WRK_SCRIPT % {"entries": "\n".join(entries)})
    assert server.access_log is not None
    server.access_log.write_text("")  # gunicorn appends: start the count here
    offset = server.access_log.stat().st_size
    server.reset_peaks()
    result = subprocess.run(  # noqa: S603 - wrk from Debian, fixed arguments
        [
            "/usr/bin/wrk",
            f"--threads={min(4, connections)}",
            f"--connections={connections}",
            f"--duration={seconds}s",
            "--timeout=10s",
            "--latency",
            f"--script={script}",
            f"http://127.0.0.1:{server.port}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    names = {re.search(r"bench=([a-z-]+)", p.path)[1]: p.name for p, _c in tagged}
    per_page: dict[str, list[tuple[int, float]]] = {}
    with server.access_log.open() as log:
        log.seek(offset)
        for line in log:
            parts = line.strip().split("|")
            if len(parts) < 6:
                continue
            method, path, query = parts[0], parts[1], parts[2]
            status, micros = int(parts[3]), int(parts[4])
            path = f"{path}?{query}" if query and query != "-" else path
            tag = re.search(r"bench=([a-z-]+)", query)
            name = names.get(tag[1], path) if tag else f"{method} {path}"
            per_page.setdefault(name, []).append((status, micros / 1e6))
    pages_out = {}
    for name, hits in sorted(per_page.items()):
        durations = sorted(d for _s, d in hits)
        pages_out[name] = {
            "requests": len(hits),
            "per_s": round(len(hits) / seconds, 1),
            "errors": sum(1 for s, _d in hits if s >= 400 and s != 410),
            "p50_ms": round(durations[len(durations) // 2] * 1000, 1),
            "p99_ms": round(
                durations[min(len(durations) - 1, len(durations) * 99 // 100)] * 1000, 1
            ),
        }
    socket_errors = re.search(r"Socket errors: (.*)", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    p99 = re.search(r"\s99%\s+(\S+)", out)
    rps = re.search(r"Requests/sec:\s+(\S+)", out)
    return {
        "seconds": seconds,
        "connections": connections,
        "requests_per_s": float(rps[1]) if rps else None,
        "p99": p99[1] if p99 else None,
        "non_2xx_3xx": int(non_2xx[1]) if non_2xx else 0,
        "socket_errors": socket_errors[1] if socket_errors else "none",
        "peak_worker_mb": round(server.peak_mb(), 1),
        "pages": pages_out,
        "wrk": out,
    }


def _warm_up(server: Server, mix: list[tuple[Page, str | None]]) -> None:
    seen = set()
    for page, cookie in mix:
        if page.post is None and (page.path, cookie) not in seen:
            seen.add((page.path, cookie))
            server.request("GET", page.path, headers={"Cookie": cookie} if cookie else {})


# How often each page comes up in the load run, per user who asks for it: what people open
# most (their dashboard, the list's first page, the participants' form) more often than the
# deep pages that someone reaches by paging far back. No page is left out.
LOAD_WEIGHTS = {
    "trivial (login form)": 1,
    SIGNED_IN_TRIVIAL: 1,
    "dashboard": 3,
    "dashboard (Fachkraft)": 3,
    "list first": 3,
    "list deep": 1,
    "list filtered first": 2,
    "list filtered deep": 1,
    "list overdue": 2,
    "agreement page": 2,
    "evaluation page": 1,
    "counselling statistics": 1,
    "feedback form GET": 3,
    "feedback form POST": 2,
    # issue 13's mix is the pages above; these are timed one by one only
    "portfolio": 0,
    "portfolio XLSX": 0,
    "open data page": 0,
    "open data package": 0,
    "Protokoll (coordinator)": 0,
    "Protokoll (ministry)": 0,
}


def load_mix(
    scenario: dict[str, Any], page_list: list[Page], cookies: dict[str, str]
) -> list[tuple[Page, str | None]]:
    """The load run's requests: every page, for the users of every organisation it concerns.

    The large partners' pages are asked by each of their coordinators (their own agreement
    and filters) and the Fachkraft dashboard by each of their Fachkräfte; the demo's
    coordinator, Fachkraft and ministry official open their dashboards too. Each request is
    in the list ``LOAD_WEIGHTS`` times; wrk picks from it at random.
    """
    first = scenario["large"][0]
    mix: list[tuple[Page, str | None]] = []

    def add(page: Page, weight: int) -> None:
        cookie = cookies[page.user] if page.user else None
        mix.extend([(page, cookie)] * weight)

    for page in page_list:
        weight = LOAD_WEIGHTS[page.name]
        if page.user is None or not page.user.startswith("bench-"):
            add(page, weight)
            continue
        role = page.user.rsplit("-", 1)[0]  # bench-koordination / bench-fachkraft
        for big in scenario["large"]:
            path = page.path.replace(first["agreement"], big["agreement"]).replace(
                f"agreement={first['id']}", f"agreement={big['id']}"
            )
            add(Page(page.name, f"{role}-{big['number']}", path, page.post), weight)
    for name, user in (
        ("dashboard (ministry)", "ministerium"),
        ("dashboard (demo)", "koordination"),
        ("dashboard (demo Fachkraft)", "fachkraft"),
    ):
        add(Page(name, user, "/"), LOAD_WEIGHTS["dashboard"])
    return mix


# --- the run ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True, help="PostgreSQL URL")
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--setup", action="store_true", help="fill the (empty) database first")
    parser.add_argument(
        "--workers", type=int, default=0, help="gunicorn processes (default: as buendnis serve)"
    )
    parser.add_argument(
        "--threads", type=int, default=0, help="gthread threads per worker (as buendnis serve)"
    )
    parser.add_argument(
        "--connections-per-worker",
        dest="worker_connections",
        type=int,
        default=0,
        help="connections a worker holds at once (as buendnis serve)",
    )
    parser.add_argument("--repeat", type=int, default=10, help="timed requests per page")
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--skip", action="append", default=[], choices=["pages", "export", "upload", "load"]
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="buendnis-bench-http-") as tmp:
        os.environ["BUENDNIS_STATIC_HASHED"] = "false"  # as for the server below
        os.environ["BUENDNIS_2FA_REQUIRED_ROLES"] = ""
        report_bench._setup_django(args.database_url, tmp)
        from django.db import connection
        from django.utils import translation

        translation.activate("de")
        from django.conf import settings

        # as for the server: the bench's many answers must not close the feedback link
        settings.FEEDBACK_CAP_MINIMUM = settings.FEEDBACK_RATE_LIMIT = 100_000_000
        result: dict[str, Any] = {"database": args.database_url.split("@")[-1]}
        if args.setup:
            started = time.perf_counter()
            result["setup"] = setup(args.activities)
            result["setup"]["total_seconds"] = time.perf_counter() - started
            print(json.dumps(result, indent=1), flush=True)
        assert connection.vendor == "postgresql", "the HTTP bench needs PostgreSQL"
        scenario = prepare()
        from buendnis.activities.models import Activity

        result["activities"] = Activity.objects.count()
        # the production defaults of ``buendnis serve`` (BUENDNIS_WORKERS, BUENDNIS_THREADS)
        args.workers = args.workers or settings.WEB_WORKERS
        args.threads = args.threads or settings.WEB_THREADS
        args.worker_connections = args.worker_connections or settings.WEB_WORKER_CONNECTIONS
        result["workers"] = args.workers
        result["threads"] = args.threads
        result["worker_connections"] = args.worker_connections
        server = Server(
            args.database_url,
            args.workers,
            tmp,
            threads=args.threads,
            connections=args.worker_connections,
        )
        server.start()
        try:
            cookies = {
                name: log_in(server, name, password)
                for name, password in scenario["passwords"].items()
            }
            page_list = pages(scenario, deep_pages(scenario))
            if "pages" not in args.skip:
                result["pages"] = {}
                for page in page_list:
                    cookie = cookies.get(page.user) if page.user else None
                    measured = time_page(server, page, cookie, args.repeat)
                    statements = page_sql(page)
                    floor = replay(statements, args.repeat)
                    measured.update(
                        slowest=slowest(statements),
                        queries=len(statements),
                        floor_seconds=floor,
                        ratio=measured["seconds"] / floor if floor else None,
                    )
                    result["pages"][page.name] = measured
                    print(page.name, json.dumps(measured), flush=True)
                statement_cost = orm_statement_cost(max(args.repeat, 100))
                result["orm_statement_seconds"] = statement_cost
                fixed_costs(result["pages"], {p.name: p for p in page_list}, statement_cost)
                result["fixed_cost_seconds"] = result["pages"]["trivial (login form)"]["seconds"]
            if "export" not in args.skip:
                app = time_export(server, cookies["admin"], Path(tmp) / "export.csv")
                (Path(tmp) / "export.csv").unlink()
                floor_seconds, floor_bytes = export_floor_copy(Path(tmp) / "copy.csv")
                (Path(tmp) / "copy.csv").unlink()
                app.update(
                    copy_seconds=floor_seconds,
                    copy_bytes=floor_bytes,
                    ratio=app["seconds"] / floor_seconds,
                )
                result["export"] = app
                print("export", json.dumps(app), flush=True)
            if "upload" not in args.skip:
                junk = Path(tmp) / "junk.csv"
                junk_upload(junk, UPLOAD_MB)
                result["upload"] = time_upload(
                    server, cookies["koordination"], scenario["founding_id"], junk
                )
                print("upload", json.dumps(result["upload"]), flush=True)
            if "load" not in args.skip:
                mix = load_mix(scenario, page_list, cookies)
                result["load"] = load_run(server, mix, args.load_seconds, args.connections)
                print(result["load"].pop("wrk"), flush=True)
                print("load", json.dumps(result["load"], indent=1), flush=True)
        finally:
            server.stop()
        (ROOT / "bench" / "last-http-run.json").write_text(json.dumps(result, indent=1) + "\n")
        print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()

"""The "report is being prepared" page updates itself in place, without a reload (§ 8)."""

import io
import re
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from buendnis.accounts.models import User
from buendnis.agreements.models import Agreement
from buendnis.conftest import DATABASE_TASKS, PASSWORD, ScannedPage, assert_accessible
from buendnis.evaluation.models import ReportJob
from buendnis.evaluation.periods import calendar_year
from buendnis.operations.models import WorkerHeartbeat

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT = 30_000  # milliseconds: a real report rendered by a worker beside the live server
YEAR = calendar_year(2026)


@pytest.fixture(autouse=True)
def _database_queue(settings: Any) -> None:
    """Reports wait on the database queue for ``buendnis worker``; a worker is alive."""
    settings.TASKS = DATABASE_TASKS
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="browser-test", hostname="test", pid=1, started_at=now, seen_at=now
    )


def sign_in(page: ScannedPage, base: str, user: User, then: str) -> None:
    """Sign in on the login page and land on ``then`` (a path)."""
    page.goto(f"{base}/konto/anmelden/?next={then}")
    page.get_by_label("Benutzername").fill(user.username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


def mark_document(page: ScannedPage) -> None:
    """Leave a mark in this document; a reload or navigation would lose it."""
    page.evaluate("() => { window.__reportJobMark = true; }")


def still_same_document(page: ScannedPage) -> bool:
    return page.evaluate("() => window.__reportJobMark === true")


def announced(page: ScannedPage) -> str:
    return page.locator("#report-job [role='status'][aria-live='polite']").inner_text()


def test_the_status_page_offers_the_file_once_ready_without_reloading(
    page: ScannedPage, live_server: Any, agreement: Agreement, koordination: User
) -> None:
    base = live_server.url
    sign_in(page, base, koordination, then=f"/auswertung/{agreement.slug}/2026/bericht/")
    page.get_by_label("Format", exact=True).select_option(label="Tabellen (XLSX)")
    page.get_by_label("Fassung", exact=True).select_option(label="Interne Fassung (exakte Zahlen)")
    page.get_by_role("button", name="Datei erstellen").click()

    job = ReportJob.objects.get()
    assert page.url == base + reverse("evaluation:report_job", kwargs={"job": job.pk})
    assert page.locator("meta[http-equiv]").count() == 0
    mark_document(page)
    # The worker (another process in production) takes the job from the queue.
    call_command("worker", "--batch", "--no-schedules", "--worker-id", "browser-test")

    page.wait_for_function(
        "() => ['done', 'failed'].includes(document.querySelector('#report-job').dataset.state)",
        timeout=WAIT,
    )
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    link = page.get_by_role("link", name=re.compile(r"\.xlsx herunterladen$"))
    assert link.is_visible()
    assert still_same_document(page)
    assert page.locator("#report-job").get_attribute("data-state") == "done"
    assert announced(page).startswith("Der Bericht ist fertig")
    assert page.title().startswith("Der Bericht ist fertig")
    assert page.get_by_role("link", name="Stand aktualisieren").count() == 0
    assert_accessible(page)

    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == job.filename
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as file:
        workbook = openpyxl.load_workbook(io.BytesIO(file.read()))
    assert workbook.sheetnames
    texts = {
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell
    }
    assert any(agreement.title in text for text in texts)


def _pending_job(agreement: Agreement, user: User) -> ReportJob:
    return ReportJob.objects.create(
        agreement=agreement,
        starts_on=YEAR.start,
        ends_on=YEAR.end,
        period_kind=YEAR.kind,
        format="html",
        copy="ministry",
        requested_by=user,
    )


def _set(job: ReportJob, **fields: Any) -> None:
    ReportJob.objects.filter(pk=job.pk).update(**fields)


def test_the_status_page_follows_each_step_and_keeps_the_focus(
    page: ScannedPage, live_server: Any, agreement: Agreement, koordination: User
) -> None:
    job = _pending_job(agreement, koordination)
    sign_in(page, live_server.url, koordination, then=f"/auswertung/bericht/{job.pk}/")
    assert page.locator("#report-job").get_attribute("data-state") == "pending"
    assert announced(page) == "Wartet"
    # With JavaScript the page updates itself: the reload link for pages without it is hidden.
    assert not page.get_by_text("Stand aktualisieren").is_visible()
    back = page.get_by_role("link", name="Bericht Integration braucht Partner – 2026")
    back.focus()
    mark_document(page)

    _set(job, status=ReportJob.Status.RUNNING, done=2, total=8, step="Diagramme")
    page.wait_for_function(
        "() => document.querySelector('#report-job').dataset.state === 'running'", timeout=WAIT
    )
    page.wait_for_function(
        "() => document.querySelector('[data-announce]').textContent === 'Diagramme'",
        timeout=WAIT,
    )
    assert page.locator("#report-progress").get_attribute("value") == "2"
    assert page.get_by_label("Fortschritt").get_attribute("max") == "8"
    assert "25 % – Diagramme" in page.locator("[data-step]").inner_text()

    _set(job, status=ReportJob.Status.DONE, content=b"<html>Bericht</html>", filename="b.html")
    link = page.get_by_role("link", name="b.html herunterladen")
    link.wait_for(state="visible", timeout=WAIT)
    assert still_same_document(page)
    assert announced(page) == "Der Bericht ist fertig. Die Datei kann jetzt heruntergeladen werden."
    assert page.evaluate("() => document.activeElement.textContent").startswith("Bericht ")
    assert page.locator("h1").inner_text() == "Der Bericht ist fertig"
    assert_accessible(page)


def test_the_status_page_shows_a_failure_and_stops_asking(
    page: ScannedPage, live_server: Any, agreement: Agreement, koordination: User
) -> None:
    job = _pending_job(agreement, koordination)
    sign_in(page, live_server.url, koordination, then=f"/auswertung/bericht/{job.pk}/")
    mark_document(page)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    _set(job, status=ReportJob.Status.FAILED, error="Etwas ging schief.")
    page.get_by_role("button", name="Erneut versuchen").wait_for(state="visible", timeout=WAIT)
    assert still_same_document(page)
    assert announced(page) == "Der Bericht konnte nicht erstellt werden."
    assert page.locator("[data-error]").inner_text() == "Etwas ging schief."
    assert_accessible(page)
    asked = len(requests)
    page.wait_for_timeout(3_500)  # more than two polling intervals
    assert len(requests) == asked

"""The report pages: who sees which copy, starting a file, its status page and the download."""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from buendnis.accounts.models import Organisation, User
from buendnis.activities.models import Activity
from buendnis.activities.services import activity_create, documentation_setup
from buendnis.activities.tests.conftest import fathers_evening, reach
from buendnis.agreements.models import Agreement
from buendnis.agreements.services import procedure_create_version
from buendnis.evaluation.models import ReportJob
from buendnis.evaluation.periods import calendar_year

pytestmark = pytest.mark.django_db
SLUG = "integration-braucht-partner"
YEAR = calendar_year(2026)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(user: User, period: str = "2026", query: str = "") -> Any:
    url = reverse("evaluation:report", kwargs={"slug": SLUG, "period": period})
    return _client(user).get(url + query)


def _start(user: User, period: str = "2026", **data: str) -> Any:
    url = reverse("evaluation:report_start", kwargs={"slug": SLUG, "period": period})
    return _client(user).post(url, {"format": "html", "copy": "ministry"} | data)


def _job(agreement: Agreement, user: User, **fields: Any) -> ReportJob:
    values = {
        "agreement": agreement,
        "starts_on": YEAR.start,
        "ends_on": YEAR.end,
        "period_kind": YEAR.kind,
        "format": "pdf",
        "copy": "ministry",
        "requested_by": user,
    } | fields
    return ReportJob.objects.create(**values)


def _status(user: User, job: ReportJob, query: str = "") -> Any:
    return _client(user).get(reverse("evaluation:report_job", kwargs={"job": job.pk}) + query)


def _download(user: User, job: ReportJob) -> Any:
    return _client(user).get(reverse("evaluation:report_download", kwargs={"job": job.pk}))


# --- the page ------------------------------------------------------------------------


def test_it_shows_the_report_inside_the_site(agreement: Agreement, koordination: User) -> None:
    response = _page(koordination)
    assert response.status_code == 200
    html = response.content.decode()
    assert agreement.title in html
    assert 'class="site-header' in html
    assert response.context["copy"] == "ministry"
    assert 'name="csrfmiddlewaretoken"' in html


def test_it_requires_login(agreement: Agreement) -> None:
    url = reverse("evaluation:report", kwargs={"slug": SLUG, "period": "2026"})
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_denies_other_organisation(agreement: Agreement, outsider: User) -> None:
    assert _page(outsider).status_code == 404
    assert _start(outsider).status_code == 404
    assert not ReportJob.objects.exists()


def test_it_answers_404_for_a_bad_period_or_agreement(
    agreement: Agreement, koordination: User
) -> None:
    assert _page(koordination, period="kein-jahr").status_code == 404
    assert _start(koordination, period="2026-13-01..2026-12-31").status_code == 404
    url = reverse("evaluation:report", kwargs={"slug": "gibt-es-nicht", "period": "2026"})
    assert _client(koordination).get(url).status_code == 404


def test_it_gives_the_partner_the_internal_copy_on_request(
    agreement: Agreement, koordination: User
) -> None:
    response = _page(koordination, query="?copy=internal")
    assert response.context["copy"] == "internal"
    assert not response.context["internal_refused"]
    assert b"data-copy-note" not in response.content


def test_it_shows_small_counts_only_to_the_documenting_organisation(
    agreement: Agreement,
    partner_org: Organisation,
    koordination: User,
    referentin: User,
) -> None:
    documentation_setup(agreement=agreement, on=datetime.date(2019, 6, 4))
    procedure_create_version(agreement=agreement, deadline_days=14, required_fields=["title"])
    counts = reach(agreement, group_fathers=3, migration_own=2, migration_none=1)
    activity_create(
        agreement=agreement,
        organisation=partner_org,
        data=fathers_evening(agreement, participants=3, first_timers=2, reach=counts, goals=[]),
        status=Activity.Status.DOCUMENTED,
    )
    internal = _page(koordination, query="?copy=internal").content.decode()
    ministry = _page(referentin).content.decode()
    assert 'data-copy="internal"' in internal
    assert 'data-copy="ministry"' in ministry
    assert "&lt; 5" not in internal
    assert "&lt; 5" in ministry


def test_it_gives_the_ministry_only_the_protected_copy(
    agreement: Agreement, referentin: User
) -> None:
    response = _page(referentin, query="?copy=internal")
    assert response.status_code == 200
    assert response.context["copy"] == "ministry"
    html = response.content.decode()
    assert "data-copy-note" in html
    assert "Ministeriumsfassung" in html
    assert 'value="internal"' not in html  # the file form offers no internal copy either


# --- starting a file -----------------------------------------------------------------


def test_it_starts_a_job_and_redirects_to_its_status(
    agreement: Agreement, koordination: User
) -> None:
    response = _start(koordination, format="html", copy="internal")
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:report_job", kwargs={"job": job.pk})
    assert (job.requested_by, job.format, job.copy) == (koordination, "html", "internal")
    assert job.status == ReportJob.Status.DONE


def test_it_offers_no_switch_for_reloading(agreement: Agreement, koordination: User) -> None:
    html = _page(koordination).content.decode()
    assert 'name="manual"' not in html
    assert "neu laden" not in html
    response = _start(koordination, manual="on")
    job = ReportJob.objects.get()
    assert response["Location"] == reverse("evaluation:report_job", kwargs={"job": job.pk})


def test_it_refuses_an_unknown_format_with_400(agreement: Agreement, koordination: User) -> None:
    response = _start(koordination, format="docx")
    assert response.status_code == 400
    assert "gültiges Format" in response.content.decode()
    assert _start(koordination, copy="oeffentlich").status_code == 400
    assert not ReportJob.objects.exists()


def test_it_forbids_the_internal_copy_to_the_ministry(
    agreement: Agreement, referentin: User
) -> None:
    assert _start(referentin, copy="internal").status_code == 403
    assert not ReportJob.objects.exists()


def test_it_starts_jobs_only_by_post(agreement: Agreement, koordination: User) -> None:
    url = reverse("evaluation:report_start", kwargs={"slug": SLUG, "period": "2026"})
    assert _client(koordination).get(url).status_code == 405


# --- status and download -------------------------------------------------------------


SCRIPT = "/static/evaluation/report_job.js"


def test_it_says_the_report_is_being_prepared(agreement: Agreement, koordination: User) -> None:
    job = _job(agreement, koordination, status=ReportJob.Status.RUNNING, done=2, total=8)
    job.step = "Diagramme"
    job.save(update_fields=["step"])
    response = _status(koordination, job)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Der Bericht wird erstellt" in html
    assert (
        '<div id="report-job" class="kern-stack-lg" data-state="running" data-poll="1500">' in html
    )
    assert '<progress id="report-progress" value="2" max="8">' in html
    assert '<label class="kern-label" for="report-progress">' in html
    assert (
        '<p class="kern-sr-only" role="status" aria-live="polite" data-announce>Diagramme</p>'
        in html
    )
    assert "25 % – Diagramme" in html
    assert "no-store" in response["Cache-Control"]


def test_it_says_when_no_worker_is_running(agreement: Agreement, koordination: User) -> None:
    from django.utils import timezone

    from buendnis.operations.models import WorkerHeartbeat

    job = _job(agreement, koordination, status=ReportJob.Status.PENDING)
    assert "kein Hintergrundprozess" in _status(koordination, job).content.decode()
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="w", hostname="h", pid=1, started_at=now, seen_at=now)
    assert "kein Hintergrundprozess" not in _status(koordination, job).content.decode()
    done = _job(agreement, koordination, status=ReportJob.Status.DONE, content=b"x")
    WorkerHeartbeat.objects.all().delete()
    assert "kein Hintergrundprozess" not in _status(koordination, done).content.decode()


def test_it_never_reloads_by_itself(agreement: Agreement, koordination: User) -> None:
    for status in ReportJob.Status.values:
        job = _job(agreement, koordination, status=status, content=b"x", filename="b.pdf")
        html = _status(koordination, job).content.decode().lower()
        assert "http-equiv" not in html
        assert "refresh" not in html


def test_it_updates_in_place_only_while_unfinished(
    agreement: Agreement, koordination: User
) -> None:
    script = f'<script src="{SCRIPT}" defer></script>'
    for status in (ReportJob.Status.PENDING, ReportJob.Status.RUNNING):
        html = _status(koordination, _job(agreement, koordination, status=status)).content.decode()
        assert html.count(script) == 1
        assert f'data-state="{status}" data-poll="1500"' in html
        assert "Stand aktualisieren" in html
    for status in (ReportJob.Status.DONE, ReportJob.Status.FAILED):
        job = _job(agreement, koordination, status=status, content=b"x", filename="b.pdf")
        html = _status(koordination, job).content.decode()
        assert "<script" not in html
        assert "data-poll" not in html
        assert f'data-state="{status}"' in html


def test_it_offers_a_reload_link_without_javascript(
    agreement: Agreement, koordination: User
) -> None:
    job = _job(agreement, koordination)
    url = reverse("evaluation:report_job", kwargs={"job": job.pk})
    html = _status(koordination, job).content.decode()
    assert f'<a class="kern-link" href="{url}">Stand aktualisieren</a>' in html
    assert "der Bericht wird weiter erstellt" in html
    assert '<progress id="report-progress">' in html
    assert "Wartet" in html


def test_it_offers_the_finished_file(agreement: Agreement, koordination: User) -> None:
    job = _job(
        agreement,
        koordination,
        status=ReportJob.Status.DONE,
        content=b"%PDF-1.7 " + b"x" * 2039,
        filename="bericht-2026.pdf",
    )
    html = _status(koordination, job).content.decode()
    assert "Der Bericht ist fertig" in html
    assert reverse("evaluation:report_download", kwargs={"job": job.pk}) in html
    assert "bericht-2026.pdf herunterladen" in html
    assert "2,0\xa0KB" in html
    assert "Der Bericht ist fertig. Die Datei kann jetzt heruntergeladen werden." in html
    assert 'data-state="done"' in html
    assert "<progress" not in html
    assert "Stand aktualisieren" not in html


def test_it_shows_the_error_and_a_retry(agreement: Agreement, koordination: User) -> None:
    job = _job(agreement, koordination, status=ReportJob.Status.FAILED, error="Etwas ging schief.")
    html = _status(koordination, job).content.decode()
    assert "Der Bericht konnte nicht erstellt werden" in html
    assert "Etwas ging schief." in html
    assert reverse("evaluation:report_start", kwargs={"slug": SLUG, "period": "2026"}) in html
    assert 'value="pdf"' in html
    assert "Erneut versuchen" in html
    assert 'data-state="failed"' in html
    assert "Stand aktualisieren" not in html


def test_it_downloads_the_file_as_attachment(agreement: Agreement, koordination: User) -> None:
    job = _job(
        agreement,
        koordination,
        status=ReportJob.Status.DONE,
        content=b"%PDF-1.7 report",
        filename="Bericht 2026 – Väter.pdf",
    )
    response = _download(koordination, job)
    assert response.status_code == 200
    assert response.content == b"%PDF-1.7 report"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''Bericht%202026%20%E2%80%93%20V%C3%A4ter.pdf"
        in (response["Content-Disposition"])
    )


def test_it_serves_the_full_flow_from_start_to_download(
    agreement: Agreement, koordination: User
) -> None:
    client = _client(koordination)
    url = reverse("evaluation:report_start", kwargs={"slug": SLUG, "period": "2026"})
    status = client.post(url, {"format": "html", "copy": "ministry"}, follow=True)
    assert "Der Bericht ist fertig" in status.content.decode()
    job = ReportJob.objects.get()
    download = client.get(reverse("evaluation:report_download", kwargs={"job": job.pk}))
    assert agreement.title in download.content.decode()
    assert download["Content-Type"] == "text/html; charset=utf-8"


def test_it_hides_a_job_from_everyone_but_its_requester(
    agreement: Agreement, koordination: User, fachkraft: User, outsider: User
) -> None:
    job = _job(agreement, koordination, status=ReportJob.Status.DONE, content=b"x", filename="b")
    for other in (fachkraft, outsider):
        assert _status(other, job).status_code == 404
        assert _download(other, job).status_code == 404


def test_it_hides_the_job_when_the_requester_lost_the_agreement(
    agreement: Agreement, other_agreement: Agreement, outsider: User
) -> None:
    job = _job(other_agreement, outsider, status=ReportJob.Status.DONE, content=b"x")
    assert _status(outsider, job).status_code == 200
    other_agreement.partners.all().delete()
    assert _status(outsider, job).status_code == 404
    assert _download(outsider, job).status_code == 404


def test_it_does_not_download_an_unfinished_file(agreement: Agreement, koordination: User) -> None:
    for status in (ReportJob.Status.PENDING, ReportJob.Status.RUNNING, ReportJob.Status.FAILED):
        job = _job(agreement, koordination, status=status)
        assert _download(koordination, job).status_code == 404

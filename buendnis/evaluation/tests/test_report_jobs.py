"""Reports prepared in the background: inline run, progress, failure, the thread after commit."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from buendnis.accounts.models import User
from buendnis.agreements.models import Agreement
from buendnis.evaluation import jobs
from buendnis.evaluation.models import Evaluation, ReportJob
from buendnis.evaluation.periods import calendar_year
from buendnis.evaluation.report import render

pytestmark = pytest.mark.django_db
YEAR = calendar_year(2026)


def _fake_render(work: Callable[..., None] | None = None) -> Callable[..., Any]:
    """A stand-in for ``render_report`` that runs ``work(progress)`` and returns a small file."""

    def fake(*, progress: Callable[[int, int, str], None], **kwargs: Any) -> Any:
        if work is not None:
            work(progress)
        return type(
            "Rendered",
            (),
            {"content": b"%PDF-1.7 fake", "filename": "bericht.pdf", "content_type": "pdf"},
        )()

    return fake


def _start(agreement: Agreement, user: User, **overrides: Any) -> ReportJob:
    arguments = {"fmt": "html", "copy": "ministry"} | overrides
    return jobs.report_job_start(agreement=agreement, period=YEAR, user=user, **arguments)


def test_it_renders_inline_and_stores_the_file(agreement: Agreement, koordination: User) -> None:
    job = _start(agreement, koordination)
    assert job.status == ReportJob.Status.DONE
    assert job.requested_by == koordination
    assert (job.starts_on, job.ends_on, job.period_kind) == (YEAR.start, YEAR.end, YEAR.kind)
    assert agreement.title in bytes(job.content).decode()
    assert job.filename.endswith(".html")
    assert job.finished_at is not None
    assert job.done == job.total > 0
    assert job.error == ""


def test_it_links_the_evaluation_of_exactly_that_period(
    agreement: Agreement, koordination: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = {}
    monkeypatch.setattr(
        render, "render_report", lambda **kw: seen.update(kw) or _fake_render()(**kw)
    )
    Evaluation.objects.create(
        agreement=agreement,
        period_kind=YEAR.kind,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 6, 30),
    )
    evaluation = Evaluation.objects.create(
        agreement=agreement, period_kind=YEAR.kind, starts_on=YEAR.start, ends_on=YEAR.end
    )
    job = _start(agreement, koordination, fmt="pdf", copy="internal")
    assert job.evaluation == evaluation
    assert seen["evaluation"] == evaluation
    assert seen["period"] == YEAR
    assert (seen["fmt"], seen["copy"], seen["user"]) == ("pdf", "internal", koordination)


def test_it_writes_progress_while_rendering_at_most_every_interval(
    agreement: Agreement, koordination: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [100.0]
    monkeypatch.setattr(jobs, "_clock", lambda: clock[0])
    seen: list[tuple[str, int, int, str]] = []

    def row() -> None:
        job = ReportJob.objects.get()
        seen.append((job.status, job.done, job.total, job.step))

    def work(progress: Callable[[int, int, str], None]) -> None:
        row()
        progress(1, 4, "Ziele")
        row()
        clock[0] += 0.1
        progress(2, 4, "Diagramme")  # too soon: not written
        row()
        clock[0] += 0.3
        progress(3, 4, "Tabellen")
        row()
        clock[0] += 0.5
        progress(0, 1, "Datei wird geschrieben")  # the next stage counts on, not back
        row()

    monkeypatch.setattr(render, "render_report", _fake_render(work))
    job = _start(agreement, koordination, fmt="pdf")
    assert seen == [
        ("running", 0, 0, "Wird vorbereitet …"),
        ("running", 1, 4, "Ziele"),
        ("running", 1, 4, "Ziele"),
        ("running", 3, 4, "Tabellen"),
        ("running", 4, 5, "Datei wird geschrieben"),
    ]
    assert (job.status, job.done, job.total, job.step) == ("done", 5, 5, "")
    assert bytes(job.content) == b"%PDF-1.7 fake"
    assert job.filename == "bericht.pdf"


def test_it_stores_a_german_error_when_rendering_fails(
    agreement: Agreement,
    koordination: User,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def work(progress: Callable[[int, int, str], None]) -> None:
        progress(1, 3, "Ziele")
        raise RuntimeError("chart exploded")

    monkeypatch.setattr(render, "render_report", _fake_render(work))
    job = _start(agreement, koordination)
    assert job.status == ReportJob.Status.FAILED
    assert "Der Bericht konnte nicht erstellt werden" in job.error
    assert str(job.pk) in job.error
    assert "chart exploded" not in job.error  # internals stay in the log
    assert job.content is None
    assert job.finished_at is not None
    assert "chart exploded" in caplog.text


def test_it_never_leaves_a_job_running_when_interrupted(
    agreement: Agreement, koordination: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def work(progress: Callable[[int, int, str], None]) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(render, "render_report", _fake_render(work))
    job = ReportJob.objects.create(
        agreement=agreement,
        starts_on=YEAR.start,
        ends_on=YEAR.end,
        period_kind=YEAR.kind,
        format="pdf",
        copy="ministry",
        requested_by=koordination,
    )
    with pytest.raises(KeyboardInterrupt):
        jobs.report_job_run(job.pk)
    assert ReportJob.objects.get().status == ReportJob.Status.FAILED


@pytest.mark.parametrize(("fmt", "copy"), [("docx", "ministry"), ("pdf", "public"), ("", "")])
def test_it_refuses_unknown_formats_and_copies(
    agreement: Agreement, koordination: User, fmt: str, copy: str
) -> None:
    with pytest.raises(jobs.ReportJobInvalid, match="Unbekannte"):
        _start(agreement, koordination, fmt=fmt, copy=copy)
    assert not ReportJob.objects.exists()


def test_it_runs_a_job_only_once(
    agreement: Agreement, koordination: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    monkeypatch.setattr(render, "render_report", _fake_render(lambda progress: calls.append(1)))
    job = _start(agreement, koordination)
    jobs.report_job_run(job.pk)
    assert calls == [1]
    assert ReportJob.objects.get().status == ReportJob.Status.DONE


def test_it_forgets_the_users_old_finished_jobs(
    agreement: Agreement, koordination: User, referentin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "render_report", _fake_render())
    old = _start(agreement, koordination)
    others = _start(agreement, referentin)
    running = ReportJob.objects.create(
        agreement=agreement,
        starts_on=YEAR.start,
        ends_on=YEAR.end,
        period_kind=YEAR.kind,
        format="pdf",
        copy="ministry",
        requested_by=koordination,
        status=ReportJob.Status.RUNNING,
    )
    long_ago = timezone.now() - datetime.timedelta(hours=25)
    ReportJob.objects.update(created_at=long_ago)
    new = _start(agreement, koordination)
    assert set(ReportJob.objects.values_list("pk", flat=True)) == {others.pk, running.pk, new.pk}
    assert not ReportJob.objects.filter(pk=old.pk).exists()


def test_it_joins_restarting_stages_into_one_rising_count() -> None:
    stages = jobs.Stages()
    seen = [stages(d, t) for d, t in [(0, 7), (3, 7), (7, 7), (0, 1), (1, 1)]]
    assert seen == [(0, 7), (3, 7), (7, 7), (7, 8), (8, 8)]


def test_it_reports_progress_in_percent(agreement: Agreement, koordination: User) -> None:
    job = ReportJob(status=ReportJob.Status.RUNNING, done=1, total=3)
    assert jobs.report_job_progress(job) == 33
    assert jobs.report_job_progress(ReportJob(status=ReportJob.Status.PENDING)) is None
    assert jobs.report_job_progress(ReportJob(status=ReportJob.Status.DONE)) == 100


def test_it_finishes_although_the_table_is_locked_for_a_moment(
    agreement: Agreement, koordination: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import OperationalError
    from django.db.models import QuerySet

    real_update = QuerySet.update
    failures = {"left": 3}

    def sometimes_locked(queryset: QuerySet, **fields: Any) -> int:
        if queryset.model is ReportJob and failures["left"]:
            failures["left"] -= 1
            raise OperationalError("database table is locked: evaluation_reportjob")
        return real_update(queryset, **fields)

    monkeypatch.setattr(QuerySet, "update", sometimes_locked)
    monkeypatch.setattr(jobs, "PROGRESS_INTERVAL", 0)
    monkeypatch.setattr(render, "render_report", _fake_render(lambda p: p(1, 2, "Zahlen")))
    job = _start(agreement, koordination)
    assert failures["left"] == 0
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    assert bytes(job.content) == b"%PDF-1.7 fake"

"""Render the evaluation report as HTML, PDF or XLSX for one agreement and period.

The figures are the evaluation's frozen snapshot once it is in review or agreed, else
computed live; the ministry's copy is protected (``protect.ministry_copy``); the internal
copy may add free-text feedback of the user's own organisations. Files are written in
German (``translation.override("de")``).
"""

import datetime
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from buendnis.accounts.policy import AnyUser
from buendnis.agreements.models import Agreement
from buendnis.evaluation.models import Evaluation
from buendnis.evaluation.periods import Period
from buendnis.evaluation.report.context import COPIES, INTERNAL, MINISTRY, report_context
from buendnis.evaluation.report.data import Progress
from buendnis.evaluation.report.html import render_html
from buendnis.evaluation.report.pdf import render_pdf
from buendnis.evaluation.report.xlsx import render_xlsx

FORMATS = ("html", "pdf", "xlsx")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FILE_LANGUAGE = "de"

__all__ = ["COPIES", "FORMATS", "RenderedReport", "render_report", "report_context"]


class _Steps:
    """One progress count over computing the figures and then writing the file."""

    def __init__(self, progress: Progress | None) -> None:
        """Wrap the caller's progress callback (or none)."""
        self.progress, self.total = progress, 1

    def __call__(self, done: int, total: int, step: str) -> None:
        """Pass on a step of computing the figures."""
        self.total = total
        if self.progress is not None:
            self.progress(done, total + 1, step)

    def finish(self, step: str, done: bool = False) -> None:
        """Report the file being written, or done."""
        if self.progress is not None:
            self.progress(self.total + int(done), self.total + 1, step)


@dataclass(frozen=True)
class RenderedReport:
    """A report file: its bytes, name and media type."""

    content: bytes
    filename: str
    content_type: str


def filename_for(agreement: Agreement, period: Period, fmt: str, copy: str) -> str:
    """``auswertung-<slug>-<period>-<copy>.<fmt>`` (ASCII, no spaces)."""
    copy_part = "ministerium" if copy == MINISTRY else "intern"
    period_part = period.key.replace("..", "_bis_")
    return f"auswertung-{agreement.slug}-{period_part}-{copy_part}.{fmt}"


def render_report(
    *,
    agreement: Agreement,
    period: Period,
    fmt: str,
    copy: str,
    evaluation: Evaluation | None = None,
    user: AnyUser | None = None,
    today: datetime.date | None = None,
    progress: Progress | None = None,
) -> RenderedReport:
    """The report file; ``ValueError`` for an unknown format or copy."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format: {fmt!r} (known: {', '.join(FORMATS)})")
    if copy not in COPIES:
        raise ValueError(f"unknown copy: {copy!r} (known: {MINISTRY}, {INTERNAL})")
    steps = _Steps(progress)
    with translation.override(FILE_LANGUAGE):
        context = report_context(
            agreement=agreement,
            period=period,
            copy=copy,
            evaluation=evaluation,
            user=user,
            today=today,
            progress=steps,
        )
        steps.finish(_("Datei wird geschrieben"))
        if fmt == "xlsx":
            content = render_xlsx(context)
        else:
            html = render_html(context)
            content = html.encode("utf-8") if fmt == "html" else render_pdf(html)
        steps.finish(_("Fertig"), done=True)
    return RenderedReport(
        content=content,
        filename=filename_for(agreement, period, fmt, copy),
        content_type=CONTENT_TYPES[fmt],
    )

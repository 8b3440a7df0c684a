"""``buendnis report``: write one agreement-year's evaluation report as HTML, PDF or XLSX (§ 8)."""

import os
import tempfile
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from tqdm import tqdm

from buendnis.agreements.models import Agreement
from buendnis.evaluation.jobs import ReportJobInvalid, Stages, check_choice
from buendnis.evaluation.periods import Period, PeriodInvalid, parse
from buendnis.evaluation.selectors import evaluation_of_period

# The bar shows only when rendering takes longer than this many seconds.
PROGRESS_DELAY = 1.0


class Command(BaseCommand):
    help = (
        "Auswertungsbericht erzeugen (§ 8) / write the evaluation report of one agreement and "
        "period as HTML, PDF or XLSX. The ministry copy (default) suppresses small counts; the "
        "internal copy has exact figures (never free text: there is no user here). "
        "-o - writes to standard output."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agreement", required=True, metavar="SLUG")
        parser.add_argument(
            "--period", required=True, help="2026, aj2025 or 2026-01-01..2026-06-30"
        )
        parser.add_argument("--format", required=True, dest="fmt", help="html, pdf or xlsx")
        parser.add_argument("-o", "--output", required=True, metavar="FILE", help="- for stdout")
        parser.add_argument("--copy", default="ministry", help="ministry (default) or internal")
        parser.add_argument(
            "--progress", action="store_true", help="show the progress bar even without a TTY"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        agreement = Agreement.objects.filter(slug=options["agreement"]).first()
        if agreement is None:
            raise CommandError(
                f"Die Vereinbarung „{options['agreement']}“ gibt es nicht / unknown agreement.",
                returncode=2,
            )
        try:
            period = parse(options["period"], agreement)
            check_choice(fmt=options["fmt"], copy=options["copy"])
        except (PeriodInvalid, ReportJobInvalid) as error:
            raise CommandError(str(error), returncode=2) from error
        output = options["output"]
        if output == "-":
            content, _name = self._render(agreement, period, options)
            stream = _binary(self.stdout._out)
            stream.write(content)
            stream.flush()
            self.stderr.write(f"{len(content)} Bytes nach stdout geschrieben / written to stdout")
            return
        target = Path(output).expanduser().absolute()
        part = _open_part(target)
        try:
            with part:
                content, _name = self._render(agreement, period, options)
                part.write(content)
            os.chmod(part.name, _default_mode())
            os.replace(part.name, target)
        except BaseException:
            Path(part.name).unlink(missing_ok=True)
            raise
        self.stdout.write(
            f"Geschrieben / written: {target} ({filesizeformat(len(content))}, "
            f"{len(content)} Bytes)"
        )

    def _render(self, agreement: Agreement, period: Period, options: dict) -> tuple[bytes, str]:
        """Render the report with a progress bar on stderr; return its bytes and file name."""
        from buendnis.evaluation.report.render import render_report

        show = options["progress"] or self.stderr.isatty()
        stages = Stages()
        with tqdm(
            total=0,
            file=self.stderr._out,
            delay=PROGRESS_DELAY,
            disable=not show,
            bar_format="{desc}: {percentage:3.0f}%|{bar}| {n}/{total} [{elapsed}]",
            leave=True,
        ) as bar:

            def progress(done: int, total: int, step: str) -> None:
                done, total = stages(done, total)
                bar.total = total
                bar.set_description_str(step, refresh=False)
                bar.update(done - bar.n)

            rendered = render_report(
                agreement=agreement,
                period=period,
                fmt=options["fmt"],
                copy=options["copy"],
                evaluation=evaluation_of_period(agreement=agreement, period=period),
                progress=progress,
            )
        return rendered.content, rendered.filename


def _binary(stream: Any) -> IO[bytes]:
    """The byte stream under a text stream (sys.stdout), or the stream itself."""
    return getattr(stream, "buffer", stream)


def _open_part(target: Path) -> Any:
    """A temporary file beside the target, renamed to it once the report is complete."""
    if target.is_dir():
        raise CommandError(f"{target} ist ein Verzeichnis / is a directory.")
    if not target.parent.is_dir():
        raise CommandError(
            f"Das Verzeichnis {target.parent} gibt es nicht / directory does not exist."
        )
    try:
        return tempfile.NamedTemporaryFile(
            mode="wb", dir=target.parent, prefix=f".{target.name}.", suffix=".part", delete=False
        )
    except OSError as error:
        raise CommandError(
            f"{target} kann nicht geschrieben werden / cannot be written: {error.strerror}"
        ) from error


def _default_mode() -> int:
    """The mode a newly created file gets under the current umask (mkstemp uses 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask

"""``buendnis report``: each format written whole, clear errors, nothing half-written, progress."""

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from buendnis.agreements.models import Agreement
from buendnis.evaluation.management.commands import report as command
from buendnis.evaluation.report import render

pytestmark = pytest.mark.django_db
SLUG = "integration-braucht-partner"


def _run(*args: str, stdout: Any = None) -> tuple[Any, str]:
    out = stdout if stdout is not None else io.StringIO()
    err = io.StringIO()
    call_command("report", *args, stdout=out, stderr=err)
    return out, err.getvalue()


def _report(
    output: Path | str, *extra: str, fmt: str = "html", stdout: Any = None
) -> tuple[Any, str]:
    return _run(
        "--agreement",
        SLUG,
        "--period",
        "2026",
        "--format",
        fmt,
        "-o",
        str(output),
        *extra,
        stdout=stdout,
    )


def _fake_render(work: Callable[..., None]) -> Callable[..., Any]:
    def fake(*, progress: Callable[[int, int, str], None], **kwargs: Any) -> Any:
        work(progress)
        return type("Rendered", (), {"content": b"<html>fake</html>", "filename": "b.html"})()

    return fake


def test_it_writes_the_html_report(agreement: Agreement, tmp_path: Path) -> None:
    target = tmp_path / "bericht.html"
    out, _err = _report(target)
    html = target.read_text(encoding="utf-8")
    assert agreement.title in html
    assert "2026" in html
    assert str(target) in out.getvalue()
    assert f"{target.stat().st_size} Bytes" in out.getvalue()
    assert [p.name for p in tmp_path.iterdir()] == ["bericht.html"]


def test_it_writes_the_pdf_report(agreement: Agreement, tmp_path: Path) -> None:
    target = tmp_path / "bericht.pdf"
    _report(target, fmt="pdf")
    assert target.read_bytes().startswith(b"%PDF")


def test_it_writes_the_xlsx_report_with_the_internal_copy(
    agreement: Agreement, tmp_path: Path
) -> None:
    target = tmp_path / "bericht.xlsx"
    _report(target, "--copy", "internal", fmt="xlsx")
    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames
    cells = [c for s in workbook.worksheets for r in s.iter_rows(values_only=True) for c in r]
    assert any(isinstance(c, str) and agreement.title in c for c in cells)


def test_it_gives_the_new_file_the_usual_permissions(agreement: Agreement, tmp_path: Path) -> None:
    target = tmp_path / "bericht.html"
    _report(target)
    assert target.stat().st_mode & 0o644 == 0o644


def test_it_writes_to_stdout_bytes_for_dash(agreement: Agreement) -> None:
    out, err = _report("-", fmt="xlsx", stdout=io.BytesIO())
    workbook = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    assert workbook.sheetnames
    assert "stdout" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--agreement", "gibt-es-nicht"), "Die Vereinbarung „gibt-es-nicht“ gibt es nicht"),
        (("--period", "letztes-jahr"), "Zeitraum nicht erkannt"),
        (("--period", "2026-02-30..2026-03-01"), "Kein gültiges Datum"),
        (("--format", "docx"), "Unbekanntes Format „docx“"),
        (("--copy", "public"), "Unbekannte Fassung „public“"),
    ],
)
def test_it_refuses_bad_arguments(
    agreement: Agreement, tmp_path: Path, args: tuple[str, str], message: str
) -> None:
    options = {"--agreement": SLUG, "--period": "2026", "--format": "html", "--copy": "ministry"}
    options[args[0]] = args[1]
    flat = [part for pair in options.items() for part in pair]
    with pytest.raises(CommandError, match=message) as raised:
        _run(*flat, "-o", str(tmp_path / "x.html"))
    assert raised.value.returncode == 2
    assert list(tmp_path.iterdir()) == []


def test_it_refuses_an_output_it_cannot_write(agreement: Agreement, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="gibt es nicht / directory does not exist"):
        _report(tmp_path / "fehlt" / "bericht.html")
    with pytest.raises(CommandError, match="ist ein Verzeichnis / is a directory"):
        _report(tmp_path)


def test_it_leaves_nothing_half_written_when_rendering_fails(
    agreement: Agreement, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "bericht.html"
    target.write_bytes(b"the report of yesterday")

    def work(progress: Callable[[int, int, str], None]) -> None:
        progress(1, 2, "Ziele")
        raise RuntimeError("boom")

    monkeypatch.setattr(render, "render_report", _fake_render(work))
    with pytest.raises(RuntimeError, match="boom"):
        _report(target)
    assert [p.name for p in tmp_path.iterdir()] == ["bericht.html"]
    assert target.read_bytes() == b"the report of yesterday"


def test_it_shows_the_progress_bar_with_progress(
    agreement: Agreement, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(command, "PROGRESS_DELAY", 0)

    def work(progress: Callable[[int, int, str], None]) -> None:
        progress(1, 4, "Ziele")
        progress(4, 4, "Tabellen")
        progress(0, 1, "Datei wird geschrieben")
        progress(1, 1, "Fertig")

    monkeypatch.setattr(render, "render_report", _fake_render(work))
    _out, err = _report(tmp_path / "b.html", "--progress")
    assert "Fertig: 100%" in err
    assert "5/5" in err


def test_it_shows_no_progress_bar_when_stderr_is_no_terminal(
    agreement: Agreement, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(command, "PROGRESS_DELAY", 0)
    monkeypatch.setattr(render, "render_report", _fake_render(lambda p: p(4, 4, "Tabellen")))
    _out, err = _report(tmp_path / "b.html")
    assert err == ""


def test_it_waits_a_second_before_showing_the_bar(
    agreement: Agreement, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "render_report", _fake_render(lambda p: p(4, 4, "Tabellen")))
    _out, err = _report(tmp_path / "b.html", "--progress")
    assert command.PROGRESS_DELAY == 1.0
    assert err == ""  # done within the second: no bar at all

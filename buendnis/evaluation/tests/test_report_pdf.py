"""Acceptance: the demo's 2025 report as PDF – cover, charts, every figure, nothing overflows.

The demo is loaded once for the module and the reports are rendered once per copy; the
tests then only read the files. Pages become PNGs with poppler's ``pdftoppm``.
"""

import datetime
import io
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest
from django.core.management import call_command
from django.utils import translation
from PIL import Image
from weasyprint.formatting_structure.boxes import MarginBox

from buendnis.agreements.models import Agreement, Goal
from buendnis.core.management.commands.demo import DEMO_AGREEMENT
from buendnis.core.tests.pdfua import check_tagged_pdf
from buendnis.evaluation.engine import indicator_values
from buendnis.evaluation.periods import calendar_year
from buendnis.evaluation.report.data import report_data
from buendnis.evaluation.report.formatting import format_value
from buendnis.evaluation.report.pdf import layout, layout_pdf
from buendnis.evaluation.report.protect import ministry_copy
from buendnis.evaluation.report.render import render_report

Y2025 = calendar_year(2025)
TODAY = datetime.date(2026, 11, 29)
TOLERANCE = 1  # CSS px


def _expected(agreement: Agreement) -> dict[str, Any]:
    """Goal titles and every indicator's value as the report must show it, per copy."""
    with translation.override("de"):
        engine = indicator_values(agreement=agreement, period=Y2025, today=TODAY)
        shown = ministry_copy(report_data(agreement=agreement, period=Y2025, today=TODAY))
        units = {value.code: value.unit for value in engine}
        return {
            "goals": list(Goal.objects.filter(agreement=agreement).values_list("title", flat=True)),
            "internal": {v.code: format_value(v.actual, v.unit) for v in engine},
            "ministry": {
                i["code"]: format_value(i["actual"], units[i["code"]]) for i in shown["indicators"]
            },
        }


@pytest.fixture(scope="module")
def reports(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The demo loaded, both copies rendered (PDF, HTML and layout), and what they must show."""
    with django_db_blocker.unblock():
        call_command("demo", "--no-serve", stdout=io.StringIO())
        try:
            agreement = Agreement.objects.get(slug=DEMO_AGREEMENT)
            found: dict[str, Any] = {"expected": _expected(agreement)}
            for copy in ("ministry", "internal"):
                html = render_report(
                    agreement=agreement, period=Y2025, fmt="html", copy=copy, today=TODAY
                ).content.decode()
                found[copy] = {"html": html, "layout": layout(html)}
            found["ministry"]["pdf"] = render_report(
                agreement=agreement, period=Y2025, fmt="pdf", copy="ministry", today=TODAY
            ).content
            found["internal"]["pdf"] = layout_pdf(
                found["internal"]["layout"], found["internal"]["html"]
            )
            for copy in ("ministry", "internal"):
                found[copy]["text"] = _text(found[copy]["pdf"])
            yield found
        finally:
            call_command("flush", interactive=False, verbosity=0)


def _text(pdf: bytes) -> str:
    """The PDF's text with line breaks, hyphenation and no-break spaces evened out."""
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    text = "\n".join(page.extract_text() for page in pages)
    text = re.sub(r"[\u2010\u00ad-]\n", "", text).replace("\u00a0", " ")
    return " ".join(text.split())


def _even(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _pngs(pdf: bytes, folder: Path) -> list[Path]:
    source = folder / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["/usr/bin/pdftoppm", "-r", "30", "-png", str(source), str(folder / "page")], check=True
    )
    return sorted(folder.glob("page-*.png"))


@pytest.mark.parametrize("copy", ["ministry", "internal"])
def test_its_pages_start_with_a_cover_that_is_not_blank(
    reports: dict[str, Any], copy: str, tmp_path: Path
) -> None:
    pages = _pngs(reports[copy]["pdf"], tmp_path)
    assert len(pages) >= 3
    with Image.open(pages[0]) as cover:
        histogram = cover.convert("L").histogram()  # pixels per grey level, 0 = black
    inked = sum(histogram[:200])
    assert inked / sum(histogram) > 0.01  # the coloured band and the title at least


@pytest.mark.parametrize("copy", ["ministry", "internal"])
def test_its_text_holds_every_goal_and_every_indicator_value(
    reports: dict[str, Any], copy: str
) -> None:
    text = reports[copy]["text"]
    expected = reports["expected"]
    assert len(expected["goals"]) == 6
    for title in expected["goals"]:
        assert _even(title) in text, title
    assert len(expected[copy]) == 19
    for code, value in expected[copy].items():
        assert f"{code} " in text
        assert _even(value) in text, (code, value)


def test_the_ministry_copy_shows_protected_values_and_says_so(reports: dict[str, Any]) -> None:
    text = reports["ministry"]["text"]
    assert "Fassung für das Ministerium (Kleinzahlen unterdrückt)" in text
    assert "< 5" in text
    assert "Interne Fassung" in reports["internal"]["text"]


def test_its_charts_carry_german_labels_with_umlauts(reports: dict[str, Any]) -> None:
    text = reports["internal"]["text"]
    # Chart titles and cut labels appear only in the charts, not in the tables.
    assert "Aktivitäten nach Format" in text
    assert "Ziel Z1: Ist und Vorperiode in % des Ziels" in text
    assert "% des Ziels" in text and "Väter" in text and "Mütter / Partnerinnen" in text
    assert re.search(r"Qualifizierung für Multiplikator\S*…", text)


def test_its_contents_list_page_numbers(reports: dict[str, Any]) -> None:
    text = reports["internal"]["text"]
    assert re.search(r"Inhalt Zusammenfassung \.+ ?3", text)
    assert re.search(r"Seite 2 von \d+", text)


def _boxes(box: Any) -> Iterator[Any]:
    """Every box of the page's content; the margin boxes (header, footer) sit outside it."""
    if isinstance(box, MarginBox):
        return
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _boxes(child)


@pytest.mark.parametrize("copy", ["ministry", "internal"])
def test_nothing_extends_beyond_the_page_content_width(reports: dict[str, Any], copy: str) -> None:
    document = reports[copy]["layout"]
    assert len(document.pages) >= 3
    checked = 0
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        left = page_box.content_box_x()
        right = left + page_box.width
        for box in _boxes(page_box):
            if box is page_box:
                continue
            x, width = box.border_box_x(), box.border_width()
            checked += 1
            assert x >= left - TOLERANCE, (number, type(box).__name__, x, left)
            assert x + width <= right + TOLERANCE, (number, type(box).__name__, x + width, right)
    assert checked > 1000


def test_no_count_from_1_to_4_is_published_in_the_demos_ministry_copy(
    reports: dict[str, Any],
) -> None:
    from buendnis.evaluation.tests.test_report_protect import Cells

    parser = Cells()
    parser.feed(reports["ministry"]["html"])
    counts = [" ".join(text.split()) for kind, text in parser.cells if kind == "count"]
    assert len(counts) > 200 and "< 5" in counts
    assert [text for text in counts if re.fullmatch(r"[1-4]", text)] == []


@pytest.mark.parametrize("copy", ["ministry", "internal"])
def test_it_is_a_tagged_pdf_with_described_charts_links_and_table_headers(
    reports: dict[str, Any], copy: str
) -> None:
    found = check_tagged_pdf(reports[copy]["pdf"])
    html = reports[copy]["html"]
    assert found.lang == "de"
    assert found.title.startswith("Auswertung ") and "2025" in found.title
    alts = re.findall(r'<img class="report-chart__image"[^>]* alt="([^"]+)"', html)
    assert alts and len(found.figure_alts) == len(alts)
    assert all(len(alt) > 20 for alt in found.figure_alts)
    assert found.tags["Table"] > 5 and found.tags["TH"] > found.tags["Table"]
    assert found.tags["H1"] == 1 and found.tags["H2"] > 5
    assert "Zusammenfassung" in found.link_texts and len(found.link_texts) > 20
    assert "1. Zusammenfassung" in found.bookmarks and len(found.bookmarks) > 20

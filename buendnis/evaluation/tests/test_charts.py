"""Charts: static, accessible SVG with German labels; withheld values are not drawn."""

import base64
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import translation

from buendnis.accounts.models import User
from buendnis.agreements.models import Agreement
from buendnis.conftest import PASSWORD, ScannedPage
from buendnis.evaluation.periods import calendar_year
from buendnis.evaluation.report.charts import LABEL_LENGTH, Chart, bar_chart
from buendnis.evaluation.report.render import render_report, report_context
from buendnis.evaluation.tests import test_report_data as world

documenting = world.documenting
make_activity = world.make_activity
small_world = world.small_world
SVG = "{http://www.w3.org/2000/svg}"
BAR = re.compile(r'<rect[^>]*class="rect reactive tooltip-trigger"')


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own chart, not untrusted input


def chart(**overrides: object) -> Chart:
    values = {
        "key": "reach_group",
        "title": "Teilnahmen nach Gruppe",
        "labels": ["Väter", "Männer ohne Kinder", "Mütter / Partnerinnen"],
        "series": [("2025", [12.0, None, 7.0]), ("2024", [9.0, 5.0, 6.0])],
        "axis_title": "Anzahl",
    }
    values.update(overrides)
    with translation.override("de"):
        return bar_chart(**values)  # type: ignore[arg-type]


def test_it_is_well_formed_svg_without_script_or_xml_declaration() -> None:
    svg = chart().svg
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert "<script" not in svg and "<?xml" not in svg
    assert "DejaVu Sans" in svg


def test_it_has_a_role_and_an_accessible_name() -> None:
    rendered = chart(alt="Teilnahmen nach Gruppe; die Werte stehen in der Tabelle.")
    root = parse(rendered.svg)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Teilnahmen nach Gruppe; die Werte stehen in der Tabelle."


def test_it_carries_german_labels_with_umlauts() -> None:
    svg = chart().svg
    texts = {"".join(node.itertext()) for node in parse(svg).iter(f"{SVG}text")}
    assert {"Väter", "Männer ohne Kinder", "Mütter / Partnerinnen", "Anzahl"} <= texts
    assert "Teilnahmen nach Gruppe" in texts


def test_it_does_not_draw_values_that_are_withheld() -> None:
    assert len(BAR.findall(chart().svg)) == 5  # 2 series × 3 labels, one withheld


def test_it_is_the_same_for_the_same_figures_and_cuts_long_labels() -> None:
    long = "Qualifizierung für Multiplikator*innen aus Verwaltung und Betrieben"
    first, second = chart(labels=[long, "b", "c"]), chart(labels=[long, "b", "c"])
    assert first.svg == second.svg
    assert 'id="chart-reach_group"' in first.svg
    assert long not in first.svg and long[: LABEL_LENGTH - 1].rstrip() + "…" in first.svg
    assert base64.b64decode(first.data_uri.split(",", 1)[1]).decode() == first.svg


@pytest.mark.django_db
def test_every_chart_of_the_report_is_followed_by_its_data_table(small_world: Agreement) -> None:
    html = render_report(
        agreement=small_world, period=calendar_year(2025), fmt="html", copy="internal",
        today=world.TODAY,
    ).content.decode()  # fmt: skip
    figures = [m.end() for m in re.finditer(r'<figure class="report-chart"', html)]
    assert len(figures) >= 5
    for position in figures:
        rest = html[position:]
        assert rest.index("<table") < min(
            (rest.index(end) for end in ("<figure", "</section>") if end in rest), default=len(rest)
        )
    assert 'alt="Teilnahmen nach Gruppe (Balkendiagramm)' in html


@pytest.mark.django_db
def test_charts_of_the_ministry_copy_say_that_withheld_values_are_missing(
    small_world: Agreement,
) -> None:
    with translation.override("de"):
        report = report_context(
            agreement=small_world, period=calendar_year(2025), copy="ministry", today=world.TODAY
        )["report"]
    reach = next(item for item in report["reach"] if item["table"]["key"] == "reach_group")
    assert "nicht dargestellt" in reach["chart"].note
    assert "Väter" in reach["chart"].svg
    exact = report_context(
        agreement=small_world, period=calendar_year(2025), copy="internal", today=world.TODAY
    )["report"]
    exact_reach = next(item for item in exact["reach"] if item["table"]["key"] == "reach_group")
    assert exact_reach["chart"].note == ""
    assert len(BAR.findall(reach["chart"].svg)) < len(BAR.findall(exact_reach["chart"].svg))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_report_page_with_its_charts_passes_the_accessibility_scan(
    small_world: Agreement, koordination: User, page: ScannedPage, live_server: object
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    report = reverse("evaluation:report", args=[small_world.slug, "2025"])
    page.goto(f"{base}/konto/anmelden/?next={report}")
    page.get_by_label("Benutzername").fill(koordination.username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()  # lands on the report: axe runs
    images = page.get_by_role("img", name=re.compile("Balkendiagramm"))
    assert images.count() >= 5
    assert images.first.evaluate("img => img.naturalWidth") > 0  # the data: URL is allowed
    assert page.get_by_role("table", name="Teilnahmen nach Gruppe").is_visible()

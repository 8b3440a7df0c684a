"""Scenario 9, the import: an admin brings in a PDF in a new layout and fixes the preview."""

from pathlib import Path

import pytest
from fpdf import FPDF

from buendnis.accounts.models import User
from buendnis.agreements.models import Agreement
from buendnis.conftest import PASSWORD, ScannedPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
# A5, a centred title block, headings with a colon, a running header on both pages, and
# the minister's function on a line of its own above her name — a layout no sample has.
FIFTH_AGREEMENT = [
    ("c", "Fünfte Integrationsvereinbarung des Landes Hessen"),
    ("c", "„Ankommen im Quartier“"),
    ("c", "zwischen dem Hessischen Netzwerk Nachbarschaft e.V."),
    ("c", "und dem Hessischen Ministerium für Soziales und Integration"),
    ("", ""),
    ("h", "§ 1: Präambel"),
    ("p", "Nachbarschaften sind der Ort, an dem Integration im Alltag gelingt oder scheitert."),
    ("p", "Die Bündnispartner wollen Begegnung in den Quartieren stärken. Sie"),
    ("p", "beziehen Vereine, Kirchengemeinden, Moscheegemeinden und die Woh\u00ad"),
    ("p", "nungsunternehmen ein, die in den Quartieren tätig sind."),
    ("h", "§ 2: Ziele"),
    ("p", "Zugewanderte und alteingesessene Nachbarinnen und Nachbarn sollen sich kennen\u2010"),
    ("p", "lernen und gemeinsam Verantwortung für ihr Quartier übernehmen."),
    ("h", "§ 2a: Quartiersfeste"),
    ("p", "Jedes Jahr findet in mindestens zehn Quartieren ein gemeinsames Fest statt."),
    ("h", "§ 3: Beiträge der Partner"),
    ("p", "Das Netzwerk bildet Quartierslotsinnen und Quartierslotsen aus. Das Ministerium"),
    ("p", "fördert die Ausbildung und macht gelungene Beispiele landesweit bekannt."),
    ("h", "§ 4: Dokumentation, Auswertung und Inkrafttreten"),
    ("p", "Die Aktivitäten werden zeitnah dokumentiert und jährlich gemeinsam ausgewertet."),
    ("p", "Diese Vereinbarung tritt am Tage nach der Unterzeichnung in Kraft."),
    ("", ""),
    ("p", "Wiesbaden, den ____________"),
    ("", ""),
    ("p", "Dr. Lena Vogt, Vorsitzende, Hessisches Netzwerk Nachbarschaft e.V."),
    ("", ""),
    ("p", "Für das Hessische Ministerium für Soziales und Integration"),
    ("p", "Die Staatsministerin"),
    ("", ""),
    ("p", "Heike Hofmann"),
]


class _Pdf(FPDF):
    def header(self) -> None:
        self.set_font("DejaVu", size=8)
        self.cell(0, 5, "Ankommen im Quartier · Stand: Unterzeichnungsfassung", align="R")
        self.ln(10)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("DejaVu", size=8)
        self.cell(0, 5, f"Seite {self.page_no()}", align="C")


def _fifth_agreement_pdf(path: Path) -> Path:
    pdf = _Pdf(format=(148, 210))  # A5 in millimetres
    pdf.add_font("DejaVu", fname=str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", style="B", fname=str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    for kind, line in FIFTH_AGREEMENT:
        if not line:
            pdf.ln(4)
            continue
        pdf.set_font("DejaVu", style="B" if kind == "h" else "", size=9)
        if kind == "h":
            pdf.ln(2)
        pdf.cell(0, 6, line, align="C" if kind == "c" else "L", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def test_it_imports_a_new_agreement_from_a_pdf_and_fixes_the_preview(
    admin_user: User, page: ScannedPage, live_server: object, tmp_path: Path
) -> None:
    pdf = _fifth_agreement_pdf(tmp_path / "ankommen-im-quartier.pdf")
    page.goto(f"{live_server.url}/konto/anmelden/")  # type: ignore[attr-defined]
    page.get_by_label("Benutzername").fill(admin_user.username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()

    page.goto(f"{live_server.url}/vereinbarungen/")  # type: ignore[attr-defined]
    page.get_by_role("link", name="Vereinbarung importieren").click()
    recipe = tmp_path / "rezept.txt"
    recipe.write_text("Apfelkuchen\n\nMehl, Butter und Äpfel.\n", encoding="utf-8")
    page.get_by_label("Vereinbarung als PDF- oder Textdatei").set_input_files(str(recipe))
    page.get_by_role("button", name="Hochladen und prüfen").click()
    assert "keine Vereinbarung" in page.locator("#error-summary").inner_text()

    page.get_by_label("Vereinbarung als PDF- oder Textdatei").set_input_files(str(pdf))
    page.get_by_role("button", name="Hochladen und prüfen").click()

    assert page.get_by_role("heading", name="Vereinbarung prüfen").is_visible()
    assert page.get_by_label("Titel", exact=True).input_value() == "Ankommen im Quartier"
    doubts = page.locator("#doubts").inner_text()
    assert "Kein Datum der Unterzeichnung" in doubts
    assert "In welcher Funktion unterschreibt Heike Hofmann?" in doubts
    assert page.locator("#paragraph-2").get_by_label("§-Nummer").input_value() == "2a"
    assert "Stand: Unterzeichnungsfassung" not in page.content()

    # The line above the minister's name was her function; the title line is a subtitle.
    page.locator("#signatory-1").get_by_label("Funktion").fill("Staatsministerin")
    page.get_by_label("Untertitel").fill("Fünfte Integrationsvereinbarung des Landes Hessen")
    page.get_by_label("Thema").fill("Begegnung in der Nachbarschaft")
    page.get_by_label("Unterzeichnet am").fill("2026-06-02")
    in_force = page.locator("[data-in-force]").inner_text()
    assert in_force == "In Kraft ab 3. Juni 2026 (§ 9: am Tag nach der Unterzeichnung)."
    page.get_by_label("Titel", exact=True).fill("")
    page.get_by_role("button", name="Vereinbarung speichern").click()
    summary = page.locator("#error-summary")
    assert "Titel: Dieses Feld ist zwingend erforderlich." in summary.inner_text()
    assert Agreement.objects.count() == 0

    page.get_by_label("Titel", exact=True).fill("Ankommen im Quartier")
    page.get_by_role("button", name="Erneut prüfen").click()

    assert page.locator("[data-in-force]").inner_text().startswith("In Kraft ab 3. Juni 2026")
    assert "In welcher Funktion" not in page.content()
    page.get_by_role("button", name="Vereinbarung speichern").click()

    assert page.get_by_role("heading", name="Ankommen im Quartier", level=1).is_visible()
    assert page.get_by_text("In Kraft seit 3. Juni 2026").is_visible()
    assert page.locator("#p2a").get_by_role("heading").inner_text() == "§ 2a Quartiersfeste"
    agreement = Agreement.objects.get(title="Ankommen im Quartier")
    assert [(s.name, s.function) for s in agreement.signatories.all()] == [
        ("Dr. Lena Vogt", "Vorsitzende"),
        ("Heike Hofmann", "Staatsministerin"),
    ]
    assert agreement.subtitle == "Fünfte Integrationsvereinbarung des Landes Hessen"
    assert agreement.topic == "Begegnung in der Nachbarschaft"
    assert str(agreement.in_force_on) == "2026-06-03"

    # In force now: a later correction needs a reason and is kept as a version.
    page.get_by_role("link", name="Text, Partner und Unterzeichnung bearbeiten").click()
    page.locator("#paragraph-2").get_by_label("Text").fill(
        "Jedes Jahr findet in mindestens zwölf Quartieren ein gemeinsames Fest statt."
    )
    page.get_by_role("button", name="Änderungen speichern").click()
    assert "Grund der Änderung" in page.locator("#error-summary").inner_text()
    page.get_by_label("Grund der Änderung").fill("Zahl der Feste nach Abstimmung berichtigt")
    page.get_by_role("button", name="Änderungen speichern").click()
    assert "zwölf Quartieren" in page.locator("#p2a").inner_text()
    versions = page.locator("#text-versions").inner_text()
    assert "Zahl der Feste nach Abstimmung berichtigt" in versions

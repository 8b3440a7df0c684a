"""Layouts the parser had not seen: lettered §§, one-line signatures, declined names, PDFs."""

import datetime
from pathlib import Path

import pytest
from fpdf import FPDF
from pypdf import PdfReader

from buendnis.agreements.importer import ParsedAgreement, parse_agreement_text, read_agreement_file
from buendnis.agreements.importer.names import nominative

SAMPLES = Path(__file__).parent / "samples"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
HMSI = "Hessisches Ministerium für Soziales und Integration"
NEW_SAMPLES = ["kinder-stark-machen.txt", "gesund-ankommen.txt", "vielfalt-im-verein.txt"]


def _numbers(parsed: ParsedAgreement) -> list[str]:
    return [p.label for p in parsed.paragraphs]


def _signatories(parsed: ParsedAgreement) -> list[tuple[str, str, str]]:
    return [(s.name, s.function, s.organisation) for s in parsed.signatories]


def test_it_reads_a_lettered_sub_paragraph_one_line_signatures_and_u2010_hyphens() -> None:
    text = (SAMPLES / "kinder-stark-machen.txt").read_text(encoding="utf-8")
    assert "\u2010\n" in text and "\u00ad\n" in text
    parsed = parse_agreement_text(text)
    assert parsed.title == "Kinder stark machen"
    assert parsed.subtitle == "Vereinbarung"
    assert parsed.topic == "Schutz geflüchteter Kinder in Gemeinschaftsunterkünften"
    assert [p.name for p in parsed.partners] == [
        "Deutscher Kinderschutzbund Landesverband Hessen e.V.",
        HMSI,
    ]
    assert _numbers(parsed) == ["1", "2", "3", "3a", "4", "5", "6"]
    assert parsed.paragraphs[3].heading == "Beiträge der Ortsverbände"
    assert parsed.paragraphs[2].body.endswith(
        "Er bildet Fachkräfte und Ehrenamtliche fort und stellt mehrsprachige Materialien bereit."
    )
    assert "Trägern" not in parsed.paragraphs[2].body
    assert "Träger der Unterkünfte" in parsed.paragraphs[2].body
    assert "Sprechstunden für Eltern" in parsed.paragraphs[3].body
    assert "Gemeinschaftsunterkünften, in denen" in parsed.paragraphs[0].body
    assert "der Jugendhilfe," in parsed.paragraphs[1].body
    assert (parsed.place, parsed.signed_on) == ("Wiesbaden", datetime.date(2025, 3, 14))
    assert _signatories(parsed) == [
        (
            "Dr. Sabine Reuter",
            "Landesvorsitzende",
            "Deutscher Kinderschutzbund Landesverband Hessen e.V.",
        ),
        ("Heike Hofmann", "Staatsministerin", HMSI),
    ]


def test_it_declines_neuter_and_feminine_partners_and_reads_dash_headings() -> None:
    parsed = read_agreement_file(SAMPLES / "gesund-ankommen.txt")
    assert parsed.title == "Gesund ankommen in Hessen"
    assert parsed.subtitle == "Integrationsvereinbarung"
    assert [(p.name, p.aliases) for p in parsed.partners] == [
        ("Hessisches Netzwerk für Gesundheit und Migration", []),
        ("Hessische Landesstelle für Suchtfragen e.V.", []),
        (HMSI, ["HMSI"]),
    ]
    assert _numbers(parsed) == ["1", "2", "3", "4", "4a", "5", "6", "7"]
    assert parsed.paragraphs[0].heading == "Präambel"
    assert "Gesundheitssystem oft erst spät" in parsed.paragraphs[0].body
    assert "Gesundheitsförderung" in parsed.paragraphs[1].body
    assert "Gesundheitsversorgung" in parsed.paragraphs[1].body
    # The same sentence closes three paragraphs; none of them loses it.
    closing = "Die Einzelheiten legen die Bündnispartner gemeinsam fest."
    assert [p.label for p in parsed.paragraphs if p.body.endswith(closing)] == ["3", "4", "5"]
    assert _signatories(parsed) == [
        ("Prof. Dr. Mehmet Yıldız", "Sprecher", "Hessisches Netzwerk für Gesundheit und Migration"),
        (
            "Dr. med. Ulrike Brandt",
            "Geschäftsführerin",
            "Hessische Landesstelle für Suchtfragen e.V.",
        ),
        ("Heike Hofmann", "Staatsministerin", HMSI),
    ]


def test_it_reads_bare_numbers_two_letters_and_an_open_date() -> None:
    parsed = read_agreement_file(SAMPLES / "vielfalt-im-verein.txt")
    ministry = "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales"
    assert parsed.title == "Vielfalt im Verein"
    assert [p.name for p in parsed.partners] == [
        "Sportjugend Hessen im Landessportbund Hessen e.V.",
        ministry,
    ]
    assert _numbers(parsed) == ["1", "2", "3", "3a", "3b", "4", "5"]
    assert [p.heading for p in parsed.paragraphs][3:5] == [
        "Beiträge der Sportkreise",
        "Beiträge der Vereine",
    ]
    assert "Hessische Integrations- und Teilhabegesetz" in parsed.paragraphs[0].body
    assert "interkulturellen Öffnung" in parsed.paragraphs[0].body
    assert (parsed.place, parsed.signed_on) == ("Wiesbaden", None)
    assert _signatories(parsed) == [
        (
            "Prof. Dr. Jan Richter",
            "Vorsitzender",
            "Sportjugend Hessen im Landessportbund Hessen e.V.",
        ),
        ("Heike Hofmann", "Staatsministerin", ministry),
    ]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("dem Deutschen Kinderschutzbund", "Deutscher Kinderschutzbund"),
        ("dem Hessischen Netzwerk für Gesundheit", "Hessisches Netzwerk für Gesundheit"),
        ("der Hessischen Landesstelle für Suchtfragen", "Hessische Landesstelle für Suchtfragen"),
        ("dem Deutschen Roten Kreuz", "Deutsches Rotes Kreuz"),
        ("dem Diakonischen Werk Hessen", "Diakonisches Werk Hessen"),
        ("dem Hessischen Flüchtlingsrat", "Hessischer Flüchtlingsrat"),
        ("dem Internationalen Bund", "Internationaler Bund"),
        ("dem Evangelischen Sekretariat", "Evangelisches Sekretariat"),
        (
            "dem Landesverband der Deutschen Sinti und Roma",
            "Landesverband der Deutschen Sinti und Roma",
        ),
    ],
)
def test_it_gives_the_nominative_ending_by_gender(written: str, expected: str) -> None:
    assert nominative(written) == expected


def test_it_keeps_a_sentence_that_repeats_at_page_like_distances() -> None:
    filler = "\n".join(f"Zeile {n} des Textes mit weiteren Worten" for n in range(9))
    sentence = "Die Einzelheiten legen die Bündnispartner gemeinsam fest."
    sections = "\n\n".join(f"§ {n} Abschnitt {n}\n\n{filler}\n{sentence}" for n in range(1, 5))
    text = (
        "„Gemeinsam“\n\nzwischen\n\ndem Hessischen Flüchtlingsrat e.V.\n\nund dem\n\n"
        f"Hessischen Ministerium für Soziales und Integration\n\n{sections}\n\n"
        "Wiesbaden, den 1. März 2024\n\nAnna Beispiel, Vorsitzende, Hessischer Flüchtlingsrat e.V."
    )
    parsed = parse_agreement_text(text)
    assert all(p.body.endswith(sentence) for p in parsed.paragraphs)


def test_it_does_not_take_a_lettered_reference_in_the_text_for_a_heading() -> None:
    text = (SAMPLES / "kinder-stark-machen.txt").read_text(encoding="utf-8")
    text = text.replace(
        "Sie arbeiten dabei mit den Jugendämtern zusammen.",
        "Sie arbeiten dabei nach\n§ 8a SGB VIII mit den Jugendämtern zusammen.",
    )
    parsed = parse_agreement_text(text)
    assert _numbers(parsed) == ["1", "2", "3", "3a", "4", "5", "6"]
    assert "nach § 8a SGB VIII mit den Jugendämtern" in parsed.paragraphs[3].body


def test_it_keeps_numbering_gaps_for_the_preview_when_not_strict() -> None:
    text = (SAMPLES / "kinder-stark-machen.txt").read_text(encoding="utf-8")
    text = text.replace("§ 5 Dokumentation", "§ 7 Dokumentation")
    parsed = parse_agreement_text(text, strict=False)
    assert _numbers(parsed) == ["1", "2", "3", "3a", "4", "7", "6"]


# --- the same agreements as PDFs, in a layout with a two-line running header -------------


class _MinistryPdf(FPDF):
    """Large type, a running header that repeats the title, and „– N –“ at the foot."""

    running_header = ""

    def header(self) -> None:
        self.set_font("DejaVu", size=9)
        self.cell(0, 5, self.running_header, align="R", new_x="LMARGIN", new_y="NEXT")
        self.cell(0, 5, "Entwurf des Ministeriums", align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(6)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("DejaVu", size=9)
        self.cell(0, 5, f"– {self.page_no()} –", align="C")


def ministry_pdf(source: Path, target: Path) -> Path:
    """Lay the sample out line by line, U+2010 and soft hyphens kept as written."""
    pdf = _MinistryPdf(format="A4")
    pdf.running_header = read_agreement_file(source).title
    pdf.add_font("DejaVu", fname=str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.set_auto_page_break(True, margin=22)
    pdf.add_page()
    pdf.set_font("DejaVu", size=12)
    gap = False
    for line in source.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            gap = True
            continue
        if gap:
            pdf.ln(3)
            gap = False
        pdf.cell(0, 7, line.rstrip(), new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(target))
    return target


@pytest.mark.parametrize("name", NEW_SAMPLES)
def test_it_reads_the_new_layouts_as_pdfs_like_their_text(tmp_path: Path, name: str) -> None:
    pdf = ministry_pdf(SAMPLES / name, tmp_path / f"{name}.pdf")
    assert len(PdfReader(pdf).pages) >= 2
    from_pdf = read_agreement_file(pdf)
    assert from_pdf == read_agreement_file(SAMPLES / name)
    for paragraph in from_pdf.paragraphs:
        assert "Entwurf des Ministeriums" not in paragraph.body
        assert "\u2010" not in paragraph.body and "\u00ad" not in paragraph.body


def test_it_names_the_acting_organisation_not_its_representatives() -> None:
    text = (
        "„Gemeinsam stark“\n\nVereinbarung zwischen\n\n"
        "dem Deutschen Kinderschutzbund Landesverband Hessen e.V.,\n"
        "vertreten durch die Vorsitzende Dr. Sabine Reuter,\n\nund\n\n"
        "dem Land Hessen, vertreten durch das Hessische Ministerium für Soziales und Integration,\n"
        "dieses vertreten durch die Staatsministerin Heike Hofmann\n\n"
        "§ 1 Präambel\n\nDie Bündnispartner arbeiten zusammen.\n\n"
        "§ 2 Schluss\n\nDiese Vereinbarung tritt am Tage nach der Unterzeichnung in Kraft.\n\n"
        "Wiesbaden, den 3. Juni 2024\n\n"
        "Dr. Sabine Reuter, Vorsitzende, Deutscher Kinderschutzbund Landesverband Hessen e.V.\n"
        "Heike Hofmann, Staatsministerin, Hessisches Ministerium für Soziales und Integration\n"
    )
    parsed = parse_agreement_text(text)
    kinderschutzbund = "Deutscher Kinderschutzbund Landesverband Hessen e.V."
    assert [p.name for p in parsed.partners] == [kinderschutzbund, HMSI]
    assert _signatories(parsed) == [
        ("Dr. Sabine Reuter", "Vorsitzende", kinderschutzbund),
        ("Heike Hofmann", "Staatsministerin", HMSI),
    ]


def test_it_reads_a_signature_with_the_function_before_the_name() -> None:
    text = (SAMPLES / "kinder-stark-machen.txt").read_text(encoding="utf-8")
    text = text.replace(
        "Heike Hofmann, Staatsministerin, Hessisches Ministerium für Soziales und Integration",
        "Die Staatsministerin Heike Hofmann\nHessisches Ministerium für Soziales und Integration",
    )
    parsed = parse_agreement_text(text)
    assert _signatories(parsed)[1] == ("Heike Hofmann", "Staatsministerin", HMSI)
    assert len(parsed.signatories) == 2

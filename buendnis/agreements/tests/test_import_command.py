"""``buendnis import-agreement``: texts and PDFs in, agreements out; bad input refused."""

import datetime
import io
import json
import os
import random
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from buendnis.accounts.models import Organisation
from buendnis.agreements.importer import read_agreement_file
from buendnis.agreements.models import (
    Agreement,
    AgreementPartner,
    Commitment,
    DocumentationProcedure,
    Goal,
    Indicator,
    Paragraph,
    Signatory,
)

SAMPLES = Path(__file__).parent / "importer" / "samples"
FOUNDING = SAMPLES / "integration-braucht-partner.txt"
REPO_ROOT = Path(__file__).resolve().parents[3]
SHARED_FOUNDING = REPO_ROOT.parent / "shared" / "agreements" / FOUNDING.name
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

IAF = "Verband binationaler Familien und Partnerschaften, iaf e.V."
IAF_ALIAS = "Verband binationaler Partnerschaften und Familien, iaf e.V."
HMSI = "Hessisches Ministerium für Soziales und Integration"
HEADING_5 = "Beiträge durch den Verband binationaler Partnerschaften und Familien, iaf e.V."

MODELS = [
    Agreement,
    AgreementPartner,
    Paragraph,
    Signatory,
    Organisation,
    Goal,
    Indicator,
    Commitment,
    DocumentationProcedure,
]

pytestmark = pytest.mark.django_db


# --- helpers --------------------------------------------------------------------------


def _run(*args: str) -> tuple[int, str, str]:
    """Run the command in-process; return exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_agreement", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    else:
        code = 0
    return code, out.getvalue(), err.getvalue()


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def _assert_refused(*args: str, says: str) -> str:
    """The command exits with 2, prints one German / English line and writes nothing."""
    before = _counts()
    code, out, err = _run(*args)
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("Fehler / error: ")
    german, english = lines[0].removeprefix("Fehler / error: ").split(" / ", 1)
    assert german.strip() and english.strip()
    assert says in lines[0]
    assert _counts() == before
    return lines[0]


class _AgreementPdf(FPDF):
    """An A4 page layout with a running header and "Seite N von M" at the foot."""

    running_header = ""

    def header(self) -> None:
        self.set_font("DejaVu", size=8)
        self.cell(0, 5, self.running_header, new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("DejaVu", size=8)
        self.cell(0, 5, f"Seite {self.page_no()} von {{nb}}", align="C")


def _write_pdf(path: Path, text: str, *, running_header: str) -> Path:
    """Lay the text out line by line on A4 pages, as a word processor's PDF export would."""
    pdf = _AgreementPdf(format="A4")
    pdf.running_header = running_header
    pdf.add_font("DejaVu", fname=str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("DejaVu", size=9)
    gap = False
    for line in text.splitlines():
        if not line.strip():
            gap = True
            continue
        if gap:
            pdf.ln(2)  # a run of blank lines becomes one paragraph gap
            gap = False
        pdf.cell(0, 4.5, line.rstrip(), new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def _sample_pdf(tmp_path: Path, name: str) -> Path:
    source = SAMPLES / name
    return _write_pdf(
        tmp_path / f"{source.stem}.pdf",
        source.read_text(encoding="utf-8"),
        running_header=f"Integrationsvereinbarung {source.stem} – Fassung zur Unterzeichnung",
    )


def _json(*args: str) -> dict[str, Any]:
    code, out, err = _run(*args, "--dry-run", "--json")
    assert (code, err) == (0, "")
    return json.loads(out)


# --- the founding agreement -----------------------------------------------------------


def _assert_founding(data: dict[str, Any]) -> None:
    assert data["title"] == "Integration braucht Partner"
    assert data["topic"] == (
        "Rollenbilder von Männern und Vätern mit Migrationsgeschichte differenzieren"
    )
    assert [p["number"] for p in data["paragraphs"]] == list(range(1, 10))
    assert data["paragraphs"][4]["heading"] == HEADING_5
    assert data["partners"] == [
        {"name": IAF, "aliases": [IAF_ALIAS]},
        {"name": HMSI, "aliases": []},
    ]
    assert data["place"] == "Wiesbaden"
    assert data["signed_on"] is None
    assert data["signatories"] == [
        {
            "name": "Hiltrud Stöcker-Zafari",
            "function": "Bundesgeschäftsführerin",
            "organisation": IAF,
        },
        {"name": "Kai Klose", "function": "Staatsminister", "organisation": HMSI},
    ]


def test_it_prints_the_founding_agreement_as_json_without_writing() -> None:
    before = _counts()
    data = _json(str(SHARED_FOUNDING if SHARED_FOUNDING.exists() else FOUNDING))
    _assert_founding(data)
    assert {"title", "topic", "partners", "paragraphs", "place", "signed_on", "signatories"} <= (
        set(data)
    )
    assert data["paragraphs"][8] == {
        "number": 9,
        "suffix": "",
        "heading": "Schluss",
        "body": "Diese Vereinbarung tritt am Tage nach der Unterzeichnung in Kraft.",
    }
    assert _counts() == before


def test_it_prints_a_summary_on_a_dry_run_without_json() -> None:
    code, out, err = _run(str(FOUNDING), "--dry-run")
    assert (code, err) == (0, "")
    assert out.startswith("Integration braucht Partner: 9 §§")
    assert "Ort: Wiesbaden" in out
    assert Agreement.objects.count() == 0


def test_it_writes_the_founding_agreement() -> None:
    code, out, err = _run(str(FOUNDING))
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "Gespeichert / saved: integration-braucht-partner"
    agreement = Agreement.objects.get()
    assert agreement.slug == "integration-braucht-partner"
    assert agreement.title == "Integration braucht Partner"
    assert agreement.place == "Wiesbaden"
    assert agreement.signed_on is None
    assert agreement.in_force_on is None
    paragraphs = list(agreement.paragraphs.order_by("number"))
    assert [p.number for p in paragraphs] == list(range(1, 10))
    assert paragraphs[4].heading == HEADING_5
    partners = list(agreement.partners.select_related("organisation").order_by("position"))
    assert [(p.organisation.name, p.role) for p in partners] == [
        (IAF, AgreementPartner.Role.PARTNER),
        (HMSI, AgreementPartner.Role.MINISTRY),
    ]
    assert partners[0].organisation.aliases == [IAF_ALIAS]
    assert partners[1].organisation.kind == Organisation.Kind.MINISTRY
    assert Organisation.objects.count() == 2
    signatories = agreement.signatories.select_related("organisation").order_by("position")
    assert [(s.name, s.function, s.organisation.name) for s in signatories] == [
        ("Hiltrud Stöcker-Zafari", "Bundesgeschäftsführerin", IAF),
        ("Kai Klose", "Staatsminister", HMSI),
    ]


def test_it_resolves_partners_to_known_organisations_by_alias(partner_org: Organisation) -> None:
    partner_org.name = IAF_ALIAS
    partner_org.aliases = []
    partner_org.save(update_fields=["name", "aliases"])
    code, _, err = _run(str(FOUNDING))
    assert (code, err) == (0, "")
    agreement = Agreement.objects.get()
    assert agreement.partners.get(position=0).organisation == partner_org
    assert Organisation.objects.count() == 2


def test_it_sets_the_slug_given() -> None:
    code, out, _ = _run(str(FOUNDING), "--slug", "iaf-2019")
    assert code == 0
    assert out.splitlines()[-1] == "Gespeichert / saved: iaf-2019"
    assert Agreement.objects.get().slug == "iaf-2019"


def test_it_prints_json_when_it_writes() -> None:
    code, out, _ = _run(str(FOUNDING), "--json")
    assert code == 0
    _assert_founding(json.loads(out))
    assert Agreement.objects.count() == 1


def test_it_derives_the_in_force_date_from_the_signing_date() -> None:
    code, _, _ = _run(str(SAMPLES / "ehrenamt-verbindet.txt"))
    assert code == 0
    agreement = Agreement.objects.get()
    assert agreement.signed_on == datetime.date(2022, 9, 12)
    assert agreement.in_force_on == datetime.date(2022, 9, 13)


# --- refusals: each bad input gives one line, exit code 2 and no rows -------------------


def test_it_refuses_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "leer.txt"
    path.write_bytes(b"")
    _assert_refused(str(path), says="Die Datei ist leer.")


def test_it_refuses_binary_garbage(tmp_path: Path) -> None:
    path = tmp_path / "vereinbarung.txt"
    # Seeded noise for reproducible test data, not for cryptography.
    path.write_bytes(random.Random(11).randbytes(8192))  # noqa: S311
    _assert_refused(str(path), says="Binärdaten")


def test_it_refuses_a_text_that_is_not_an_agreement(tmp_path: Path) -> None:
    path = tmp_path / "rezept.txt"
    path.write_text(
        "Apfelkuchen\n\nZutaten: 500 g Mehl, 250 g Butter, 4 Äpfel.\n\n"
        "Den Teig kneten, die Äpfel schälen und alles 45 Minuten backen.\n",
        encoding="utf-8",
    )
    _assert_refused(str(path), says="keine Vereinbarung")


def test_it_refuses_a_missing_section_number(tmp_path: Path) -> None:
    path = tmp_path / "luecke.txt"
    path.write_text(FOUNDING.read_text(encoding="utf-8").replace("§ 4", "§ 40"), "utf-8")
    _assert_refused(str(path), says="§ 4 fehlt.")


def test_it_refuses_a_duplicate_section_number(tmp_path: Path) -> None:
    path = tmp_path / "doppelt.txt"
    path.write_text(FOUNDING.read_text(encoding="utf-8").replace("§ 7", "§ 6"), "utf-8")
    _assert_refused(str(path), says="§ 6 kommt mehrfach vor.")


def test_it_refuses_an_unsupported_file_type(tmp_path: Path) -> None:
    path = tmp_path / "vereinbarung.docx"
    path.write_bytes(FOUNDING.read_bytes())
    _assert_refused(str(path), says="wird nicht unterstützt")


def test_it_refuses_a_file_that_does_not_exist(tmp_path: Path) -> None:
    _assert_refused(str(tmp_path / "fehlt.txt"), says="kann nicht geöffnet werden")


def test_it_refuses_an_encrypted_pdf(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=_sample_pdf(tmp_path, FOUNDING.name))
    writer.encrypt(user_password="geheim", owner_password="noch-geheimer")
    path = tmp_path / "verschluesselt.pdf"
    writer.write(path)
    assert PdfReader(path).is_encrypted
    _assert_refused(str(path), says="verschlüsselt")


def test_it_reads_a_pdf_protected_only_by_an_owner_password(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=_sample_pdf(tmp_path, FOUNDING.name))
    writer.encrypt(user_password="", owner_password="nur-fuer-aenderungen")
    path = tmp_path / "schreibgeschuetzt.pdf"
    writer.write(path)
    _assert_founding(_json(str(path)))


def test_it_refuses_a_truncated_pdf(tmp_path: Path) -> None:
    whole = _sample_pdf(tmp_path, FOUNDING.name).read_bytes()
    path = tmp_path / "abgebrochen.pdf"
    path.write_bytes(whole[: len(whole) // 2])
    _assert_refused(str(path), says="beschädigt")


def test_it_refuses_garbage_with_a_pdf_suffix(tmp_path: Path) -> None:
    path = tmp_path / "kaputt.pdf"
    path.write_bytes(random.Random(5).randbytes(4096))  # noqa: S311 - test data
    _assert_refused(str(path), says="beschädigt")


def test_it_refuses_a_pdf_with_a_damaged_body(tmp_path: Path) -> None:
    path = tmp_path / "zerstoert.pdf"
    noise = random.Random(3).randbytes(4096)  # noqa: S311 - test data
    path.write_bytes(b"%PDF-1.7\n" + noise + b"\n%%EOF\n")
    _assert_refused(str(path), says="beschädigt")


def test_it_refuses_a_pdf_without_text(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "scan.pdf"
    writer.write(path)
    _assert_refused(str(path), says="keinen auslesbaren Text")


def test_it_refuses_to_import_the_same_agreement_twice() -> None:
    assert _run(str(FOUNDING))[0] == 0
    _assert_refused(str(FOUNDING), says="schon vorhanden")
    _assert_refused(str(FOUNDING), "--slug", "noch-einmal", says="schon vorhanden")
    assert Agreement.objects.count() == 1


def test_it_refuses_a_text_of_an_agreement_stored_with_a_date(agreement: Agreement) -> None:
    agreement.signed_on = datetime.date(2019, 6, 3)
    agreement.save(update_fields=["signed_on"])
    _assert_refused(str(FOUNDING), says="schon vorhanden")


def test_it_imports_an_agreement_with_the_same_title_but_another_date(tmp_path: Path) -> None:
    source = SAMPLES / "ehrenamt-verbindet.txt"
    assert _run(str(source))[0] == 0
    renewed = tmp_path / "ehrenamt-verbindet-2025.txt"
    renewed.write_text(
        source.read_text(encoding="utf-8").replace("12. September 2022", "1. Juli 2025"), "utf-8"
    )
    _assert_refused(str(source), says="schon vorhanden")
    code, out, _ = _run(str(renewed))
    assert code == 0
    assert out.splitlines()[-1] == "Gespeichert / saved: ehrenamt-verbindet-2"


def test_it_refuses_a_slug_that_is_taken(agreement: Agreement) -> None:
    _assert_refused(
        str(SAMPLES / "demokratie-lernen.txt"), "--slug", agreement.slug, says="schon vergeben"
    )


def test_it_refuses_a_malformed_slug() -> None:
    _assert_refused(str(FOUNDING), "--slug", "mit leerzeichen/und?", says="Kurzbezeichnung")


def test_it_writes_nothing_when_the_write_fails_halfway(
    monkeypatch: pytest.MonkeyPatch, ministry_org: Organisation
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Signatory.objects, "bulk_create", broken)
    before = _counts()
    with pytest.raises(RuntimeError, match="disk full"):
        call_command("import_agreement", str(FOUNDING), stdout=io.StringIO())
    assert _counts() == before


# --- PDFs it has never seen -------------------------------------------------------------

PDF_SAMPLES = {
    "integration-braucht-partner.txt": {
        "partners": [IAF, HMSI],
        "signatories": [("Hiltrud Stöcker-Zafari", IAF), ("Kai Klose", HMSI)],
        "place": "Wiesbaden",
        "signed_on": None,
    },
    "demokratie-lernen.txt": {
        "partners": ["Bildungsstätte Anne Frank e.V.", HMSI],
        "signatories": [
            ("Dr. Miriam Lehmann", "Bildungsstätte Anne Frank e.V."),
            ("Kai Klose", HMSI),
        ],
        "place": "Wiesbaden",
        "signed_on": "2019-06-03",
    },
    "ehrenamt-verbindet.txt": {
        "partners": ["DRK Landesverband Hessen e.V.", HMSI],
        "signatories": [
            ("Dr. Karin Albrecht", "DRK Landesverband Hessen e.V."),
            ("Kai Klose", HMSI),
        ],
        "place": "Wiesbaden",
        "signed_on": "2022-09-12",
    },
    "jugend-gestaltet-vielfalt.txt": {
        "partners": ["Hessischer Jugendring e.V.", HMSI],
        "signatories": [
            ("Jana Schulte-Ebert", "Hessischer Jugendring e.V."),
            ("Dr. Thomas Berger", HMSI),
        ],
        "place": "Frankfurt am Main",
        "signed_on": "2018-05-09",
    },
    "sprachbruecken-bauen.txt": {
        "partners": [
            "Netzwerk Flucht und Migration Nordhessen e.V.",
            "Hessische Landeszentrale für politische Bildung",
            HMSI,
        ],
        "signatories": [
            ("Leyla Aydın", "Netzwerk Flucht und Migration Nordhessen e.V."),
            ("Dr. Jürgen Hartmann", "Hessische Landeszentrale für politische Bildung"),
            ("Kai Klose", HMSI),
        ],
        "place": "Kassel",
        "signed_on": "2021-09-12",
    },
}


@pytest.mark.parametrize("name", sorted(PDF_SAMPLES))
def test_it_reads_a_generated_pdf_like_its_text(tmp_path: Path, name: str) -> None:
    pdf = _sample_pdf(tmp_path, name)
    assert len(PdfReader(pdf).pages) >= 2
    expected = PDF_SAMPLES[name]
    from_text = read_agreement_file(SAMPLES / name).to_json_dict()

    data = _json(str(pdf))

    assert data["title"] == from_text["title"]
    assert data["topic"] == from_text["topic"]
    assert [p["name"] for p in data["partners"]] == expected["partners"]
    assert data["partners"] == from_text["partners"]
    assert data["paragraphs"] == from_text["paragraphs"]
    for paragraph in data["paragraphs"]:
        assert "Seite" not in paragraph["body"]
        assert "Fassung zur Unterzeichnung" not in paragraph["body"]
    assert [(s["name"], s["organisation"]) for s in data["signatories"]] == expected["signatories"]
    assert all(s["function"] for s in data["signatories"])
    assert data["signatories"] == from_text["signatories"]
    assert (data["place"], data["signed_on"]) == (expected["place"], expected["signed_on"])


@pytest.mark.parametrize("name", sorted(PDF_SAMPLES))
def test_it_writes_a_generated_pdf(tmp_path: Path, name: str) -> None:
    pdf = _sample_pdf(tmp_path, name)
    expected = PDF_SAMPLES[name]
    from_text = read_agreement_file(SAMPLES / name)

    code, out, err = _run(str(pdf), "--slug", "aus-pdf")

    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "Gespeichert / saved: aus-pdf"
    agreement = Agreement.objects.get(slug="aus-pdf")
    assert agreement.title == from_text.title
    assert [(p.number, p.heading) for p in agreement.paragraphs.order_by("number")] == [
        (p.number, p.heading) for p in from_text.paragraphs
    ]
    partners = agreement.partners.select_related("organisation").order_by("position")
    assert [p.organisation.name for p in partners] == expected["partners"]
    assert [p.role for p in partners][-1] == AgreementPartner.Role.MINISTRY
    signatories = agreement.signatories.select_related("organisation").order_by("position")
    assert [(s.name, s.organisation.name) for s in signatories] == expected["signatories"]
    signed_on = expected["signed_on"]
    assert agreement.signed_on == (datetime.date.fromisoformat(signed_on) if signed_on else None)
    if agreement.signed_on:
        assert agreement.in_force_on == agreement.signed_on + datetime.timedelta(days=1)


def _reflowed_pdf(tmp_path: Path, name: str) -> Path:
    """Set the sample anew: justified paragraphs wrapped by fpdf, bold headings, new pages."""
    source = SAMPLES / name
    parsed = read_agreement_file(source)
    lines = source.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("§ 1"))
    closing = next(i for i, line in enumerate(lines) if line.startswith(f"{parsed.place},"))
    pdf = _AgreementPdf(format="A4")
    pdf.running_header = f"{parsed.title} – Integrationsvereinbarung des Landes Hessen"
    pdf.add_font("DejaVu", fname=str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", style="B", fname=str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(30, 20, 30)
    pdf.set_auto_page_break(True, margin=25)
    pdf.add_page()
    pdf.set_font("DejaVu", size=11)
    for line in lines[:first]:
        if line.strip():
            pdf.cell(0, 6, line.strip(), align="C", new_x="LMARGIN", new_y="NEXT")
    for paragraph in parsed.paragraphs:
        pdf.ln(4)
        pdf.set_font("DejaVu", style="B", size=11)
        heading = f"§ {paragraph.number} {paragraph.heading}"
        pdf.multi_cell(0, 6, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", size=10)
        for block in paragraph.body.split("\n\n"):
            pdf.ln(2.5)
            for item in block.split("\n"):
                pdf.multi_cell(0, 5, item, align="J", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    for line in lines[closing:]:
        if line.strip():
            pdf.cell(0, 5, line.rstrip(), new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / f"{source.stem}-neu-gesetzt.pdf"
    pdf.output(str(path))
    return path


@pytest.mark.parametrize(
    "name",
    ["integration-braucht-partner.txt", "ehrenamt-verbindet.txt", "jugend-gestaltet-vielfalt.txt"],
)
def test_it_reads_a_pdf_set_anew_with_justified_paragraphs(tmp_path: Path, name: str) -> None:
    pdf = _reflowed_pdf(tmp_path, name)
    assert len(PdfReader(pdf).pages) >= 2
    from_text = read_agreement_file(SAMPLES / name).to_json_dict()

    data = _json(str(pdf))

    assert data == from_text
    assert [p["name"] for p in data["partners"]] == PDF_SAMPLES[name]["partners"]
    assert [(s["name"], s["organisation"]) for s in data["signatories"]] == (
        PDF_SAMPLES[name]["signatories"]
    )


# --- end to end through the installed ``buendnis`` script ------------------------------


def _buendnis(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "BUENDNIS_DATABASE_URL"}
    env["BUENDNIS_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [str(REPO_ROOT / ".venv" / "bin" / "buendnis"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        check=False,
        timeout=120,
    )


def test_it_imports_a_pdf_end_to_end_and_refuses_it_the_second_time(tmp_path: Path) -> None:
    data_dir = tmp_path / "daten"
    assert _buendnis(data_dir, "migrate", "-v0").returncode == 0
    pdf = _sample_pdf(tmp_path, "demokratie-lernen.txt")

    dry = _buendnis(data_dir, "import-agreement", str(pdf), "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["signed_on"] == "2019-06-03"

    first = _buendnis(data_dir, "import-agreement", str(pdf))
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[-1] == "Gespeichert / saved: demokratie-lernen-vielfalt-leben"

    second = _buendnis(data_dir, "import-agreement", str(pdf))
    assert second.returncode == 2
    assert second.stdout == ""
    assert len(second.stderr.splitlines()) == 1
    assert "schon vorhanden" in second.stderr


def test_it_exits_with_2_and_one_line_for_a_corrupt_pdf_end_to_end(tmp_path: Path) -> None:
    path = tmp_path / "kaputt.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    result = _buendnis(tmp_path / "daten", "import-agreement", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Fehler / error: Die PDF-Datei ist beschädigt oder unvollständig. / "
        "The PDF file is corrupt or incomplete."
    ]

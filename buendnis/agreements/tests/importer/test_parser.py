"""Parsing agreement texts: the founding agreement, new samples, and bad input."""

import datetime
import random
from pathlib import Path

import pytest

from buendnis.agreements.importer import (
    AgreementImportError,
    ParsedAgreement,
    parse_agreement_text,
    read_agreement_file,
)

SAMPLES = Path(__file__).parent / "samples"
FOUNDING_NAME = "integration-braucht-partner.txt"
SHARED_FOUNDING = Path(__file__).parents[4].parent / "shared/agreements" / FOUNDING_NAME
FOUNDING_FILES = [SAMPLES / FOUNDING_NAME] + ([SHARED_FOUNDING] if SHARED_FOUNDING.exists() else [])

IAF = "Verband binationaler Familien und Partnerschaften, iaf e.V."
IAF_ALIAS = "Verband binationaler Partnerschaften und Familien, iaf e.V."
HMSI = "Hessisches Ministerium für Soziales und Integration"


def _partners(parsed: ParsedAgreement) -> list[tuple[str, list[str]]]:
    return [(partner.name, partner.aliases) for partner in parsed.partners]


def _signatories(parsed: ParsedAgreement) -> list[tuple[str, str, str]]:
    return [(s.name, s.function, s.organisation) for s in parsed.signatories]


def _headings(parsed: ParsedAgreement) -> list[tuple[int, str]]:
    return [(p.number, p.heading) for p in parsed.paragraphs]


def _assert_flowing(parsed: ParsedAgreement) -> None:
    """Bodies are whole paragraphs: no wrap breaks, page artefacts or double spaces."""
    for paragraph in parsed.paragraphs:
        body = paragraph.body
        assert body and body == body.strip()
        assert "  " not in body
        assert not any(char in body for char in "\f\t\u00ad\x00")
        assert "Seite" not in body
        for block in body.split("\n\n"):
            assert block and block == block.strip()
            lines = block.split("\n")
            assert all(line.startswith(("–", "-")) for line in lines[1:])


def _assert_one_line(error: pytest.ExceptionInfo[AgreementImportError]) -> str:
    message = str(error.value)
    assert "\n" not in message
    german, english = message.split(" / ", 1)
    assert german and english
    return message


@pytest.mark.parametrize("path", FOUNDING_FILES, ids=lambda path: path.parent.name)
def test_it_parses_the_founding_agreement(path: Path) -> None:
    parsed = read_agreement_file(path)
    assert parsed.title == "Integration braucht Partner"
    assert parsed.subtitle == (
        "Integrationsbündnis zur Stärkung der Akzeptanz und Wertschätzung von Vielfalt in Hessen"
    )
    assert parsed.topic == (
        "Rollenbilder von Männern und Vätern mit Migrationsgeschichte differenzieren"
    )
    assert _partners(parsed) == [(IAF, [IAF_ALIAS]), (HMSI, [])]
    assert _headings(parsed) == [
        (1, "Präambel"),
        (2, "Wertekonsens"),
        (3, "Inhalt und Ziele der Kooperation"),
        (4, "Gemeinsame Umsetzung der Ziele"),
        (5, "Beiträge durch den Verband binationaler Partnerschaften und Familien, iaf e.V."),
        (6, "Beiträge durch das Hessische Ministerium für Soziales und Integration"),
        (7, "Dokumentation der Aktivitäten"),
        (8, "Auswertung"),
        (9, "Schluss"),
    ]
    assert parsed.place == "Wiesbaden"
    assert parsed.signed_on is None
    assert _signatories(parsed) == [
        ("Hiltrud Stöcker-Zafari", "Bundesgeschäftsführerin", IAF),
        ("Kai Klose", "Staatsminister", HMSI),
    ]


def test_it_joins_the_founding_bodies_into_flowing_paragraphs() -> None:
    parsed = read_agreement_file(SAMPLES / FOUNDING_NAME)
    _assert_flowing(parsed)
    preamble = parsed.paragraphs[0].body
    assert preamble.startswith(
        "Hessen ist ein Land der Vielfalt. Vielfalt im Sinne unterschiedlicher Lebensweisen, "
        "religiöser Bindungen, politischer Orientierungen und kultureller Prägungen ist ein "
        "Grundstein des Erfolgs unseres Bundeslandes,"
    )
    assert "Wettbewerbs- und Zukunftsfähigkeit hängen" in preamble
    assert (
        "Integrationspolitik hat in Hessen daher traditionell einen hohen Stellenwert. "
        "Dabei ist uns bewusst, dass wir nur dann erfolgreich sind" in preamble
    )
    assert preamble.endswith(
        "Mit Integrationsvereinbarungen soll dieses Bündnis mit der Zivilgesellschaft "
        "weiter verstärkt und konkretisiert werden."
    )
    assert parsed.paragraphs[4].body.startswith(
        "Der Verband binationaler Familien und Partnerschaften verfügt über eine langjährige "
        "fachliche Expertise an den Schnittstellen Familie, Migration und Integration."
    )
    assert "Akteur*innen und Multiplikator*innen" in parsed.paragraphs[4].body
    assert parsed.paragraphs[5].body.endswith(
        "an einem gemeinsamen Leitbild für ein inklusives Hessen."
    )
    assert parsed.paragraphs[8].body == (
        "Diese Vereinbarung tritt am Tage nach der Unterzeichnung in Kraft."
    )


def test_it_keeps_the_committed_founding_copy_equal_to_the_shared_text() -> None:
    committed = read_agreement_file(SAMPLES / FOUNDING_NAME)
    for path in FOUNDING_FILES:
        assert read_agreement_file(path) == committed


def test_it_gives_the_founding_agreement_as_a_json_dict() -> None:
    data = read_agreement_file(SAMPLES / FOUNDING_NAME).to_json_dict()
    assert set(data) >= {
        "title",
        "topic",
        "partners",
        "paragraphs",
        "place",
        "signed_on",
        "signatories",
    }
    assert data["partners"][0] == {"name": IAF, "aliases": [IAF_ALIAS]}
    assert set(data["paragraphs"][0]) == {"number", "suffix", "heading", "body"}
    assert set(data["signatories"][0]) == {"name", "function", "organisation"}
    assert data["signed_on"] is None
    assert data["place"] == "Wiesbaden"


def test_it_gives_the_signing_date_as_an_iso_string() -> None:
    data = read_agreement_file(SAMPLES / "jugend-gestaltet-vielfalt.txt").to_json_dict()
    assert data["signed_on"] == "2018-05-09"


def test_it_parses_a_sample_with_page_numbers_running_header_and_columns() -> None:
    parsed = read_agreement_file(SAMPLES / "demokratie-lernen.txt")
    assert parsed.title == "Demokratie lernen – Vielfalt leben"
    assert parsed.subtitle == "Integrationsvereinbarung"
    assert parsed.topic == "Antisemitismus und Rassismus in der Einwanderungsgesellschaft begegnen"
    assert _partners(parsed) == [("Bildungsstätte Anne Frank e.V.", []), (HMSI, [])]
    assert _headings(parsed) == [
        (1, "Präambel"),
        (2, "Ziele der Zusammenarbeit"),
        (3, "Beiträge der Bildungsstätte Anne Frank e.V."),
        (4, "Beiträge des Hessischen Ministeriums für Soziales und Integration"),
        (5, "Dokumentation und Auswertung"),
        (6, "Inkrafttreten"),
    ]
    assert parsed.place == "Wiesbaden"
    assert parsed.signed_on == datetime.date(2019, 6, 3)
    assert _signatories(parsed) == [
        ("Dr. Miriam Lehmann", "Direktorin", "Bildungsstätte Anne Frank e.V."),
        ("Kai Klose", "Staatsminister", HMSI),
    ]
    _assert_flowing(parsed)
    goals = parsed.paragraphs[1].body
    assert "wie sie auch § 14 IntTG beschreibt, und an den Leitlinien" in goals
    assert goals.endswith(
        "Die Bündnispartner vereinbaren insbesondere:\n"
        "– Workshops für Schulklassen und Jugendgruppen in ganz Hessen,\n"
        "– Fortbildungen für Lehrkräfte, Fachkräfte der Jugendarbeit und Multiplikatorinnen "
        "und Multiplikatoren,\n"
        "– eine jährliche Fachtagung zu Antisemitismus und Rassismus."
    )
    assert "nach § 3 Abs. 2 des Hessischen Schulgesetzes" in parsed.paragraphs[2].body
    assert parsed.paragraphs[3].body == (
        "Das Hessische Ministerium für Soziales und Integration unterstützt die Zusammenarbeit "
        "fachlich und macht die Ergebnisse in seinen Netzwerken bekannt. Es prüft, wie "
        "erfolgreiche Formate in die Regelstrukturen der Integrationsarbeit übernommen werden "
        "können."
    )
    assert all("Demokratie lernen“ –" not in p.body for p in parsed.paragraphs)


def test_it_parses_a_double_spaced_sample_with_hyphenated_line_breaks() -> None:
    parsed = read_agreement_file(SAMPLES / "jugend-gestaltet-vielfalt.txt")
    assert parsed.title == "Jugend gestaltet Vielfalt"
    assert parsed.subtitle == ""
    assert parsed.topic == (
        "Integrationsbündnis für die Teilhabe junger Menschen mit Migrationsgeschichte "
        "in der Jugendverbandsarbeit"
    )
    assert _partners(parsed) == [("Hessischer Jugendring e.V.", []), (HMSI, [])]
    assert _headings(parsed) == [
        (1, "Präambel"),
        (2, "Wertekonsens"),
        (3, "Ziele der Kooperation"),
        (4, "Beiträge des Hessischen Jugendrings e.V."),
        (5, "Beiträge des Hessischen Ministeriums für Soziales und Integration"),
        (6, "Gemeinsame Umsetzung"),
        (7, "Dokumentation und Auswertung"),
        (8, "Schluss"),
    ]
    assert parsed.place == "Frankfurt am Main"
    assert parsed.signed_on == datetime.date(2018, 5, 9)
    assert _signatories(parsed) == [
        ("Jana Schulte-Ebert", "Vorsitzende", "Hessischer Jugendring e.V."),
        ("Dr. Thomas Berger", "Staatssekretär", HMSI),
    ]
    _assert_flowing(parsed)
    assert parsed.paragraphs[0].body == (
        "Junge Menschen mit Migrationsgeschichte sind in hessischen Jugendverbänden noch immer "
        "unterrepräsentiert. Die hessische Integrationspolitik setzt deshalb darauf, die "
        "Strukturen der Jugendarbeit weiter zu öffnen. Dabei lohnt auch der Blick in andere "
        "Länder wie Baden-Württemberg, die ähnliche Programme bereits erprobt haben. Die "
        "Wettbewerbs- und Zukunftsfähigkeit unserer Gesellschaft hängt davon ab, dass alle "
        "jungen Menschen ihre Fähigkeiten einbringen können."
    )
    goals = parsed.paragraphs[2].body
    assert "Migrant*innenselbstorganisationen und Jugendverbände" in goals
    assert "für 14- bis 18-jährige Jugendliche" in goals
    assert "bei der interkulturellen Öffnung" in parsed.paragraphs[3].body
    assert "dokumentiert. Die Bündnispartner" in parsed.paragraphs[6].body


def test_it_parses_a_sample_without_blank_lines_and_with_heading_variants() -> None:
    parsed = read_agreement_file(SAMPLES / "ehrenamt-verbindet.txt")
    assert parsed.title == "Ehrenamt verbindet"
    assert parsed.subtitle == ""
    assert parsed.topic == (
        "Integrationsvereinbarung zur Stärkung des freiwilligen Engagements von Menschen "
        "mit Migrationsgeschichte"
    )
    assert _partners(parsed) == [("DRK Landesverband Hessen e.V.", []), (HMSI, [])]
    assert _headings(parsed) == [
        (1, "Präambel"),
        (2, "Wertekonsens"),
        (3, "Ziele"),
        (4, "Zielgruppen"),
        (5, "Beiträge des DRK Landesverbandes Hessen e.V. und der Kreisverbände"),
        (6, "Beiträge des Hessischen Ministeriums für Soziales und Integration"),
        (7, "Gemeinsame Umsetzung"),
        (8, "Öffentlichkeitsarbeit"),
        (9, "Dokumentation der Aktivitäten"),
        (10, "Auswertung"),
        (11, "Schluss"),
    ]
    assert parsed.place == "Wiesbaden"
    assert parsed.signed_on == datetime.date(2022, 9, 12)
    assert _signatories(parsed) == [
        ("Dr. Karin Albrecht", "Präsidentin", "DRK Landesverband Hessen e.V."),
        ("Kai Klose", "Staatsminister", HMSI),
    ]
    _assert_flowing(parsed)
    assert parsed.paragraphs[0].body == (
        "Freiwilliges Engagement ist ein Fundament des gesellschaftlichen Zusammenhalts in "
        "Hessen. Viele Menschen mit Migrationsgeschichte engagieren sich bereits in Vereinen, "
        "Initiativen und Hilfsorganisationen.\n\nIhr Engagement wird jedoch oft zu wenig "
        "wahrgenommen und zu selten gefördert. Diese Vereinbarung will das ändern."
    )
    assert "Rotkreuz- und Rothalbmondbewegung ein: Menschlichkeit," in parsed.paragraphs[1].body
    assert parsed.paragraphs[10].body == (
        "Diese Vereinbarung tritt am Tage nach der Unterzeichnung in Kraft."
    )


def test_it_parses_a_sample_with_three_partners_and_an_alias() -> None:
    parsed = read_agreement_file(SAMPLES / "sprachbruecken-bauen.txt")
    assert parsed.title == "Sprachbrücken bauen"
    assert parsed.subtitle == "Integrationsvereinbarung"
    assert parsed.topic == "Mehrsprachigkeit als Ressource für Teilhabe und Demokratie"
    network = "Netzwerk Flucht und Migration Nordhessen e.V."
    centre = "Hessische Landeszentrale für politische Bildung"
    assert _partners(parsed) == [
        (network, ["Netzwerk Migration und Flucht Nordhessen e.V."]),
        (centre, []),
        (HMSI, []),
    ]
    assert _headings(parsed) == [
        (1, "Präambel"),
        (2, "Ziele"),
        (3, "Zielgruppen"),
        (4, "Beiträge der Hessischen Landeszentrale für politische Bildung"),
        (5, "Beiträge durch das Netzwerk Migration und Flucht Nordhessen e.V."),
        (6, "Beiträge des Hessischen Ministeriums für Soziales und Integration"),
        (7, "Dokumentation, Auswertung und Inkrafttreten"),
    ]
    assert parsed.place == "Kassel"
    assert parsed.signed_on == datetime.date(2021, 9, 12)
    assert _signatories(parsed) == [
        ("Leyla Aydın", "Geschäftsführerin", network),
        ("Dr. Jürgen Hartmann", "Direktor", centre),
        ("Kai Klose", "Staatsminister", HMSI),
    ]
    _assert_flowing(parsed)
    assert "wie es auch § 4 HIntG als Aufgabe" in parsed.paragraphs[1].body
    assert "an Eltern von Kita- und Schulkindern" in parsed.paragraphs[2].body
    assert parsed.paragraphs[4].body.endswith(
        "Es organisiert Informationsabende in Gemeinschaftsunterkünften, Moscheegemeinden "
        "und Kulturvereinen."
    )


def _agreement(
    numbers: list[int], closing: str = "Wiesbaden, den", signatures: str | None = None
) -> str:
    """A small agreement text with the given § numbers."""
    sections = "\n\n".join(
        f"§ {number} Abschnitt Nummer {number}\n\nDie Bündnispartner vereinbaren Punkt {number}."
        for number in numbers
    )
    if signatures is None:
        signatures = (
            "Anna Beispiel\nVorsitzende\nHessischer Flüchtlingsrat e.V.\n\n"
            "Kai Klose\nStaatsminister\nHessisches Ministerium für Soziales und Integration"
        )
    return (
        "„Gemeinsam ankommen“\n\nzwischen\n\ndem Hessischen Flüchtlingsrat e.V.\n\nund dem\n\n"
        "Hessischen Ministerium für Soziales und Integration\n\n"
        f"{sections}\n\n{closing}\n\n{signatures}\n"
    )


@pytest.mark.parametrize(
    ("closing", "place", "signed_on"),
    [
        ("Wiesbaden, den 3. Juni 2019", "Wiesbaden", datetime.date(2019, 6, 3)),
        ("Wiesbaden, 03.06.2019", "Wiesbaden", datetime.date(2019, 6, 3)),
        ("Frankfurt am Main, den 9. Mai 2018", "Frankfurt am Main", datetime.date(2018, 5, 9)),
        ("Kassel, den 1. März 2020", "Kassel", datetime.date(2020, 3, 1)),
        ("Darmstadt, 2021-11-30", "Darmstadt", datetime.date(2021, 11, 30)),
        ("Gießen, den 5.10.21", "Gießen", datetime.date(2021, 10, 5)),
        ("Bad Homburg vor der Höhe, den ________", "Bad Homburg vor der Höhe", None),
        ("Wiesbaden, im Juni 2019", "Wiesbaden", None),
        ("Wiesbaden, den", "Wiesbaden", None),
    ],
)
def test_it_reads_place_and_date(closing: str, place: str, signed_on: datetime.date) -> None:
    parsed = parse_agreement_text(_agreement([1, 2, 3], closing=closing))
    assert (parsed.place, parsed.signed_on) == (place, signed_on)
    assert parsed.paragraphs[-1].body == "Die Bündnispartner vereinbaren Punkt 3."


def test_it_reads_a_date_on_the_line_after_the_place() -> None:
    parsed = parse_agreement_text(_agreement([1, 2], closing="Wiesbaden, den\n12. Juli 2023"))
    assert parsed.signed_on == datetime.date(2023, 7, 12)


def test_it_inflects_a_masculine_partner_after_dem() -> None:
    parsed = parse_agreement_text(_agreement([1, 2]))
    assert [p.name for p in parsed.partners] == ["Hessischer Flüchtlingsrat e.V.", HMSI]
    assert parsed.title == "Gemeinsam ankommen"


def test_it_does_not_start_a_paragraph_at_a_section_reference_in_the_text() -> None:
    text = _agreement([1, 2, 3]).replace(
        "Die Bündnispartner vereinbaren Punkt 2.",
        "Die Bündnispartner beachten dabei die Vorgaben des Integrationsgesetzes, etwa nach\n"
        "§ 14 IntTG, und die Regelungen zur Demokratiebildung an Schulen nach dem Schulgesetz,\n"
        "§ 3 Abs. 2 HSchG. Für die Beratungsangebote der Bündnispartner gilt zusätzlich\n"
        "§ 4 Satz 1 IntTG entsprechend.",
    )
    parsed = parse_agreement_text(text)
    assert [p.number for p in parsed.paragraphs] == [1, 2, 3]
    assert parsed.paragraphs[1].body == (
        "Die Bündnispartner beachten dabei die Vorgaben des Integrationsgesetzes, etwa nach "
        "§ 14 IntTG, und die Regelungen zur Demokratiebildung an Schulen nach dem Schulgesetz, "
        "§ 3 Abs. 2 HSchG. Für die Beratungsangebote der Bündnispartner gilt zusätzlich "
        "§ 4 Satz 1 IntTG entsprechend."
    )


def test_it_reads_a_heading_on_the_line_after_a_bare_section_number() -> None:
    text = _agreement([1, 2]).replace("§ 2 Abschnitt Nummer 2", "§ 2\n\nSchlussbestimmungen")
    parsed = parse_agreement_text(text)
    assert _headings(parsed) == [(1, "Abschnitt Nummer 1"), (2, "Schlussbestimmungen")]
    assert parsed.paragraphs[1].body == "Die Bündnispartner vereinbaren Punkt 2."


def test_it_reads_signatories_signing_for_an_organisation() -> None:
    signatures = (
        "Für den Hessischen Flüchtlingsrat e.V.:\n\n______________________\nAnna Beispiel\n"
        "Vorsitzende\n\nFür das Hessische Ministerium für Soziales und Integration:\n\n"
        "______________________\nKai Klose\nStaatsminister"
    )
    parsed = parse_agreement_text(_agreement([1, 2], signatures=signatures))
    assert _signatories(parsed) == [
        ("Anna Beispiel", "Vorsitzende", "Hessischer Flüchtlingsrat e.V."),
        ("Kai Klose", "Staatsminister", HMSI),
    ]


def test_it_finds_signatures_without_a_place_line() -> None:
    text = _agreement([1, 2]).replace("Wiesbaden, den\n", "")
    parsed = parse_agreement_text(text)
    assert parsed.place == ""
    assert [s.name for s in parsed.signatories] == ["Anna Beispiel", "Kai Klose"]
    assert parsed.paragraphs[-1].body == "Die Bündnispartner vereinbaren Punkt 2."


def test_it_keeps_a_short_name_in_brackets_as_an_alias() -> None:
    text = _agreement([1, 2]).replace(
        "Hessischen Ministerium für Soziales und Integration\n\n§",
        "Hessischen Ministerium für Soziales und Integration (HMSI)\n\n§",
    )
    parsed = parse_agreement_text(text)
    assert _partners(parsed) == [("Hessischer Flüchtlingsrat e.V.", []), (HMSI, ["HMSI"])]


def test_it_takes_partners_from_the_signatures_without_a_zwischen_block() -> None:
    text = _agreement([1, 2]).replace(
        "zwischen\n\ndem Hessischen Flüchtlingsrat e.V.\n\nund dem\n\n"
        "Hessischen Ministerium für Soziales und Integration\n\n",
        "Integrationsvereinbarung\n\n",
    )
    parsed = parse_agreement_text(text)
    assert [p.name for p in parsed.partners] == ["Hessischer Flüchtlingsrat e.V.", HMSI]
    assert parsed.topic == "Integrationsvereinbarung"


def test_it_reads_windows_line_ends_and_latin1_files(tmp_path: Path) -> None:
    path = tmp_path / "vereinbarung.TXT"
    path.write_bytes(_agreement([1, 2]).replace("„", '"').replace("“", '"').encode("cp1252"))
    parsed = read_agreement_file(path)
    assert parsed.title == "Gemeinsam ankommen"
    assert parsed.partners[0].name == "Hessischer Flüchtlingsrat e.V."
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(_agreement([1, 2]).replace("\n", "\r\n").encode("utf-8-sig"))
    assert read_agreement_file(crlf) == parse_agreement_text(_agreement([1, 2]))


# --- bad input ------------------------------------------------------------------------


def test_it_rejects_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "leer.txt"
    path.write_bytes(b"")
    with pytest.raises(AgreementImportError) as error:
        read_agreement_file(path)
    assert _assert_one_line(error) == "Die Datei ist leer. / The file is empty."
    assert error.value.code == "empty"


def test_it_rejects_a_file_with_only_whitespace(tmp_path: Path) -> None:
    path = tmp_path / "leer.txt"
    path.write_text(" \n\n\t \f \n", encoding="utf-8")
    with pytest.raises(AgreementImportError) as error:
        read_agreement_file(path)
    assert _assert_one_line(error) == "Die Datei ist leer. / The file is empty."


def test_it_rejects_binary_garbage(tmp_path: Path) -> None:
    path = tmp_path / "vereinbarung.txt"
    # Seeded noise for reproducible test data, not for cryptography.
    path.write_bytes(random.Random(7).randbytes(4096))  # noqa: S311
    with pytest.raises(AgreementImportError) as error:
        read_agreement_file(path)
    assert "Binärdaten" in _assert_one_line(error)
    assert error.value.code == "binary"


def test_it_rejects_control_characters_without_null_bytes(tmp_path: Path) -> None:
    path = tmp_path / "vereinbarung.txt"
    path.write_bytes(bytes(range(1, 32)) * 50 + "§ 1 Präambel".encode())
    with pytest.raises(AgreementImportError) as error:
        read_agreement_file(path)
    assert "Binärdaten" in _assert_one_line(error)


def test_it_rejects_a_recipe() -> None:
    recipe = (
        "Apfelkuchen vom Blech\n\nZutaten:\n- 500 g Mehl\n- 250 g Butter\n- 1 kg Äpfel\n\n"
        "Zubereitung:\nDen Backofen auf 180 Grad vorheizen. Die Äpfel schälen und in Spalten "
        "schneiden.\nDen Teig auf dem Blech verteilen und 40 Minuten backen.\n"
    )
    with pytest.raises(AgreementImportError) as error:
        parse_agreement_text(recipe)
    assert _assert_one_line(error).startswith("Keine §-Abschnitte gefunden")
    assert error.value.code == "not_an_agreement"


def test_it_rejects_a_readme(tmp_path: Path) -> None:
    path = tmp_path / "README.txt"
    path.write_text(
        "# Bündnis\n\nInstallation:\n\n    pip install -e .[dev]\n\nTests: pytest -q\n",
        encoding="utf-8",
    )
    with pytest.raises(AgreementImportError) as error:
        read_agreement_file(path)
    assert error.value.code == "not_an_agreement"
    _assert_one_line(error)


def test_it_rejects_sections_without_partners() -> None:
    statute = (
        "Satzung des Vereins\n\n§ 1 Name und Sitz\n\nDer Verein führt den Namen Beispiel.\n\n"
        "§ 2 Zweck\n\nZweck des Vereins ist die Förderung der Bildung.\n"
    )
    with pytest.raises(AgreementImportError) as error:
        parse_agreement_text(statute)
    assert _assert_one_line(error) == "Keine Bündnispartner gefunden. / No partners found."


def test_it_rejects_a_missing_section_number() -> None:
    with pytest.raises(AgreementImportError) as error:
        parse_agreement_text(_agreement([1, 2, 4]))
    assert _assert_one_line(error) == "§ 3 fehlt. / § 3 is missing."
    assert error.value.code == "missing_paragraph"


def test_it_rejects_a_missing_section_in_the_founding_agreement() -> None:
    text = (SAMPLES / FOUNDING_NAME).read_text(encoding="utf-8")
    text = text.replace("§ 3 Inhalt und Ziele der Kooperation", "")
    with pytest.raises(AgreementImportError) as error:
        parse_agreement_text(text)
    assert _assert_one_line(error) == "§ 3 fehlt. / § 3 is missing."


def test_it_rejects_a_duplicate_section_number() -> None:
    with pytest.raises(AgreementImportError) as error:
        parse_agreement_text(_agreement([1, 2, 2, 3]))
    assert _assert_one_line(error) == "§ 2 kommt mehrfach vor. / § 2 appears more than once."
    assert error.value.code == "duplicate_paragraph"


def test_it_rejects_a_duplicate_section_in_the_founding_agreement() -> None:
    text = (SAMPLES / FOUNDING_NAME).read_text(encoding="utf-8")
    text = text.replace("§ 4 Gemeinsame Umsetzung", "§ 3 Gemeinsame Umsetzung")
    with pytest.raises(AgreementImportError) as error:
        parse_agreement_text(text)
    assert _assert_one_line(error).startswith("§ 3 kommt mehrfach vor.")


def test_it_rejects_an_impossible_date() -> None:
    with pytest.raises(AgreementImportError) as error:
        parse_agreement_text(_agreement([1, 2], closing="Wiesbaden, den 31.02.2019"))
    assert _assert_one_line(error).startswith("Das Datum „31.02.2019“ ist ungültig.")


@pytest.mark.parametrize("name", ["vereinbarung.docx", "vereinbarung", "scan.PNG"])
def test_it_rejects_an_unsupported_file_type(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(_agreement([1, 2]), encoding="utf-8")
    with pytest.raises(AgreementImportError) as error:
        read_agreement_file(path)
    assert "nur .txt und .pdf" in _assert_one_line(error)
    assert error.value.code == "unsupported_type"


def test_it_rejects_a_file_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(AgreementImportError) as error:
        read_agreement_file(tmp_path / "fehlt.txt")
    assert "fehlt.txt" in _assert_one_line(error)

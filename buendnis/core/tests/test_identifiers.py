"""Identifier screening: each kind is found and named, masked in place, and ordinary notes pass.

Scenario 3: a habit typed into a counselling note („Herr A. geb. 03.04.1981“) is refused with
why; participants' free text is masked instead. The corpus test measures recall and false
refusals on notes written for it (see ``screening_corpus``).
"""

import re
from pathlib import Path

import pytest

from buendnis.core.identifiers import (
    Kind,
    find_identifiers,
    identifier_labels,
    mask_identifiers,
)
from buendnis.core.names import name_list
from buendnis.core.tests.screening_corpus import HARMLESS, IDENTIFYING, ISSUE_NOTES

RECALL_TARGET = 0.95
FALSE_REFUSAL_LIMIT = 0.05


@pytest.mark.parametrize(
    ("note", "kind"),
    [
        ("Herr A. geb. 03.04.1981, fragt nach Familiennachzug", "ein Geburtsdatum"),
        ("Ehefrau geboren am 3. April 1990 in Casablanca", "ein Geburtsdatum"),
        ("Sohn *12.7.2009, Umgang ungeklärt", "ein Geburtsdatum"),
        ("Geburtsdatum 12.07.85 laut Ausweis", "ein Geburtsdatum"),
        ("Unterlagen vom 14.02.1978 mitgebracht", "ein Geburtsdatum"),
        ("DOB 03/15/1988, asks about naturalisation", "ein Geburtsdatum"),
        ("born 15 March 1988 in Aleppo", "ein Geburtsdatum"),
        ("Antwort bitte an m.yilmaz@web.de schicken", "eine E-Mail-Adresse"),
        ("Kontakt: familie.schmidt-haddad@gmx.net", "eine E-Mail-Adresse"),
        ("an fatima.nouri (at) gmx (punkt) de", "eine E-Mail-Adresse"),
        ("Mail an ahmad.karimi[at]web[dot]de", "eine E-Mail-Adresse"),
        ("Rückruf unter 0176 23456789 vereinbart", "eine Telefonnummer"),
        ("Tel. 069/12345678 (nachmittags)", "eine Telefonnummer"),
        ("erreichbar über +49 6151 1234567", "eine Telefonnummer"),
        ("Überweisung an DE89 3704 0044 0532 0130 00 geklärt", "eine IBAN"),
        ("IBAN DE89370400440532013000 für die Gebühr", "eine IBAN"),
        ("wohnt in der Berliner Straße 12 in Offenbach", "eine Anschrift"),
        ("Hausbesuch Hauptstr. 5a", "eine Anschrift"),
        ("neue Wohnung Am Weinberg 3", "eine Anschrift"),
        ("zieht nach 63065 Offenbach", "eine Anschrift"),
        ("Herr Dr. Ahmad Karimi fragt nach Familiennachzug", "einen Namen"),
        ("Mehmet Öztürk und Ayşe Öztürk möchten heiraten", "einen Namen"),
        ("Familie Schneider-Alvarez (Vater Jorge)", "einen Namen"),
        ("Frau Yılmaz kommt mit Dolmetscherin", "einen Namen"),
        ("Az. 5 K 1234/23.F beim VG Frankfurt", "ein Aktenzeichen"),
        ("Aktenzeichen 123 F 456/24 Familiengericht", "ein Aktenzeichen"),
        ("Steuer-ID 12 345 678 903 notiert", "eine Steuer-Identifikationsnummer"),
        ("seine 36574261809 liegt vor", "eine Steuer-Identifikationsnummer"),
        ("Rentenversicherungsnummer 65 170839 J 003", "eine Sozialversicherungsnummer"),
        ("SV-Nummer 12150380M123", "eine Sozialversicherungsnummer"),
        ("Personalausweis T22000129 in Kopie", "eine Ausweis-, Pass- oder Aufenthaltstitelnummer"),
        ("eAT Nr. Y2Z4X6C81 läuft ab", "eine Ausweis-, Pass- oder Aufenthaltstitelnummer"),
        (
            "Passnummer U12345678 für die Botschaft",
            "eine Ausweis-, Pass- oder Aufenthaltstitelnummer",
        ),
        ("Versichertennummer A123456780 der AOK", "eine Sozialversicherungsnummer"),
        ("Kimlik no 10000000146", "eine Ausweis-, Pass- oder Aufenthaltstitelnummer"),
    ],
)
def test_each_kind_is_found_and_named(note: str, kind: str) -> None:
    assert kind in identifier_labels(note)


@pytest.mark.parametrize(
    "note",
    [
        "",
        "   ",
        "Beratung zu Familiennachzug, Termin beim Ausländeramt am 14.12.2026 besprochen.",
        "Paar möchte heiraten; Unterlagen aus Marokko fehlen noch. Folgetermin in 2 Wochen.",
        "Sorgerecht: Vater ohne deutsche Staatsangehörigkeit, Jugendamt beteiligt.",
        "§ 28 AufenthG erklärt, 3 Kinder, 45 Minuten, zweiter Termin",
        "Wartezeit ca. 6-8 Wochen, Gebühr 100 Euro, Termin um 14:30 Uhr",
        "Seit 2019 in Deutschland; Merkblatt in der Fassung vom 1.2.2020 mitgegeben",
        "An Beratungsstelle im Main-Kinzig-Kreis weitervermittelt, Rassismus am Arbeitsplatz",
        "Vater aus Syrien, fragt nach Kita-Platz",
        "Familiennachzug, Ehefrau noch in der Türkei",
        "Beratung zum Sorgerecht, Jugendamt Offenbach",
        "Herr A. und Frau B. kommen gemeinsam",  # initials keep people anonymous
        "Am Montag 3 Termine, Gewalt in der Familie, Frauenhaus Marburg informiert",
        "Termin am 5. Jan. und am 3. Sep. 2026",
        "Frau Ministerin hat die Gruppe besucht, Herr Doktor war verhindert",
    ],
)
def test_ordinary_notes_pass(note: str) -> None:
    assert find_identifiers(note) == []


def test_several_kinds_are_all_named_in_a_fixed_order() -> None:
    found = identifier_labels("geb. 1.1.1980, Tel. 0176 23456789, a.b@example.org, Herr Haddad")
    assert found == ["einen Namen", "eine E-Mail-Adresse", "ein Geburtsdatum", "eine Telefonnummer"]


def test_it_masks_each_identifier_in_place_and_keeps_the_rest() -> None:
    text = (
        "Ich bin Ahmad Karimi, Tel. 0176 12345678, ahmad@example.org. Geb. 03.04.1981, "
        "wohne Goethestraße 44. Steuer-ID 12 345 678 903. Der Kurs war sehr gut!"
    )
    assert mask_identifiers(text) == (
        "Ich bin [Name entfernt], Tel. [Telefonnummer entfernt], [E-Mail entfernt]. "
        "Geb. [Datum entfernt], wohne [Adresse entfernt]. Steuer-ID [Nummer entfernt]. "
        "Der Kurs war sehr gut!"
    )


def test_it_masks_names_introduced_in_lower_case() -> None:
    assert mask_identifiers("mein name ist ahmad, danke") == "mein name ist [Name entfernt], danke"
    assert mask_identifiers("benim adım murat") == "benim adım [Name entfernt]"


def test_it_leaves_text_without_identifiers_unchanged() -> None:
    text = "Sehr hilfreich, ich komme wieder. Bitte mehr Termine am Abend."
    assert mask_identifiers(text) == text


def test_a_specific_number_wins_over_a_phone_number() -> None:
    (finding,) = find_identifiers("IBAN DE89370400440532013000")
    assert finding.kind is Kind.IBAN


def test_the_tax_id_check_digit_is_checked() -> None:
    assert identifier_labels("Vorgang 12345678903 erledigt") == [
        "eine Steuer-Identifikationsnummer"
    ]
    assert "eine Steuer-Identifikationsnummer" not in identifier_labels("Vorgang 12345678904")


def test_the_name_list_holds_the_target_groups_names_but_not_common_words() -> None:
    names = name_list()
    for first in ("ahmad", "fatima", "mehmet", "ayşe", "reza", "olena", "jürgen", "anna"):
        assert first in names.first_names, first
    for surname in ("karimi", "öztürk", "yılmaz", "alvarez", "schneider"):
        assert surname in names.surnames, surname
    for word in ("mai", "august", "juni", "nur", "max", "paris", "will", "kaiser"):
        assert word not in names.first_names, word


def _measure() -> tuple[float, float, list[str], list[str]]:
    identifying = ISSUE_NOTES + IDENTIFYING
    missed = [note for note, secret in identifying if secret in mask_identifiers(note)]
    refused = [note for note in HARMLESS if find_identifiers(note)]
    return (
        1 - len(missed) / len(identifying),
        len(refused) / len(HARMLESS),
        missed,
        refused,
    )


def test_the_corpus_is_large_enough() -> None:
    assert len(ISSUE_NOTES) == 25
    assert len(ISSUE_NOTES + IDENTIFYING) >= 100
    assert len(HARMLESS) >= 60


def test_the_notes_the_old_check_stored_are_now_caught() -> None:
    for note, secret in ISSUE_NOTES:
        assert find_identifiers(note), note
        assert secret not in mask_identifiers(note), note


def test_recall_and_false_refusals_meet_the_targets() -> None:
    recall, false_refusals, missed, refused = _measure()
    assert recall >= RECALL_TARGET, missed
    assert false_refusals <= FALSE_REFUSAL_LIMIT, refused


SAMPLES = Path(__file__).resolve().parents[2] / "agreements" / "tests" / "importer" / "samples"
SIGNATORIES = {
    "Anne Frank", "Miriam Lehmann", "Kai Klose", "Karin Albrecht", "Hiltrud Stöcker-Zafari",
    "Jana Schulte-Ebert", "Thomas Berger", "Leyla Aydın", "Jürgen Hartmann",
    # the samples in new layouts (issue 14)
    "Sabine Reuter", "Heike Hofmann", "Mehmet Yıldız", "Ulrike Brandt", "Jan Richter",
}  # fmt: skip


def test_german_administrative_prose_yields_only_the_signatories_names() -> None:
    """The sample agreement texts: thousands of words full of capitalised nouns and bodies."""
    found = set()
    for sample in sorted(SAMPLES.glob("*.txt")):
        for paragraph in re.split(r"\n\s*\n", sample.read_text(encoding="utf-8")):
            for finding in find_identifiers(paragraph):
                assert finding.kind is Kind.NAME, paragraph
                found.add(paragraph[finding.start : finding.end])
    assert found == SIGNATORIES

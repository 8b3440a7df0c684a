"""Scenario 3: a habit typed into the note ("Herr A. geb. 03.04.1981") is refused, with why."""

import pytest

from buendnis.counselling.personal_data import find_personal_data


@pytest.mark.parametrize(
    ("note", "kind"),
    [
        ("Herr A. geb. 03.04.1981, fragt nach Familiennachzug", "ein Geburtsdatum"),
        ("Ehefrau geboren am 3. April 1990 in Casablanca", "ein Geburtsdatum"),
        ("Sohn *12.7.2009, Umgang ungeklärt", "ein Geburtsdatum"),
        ("Geburtsdatum 12.07.85 laut Ausweis", "ein Geburtsdatum"),
        ("Unterlagen vom 14.02.1978 mitgebracht", "ein Geburtsdatum"),
        ("Antwort bitte an m.yilmaz@web.de schicken", "eine E-Mail-Adresse"),
        ("Kontakt: familie.schmidt-haddad@gmx.net", "eine E-Mail-Adresse"),
        ("Rückruf unter 0176 23456789 vereinbart", "eine Telefonnummer"),
        ("Tel. 069/12345678 (nachmittags)", "eine Telefonnummer"),
        ("erreichbar über +49 6151 1234567", "eine Telefonnummer"),
        ("Überweisung an DE89 3704 0044 0532 0130 00 geklärt", "eine IBAN"),
        ("IBAN DE89370400440532013000 für die Gebühr", "eine IBAN"),
        ("wohnt in der Berliner Straße 12 in Offenbach", "eine Anschrift"),
        ("Hausbesuch Hauptstr. 5a", "eine Anschrift"),
        ("neue Wohnung Am Weinberg 3", "eine Anschrift"),
        ("zieht nach 63065 Offenbach", "eine Anschrift"),
    ],
)
def test_each_kind_of_personal_data_is_found_and_named(note: str, kind: str) -> None:
    assert kind in find_personal_data(note)


@pytest.mark.parametrize(
    "note",
    [
        "",
        "Beratung zu Familiennachzug, Termin beim Ausländeramt am 14.12.2026 besprochen.",
        "Paar möchte heiraten; Unterlagen aus Marokko fehlen noch. Folgetermin in 2 Wochen.",
        "Sorgerecht: Vater ohne deutsche Staatsangehörigkeit, Jugendamt beteiligt.",
        "§ 28 AufenthG erklärt, 3 Kinder, 45 Minuten, zweiter Termin",
        "Wartezeit ca. 6-8 Wochen, Gebühr 100 Euro, Termin um 14:30 Uhr",
        "Seit 2019 in Deutschland; Merkblatt in der Fassung vom 1.2.2020 mitgegeben",
        "An Beratungsstelle im Main-Kinzig-Kreis weitervermittelt, Rassismus am Arbeitsplatz",
    ],
)
def test_ordinary_notes_pass(note: str) -> None:
    assert find_personal_data(note) == []


def test_several_kinds_are_all_named() -> None:
    found = find_personal_data("geb. 1.1.1980, Tel. 0176 23456789, a.b@example.org")
    assert found == ["eine E-Mail-Adresse", "ein Geburtsdatum", "eine Telefonnummer"]

"""Finds identifiers of people in free text (privacy by design).

Staff notes about people are refused when they hold one (``identifier_labels`` names what
was found); participants' free text is never refused but masked before it is stored
(``mask_identifiers``). Phone numbers are found by Google's libphonenumber
(``phonenumbers``), names by a packaged name list (``buendnis.core.names``) together with
cues such as „Herr“, „Familie“ or „Vater“, everything else by patterns written for German
notes. The checks lean towards finding: a counsellor can rephrase a note, a stored birth date
cannot be taken back.
"""

import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass

import phonenumbers
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from buendnis.core.names import NameList, name_list


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


class Kind(enum.Enum):
    """What was found, in the order a refusal names them."""

    NAME = "name"
    EMAIL = "email"
    IBAN = "iban"
    BIRTH_DATE = "birth_date"
    PHONE = "phone"
    ADDRESS = "address"
    CASE_NUMBER = "case_number"
    TAX_ID = "tax_id"
    SOCIAL_INSURANCE = "social_insurance"
    ID_DOCUMENT = "id_document"
    NUMBER = "number"


LABELS: dict[Kind, Promise] = {
    Kind.NAME: _("einen Namen"),
    Kind.EMAIL: _("eine E-Mail-Adresse"),
    Kind.PHONE: _("eine Telefonnummer"),
    Kind.BIRTH_DATE: _("ein Geburtsdatum"),
    Kind.ADDRESS: _("eine Anschrift"),
    Kind.IBAN: _("eine IBAN"),
    Kind.CASE_NUMBER: _("ein Aktenzeichen"),
    Kind.TAX_ID: _("eine Steuer-Identifikationsnummer"),
    Kind.SOCIAL_INSURANCE: _("eine Sozialversicherungsnummer"),
    Kind.ID_DOCUMENT: _("eine Ausweis-, Pass- oder Aufenthaltstitelnummer"),
    Kind.NUMBER: _("eine Kennnummer"),
}

# The masks are stored in the text, so they are fixed German words, not translations.
MASKS = {
    Kind.NAME: "[Name entfernt]",
    Kind.EMAIL: "[E-Mail entfernt]",
    Kind.PHONE: "[Telefonnummer entfernt]",
    Kind.BIRTH_DATE: "[Datum entfernt]",
    Kind.ADDRESS: "[Adresse entfernt]",
}
NUMBER_MASK = "[Nummer entfernt]"

# When two findings overlap, the more specific kind wins (an IBAN is no phone number).
PRIORITY = [
    Kind.EMAIL,
    Kind.IBAN,
    Kind.TAX_ID,
    Kind.SOCIAL_INSURANCE,
    Kind.ID_DOCUMENT,
    Kind.CASE_NUMBER,
    Kind.BIRTH_DATE,
    Kind.PHONE,
    Kind.ADDRESS,
    Kind.NAME,
    Kind.NUMBER,
]


@dataclass(frozen=True)
class Finding:
    kind: Kind
    start: int
    end: int


# --- e-mail ------------------------------------------------------------------------------

_AT = (
    r"(?:\s*(?:\(\s*(?:at|ät)\s*\)|\[\s*(?:at|ät)\s*\]|\{\s*(?:at|ät)\s*\}|@)\s*"
    r"|\s+(?:at|ät)\s+)"
)
_DOT = (
    r"(?:\s*(?:\(\s*(?:punkt|dot)\s*\)|\[\s*(?:punkt|dot)\s*\]|\{\s*(?:punkt|dot)\s*\})\s*"
    r"|\s+(?:punkt|dot)\s+|\.)"
)
_TLD = (
    r"(?:de|com|net|org|eu|info|at|ch|fr|nl|it|es|pl|uk|io|me|biz|edu|tr|ru|ua|ir|ma|sy|iq|af"
    r"|online)"
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
OBFUSCATED_EMAIL = re.compile(rf"[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*?{_DOT}{_TLD}\b", re.I)


def _emails(text: str) -> Iterator[tuple[int, int]]:
    for pattern in (EMAIL, OBFUSCATED_EMAIL):
        for match in pattern.finditer(text):
            yield match.span()


# --- dates of birth ----------------------------------------------------------------------

MONTHS_DE = (
    r"(?:Januar|Jan\.?|Februar|Feb\.?|März|Mär\.?|April|Apr\.?|Mai|Juni|Jun\.?|Juli|Jul\.?"
    r"|August|Aug\.?|September|Sept?\.?|Oktober|Okt\.?|November|Nov\.?|Dezember|Dez\.?)"
)
MONTHS_EN = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Mar\.?|Oct\.?|Dec\.?)"
)
NUMERIC_DATE = re.compile(r"\b(\d{1,2})\s?[./-]\s?(\d{1,2})\s?[./-]\s?(\d{4}|\d{2})\b")
WORDED_DATE = re.compile(
    rf"\b(\d{{1,2}})(?:\.|st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS_DE}|{MONTHS_EN})\s+(\d{{4}})\b",
    re.I,
)
MONTH_FIRST_DATE = re.compile(rf"\b{MONTHS_EN}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b")
BIRTH_CUE = (
    r"(?:geb\.|geboren|geb\b|Geburtsdatum|Geburtstag|Jahrgang|Jg\.|\*|DOB\b|D\.O\.B\.?|born"
    r"|date of birth|birthday|doğum tarihi|dogum tarihi|doğumlu)"
)
BIRTH_CUED = re.compile(
    rf"{BIRTH_CUE}\s*:?\s*(?:am\s+|on\s+|im\s+Jahr\s+|in\s+)?"
    rf"(?P<date>\d{{1,2}}\s?[./-]\s?\d{{1,2}}\s?[./-]\s?\d{{2,4}}"
    rf"|\d{{1,2}}\.?\s+{MONTHS_DE}\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTHS_EN}\s+\d{{4}}"
    rf"|{MONTHS_EN}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|(?:19|20)\d\d\b)",
    re.I,
)
BIRTH_WITH_YEAR = re.compile(
    rf"{BIRTH_CUE}(?P<date>\s*(?:am\s+|im\s+Jahr\s+|in\s+)?\D{{0,20}}\b(?:19|20)\d\d)\b", re.I
)

# A full date this many years back is taken for a birth date even without a cue.
BIRTH_DATE_MIN_AGE_YEARS = 10


def _full_year(year: str) -> int:
    value = int(year)
    if len(year) == 4:
        return value
    this_century = timezone.localdate().year % 100
    return 2000 + value if value <= this_century else 1900 + value


def _birth_dates(text: str) -> Iterator[tuple[int, int]]:
    for pattern in (BIRTH_CUED, BIRTH_WITH_YEAR):
        for match in pattern.finditer(text):
            yield match.span("date")
    oldest_plausible = timezone.localdate().year - BIRTH_DATE_MIN_AGE_YEARS
    for match in NUMERIC_DATE.finditer(text):
        first, second, year = int(match[1]), int(match[2]), _full_year(match[3])
        day_month = 1 <= first <= 31 and 1 <= second <= 12
        month_day = 1 <= first <= 12 and 1 <= second <= 31  # 03/15/1988, as in the US
        if (day_month or month_day) and year <= oldest_plausible:
            yield match.span()
    for pattern in (WORDED_DATE, MONTH_FIRST_DATE):
        for match in pattern.finditer(text):
            if int(match[2]) <= oldest_plausible:
                yield match.span()


# --- phone numbers -----------------------------------------------------------------------

PHONE_CUED = re.compile(
    r"(?:\bTel\.?|\bTelefon(?:nummer)?|\bHandy(?:nummer)?|\bMobil(?:nummer)?|\bWhats[Aa]pp"
    r"|\bphone|\bmobile|\bcell)\s*(?:-?Nr\.?|number|no\.?)?\s*:?\s*"
    r"(?P<number>\+?\(?\d[\d ()/.-]{5,18}\d)",
    re.I,
)


def _phones(text: str) -> Iterator[tuple[int, int]]:
    matcher = phonenumbers.PhoneNumberMatcher(text, "DE", leniency=phonenumbers.Leniency.VALID)
    for match in matcher:
        if not NUMERIC_DATE.fullmatch(match.raw_string.strip()):
            yield match.start, match.end
    for match in PHONE_CUED.finditer(text):
        if not NUMERIC_DATE.fullmatch(match["number"]):
            yield match.span("number")


# --- addresses ---------------------------------------------------------------------------

STREET_WORDS = (
    r"(?i:stra(?:ß|ss)e|str\.|weg|gasse|allee|platz|ring|damm|ufer|chaussee|pfad|steig"
    r"|markt|hof|graben|kai)"
)
NOT_STREET = (
    r"(?!(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag|Wochenende|Anfang"
    r"|Ende|Jahr|Monat|Telefon|Termin|Morgen|Abend|Mittag|Nachmittag|Vormittag|Tag)\b)"
)
HOUSE_NUMBER = r"\d{1,3}\s?[a-z]?\b(?![.:/]\d)"
STREET = re.compile(
    rf"\b[A-ZÄÖÜ][\wäöüß.-]*{STREET_WORDS}\s+{HOUSE_NUMBER}"
    rf"|\b(?:Am|An der|Auf der|Im|In der|Zum|Zur|Unter den|Hinter der)\s+{NOT_STREET}"
    rf"[A-ZÄÖÜ][\wäöüß-]+\s+{HOUSE_NUMBER}"
    rf"|\b[A-ZÄÖÜ][\wäöüß-]+\s+{STREET_WORDS}\s+{HOUSE_NUMBER}",
)
POSTCODE_AND_PLACE = re.compile(r"\b\d{5}\s+[A-ZÄÖÜ][a-zäöüß]+")


def _addresses(text: str) -> Iterator[tuple[int, int]]:
    for pattern in (STREET, POSTCODE_AND_PLACE):
        for match in pattern.finditer(text):
            yield match.span()


# --- numbers -----------------------------------------------------------------------------

IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b", re.I)


def _ibans(text: str) -> Iterator[tuple[int, int]]:
    for match in IBAN.finditer(text):
        compact = re.sub(r"\s", "", match[0])
        if len(compact) >= 15 and any(char.isdigit() for char in compact[4:]):
            yield match.span()


CASE_CUE = (
    r"(?i:\bAz\b\.?|\bAktenzeichen|\bGz\b\.?|\bGeschäftszeichen|\bVorgangsnummer"
    r"|\bVorgangs-?Nr\.?|\bKundennummer|\bKunden-?Nr\.?|\bBG-?Nr\.?|\bBG-Nummer"
    r"|\bBedarfsgemeinschaftsnummer|\bFallnummer|\bAktennummer|\bAkten-?Nr\.?"
    r"|\bcase\s+no\.?|\bfile\s+no\.?|\breference\s+no\.?)"
)
CASE_VALUE = r"(?:[A-Z]{1,4}[\s-]?)?\d[\w./-]*(?:\s(?:[A-Z][a-zA-Z]{0,3}\b|\d[\w./-]*)){0,3}"
CASE_CUED = re.compile(rf"{CASE_CUE}\s*:?\s*(?P<value>{CASE_VALUE})")
# Court files: „5 K 1234/23.F“, „123 F 456/24“, „2 BvR 1234/20“.
COURT_FILE = re.compile(r"\b\d{1,4}\s?[A-Z][A-Za-z]{0,3}\s?\d{1,6}/\d{2,4}(?:\.[A-Z]{1,3}\b)?")


def _case_numbers(text: str) -> Iterator[tuple[int, int]]:
    for match in CASE_CUED.finditer(text):
        yield match.span("value")
    for match in COURT_FILE.finditer(text):
        yield match.span()


TAX_ID = re.compile(r"(?<![\d+])\b[1-9]\d\s?\d{3}\s?\d{3}\s?\d{3}\b(?![\d])")
TAX_CUED = re.compile(
    r"(?i:Steuer-?ID|Steuer-?IdNr\.?|IdNr\.?|Steueridentifikationsnummer|Steuernummer"
    r"|Identifikationsnummer|tax\s+ID|TIN)\s*:?\s*(?P<value>\d[\d /]{8,16}\d)"
)


def _tax_id_valid(digits: str) -> bool:
    """ISO 7064 MOD 11,10, the check digit of the German tax ID."""
    product = 10
    for digit in digits[:10]:
        total = (int(digit) + product) % 10 or 10
        product = (total * 2) % 11
    check = (11 - product) % 10
    return check == int(digits[10])


def _tax_ids(text: str) -> Iterator[tuple[int, int]]:
    for match in TAX_ID.finditer(text):
        if _tax_id_valid(re.sub(r"\s", "", match[0])):
            yield match.span()
    for match in TAX_CUED.finditer(text):
        yield match.span("value")


# Rentenversicherungsnummer: area, birth date DDMMYY, initial, serial and check digit.
SOCIAL_INSURANCE = re.compile(r"\b\d{2}\s?(\d{2})(\d{2})\d{2}\s?[A-Z]\s?\d{2}\s?\d\b")
SOCIAL_INSURANCE_CUED = re.compile(
    r"(?i:Rentenversicherungsnummer|RV-?Nummer|RV-?Nr\.?|RVNR|SV-?Nummer|SV-?Nr\.?"
    r"|Sozialversicherungsnummer|Versicherungsnummer|Versichertennummer|KV-?Nummer"
    r"|social\s+security\s+(?:no\.?|number))\s*:?\s*(?P<value>[A-Z0-9][A-Z0-9 ]{7,16}[A-Z0-9])"
)


def _social_insurance_numbers(text: str) -> Iterator[tuple[int, int]]:
    for match in SOCIAL_INSURANCE.finditer(text):
        if 1 <= int(match[1]) <= 71 and 1 <= int(match[2]) <= 12:
            yield match.span()
    for match in SOCIAL_INSURANCE_CUED.finditer(text):
        if sum(char.isdigit() for char in match["value"]) >= 6:
            yield match.span("value")


DOCUMENT_CUE = (
    r"(?i:Personalausweis(?:nummer)?|Ausweis(?:nummer)?|Ausweis-?Nr\.?|PA-?Nr\.?"
    r"|Reisepass(?:nummer)?|Passnummer|Pass-?Nr\.?|Pass|Passport|eAT|Aufenthaltstitel"
    r"|Aufenthaltserlaubnis|Niederlassungserlaubnis|Aufenthaltsgestattung|Ankunftsnachweis"
    r"|Duldung|Fiktionsbescheinigung|Kartennummer|Dokumentennummer|Seriennummer|ID-?card"
    r"|ID-?Karte|Kimlik(?:\s+no)?|residence\s+permit)"
)
DOCUMENT_CUED = re.compile(
    rf"\b{DOCUMENT_CUE}[^\n\d]{{0,25}}?\b(?P<value>(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[0-9].*[0-9])"
    rf"[A-Z0-9]{{6,12}})\b"
)
# ICAO document numbers of German ID cards, passports and eATs: nine characters of this
# alphabet starting with a letter, sometimes followed by the check digit.
DOCUMENT_NUMBER = re.compile(r"\b[CFGHJKLMNPRTVWXYZ][CFGHJKLMNPRTVWXYZ0-9]{8}\d?\b")


def _icao_check(value: str) -> bool:
    weights = (7, 3, 1)
    total = 0
    for position, char in enumerate(value[:9]):
        number = int(char) if char.isdigit() else ord(char) - 55
        total += number * weights[position % 3]
    return total % 10 == int(value[9])


def _documents(text: str) -> Iterator[tuple[int, int]]:
    for match in DOCUMENT_CUED.finditer(text):
        yield match.span("value")
    for match in DOCUMENT_NUMBER.finditer(text):
        value = match[0]
        if sum(char.isdigit() for char in value) >= 4 and (len(value) == 9 or _icao_check(value)):
            yield match.span()


# Any other long number (a customer, membership or Turkish ID number).
LONG_NUMBER = re.compile(r"\b(?=(?:[A-Z]*\d){7})[A-Z0-9]{7,20}(?:-\d{1,6})?\b")


def _numbers(text: str) -> Iterator[tuple[int, int]]:
    for match in LONG_NUMBER.finditer(text):
        yield match.span()


# --- names -------------------------------------------------------------------------------

TOKEN = re.compile(r"[^\W\d_](?:[\w'’]|-(?=[^\W\d_]))*")
SALUTATIONS = _words(
    "Herr Herrn Hr Hrn Frau Fr Mr Mrs Ms Miss Bay Bayan Sayın Monsieur Madame Mme Signora Sheikh"
)
LOWER_SALUTATIONS = _words("herr herrn frau hr fr")
TITLES = _words("Dr Prof Dipl Ing Mag med dent rer nat phil jur habil PD RA")
FAMILY_CUES = _words("Familie Fam Family Eheleute Geschwister")
# Kin and roles: the next word is a name when the name list knows it („Vater Jorge“).
KIN_CUES = _words(
    "Vater Mutter Sohn Tochter Kind Kinder Ehemann Ehefrau Mann Bruder Schwester Onkel Tante "
    "Oma Opa Großvater Großmutter Enkel Enkelin Cousin Cousine Neffe Nichte Klient Klientin "
    "Mandant Mandantin Partner Partnerin Verlobter Verlobte Freund Freundin Stiefvater "
    "Stiefmutter Stiefsohn Stieftochter Baby Nachbar Nachbarin Kollege Kollegin Referent "
    "Referentin Kursleiter Kursleiterin Leiter Leiterin Berater Beraterin Dolmetscher "
    "Dolmetscherin Trainer Trainerin Lehrer Lehrerin Erzieher Erzieherin Betreuer Betreuerin "
    "Ratsuchender Ratsuchende father mother son daughter wife husband brother sister client "
    "child baby friend baba oğlu kızı eşi"
)
GREETING_CUES = _words("Grüße Gruß Grüßen LG VG MfG Regards Cheers Gruss Grüsse")
INTRO = re.compile(
    r"\b(?:ich\s+hei(?:ß|ss)e|mein\s+name\s+ist|mein\s+name\s*:|my\s+name\s+is|name\s*:"
    r"|benim\s+ad[ıi]m|ad[ıi]m|ismim|je\s+m'appelle|call\s+me|i\s+am\s+called)\s+"
    r"(?P<first>[^\W\d_][\w'’-]*)(?:\s+(?P<second>[^\W\d_][\w'’-]*))?",
    re.I,
)
SELF = re.compile(r"\b(?:ich\s+bin|i\s+am|i'm|ben)\s+(?P<first>[^\W\d_][\w'’-]*)", re.I)
# Words that open German or English sentences and never stand for a name.
FUNCTION_WORDS = _words(
    "der die das den dem des ein eine einer einem einen eines und oder aber mit von vom zu "
    "zum zur bei beim nach aus in im am an auf für über unter vor seit bis ab um ohne gegen "
    "durch er sie es wir ihr ich du man hat haben hatte ist sind war waren wird werden kann "
    "können soll sollte muss müssen möchte will kam kommt kommen geht ging wurde heute morgen "
    "gestern dann danach noch nur auch sehr wie was wer wo wann warum weil dass ob wenn als "
    "da so nicht kein keine keiner alle alles viel viele mehr jetzt hier dort bitte danke the "
    "a and or of to on at for with from by he she they we it is has had can may his her their "
    "this that these those who not no yes ja nein gibt gab egal unwichtig anonym wichtig froh "
    "happy glad new neu termin beratung"
)
# Nouns that follow „Familie“, „Herr“ or „Frau“ without being a name.
CUE_NOUNS = _words(
    "angehörige angehörigen mitglieder eltern kinder zusammenführung nachzug hilfe sorgen "
    "situation verhältnisse konflikte leben alltag planung gründung beratung zentrum zentren "
    "kasse recht gericht doktor doktorin professor professorin minister ministerin "
    "staatsminister staatsministerin staatssekretär staatssekretärin präsident präsidentin "
    "bürgermeister bürgermeisterin direktor direktorin vorsitzende vorsitzender pfarrer "
    "pfarrerin kollege kollegin anwalt anwältin rechtsanwalt rechtsanwältin"
)
MONTH_ABBREVIATIONS = _words("jan feb mär apr jun jul aug sep sept okt nov dez")
ARABIC_ARTICLE = re.compile(r"(?:al|el|as|ad|ar|an|at|az|ash|abd|abu|bin|ibn)-[A-ZÄÖÜ]")
NAME_PARTICLES = _words("von van de der den del da di al el bin ibn abu zu")
NOUN_ENDINGS = (
    "ung", "heit", "keit", "schaft", "tion", "ität", "ismus", "amt", "gericht", "zentrum",
    "stelle", "kasse", "recht", "hilfe", "beratung", "nachzug", "verfahren", "antrag",
)  # fmt: skip


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int

    @property
    def folded(self) -> str:
        return self.text.casefold()

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper()


class _NameFinder:
    """Walks the words of one text and yields the spans of names."""

    def __init__(self, text: str, names: NameList) -> None:
        self.text = text
        self.names = names
        self.tokens = [_Token(m[0], m.start(), m.end()) for m in TOKEN.finditer(text)]

    def gap(self, index: int) -> str:
        """The text between token ``index`` and the next one."""
        return self.text[self.tokens[index].end : self.tokens[index + 1].start]

    def adjacent(self, index: int, allowed: str = r"[^\S\n]{1,3}") -> bool:
        return index + 1 < len(self.tokens) and re.fullmatch(allowed, self.gap(index)) is not None

    def ordinary(self, token: _Token) -> bool:
        """A word that is never a name: a function word, a listed common word or a noun."""
        folded = token.folded
        return (
            folded in FUNCTION_WORDS
            or folded in CUE_NOUNS
            or folded in self.names.not_names
            or len(folded) < 2
            or (folded.endswith(NOUN_ENDINGS) and not self.known(token))
        )

    def month(self, token: _Token) -> bool:
        """„Jan.“ or „5. Jan“: a month, not Jan."""
        if token.folded not in MONTH_ABBREVIATIONS:
            return False
        before = self.text[max(0, token.start - 4) : token.start]
        return self.text[token.end : token.end + 1] == "." or bool(re.search(r"\d\.?\s*$", before))

    def known(self, token: _Token) -> bool:
        """The name list holds the word (each part of a double name)."""
        parts = token.folded.split("-")
        every = self.names.all_names
        if len(parts) > 1:
            return all(part in every for part in parts) and any(
                part in self.names.first_names or part in self.names.standalone_surnames
                for part in parts
            )
        return token.folded in every

    def named_alone(self, token: _Token) -> bool:
        """A capitalised word that is a name even without a cue."""
        if not token.capitalised or self.ordinary(token) or self.month(token):
            return False
        parts = token.folded.split("-")
        if len(parts) > 1:
            return self.known(token)
        return (
            token.folded in self.names.first_names or token.folded in self.names.standalone_surnames
        )

    def name_after(self, index: int, *, any_word: bool, comma: bool = False) -> int | None:
        """The index of the name word after a cue at ``index``, skipping titles."""
        position = index
        while self.adjacent(position, r"\.?\s*") and self.tokens[position + 1].text in TITLES:
            position += 1
        if not self.adjacent(position, r"\.?\s*:?\s*|\s*,\s*" if comma else r"\.?\s*:?\s*"):
            return None
        candidate = self.tokens[position + 1]
        if not candidate.capitalised or self.ordinary(candidate):
            return None
        if len(candidate.text) == 1 or (len(candidate.text) == 2 and candidate.text.isupper()):
            return None  # an initial („Herr A.“) is how notes keep people anonymous
        if not any_word and not self.known(candidate):
            return None
        return position + 1

    def lower_case_name_after(self, index: int) -> int | None:
        """„frau yilmaz“, as participants type: a listed name after a lower-case salutation."""
        if not self.adjacent(index):
            return None
        candidate = self.tokens[index + 1]
        if self.ordinary(candidate) or candidate.folded not in self.names.all_names:
            return None
        return index + 1

    def extend(self, index: int) -> int:
        """The last index of a name that starts at ``index`` (more given names, surname)."""
        last = index
        while self.adjacent(last) and last - index < 3:
            following = self.tokens[last + 1]
            if following.folded in NAME_PARTICLES and self.adjacent(last + 1):
                following = self.tokens[last + 2]
                step = 2
            else:
                step = 1
            if ARABIC_ARTICLE.match(following.text):
                last += step  # „Rashid al-Bakri“
                continue
            if not following.capitalised or self.ordinary(following):
                break
            if following.text in SALUTATIONS or following.text in KIN_CUES:
                break
            last += step
        return last

    def spans(self) -> Iterator[tuple[int, int]]:
        tokens = self.tokens
        for index, token in enumerate(tokens):
            start: int | None = None
            if token.text in SALUTATIONS or token.text in TITLES or token.text in FAMILY_CUES:
                start = self.name_after(index, any_word=True)
            elif token.text in LOWER_SALUTATIONS:
                start = self.lower_case_name_after(index)
            elif token.text in KIN_CUES or token.folded in KIN_CUES or token.text in GREETING_CUES:
                greeting = token.text in GREETING_CUES
                start = self.name_after(index, any_word=greeting, comma=greeting)
            elif self.named_alone(token) or (
                token.capitalised
                and self.adjacent(index)
                and tokens[index + 1].folded == "ailesi"
                and not self.ordinary(token)
            ):
                start = index
            if start is not None:
                yield tokens[start].start, tokens[self.extend(start)].end
        for match in INTRO.finditer(self.text):
            first = match["first"]
            if first.casefold() not in FUNCTION_WORDS:
                end = "second" if match["second"] and self._name_like(match["second"]) else "first"
                yield match.start("first"), match.end(end)
        for match in SELF.finditer(self.text):
            if match["first"].casefold() in self.names.first_names:
                yield match.span("first")

    def _name_like(self, word: str) -> bool:
        folded = word.casefold()
        return folded not in FUNCTION_WORDS and (
            word[0].isupper() or folded in self.names.all_names
        )


def _names(text: str) -> Iterator[tuple[int, int]]:
    yield from _NameFinder(text, name_list()).spans()


# --- the whole screening -----------------------------------------------------------------

FINDERS = {
    Kind.NAME: _names,
    Kind.EMAIL: _emails,
    Kind.PHONE: _phones,
    Kind.BIRTH_DATE: _birth_dates,
    Kind.ADDRESS: _addresses,
    Kind.IBAN: _ibans,
    Kind.CASE_NUMBER: _case_numbers,
    Kind.TAX_ID: _tax_ids,
    Kind.SOCIAL_INSURANCE: _social_insurance_numbers,
    Kind.ID_DOCUMENT: _documents,
    Kind.NUMBER: _numbers,
}


def _merged(spans: Iterator[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans of one kind joined into one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def find_identifiers(text: str) -> list[Finding]:
    """The identifiers in the text, without overlaps, in the order they appear."""
    text = text or ""
    if not text.strip():
        return []
    candidates = [
        Finding(kind, start, end)
        for kind in PRIORITY
        for start, end in _merged(span for span in FINDERS[kind](text) if span[1] > span[0])
    ]
    kept: list[Finding] = []
    for candidate in candidates:  # PRIORITY order: a specific kind beats a general one
        if not any(candidate.start < other.end and other.start < candidate.end for other in kept):
            kept.append(candidate)
    return sorted(kept, key=lambda finding: finding.start)


def identifier_labels(text: str) -> list[str]:
    """The kinds of identifiers in the text, as words for a refusal message."""
    kinds = {finding.kind for finding in find_identifiers(text)}
    return [str(LABELS[kind]) for kind in Kind if kind in kinds]


def mask_identifiers(text: str) -> str:
    """The text with every identifier replaced by a mask such as „[Name entfernt]“."""
    masked = text
    for finding in reversed(find_identifiers(text)):
        mask = MASKS.get(finding.kind, NUMBER_MASK)
        masked = masked[: finding.start] + mask + masked[finding.end :]
    return masked

"""Finds personal data in a counselling note before it is saved (privacy by design).

Each finder names the kind it found, so the refusal can say what to remove. Phone numbers
are found by Google's libphonenumber (``phonenumbers``); the other kinds by patterns written
for German notes. The checks lean towards refusing: a counsellor can rephrase a note, a
stored birth date cannot be taken back.
"""

import re
from collections.abc import Callable

import phonenumbers
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)

IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b", re.I)

BIRTH_CUE = r"(?:geb\.|geboren|geb\b|Geburtsdatum|Geburtstag|\*)"
MONTHS = (
    r"(?:Januar|Jan\.?|Februar|Feb\.?|März|Mär\.?|April|Apr\.?|Mai|Juni|Jun\.?|Juli|Jul\.?"
    r"|August|Aug\.?|September|Sept?\.?|Oktober|Okt\.?|November|Nov\.?|Dezember|Dez\.?)"
)
NUMERIC_DATE = re.compile(r"\b(\d{1,2})\s?[./-]\s?(\d{1,2})\s?[./-]\s?(\d{4}|\d{2})\b")
WORDED_DATE = re.compile(rf"\b(\d{{1,2}})\.?\s+{MONTHS}\s+(\d{{4}})\b", re.I)
BIRTH_WITH_YEAR = re.compile(
    rf"{BIRTH_CUE}\s*(?:am\s+|im\s+Jahr\s+|in\s+)?\D{{0,20}}\b(19|20)\d\d\b", re.I
)

STREET_WORDS = (
    r"(?i:stra(?:ß|ss)e|str\.|weg|gasse|allee|platz|ring|damm|ufer|chaussee|pfad|steig"
    r"|markt|hof|anlage|berg|graben|kai)"
)
STREET = re.compile(
    rf"\b[A-ZÄÖÜ][\wäöüß.-]*{STREET_WORDS}\s+\d{{1,4}}\s?[a-z]?\b"
    rf"|\b(?:Am|An der|Auf der|Im|In der|Zum|Zur)\s+[A-ZÄÖÜ][\wäöüß-]+\s+\d{{1,4}}\s?[a-z]?\b"
    rf"|\b[A-ZÄÖÜ][\wäöüß-]+\s+{STREET_WORDS}\s+\d{{1,4}}\s?[a-z]?\b",
)
POSTCODE_AND_PLACE = re.compile(r"\b\d{5}\s+[A-ZÄÖÜ][a-zäöüß]+")

# A full date this many years back is taken for a birth date even without a cue.
BIRTH_DATE_MIN_AGE_YEARS = 10


def _has_email(text: str) -> bool:
    return bool(EMAIL.search(text))


def _has_phone(text: str) -> bool:
    matcher = phonenumbers.PhoneNumberMatcher(text, "DE", leniency=phonenumbers.Leniency.VALID)
    return any(not NUMERIC_DATE.fullmatch(match.raw_string.strip()) for match in matcher)


def _full_year(year: str) -> int:
    value = int(year)
    if len(year) == 4:
        return value
    this_century = timezone.localdate().year % 100
    return 2000 + value if value <= this_century else 1900 + value


def _has_birth_date(text: str) -> bool:
    if BIRTH_WITH_YEAR.search(text):
        return True
    oldest_plausible = timezone.localdate().year - BIRTH_DATE_MIN_AGE_YEARS
    for match in NUMERIC_DATE.finditer(text):
        day, month, year = int(match[1]), int(match[2]), _full_year(match[3])
        if 1 <= day <= 31 and 1 <= month <= 12 and year <= oldest_plausible:
            return True
    return any(int(match[2]) <= oldest_plausible for match in WORDED_DATE.finditer(text))


def _has_iban(text: str) -> bool:
    return any(
        len(re.sub(r"\s", "", match[0])) >= 15 and any(ch.isdigit() for ch in match[0][4:])
        for match in IBAN.finditer(text)
    )


def _has_address(text: str) -> bool:
    return bool(STREET.search(text) or POSTCODE_AND_PLACE.search(text))


FINDERS: list[tuple[Callable[[str], bool], str]] = [
    (_has_email, _("eine E-Mail-Adresse")),
    (_has_iban, _("eine IBAN")),
    (_has_birth_date, _("ein Geburtsdatum")),
    (_has_phone, _("eine Telefonnummer")),
    (_has_address, _("eine Anschrift")),
]


def find_personal_data(text: str) -> list[str]:
    """The kinds of personal data found in the text, as words for the error message."""
    text = text or ""
    return [str(label) for finder, label in FINDERS if finder(text)]

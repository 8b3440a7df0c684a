"""The closing "place, date" line: "Wiesbaden, den 3. Juni 2019", "Kassel, 03.06.2019"."""

import re
from datetime import date

from buendnis.agreements.importer.errors import InvalidDateError

MONTHS = {
    "januar": 1, "jänner": 1, "jan": 1, "februar": 2, "feb": 2, "febr": 2, "märz": 3,
    "maerz": 3, "mär": 3, "mrz": 3, "april": 4, "apr": 4, "mai": 5, "juni": 6, "jun": 6,
    "juli": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "dezember": 12, "dez": 12,
}  # fmt: skip
_NUMERIC = re.compile(r"^(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4}|\d{2})$")
_WORDS = re.compile(r"^(\d{1,2})\.?\s*([A-Za-zÄÖÜäöü]+)\.?\s+(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH_ONLY = re.compile(r"^(?:im\s+)?([A-Za-zÄÖÜäöü]+)\.?\s+(\d{4})$", re.IGNORECASE)
_PLACE_LINE = re.compile(r"^(?P<place>[^\W\d_][^,]{0,60}?)\s*,\s*(?P<rest>.*)$")
_PLACE_PARTICLES = frozenset(
    {"am", "an", "der", "im", "in", "ob", "bei", "vor", "dem", "auf", "a."}
)
_FILLER = re.compile(r"^[\s_.…·-]*$")
_LEAD = re.compile(r"^(?:den|am|d\.)(?:\s+|$)", re.IGNORECASE)


def parse_date(raw: str) -> date | None:
    """Parse a German date; None if it is not a date, InvalidDateError if it cannot exist."""
    text = " ".join(raw.strip().rstrip(",;").split())
    parts: tuple[int, int, int] | None = None
    if match := _NUMERIC.match(text):
        day, month, year = (int(group) for group in match.groups())
        parts = (year + 2000 if year < 100 else year, month, day)
    elif match := _WORDS.match(text):
        month = MONTHS.get(match.group(2).casefold())
        if month is None:
            return None
        parts = (int(match.group(3)), month, int(match.group(1)))
    elif match := _ISO.match(text):
        year, month, day = (int(group) for group in match.groups())
        parts = (year, month, day)
    if parts is None:
        return None
    try:
        return date(*parts)
    except ValueError:
        raise InvalidDateError(text) from None


def _is_place(text: str) -> bool:
    words = text.replace("/", " / ").split()
    if not words or len(words) > 6 or not words[0][:1].isupper():
        return False
    return all(
        word[:1].isupper() or word.casefold() in _PLACE_PARTICLES or word in {"/", "(", ")"}
        for word in words
    )


def parse_place_line(line: str) -> tuple[str, date | None] | None:
    """Parse "Place, den <date>" (date may be blank); None if the line is something else."""
    match = _PLACE_LINE.match(line.strip())
    if not match:
        return None
    place, rest = match.group("place").strip(), match.group("rest").strip()
    if place.casefold() == "ort" and rest.casefold().startswith("datum"):
        return "", None
    if not _is_place(place):
        return None
    rest = _LEAD.sub("", rest).strip()
    if _FILLER.match(rest):
        return place, None
    if _MONTH_ONLY.match(rest) and rest.split()[-2].casefold().rstrip(".") in MONTHS:
        return place, None
    signed_on = parse_date(rest)
    if signed_on is None:
        return None
    return place, signed_on

"""The signature block: name, function and organisation of each signatory."""

import re
from dataclasses import dataclass, field

from buendnis.agreements.importer.dates import parse_place_line
from buendnis.agreements.importer.names import has_legal_form, part_of
from buendnis.agreements.importer.text import (
    COLUMN_GAP,
    ends_with_connector,
    join_lines,
    plain,
    starts_lowercase,
)

_WORD = r"[^\W\d_][^\W\d_'’]*"
_NAME_TOKEN = re.compile(rf"^(?:{_WORD}(?:-{_WORD})*|[^\W\d_]\.)$")
_TITLES = frozenset(
    {
        "dr.", "prof.", "dr.-ing.", "dipl.-ing.", "dipl.-päd.", "mag.", "pd", "med.", "phil.",
        "rer.", "nat.", "pol.", "h.", "c.", "h.c.", "jur.", "dr.in", "mba", "m.a.", "ll.m.",
    }
)  # fmt: skip
_PARTICLES = frozenset({"von", "van", "de", "der", "zu", "da", "di", "del", "ter", "ten", "al"})
_ROLE_HINT = re.compile(
    r"minister|vorsitz|geschäftsführ|präsident|vorstand|direktor|leiter|leitung|sprecher"
    r"|staatssekretär|beauftragt|bürgermeister|landrat|dezernent|koordinat|referent"
    r"|vertreter|schatzmeister",
    re.IGNORECASE,
)
ORG_HINT = re.compile(
    r"ministerium|verband|stiftung|netzwerk|verein|institut|zentrale|gesellschaft|jugendring"
    r"|bildungsstätte|gemeinschaft|akademie|kirche|landkreis|beirat|initiative|bündnis"
    r"|caritas|diakonie|\bawo\b|\bdrk\b|\bstadt\b|\bamt\b",
    re.IGNORECASE,
)
_FOR = re.compile(r"^für\s+(.+?):?$", re.IGNORECASE)
_FILLER = re.compile(r"^[\s_.…·\-–]*$|^\(?(?:unterschrift|signature)\)?$", re.IGNORECASE)


@dataclass
class _Signatory:
    name: str
    organisation: list[str] = field(default_factory=list)
    function: list[str] = field(default_factory=list)
    organisation_given: bool = False
    last: str = "name"


def looks_like_person(line: str) -> bool:
    """Tell whether a line is a person's name such as "Dr. Hiltrud Stöcker-Zafari"."""
    tokens = [token for token in line.split() if token.casefold() not in _TITLES]
    if not 2 <= len(tokens) <= 5 or _ROLE_HINT.search(line) or ORG_HINT.search(line):
        return False
    if has_legal_form(line) or not tokens[0][:1].isupper():
        return False
    return all(
        (_NAME_TOKEN.match(token) and token[:1].isupper()) or token in _PARTICLES
        for token in tokens
    )


def _is_organisation(line: str, partners: list[str]) -> bool:
    if any(part_of(line, partner) for partner in partners):
        return True
    return bool(ORG_HINT.search(line)) or has_legal_form(line)


def _columns(lines: list[str]) -> list[list[str]]:
    """Split side-by-side signature columns (separated by wide gaps) into separate lists."""
    filled = [line for line in lines if line.strip()]
    parts = [line.split(COLUMN_GAP) for line in filled]
    if sum(len(p) > 1 for p in parts) < 2:
        return [[plain(line).strip() for line in filled]]
    columns: list[list[str]] = [[] for _ in range(max(len(p) for p in parts))]
    for row in parts:
        for index, part in enumerate(row):
            if part.strip():
                columns[index].append(part.strip())
    return columns


def one_line_person(line: str) -> str | None:
    """The name that opens a one-line signature „Dr. Name, Funktion, Organisation“."""
    head = line.split(",", 1)[0].strip()
    return head if "," in line and looks_like_person(head) else None


def _one_line(line: str, partners: list[str], given: str) -> _Signatory | None:
    """Read „Titel Name, Funktion, Organisation“ (or „Name, Funktion“) from one line."""
    name = one_line_person(line)
    if name is None:
        return None
    parts = [part.strip() for part in line.split(",")[1:] if part.strip()]
    signatory = _Signatory(name=name, organisation=[given] if given else [])
    signatory.organisation_given = bool(given)
    # The organisation is the first part that names one; it may contain commas itself
    # („Verband binationaler Familien und Partnerschaften, iaf e.V.“).
    start = next(
        (
            i
            for i, part in enumerate(parts)
            if _is_organisation(part, partners)
            or (has_legal_form(", ".join(parts[i:])) and not _ROLE_HINT.search(part))
        ),
        None,
    )
    if start is None:
        signatory.function = [", ".join(parts)] if parts else []
        signatory.last = "function"
        return signatory
    signatory.function = [", ".join(parts[:start])] if start else []
    if not given:
        signatory.organisation = [", ".join(parts[start:])]
    # Name, function and organisation are complete: the next line belongs to someone else.
    signatory.last = "complete" if signatory.function else "organisation"
    return signatory


_ARTICLE = re.compile(r"^(?:der|die|das)\s+", re.IGNORECASE)


def _role_then_person(line: str) -> tuple[str, str] | None:
    """Read „Staatsministerin Heike Hofmann“ (function before the name) as (function, name)."""
    words = _ARTICLE.sub("", line).split()
    for cut in (1, 2):
        function, name = " ".join(words[:cut]), " ".join(words[cut:])
        if _ROLE_HINT.search(function) and looks_like_person(name):
            return function, name
    return None


def _parse_column(lines: list[str], partners: list[str]) -> list[_Signatory]:
    signatories: list[_Signatory] = []
    current: _Signatory | None = None
    given = ""
    for line in lines:
        if _FILLER.match(line) or parse_place_line(line) is not None:
            continue
        if one_line := _one_line(line, partners, given):
            current, given = one_line, ""
            signatories.append(current)
            continue
        if role_and_name := _role_then_person(line):
            current = _Signatory(
                name=role_and_name[1],
                organisation=[given] if given else [],
                function=[role_and_name[0]],
                organisation_given=bool(given),
                last="function",
            )
            given = ""
            signatories.append(current)
            continue
        if current is None and given and starts_lowercase(line):
            given = join_lines([given, line])
            continue
        if current is not None and current.last != "name":
            bucket = (
                current.organisation
                if current.last in ("organisation", "complete")
                else current.function
            )
            if starts_lowercase(line) or ends_with_connector(join_lines(bucket)):
                bucket.append(line)
                continue
        if match := _FOR.match(line):
            current, given = None, match.group(1)
            continue
        if looks_like_person(line) and not any(part_of(line, p) for p in partners):
            current = _Signatory(name=line, organisation=[given] if given else [])
            current.organisation_given, given = bool(given), ""
            signatories.append(current)
        elif current is None or current.last == "complete":
            continue
        elif _is_organisation(line, partners):
            if not current.organisation_given:
                current.organisation.append(line)
            current.last = "organisation"
        else:
            current.function.append(line)
            current.last = "function"
    return signatories


def parse_signatures(lines: list[str], partners: list[str]) -> list[tuple[str, str, str]]:
    """Read (name, function, organisation as written) for each signatory."""
    result = []
    for column in _columns(lines):
        for signatory in _parse_column(column, partners):
            result.append(
                (
                    " ".join(signatory.name.split()),
                    join_lines(signatory.function).strip(" ,"),
                    join_lines(signatory.organisation).strip(" :,"),
                )
            )
    return result

"""Turn the text of an integration agreement into structured data."""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from buendnis.agreements.importer.dates import parse_date, parse_place_line
from buendnis.agreements.importer.errors import (
    EmptyFileError,
    MissingPartnersError,
    MissingTitleError,
    UnsupportedFileTypeError,
)
from buendnis.agreements.importer.names import (
    best_match,
    clean_name,
    find_aliases,
    has_legal_form,
    name_keys,
    nominative,
)
from buendnis.agreements.importer.pdf import extract_pdf_text
from buendnis.agreements.importer.preamble import parse_preamble
from buendnis.agreements.importer.sections import find_sections
from buendnis.agreements.importer.signatures import looks_like_person, parse_signatures
from buendnis.agreements.importer.text import (
    COLUMN_GAP,
    blank_lines_are_breaks,
    clean_lines,
    ends_sentence,
    join_paragraphs,
    plain,
    typical_width,
)
from buendnis.agreements.importer.textfile import read_text_file


@dataclass
class ParsedPartner:
    """A partner organisation with other spellings found in the text.

    ``organisation_id`` and ``role`` are left empty by the parser; a person checking the
    import may link the partner to a known organisation and set its role.
    """

    name: str
    aliases: list[str] = field(default_factory=list)
    organisation_id: int | None = None
    role: str = ""


@dataclass
class ParsedParagraph:
    """One § of the agreement; ``suffix`` is the letter of a sub-paragraph („§ 3a“)."""

    number: int
    heading: str
    body: str
    suffix: str = ""

    @property
    def label(self) -> str:
        """The § number as written: "3" or "3a"."""
        return f"{self.number}{self.suffix}"


@dataclass
class ParsedSignatory:
    """A person who signs for an organisation."""

    name: str
    function: str
    organisation: str


@dataclass
class ParsedAgreement:
    """The structured content of an agreement text."""

    title: str
    topic: str
    partners: list[ParsedPartner]
    paragraphs: list[ParsedParagraph]
    place: str
    signed_on: date | None
    signatories: list[ParsedSignatory]
    subtitle: str = ""

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (signed_on as ISO date or None)."""
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "topic": self.topic,
            "partners": [{"name": p.name, "aliases": list(p.aliases)} for p in self.partners],
            "paragraphs": [
                {"number": p.number, "suffix": p.suffix, "heading": p.heading, "body": p.body}
                for p in self.paragraphs
            ],
            "place": self.place,
            "signed_on": self.signed_on.isoformat() if self.signed_on else None,
            "signatories": [
                {"name": s.name, "function": s.function, "organisation": s.organisation}
                for s in self.signatories
            ],
        }


@dataclass
class _Closing:
    """Where the last § ends, and what follows: place, date and signature lines."""

    start: int
    place: str = ""
    signed_on: date | None = None
    lines: list[str] = field(default_factory=list)


def _first_column(line: str) -> str:
    return plain(line.split(COLUMN_GAP)[0]).strip()


def _later_date(lines: list[str]) -> date | None:
    """A date given after a blank "Ort, den" line: on its own line or in another column."""
    for line in lines:
        for part in line.split(COLUMN_GAP):
            parsed = parse_place_line(part)
            found = parsed[1] if parsed else parse_date(part)
            if found:
                return found
    return None


def _find_closing(lines: list[str], start: int) -> _Closing:
    """Find the "place, date" line after the last § and the signature lines after it."""
    for index in range(start, len(lines)):
        if not lines[index]:
            continue
        parsed = parse_place_line(_first_column(lines[index]))
        if parsed is None:
            continue
        place, signed_on = parsed
        rest = lines[index + 1 :]
        if signed_on is None:
            signed_on = _later_date([lines[index], *rest])
        return _Closing(index, place, signed_on, rest)
    return _trailing_signatures(lines, start)


def _trailing_signatures(lines: list[str], start: int) -> _Closing:
    """Without a place line: the short lines after the last sentence, from a person's name."""
    index = len(lines)
    while index > start:
        line = plain(lines[index - 1])
        if line and ends_sentence(line) and not has_legal_form(line):
            break
        index -= 1
    for position in range(index, len(lines)):
        if lines[position] and looks_like_person(_first_column(lines[position])):
            return _Closing(position, lines=lines[position:])
    return _Closing(len(lines))


def _partners(
    written: list[str], organisations: list[str], texts: list[str]
) -> list[ParsedPartner]:
    """Partners from the "zwischen" block, spelled as under the signatures where possible."""
    partners: list[ParsedPartner] = []
    for raw in written:
        name, short_names = clean_name(nominative(raw))
        if name and all(best_match(name, [p.name]) is None for p in partners):
            partners.append(ParsedPartner(name, short_names))
    if not partners:
        for organisation in organisations:
            if organisation and best_match(organisation, [p.name for p in partners]) is None:
                partners.append(ParsedPartner(organisation))
    for organisation in organisations:
        match = best_match(organisation, [p.name for p in partners])
        if match is not None and name_keys(organisation) == name_keys(partners[match].name):
            partners[match].name = organisation
    if len(partners) < 2:
        raise MissingPartnersError(len(partners))
    for partner in partners:
        for alias in find_aliases(partner.name, texts):
            if alias not in partner.aliases:
                partner.aliases.append(alias)
    return partners


def parse_agreement_text(text: str, *, strict: bool = True) -> ParsedAgreement:
    """Parse the (PDF-extracted) text of an agreement; raise AgreementImportError if bad.

    Not strict, gaps and repeats in the § numbering are kept for a person to correct.
    """
    if not text.strip():
        raise EmptyFileError()
    raw_lines = clean_lines(text)
    lines = [plain(line) for line in raw_lines]
    width = typical_width(lines)
    sections = find_sections(lines, width, strict=strict)
    preamble = parse_preamble(lines[: sections[0].line])
    if not preamble.title:
        raise MissingTitleError()
    closing = _find_closing(raw_lines, sections[-1].body_start)
    blank_breaks = blank_lines_are_breaks(lines)
    ends = [section.line for section in sections[1:]] + [closing.start]
    body_width = typical_width(
        [line for s, end in zip(sections, ends, strict=True) for line in lines[s.body_start : end]]
    )
    paragraphs = [
        ParsedParagraph(
            section.number,
            section.heading,
            join_paragraphs(
                lines[section.body_start : end], width=body_width, blank_breaks=blank_breaks
            ),
            section.suffix,
        )
        for section, end in zip(sections, ends, strict=True)
    ]
    signed = parse_signatures(closing.lines, [nominative(raw) for raw in preamble.partners])
    organisations = [nominative(organisation) for _, _, organisation in signed]
    texts = [p.heading for p in paragraphs] + [p.body for p in paragraphs] + organisations
    partners = _partners(preamble.partners, organisations, texts + preamble.partners)
    names = [partner.name for partner in partners]
    signatories = []
    for (name, function, _), organisation in zip(signed, organisations, strict=True):
        match = best_match(organisation, names) if organisation else None
        signatories.append(
            ParsedSignatory(name, function, names[match] if match is not None else organisation)
        )
    return ParsedAgreement(
        title=preamble.title,
        subtitle=preamble.subtitle,
        topic=preamble.topic,
        partners=partners,
        paragraphs=paragraphs,
        place=closing.place,
        signed_on=closing.signed_on,
        signatories=signatories,
    )


def read_agreement_file(path: Path, *, strict: bool = True) -> ParsedAgreement:
    """Read a .txt or .pdf agreement file and parse it."""
    path = Path(path)
    suffix = path.suffix.casefold()
    if suffix == ".pdf":
        return parse_agreement_text(extract_pdf_text(path), strict=strict)
    if suffix == ".txt":
        return parse_agreement_text(read_text_file(path), strict=strict)
    raise UnsupportedFileTypeError(path.suffix)

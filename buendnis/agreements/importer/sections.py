"""Finding the § headings of an agreement and checking their numbering."""

import itertools
import re
from dataclasses import dataclass

from buendnis.agreements.importer.errors import (
    DuplicateParagraphError,
    MissingParagraphError,
    NotAnAgreementError,
    ParagraphOrderError,
)
from buendnis.agreements.importer.text import (
    ends_sentence,
    ends_with_connector,
    join_lines,
    starts_lowercase,
)

# "§ 3 Ziele", "§ 3. Ziele", "§3a Beiträge" (a lettered sub-paragraph), "§ 4 – Schluss".
_HEADING = re.compile(r"^§\s*(\d{1,3})([a-z])?(?![\w§])\s*[.:–-]?\s*(.*)$")
_LAW_REFERENCE = re.compile(
    r"^(?:Abs\.|Absatz\b|Satz\b|Nr\.|ff\.?|[A-ZÄÖÜ][a-zäöü]*[A-Z]+[a-z]*\b(?![-.]))"
)
_MAX_CONTINUATION_LINES = 2
_MAX_JUMP = 3


@dataclass(frozen=True)
class Section:
    """A § heading found in the line list, and where its body starts."""

    number: int
    heading: str
    line: int
    body_start: int
    suffix: str = ""


@dataclass(frozen=True)
class _Candidate:
    number: int
    suffix: str
    rest: str
    line: int
    strong: bool
    law_reference: bool


def _previous_filled(lines: list[str], index: int) -> str | None:
    for line in reversed(lines[:index]):
        if line:
            return line
    return None


def _looks_like_sentence(rest: str) -> bool:
    return ends_sentence(rest) and len(rest.split()) > 8


def _candidates(lines: list[str]) -> list[_Candidate]:
    found = []
    for index, line in enumerate(lines):
        match = _HEADING.match(line)
        if not match:
            continue
        rest = match.group(3).strip()
        first = rest.lstrip('„“"»')
        if rest and (not first[:1].isupper() or _looks_like_sentence(rest)):
            continue
        previous = _previous_filled(lines, index)
        strong = previous is None or ends_sentence(previous) or not found
        found.append(
            _Candidate(
                number=int(match.group(1)),
                suffix=match.group(2) or "",
                rest=rest,
                line=index,
                strong=strong,
                law_reference=bool(_LAW_REFERENCE.match(first)),
            )
        )
    return found


def _select(candidates: list[_Candidate]) -> list[_Candidate]:
    """Keep the candidates that are headings, not "§ 14 IntTG"-style references in the text."""
    selected: list[_Candidate] = []
    for candidate in candidates:
        expected = selected[-1].number + 1 if selected else 1
        if candidate.suffix:
            # "§ 3a" only directly after § 3 (or § 3a before "§ 3b"), and only as a heading.
            if (
                selected
                and candidate.number == selected[-1].number
                and candidate.suffix == _next_letter(selected[-1].suffix)
                and candidate.strong
                and not candidate.law_reference
            ):
                selected.append(candidate)
        elif candidate.number == expected:
            if candidate.strong or not candidate.law_reference:
                selected.append(candidate)
        elif (
            candidate.strong
            and not candidate.law_reference
            and candidate.number <= expected + _MAX_JUMP
        ):
            selected.append(candidate)
    return selected


def _next_letter(suffix: str) -> str:
    return chr(ord(suffix) + 1) if suffix else "a"


def _check_numbers(numbers: list[tuple[int, str]]) -> None:
    seen: set[tuple[int, str]] = set()
    for number, suffix in numbers:
        if (number, suffix) in seen:
            raise DuplicateParagraphError(f"{number}{suffix}")
        seen.add((number, suffix))
    plain_numbers = {number for number, _ in seen}
    for number in range(1, max(plain_numbers) + 1):
        if number not in plain_numbers:
            raise MissingParagraphError(number)
    for previous, current in itertools.pairwise(numbers):
        if current < previous:
            raise ParagraphOrderError(f"{current[0]}{current[1]}")


def _heading_text(
    lines: list[str], candidate: _Candidate, limit: int, width: int
) -> tuple[str, int]:
    """Whole heading (it may continue on following lines) and the index after it."""
    parts = [candidate.rest] if candidate.rest else []
    index = candidate.line + 1
    taken = 0
    while index < limit and taken < _MAX_CONTINUATION_LINES:
        line = lines[index]
        if not line:
            index += 1
            continue
        if _HEADING.match(line):
            break
        if not parts:
            if _looks_like_sentence(line) or len(line) >= 0.75 * width:
                break
        elif not (starts_lowercase(line) or ends_with_connector(join_lines(parts))):
            break
        parts.append(line)
        taken += 1
        index += 1
    while index < limit and not lines[index]:
        index += 1
    return join_lines(parts), index


def find_sections(lines: list[str], width: int, *, strict: bool = True) -> list[Section]:
    """Find the § headings; raise if there are none or (strict) the numbering has gaps or repeats.

    Not strict, gaps and repeats are left for a person to correct in the import preview.
    """
    selected = _select(_candidates(lines))
    if not selected:
        raise NotAnAgreementError()
    if strict:
        _check_numbers([(candidate.number, candidate.suffix) for candidate in selected])
    sections = []
    for position, candidate in enumerate(selected):
        limit = selected[position + 1].line if position + 1 < len(selected) else len(lines)
        heading, body_start = _heading_text(lines, candidate, limit, width)
        sections.append(
            Section(candidate.number, heading, candidate.line, body_start, candidate.suffix)
        )
    return sections

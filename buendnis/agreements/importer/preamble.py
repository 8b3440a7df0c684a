"""The block before § 1: title, subtitle, the partners after "zwischen", and the topic."""

import re
from dataclasses import dataclass, field

from buendnis.agreements.importer.names import has_legal_form
from buendnis.agreements.importer.signatures import ORG_HINT
from buendnis.agreements.importer.text import (
    ends_with_connector,
    join_lines,
    join_wrapped,
    starts_lowercase,
)

_OPENING_QUOTES = {"„": "“”", "“": "”“", "»": "«", "«": "»", "‚": "‘’", '"': '"'}
_QUOTES = '„“”"»«‚‘’'
_BETWEEN = re.compile(r"\bzwischen\b", re.IGNORECASE)
_SEPARATOR = re.compile(r"^(?:und|sowie|,)(?:\s+(?:dem|der|den|die|das))?\s*$", re.IGNORECASE)
_SEPARATOR_PREFIX = re.compile(r"^(?:und|sowie)\s+(?=(?:dem|der|den|die|das)\s+\S)", re.IGNORECASE)
_ARTICLE_START = re.compile(r"^(?:dem|der|den|die|das)\s+[„\"“]?[A-ZÄÖÜ0-9]")
# After the last partner, a line like „über den Schutz …“ starts the topic, not a name.
_TOPIC_START = re.compile(r"^(?:über|betreffend|bezüglich|hinsichtlich|zum Thema)\b", re.I)
_TOPIC_LEAD = re.compile(
    r"^(?:über|betreffend|bezüglich|hinsichtlich)\s+(?:(?:den|die|das)\s+)?", re.I
)
# „dem Land Hessen, vertreten durch das Hessische Ministerium …, dieses vertreten durch …“
_REPRESENTED = re.compile(r",?\s*(?:vertreten|handelnd)\s+durch\s+", re.IGNORECASE)
_TRAILING_PRONOUN = re.compile(r",?\s*(?:dieses|diese|dieser|dies)\s*$", re.IGNORECASE)
_DOCUMENT_KIND = re.compile(r"^\w*(?:vereinbarung|bündnis|erklärung)$", re.IGNORECASE)
_INLINE_SPLIT = re.compile(
    r",\s+(?=(?:dem|der|den|die|das)\s+[A-ZÄÖÜ])"
    r"|\s+(?:und|sowie)\s+(?=(?:dem|der|den|die|das)\s+[A-ZÄÖÜ])"
)


@dataclass
class Preamble:
    """What stands before § 1, with partner names still as written (article, dative)."""

    title: str = ""
    subtitle: str = ""
    topic: str = ""
    partners: list[str] = field(default_factory=list)


def _take_quoted_title(lines: list[str]) -> tuple[str, list[str]] | None:
    """Find a title in quotes (possibly over several lines); return it and the other lines."""
    for start, line in enumerate(lines):
        position = next((i for i, char in enumerate(line) if char in _OPENING_QUOTES), None)
        if position is None:
            continue
        closing = _OPENING_QUOTES[line[position]]
        text = line
        end = start
        while not any(char in closing for char in text[position + 1 :]) and end + 1 < len(lines):
            end += 1
            text = join_wrapped(text, lines[end])
        close = next((i for i in range(position + 1, len(text)) if text[i] in closing), len(text))
        title = text[position + 1 : close].strip(" " + _QUOTES)
        if not title:
            continue
        outside = [part.strip() for part in (text[:position], text[close + 1 :])]
        others = lines[:start] + [part for part in outside if part] + lines[end + 1 :]
        return title, others
    return None


def _blocks(lines: list[str]) -> list[str]:
    """Group lines into phrases: a line continues the previous one if it starts lowercase."""
    blocks: list[list[str]] = []
    for line in lines:
        if blocks and (starts_lowercase(line) or ends_with_connector(join_lines(blocks[-1]))):
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return [join_lines(block).strip(" " + _QUOTES) for block in blocks]


def _is_continuation(buffer: str, line: str) -> bool:
    if starts_lowercase(line) or ends_with_connector(buffer):
        return True
    return has_legal_form(line) and not has_legal_form(buffer) and len(line.split()) <= 4


def _split_partners(lines: list[str]) -> tuple[list[str], list[str]]:
    """Split the lines after "zwischen" into partner names and the lines after them."""
    partners: list[str] = []
    buffer = ""
    final = False
    article = ""

    def close() -> None:
        nonlocal buffer
        if buffer:
            partners.extend(part.strip(" ,") for part in _INLINE_SPLIT.split(buffer))
        buffer = ""

    for index, line in enumerate(lines):
        if _SEPARATOR.match(line):
            close()
            final = final or line.casefold().startswith("und")
            article = line.split()[-1] if len(line.split()) > 1 else ""
            continue
        if article and not _ARTICLE_START.match(line):
            line = f"{article} {line}"
        article = ""
        prefix = _SEPARATOR_PREFIX.match(line)
        if prefix:
            close()
            final = final or line.casefold().startswith("und")
            buffer = line[prefix.end() :]
            continue
        if buffer and final and _TOPIC_START.match(line):
            close()
            return partners, lines[index:]
        if not buffer:
            buffer = line
        elif (
            _ARTICLE_START.match(line)
            and not final
            and (buffer.endswith(",") or has_legal_form(buffer.split()[-1]))
        ):
            close()
            buffer = line
        elif _is_continuation(buffer, line):
            buffer = join_wrapped(buffer, line)
        else:
            close()
            return partners, lines[index:]
    close()
    return partners, []


def acting_party(name: str) -> str:
    """The party that acts: an organisation named after „vertreten durch“, never a person."""
    parts = _REPRESENTED.split(name)
    party = parts[0]
    for part in parts[1:]:
        part = _TRAILING_PRONOUN.sub("", part).strip(" ,")
        if not ORG_HINT.search(part):
            break
        party = part
    return _TRAILING_PRONOUN.sub("", party).strip(" ,")


def _topic(block: str) -> str:
    """„über den Schutz geflüchteter Kinder“ → „Schutz geflüchteter Kinder“."""
    topic = _TOPIC_LEAD.sub("", block)
    return topic[:1].upper() + topic[1:] if topic != block else block


def parse_preamble(lines: list[str]) -> Preamble:
    """Read title, subtitle, partners and topic from the lines before § 1."""
    lines = [line for line in lines if line]
    preamble = Preamble()
    if not lines:
        return preamble
    between = next((i for i, line in enumerate(lines) if _BETWEEN.search(line)), None)
    head, tail = (lines, []) if between is None else (lines[:between], lines[between + 1 :])
    if between is not None:
        before, after = _BETWEEN.split(lines[between], maxsplit=1)
        head = head + ([before.strip()] if before.strip() else [])
        tail = ([after.strip()] if after.strip() else []) + tail
    quoted = _take_quoted_title(head)
    if quoted:
        preamble.title, rest = quoted
        rest_blocks = _blocks(rest)
    else:
        blocks = _blocks(head)
        if len(blocks) > 1 and _DOCUMENT_KIND.match(blocks[0]):
            # „INTEGRATIONSVEREINBARUNG“ above the title names the kind of document.
            blocks = [blocks[1], blocks[0].capitalize(), *blocks[2:]]
        preamble.title, rest_blocks = (blocks[0], blocks[1:]) if blocks else ("", [])
    partners, topic_lines = _split_partners(tail)
    preamble.partners = [acting_party(partner) for partner in partners]
    topic_blocks = [_topic(block) for block in _blocks(topic_lines)]
    if topic_blocks:
        preamble.subtitle = " – ".join(rest_blocks)
        preamble.topic = " – ".join(topic_blocks)
    else:
        preamble.topic = " – ".join(rest_blocks)
    return preamble

"""Normalisation of PDF-extracted text: page artefacts, wrapped lines and hyphenation."""

import itertools
import re
import unicodedata
from collections import Counter

COLUMN_GAP = "\t"
_BREAK = "\x00"

_CHARACTERS = str.maketrans(
    {
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\x00": "",
        "\u200b": "",
        "\ufeff": "",
        "\u2010": "-",
        "\u2011": "-",
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
    }
)
_COLUMN_INDENT = 10
_GAP = re.compile(r"(?:\t|[ ]{3,})")
_SPACES = re.compile(r"[ ]{2,}")
_PAGE_NUMBER = re.compile(
    r"""^(?:
        [-–—]?\s*\d{1,3}\s*[-–—]?
        | (?:seite|page|s\.)\s*\d{1,3}(?:\s*(?:von|of|/)\s*\d{1,3})?
        | \d{1,3}\s*(?:/|von|of)\s*\d{1,3}
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_TERMINAL = re.compile(r"[.!?:][\"“”»«)\]’']*$")
_ABBREVIATION_END = re.compile(
    r"(?:\b\w\.\w\.|\b(?:bzw|ca|vgl|Nr|Abs|ggf|z\.B|u\.a|usw|etc|Dr|Prof|S|St)\.)$"
)
_BULLET = re.compile(r"^(?:[-–•*·▪]|\d{1,2}[.)]|[a-z]\))\s+\S")
_KEEP_HYPHEN_BEFORE = frozenset({"und", "oder", "sowie", "bzw.", "bis", "als", "&", "u."})
CONNECTORS = frozenset(
    {
        "und", "oder", "sowie", "für", "der", "die", "das", "des", "dem", "den", "von",
        "vom", "mit", "zur", "zum", "zu", "im", "in", "an", "am", "auf", "aus", "bei",
        "durch", "gegen", "über", "unter", "nach", "vor", "als", "wie", "ein", "eine",
        "einer", "eines", "einem", "einen", "&", "-", "–",
    }
)  # fmt: skip


def plain(line: str) -> str:
    """Return a cleaned line with column gaps turned into single spaces."""
    return line.replace(COLUMN_GAP, " ").strip()


def normalise_characters(text: str) -> str:
    """Unify line ends, spaces, ligatures and hyphen characters."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    return text.translate(_CHARACTERS)


def clean_line(line: str) -> str:
    """Strip a line, collapse spaces and mark wide gaps (table columns) with a tab."""
    indented = len(line) - len(line.lstrip(" \t")) >= _COLUMN_INDENT and bool(line.strip())
    line = (COLUMN_GAP if indented else "") + line.strip()
    line = _GAP.sub(COLUMN_GAP, line)
    line = _SPACES.sub(" ", line)
    line = re.sub(r" ?\t ?", COLUMN_GAP, line)
    soft_hyphen_at_end = line.endswith("\u00ad")
    line = line.replace("\u00ad", "")
    return line + "\u00ad" if soft_hyphen_at_end else line


def is_page_number(line: str) -> bool:
    """Tell whether a line is only a page number such as "2", "- 3 -" or "Seite 4 von 7"."""
    return bool(_PAGE_NUMBER.match(plain(line).strip()))


def _line_key(line: str) -> str:
    """Key that matches running headers whose only change is a page number."""
    return re.sub(r"\d+", "#", plain(line).casefold()).strip()


def _is_running_candidate(key: str) -> bool:
    """Running headers and footers: not a § heading, and not a sentence of the text."""
    return (
        len(key) >= 3
        and any(c.isalpha() for c in key)
        and not key.startswith("§")
        and not (ends_sentence(key) and len(key.split()) > 3)
    )


def _edge_positions(page: list[str], depth: int = 3) -> list[int]:
    filled = [i for i, line in enumerate(page) if line]
    return sorted(set(filled[:depth] + filled[-depth:]))


def _drop_page_headers(pages: list[list[str]]) -> list[list[str]]:
    """Drop lines that repeat at the top or bottom of several form-feed pages."""
    if len(pages) < 2:
        return pages
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_line_key(page[i]) for i in _edge_positions(page)})
    threshold = 2 if len(pages) <= 3 else max(2, len(pages) // 2)
    running = {k for k, n in counts.items() if n >= threshold and _is_running_candidate(k)}
    result = []
    for page in pages:
        filled = [i for i, line in enumerate(page) if line]
        dropped: set[int] = set()
        # Once per key at the top and once at the bottom of a page: a title that repeats
        # the running header stays.
        for edge in (filled[:3], filled[-3:][::-1]):
            seen: set[str] = set()
            for i in edge:
                key = _line_key(page[i])
                if key in running and key not in seen:
                    seen.add(key)
                    dropped.add(i)
        result.append([_BREAK if i in dropped else line for i, line in enumerate(page)])
    return result


def _drop_repeated_lines(lines: list[str], min_count: int = 3, min_gap: int = 8) -> list[str]:
    """Drop lines repeated at page-like distances (running headers without form feeds)."""
    positions: dict[str, list[int]] = {}
    filled = 0
    for line in lines:
        if not line or line == _BREAK:
            continue
        positions.setdefault(_line_key(line), []).append(filled)
        filled += 1
    running = set()
    for key, seen in positions.items():
        if len(seen) < min_count or len(key) < 10 or not _is_running_candidate(key):
            continue
        if min(b - a for a, b in itertools.pairwise(seen)) >= min_gap:
            running.add(key)
    return [_BREAK if line and _line_key(line) in running else line for line in lines]


def _resolve_breaks(lines: list[str]) -> list[str]:
    """Collapse blank runs; a run with page artefacts is a blank only between two sentences."""
    result: list[str] = []
    index = 0
    while index < len(lines):
        if lines[index] and lines[index] != _BREAK:
            result.append(lines[index])
            index += 1
            continue
        end = index
        while end < len(lines) and (not lines[end] or lines[end] == _BREAK):
            end += 1
        if _BREAK not in lines[index:end]:
            result.append("")
        elif result and end < len(lines):
            before, after = plain(result[-1]), plain(lines[end])
            if ends_sentence(before) and not starts_lowercase(after):
                result.append("")
        index = end
    return _trim_blank(result)


def clean_lines(text: str) -> list[str]:
    """Split extracted text into cleaned lines without page artefacts; "" marks a blank line."""
    pages = []
    for page in normalise_characters(text).split("\f"):
        lines = [clean_line(line) for line in page.split("\n")]
        pages.append([_BREAK if is_page_number(line) else line for line in lines])
    lines = []
    for page in _drop_page_headers(pages):
        lines.extend([*page, _BREAK])
    return _resolve_breaks(_drop_repeated_lines(lines))


def _trim_blank(lines: list[str]) -> list[str]:
    start = 0
    while start < len(lines) and not lines[start]:
        start += 1
    end = len(lines)
    while end > start and not lines[end - 1]:
        end -= 1
    return lines[start:end]


def blank_lines_are_breaks(lines: list[str]) -> bool:
    """Tell whether blank lines separate paragraphs (False if they follow nearly every line)."""
    followed = [bool(not after) for line, after in itertools.pairwise(lines) if line]
    if len(followed) < 6:
        return True
    return sum(followed) / len(followed) < 0.6


def ends_with_connector(text: str) -> bool:
    """Tell whether text ends with a word that cannot end a phrase (und, für, der, …)."""
    words = text.split()
    return bool(words) and (words[-1].casefold() in CONNECTORS or text.endswith((",", "-")))


def starts_lowercase(text: str) -> bool:
    """Tell whether the first letter of text is lowercase."""
    for char in text:
        if char.isalpha():
            return char.islower()
        if char.isdigit():
            return False
    return False


def join_wrapped(left: str, right: str) -> str:
    """Join two wrapped lines, undoing hyphenation at the line end where it was a break."""
    if not left:
        return right
    if not right:
        return left
    if left.endswith("\u00ad"):
        return left[:-1] + right
    if len(left) >= 2 and left[-1] == "-" and not left[-2].isspace():
        first = right.split(" ", 1)[0]
        if first.casefold() in _KEEP_HYPHEN_BEFORE:
            return f"{left} {right}"
        if left[-2].isdigit() or left[-2].isupper() or not starts_lowercase(first):
            return left + right
        return left[:-1] + right
    return f"{left} {right}"


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines into one line of flowing text."""
    result = ""
    for line in lines:
        result = join_wrapped(result, plain(line).strip())
    return result.replace("\u00ad", "")


def ends_sentence(line: str) -> bool:
    """Tell whether a line ends with sentence punctuation that is not an abbreviation."""
    return bool(_TERMINAL.search(line)) and not _ABBREVIATION_END.search(line.rstrip("\"“”»«)]’'"))


def ends_paragraph(line: str, width: int) -> bool:
    """Tell whether a wrapped line is the last of its paragraph (short and ends a sentence)."""
    return len(line) < 0.7 * width and ends_sentence(line)


def typical_width(lines: list[str]) -> int:
    """Estimate the line width of the text block (90th percentile of line lengths)."""
    lengths = sorted(len(plain(line)) for line in lines if line)
    if not lengths:
        return 80
    return max(40, lengths[min(len(lengths) - 1, int(len(lengths) * 0.9))])


def join_paragraphs(lines: list[str], *, width: int, blank_breaks: bool) -> str:
    """Join wrapped lines into paragraphs ("\\n\\n" between them, "\\n" between list items)."""
    blocks: list[tuple[str, bool]] = []
    current = ""
    current_is_item = False

    def flush() -> None:
        nonlocal current, current_is_item
        if current:
            blocks.append((current.replace("\u00ad", ""), current_is_item))
        current, current_is_item = "", False

    for raw in lines:
        line = plain(raw).strip()
        if not line:
            if blank_breaks:
                flush()
            continue
        if _BULLET.match(line) and (not current or current_is_item or current.endswith((":", ";"))):
            flush()
            current_is_item = True
        current = join_wrapped(current, line)
        if ends_paragraph(line, width):
            flush()
    flush()
    return _render_blocks(blocks)


def _render_blocks(blocks: list[tuple[str, bool]]) -> str:
    parts: list[str] = []
    for index, (text, is_item) in enumerate(blocks):
        if index:
            previous = blocks[index - 1][0]
            parts.append(
                "\n" if is_item and (blocks[index - 1][1] or previous.endswith(":")) else "\n\n"
            )
        parts.append(text)
    return "".join(parts)

"""Text extraction from PDF files with pypdf."""

import itertools
from collections import Counter
from pathlib import Path

from pypdf import PageObject, PasswordType, PdfReader

from buendnis.agreements.importer.errors import (
    CorruptPdfError,
    EmptyFileError,
    EncryptedPdfError,
    FileMissingError,
    PdfWithoutTextError,
)

_HEAD_BYTES = 1024
_TAIL_BYTES = 2048
# A gap this many times the usual line spacing separates paragraphs.
_GAP_FACTOR = 1.3
_MIN_RECURRENCE = 3


def _check_envelope(data: bytes) -> None:
    """Reject files that are not PDFs or were cut off (no %%EOF near the end)."""
    if not data.strip():
        raise EmptyFileError()
    if b"%PDF-" not in data[:_HEAD_BYTES] or b"%%EOF" not in data[-_TAIL_BYTES:]:
        raise CorruptPdfError()


def _open(path: Path) -> PdfReader:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise FileMissingError(path.name) from error
    _check_envelope(data)
    try:
        return PdfReader(path)
    except Exception as error:  # pypdf raises many kinds of errors on damaged files
        raise CorruptPdfError() from error


def _decrypt(reader: PdfReader) -> None:
    """Open PDFs protected only by an owner password; refuse those that need a password."""
    try:
        result = reader.decrypt("")
    except Exception as error:  # unsupported algorithm or missing crypto library
        raise EncryptedPdfError() from error
    if result == PasswordType.NOT_DECRYPTED:
        raise EncryptedPdfError()


_Line = tuple[str, float | None]


def _page_lines(page: PageObject) -> list[_Line]:
    """The page's text lines as pypdf extracts them, each with the height of its baseline."""
    pieces: list[_Line] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        pieces.append((text, tm[5] * cm[3] + cm[5] if text.strip() else None))

    text = page.extract_text(visitor_text=visit) or ""
    if "".join(piece for piece, _ in pieces) != text:
        return [(line, None) for line in text.split("\n")]
    lines: list[_Line] = [("", None)]
    for piece, baseline in pieces:
        for index, part in enumerate(piece.split("\n")):
            if index:
                lines.append(("", None))
            line, first = lines[-1]
            lines[-1] = (line + part, first if first is not None else baseline)
    return lines


def _steps(lines: list[_Line]) -> list[float]:
    return [
        above - below
        for (_, above), (_, below) in itertools.pairwise(lines)
        if above is not None and below is not None and above > below
    ]


def _usual_step(pages: list[list[_Line]]) -> float | None:
    """The line spacing of running text: the smallest spacing that recurs.

    Erring small only adds blank lines, and the parser ignores blank lines that follow
    nearly every line; erring large would lose the paragraph breaks.
    """
    counts = Counter(round(step * 2) / 2 for page in pages for step in _steps(page))
    recurring = [step for step, count in counts.items() if count >= _MIN_RECURRENCE]
    return min(recurring) if recurring else None


def _with_breaks(lines: list[_Line], usual: float | None) -> str:
    """Join the lines, with a blank line wherever the gap is wider than usual."""
    out: list[str] = []
    previous: float | None = None
    for line, baseline in lines:
        if (
            usual is not None
            and previous is not None
            and baseline is not None
            and previous - baseline > usual * _GAP_FACTOR
        ):
            out.append("")
        out.append(line)
        if baseline is not None:
            previous = baseline
    return "\n".join(out)


def _page_texts(reader: PdfReader) -> list[str]:
    """The text of each page; pypdf drops the space between paragraphs, so restore it."""
    try:
        pages = [_page_lines(page) for page in reader.pages]
    except Exception as error:  # damaged page tree or content streams
        raise CorruptPdfError() from error
    usual = _usual_step(pages)
    return [_with_breaks(lines, usual) for lines in pages]


def extract_pdf_text(path: Path) -> str:
    """Extract the text of all pages, joined with form feeds between pages."""
    reader = _open(Path(path))
    if reader.is_encrypted:
        _decrypt(reader)
    pages = _page_texts(reader)
    if not pages:
        raise CorruptPdfError()
    text = "\f".join(pages)
    if not text.strip():
        raise PdfWithoutTextError()
    return text

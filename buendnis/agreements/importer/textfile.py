"""Reading .txt files: UTF-8 first, cp1252 or latin-1 only for text that looks like text."""

import codecs
import unicodedata
from pathlib import Path

from buendnis.agreements.importer.errors import BinaryFileError, EmptyFileError, FileMissingError

_ALLOWED_CONTROLS = frozenset("\n\r\t\f\u00ad")
_MAX_CONTROL_SHARE = 0.01
_MIN_LETTER_SHARE = 0.5


def looks_like_text(text: str) -> bool:
    """Tell whether decoded text is prose rather than decoded binary data."""
    visible = [char for char in text if not char.isspace()]
    if not visible:
        return True
    bad = sum(
        1
        for char in text
        if char not in _ALLOWED_CONTROLS
        and (unicodedata.category(char).startswith("C") or char == "\ufffd")
    )
    letters = sum(1 for char in visible if char.isalnum())
    return bad / len(text) <= _MAX_CONTROL_SHARE and letters / len(visible) >= _MIN_LETTER_SHARE


def decode_text(data: bytes) -> str:
    """Decode file bytes to text, or raise for empty files and binary data."""
    if not data.strip():
        raise EmptyFileError()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise BinaryFileError() from error
    elif b"\x00" in data:
        raise BinaryFileError()
    else:
        text = _decode_8bit(data)
    if not looks_like_text(text):
        raise BinaryFileError()
    if not text.strip():
        raise EmptyFileError()
    return text


def _decode_8bit(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_text_file(path: Path) -> str:
    """Read a .txt file as text."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise FileMissingError(Path(path).name) from error
    return decode_text(data)

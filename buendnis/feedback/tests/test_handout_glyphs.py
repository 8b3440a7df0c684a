"""Every language the app offers is printed in a font that has its glyphs (no boxes)."""

import io
import re
import shutil
import subprocess
from functools import cache

import pikepdf
from fontTools.ttLib import TTCollection, TTFont

from buendnis.activities.forms import LANGUAGES as ACTIVITY_LANGUAGES
from buendnis.activities.models import Activity
from buendnis.feedback.handout import handout_pdf
from buendnis.feedback.selectors import current_version
from buendnis.feedback.texts import languages

FC_LIST = shutil.which("fc-list") or "/usr/bin/fc-list"  # fontconfig, with WeasyPrint
_BFCHAR = re.compile(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")


@cache
def _family_chars(family: str) -> frozenset[int]:
    """Every code point a font family installed here (fontconfig) has a glyph for."""
    files = subprocess.run(
        [FC_LIST, family, "file"], capture_output=True, text=True, check=True
    ).stdout.split()
    chars: set[int] = set()
    for name in (f.rstrip(":") for f in files):
        fonts = TTCollection(name).fonts if name.endswith(".ttc") else [TTFont(name, lazy=True)]
        for font in fonts:
            chars.update(font.getBestCmap() or {})
    return frozenset(chars)


def _printed_chars(content: bytes) -> dict[str, set[str]]:
    """For each embedded font family, the characters the PDF draws with it."""
    pdf = pikepdf.open(io.BytesIO(content))
    found: dict[str, set[str]] = {}
    for page in pdf.pages:
        for font in page.Resources.Font.values():
            descendant = font.DescendantFonts[0]
            family = str(descendant.FontDescriptor.FontFamily)
            cmap = font.ToUnicode.read_bytes().decode("latin-1")
            for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
                for _gid, unicode in _BFCHAR.findall(block):
                    text = bytes.fromhex(unicode).decode("utf-16-be")
                    found.setdefault(family, set()).update(text)
    return found


def test_it_prints_every_offered_language_name_with_real_glyphs(open_activity: Activity) -> None:
    version = current_version(open_activity.format.feedback_default.questionnaire)
    offered = {language.code: language.name for language in languages(version)}
    offered.update((code, name) for code, name in ACTIVITY_LANGUAGES if code not in offered)
    assert "ትግርኛ" in offered.values()
    rtl = {"ar", "fa", "ku-arab"}
    version.languages = [
        {"code": code, "name": name, "dir": "rtl" if code in rtl else "ltr"}
        for code, name in offered.items()
    ]

    content = handout_pdf(activity=open_activity, version=version, url="https://example.org/r/x/")

    printed = _printed_chars(content)
    all_printed = set().union(*printed.values())
    for name in offered.values():
        missing = {char for char in name if not char.isspace() and char not in all_printed}
        assert not missing, (name, missing)
    for family, chars in printed.items():
        without_glyph = {
            c for c in chars if not c.isspace() and ord(c) not in _family_chars(family)
        }
        assert not without_glyph, (family, sorted(without_glyph))

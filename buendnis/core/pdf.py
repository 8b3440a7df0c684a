"""Accessible PDFs: every document the app prints is tagged PDF/UA-1 (BITV 2.0).

WeasyPrint's ``pdf/ua-1`` variant writes the structure tree from the HTML (headings, lists,
tables with their header cells, figures with the images' ``alt``), ``/MarkInfo``,
``/Lang`` from ``<html lang>``, ``DisplayDocTitle`` and the PDF/UA identification in the
XMP metadata; the headings become bookmarks. WeasyPrint describes a link by its target
(``bericht-formate``); :func:`write_pdf` gives each link the words it carries instead.
"""

from html.parser import HTMLParser
from typing import Any

PDF_VARIANT = "pdf/ua-1"


class _LinkTexts(HTMLParser):
    """Collect the text of every ``<a href>``, keyed by its target as WeasyPrint names it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: dict[str, str] = {}
        self._open: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href") or ""
            self._open.append((href.removeprefix("#"), []))

    def handle_data(self, data: str) -> None:
        for _target, parts in self._open:
            parts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            target, parts = self._open.pop()
            text = " ".join("".join(parts).split())
            if target and text:
                self.texts.setdefault(target, text)


def link_texts(html: str) -> dict[str, str]:
    """Each link target of the document with the text of its first link."""
    parser = _LinkTexts()
    parser.feed(html)
    parser.close()
    return parser.texts


def _describe_links(texts: dict[str, str]) -> Any:
    """A WeasyPrint finisher that sets each link annotation's ``/Contents`` to its words."""
    import pydyf

    def finish(_document: object, pdf: Any) -> None:
        for obj in pdf.objects:
            if not isinstance(obj, pydyf.Dictionary) or obj.get("Subtype") != "/Link":
                continue
            contents = obj.get("Contents")
            target = contents.string if isinstance(contents, pydyf.String) else None
            if target in texts:
                obj["Contents"] = pydyf.String(texts[target])

    return finish


def write_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """The HTML document as a tagged PDF/UA-1 file."""
    import weasyprint  # slow to load; only the PDF paths need it

    document = weasyprint.HTML(string=html, base_url=base_url).render(pdf_variant=PDF_VARIANT)
    return document_pdf(document, html)


def document_pdf(document: Any, html: str) -> bytes:
    """A laid-out WeasyPrint document (rendered from ``html``) as a tagged PDF/UA-1 file."""
    return document.write_pdf(pdf_variant=PDF_VARIANT, finisher=_describe_links(link_texts(html)))

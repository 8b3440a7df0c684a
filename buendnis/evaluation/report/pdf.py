"""The report as PDF: WeasyPrint lays out the same HTML document on tagged A4 pages."""

from pathlib import Path

import weasyprint

from buendnis.core.pdf import PDF_VARIANT, document_pdf, write_pdf

BASE_URL = Path(__file__).resolve().parent.as_uri() + "/"


def render_pdf(html: str) -> bytes:
    """A4 PDF/UA-1 of the report document (styles are inline, images are ``data:`` URLs)."""
    return write_pdf(html, base_url=BASE_URL)


def layout(html: str) -> weasyprint.Document:
    """The laid-out document, for checks of its pages and boxes."""
    return weasyprint.HTML(string=html, base_url=BASE_URL).render(pdf_variant=PDF_VARIANT)


def layout_pdf(document: weasyprint.Document, html: str) -> bytes:
    """The PDF of a document laid out by :func:`layout` (as :func:`render_pdf` writes it)."""
    return document_pdf(document, html)

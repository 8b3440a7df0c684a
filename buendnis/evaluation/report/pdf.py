"""The report as PDF: WeasyPrint lays out the same HTML document on A4 pages."""

from pathlib import Path

import weasyprint

BASE_URL = Path(__file__).resolve().parent.as_uri() + "/"


def render_pdf(html: str) -> bytes:
    """A4 PDF of the report document (styles are inline, images are ``data:`` URLs)."""
    return weasyprint.HTML(string=html, base_url=BASE_URL).write_pdf()


def layout(html: str) -> weasyprint.Document:
    """The laid-out document, for checks of its pages and boxes."""
    return weasyprint.HTML(string=html, base_url=BASE_URL).render()

"""The report as one standalone HTML document (also the source of the PDF)."""

from typing import Any

from django.template.loader import render_to_string

DOCUMENT = "evaluation/report/document.html"


def render_html(context: dict[str, Any]) -> str:
    """The whole document: styles inline, charts as ``data:`` images, nothing to fetch."""
    return render_to_string(DOCUMENT, context)

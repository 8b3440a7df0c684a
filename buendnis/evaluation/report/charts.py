"""The report's charts: SVG bar charts by pygal, static (no JavaScript), German-labelled.

Every chart stands beside its data table in the report; the table is what screen readers
use, the SVG carries ``role="img"`` and an ``aria-label``. Values that are withheld in the
ministry's copy are passed as ``None`` and not plotted.
"""

import base64
import re
from dataclasses import dataclass

import pygal
from pygal.style import Style

WIDTH = 720
BAR_HEIGHT = 26
MIN_HEIGHT = 220
FONT = "DejaVu Sans"
COLOURS = ("#0b5394", "#9aa5b1", "#c55a11", "#38761d")  # current, previous, target, spare
LABEL_LENGTH = 34
STYLE = Style(
    font_family=FONT,
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1a1a1a",
    foreground_strong="#1a1a1a",
    foreground_subtle="#6b6b6b",
    opacity="1",
    opacity_hover="1",
    colors=COLOURS,
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    title_font_size=16,
    value_font_size=12,
    tooltip_font_size=12,
)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
_ID = re.compile(r"chart-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_SAFE_ID = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True)
class Chart:
    """A rendered chart: its SVG text and what stands in for it."""

    key: str
    title: str
    svg: str
    alt: str
    width: int
    height: int
    note: str = ""

    @property
    def data_uri(self) -> str:
        """The SVG as a ``data:`` URL for an ``<img>`` (allowed by the site's CSP)."""
        encoded = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
        return f"data:image/svg+xml;base64,{encoded}"


def _escape(text: str) -> str:
    """Text for an XML attribute."""
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


def _finish(svg: str, key: str, label: str) -> str:
    """Drop scripts and comments (with their dates), give a stable id and an accessible name."""
    svg = _SCRIPT.sub("", _COMMENT.sub("", svg))
    svg = _ID.sub(f"chart-{_SAFE_ID.sub('-', key)}", svg)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{_escape(label)}" ', 1)


def bar_chart(
    *,
    key: str,
    title: str,
    labels: list[str],
    series: list[tuple[str, list[float | None]]],
    axis_title: str = "",
    alt: str = "",
    note: str = "",
) -> Chart:
    """A horizontal bar chart with one bar per series and label; ``None`` is not drawn."""
    rows = max(1, len(labels)) * max(1, len(series))
    height = max(MIN_HEIGHT, 110 + rows * BAR_HEIGHT)
    chart = pygal.HorizontalBar(
        js=[],
        disable_xml_declaration=True,
        style=STYLE,
        width=WIDTH,
        height=height,
        title=title,
        x_title=axis_title or None,
        legend_at_bottom=True,
        legend_at_bottom_columns=max(1, len(series)),
        truncate_label=-1,
        truncate_legend=-1,
        show_minor_y_labels=True,
        print_values=False,
        margin=12,
        spacing=8,
        no_data_text="–",
        min_scale=4,
        max_scale=8,
        value_formatter=_number,
    )
    # pygal draws horizontal bars bottom-up: reverse so they read top-down like the table.
    chart.x_labels = [_short(label) for label in reversed(labels)]
    for name, values in series:
        chart.add(name, list(reversed(values)))
    svg = chart.render(is_unicode=True)
    label = alt or title
    return Chart(
        key=key,
        title=title,
        svg=_finish(svg, key, label),
        alt=label,
        width=WIDTH,
        height=height,
        note=note,
    )


def _short(label: str) -> str:
    """Long labels are cut (the table beside the chart has them in full)."""
    return label if len(label) <= LABEL_LENGTH else label[: LABEL_LENGTH - 1].rstrip() + "…"


def _number(value: float) -> str:
    """An axis or tooltip value in the active language."""
    from buendnis.evaluation.report.formatting import format_number

    return format_number(round(value, 1))

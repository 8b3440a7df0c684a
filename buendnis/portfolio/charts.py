"""The portfolio's charts as inline SVG: a tile map of Hessen's Kreise and bar charts.

Hand-drawn, so they need no script, no outside request and no inline style (only SVG
presentation attributes, which the site's CSP allows). Each chart carries ``role="img"``
with an ``aria-label``; the table beside it holds the same figures for screen readers.
Protected figures ("< 5", "•", "–") are not drawn as bars or shades: the tile or bar says
the mark in words.
"""

from dataclasses import dataclass
from html import escape

from django.utils.translation import gettext as _

# A grid cartogram: one tile per Kreis at roughly its place (column, row), north at the top.
TILES: dict[str, tuple[int, int, str]] = {
    "06635": (1, 0, "KB"),  # Waldeck-Frankenberg
    "06633": (2, 0, "KS"),  # Landkreis Kassel
    "06611": (3, 0, "KS-S"),  # Kassel, documenta-Stadt
    "06636": (4, 0, "ESW"),  # Werra-Meißner-Kreis
    "06534": (1, 1, "MR"),  # Marburg-Biedenkopf
    "06634": (2, 1, "HR"),  # Schwalm-Eder-Kreis
    "06632": (3, 1, "HEF"),  # Hersfeld-Rotenburg
    "06532": (0, 2, "LDK"),  # Lahn-Dill-Kreis
    "06531": (1, 2, "GI"),  # Gießen
    "06535": (2, 2, "VB"),  # Vogelsbergkreis
    "06631": (3, 2, "FD"),  # Fulda
    "06533": (0, 3, "LM"),  # Limburg-Weilburg
    "06434": (1, 3, "HG"),  # Hochtaunuskreis
    "06440": (2, 3, "FB"),  # Wetteraukreis
    "06435": (3, 3, "MKK"),  # Main-Kinzig-Kreis
    "06439": (0, 4, "RÜD"),  # Rheingau-Taunus-Kreis
    "06414": (1, 4, "WI"),  # Wiesbaden
    "06436": (2, 4, "MTK"),  # Main-Taunus-Kreis
    "06412": (3, 4, "F"),  # Frankfurt am Main
    "06413": (4, 4, "OF-S"),  # Offenbach am Main
    "06433": (1, 5, "GG"),  # Groß-Gerau
    "06411": (2, 5, "DA-S"),  # Darmstadt
    "06438": (3, 5, "OF"),  # Landkreis Offenbach
    "06431": (1, 6, "HP"),  # Bergstraße
    "06432": (2, 6, "DA-DI"),  # Darmstadt-Dieburg
    "06437": (3, 6, "ERB"),  # Odenwaldkreis
}
BEZIRK_COLOURS = {"Darmstadt": "#6a3d9a", "Gießen": "#1b7837", "Kassel": "#b35806"}
SHADES = ("#eef3fb", "#c6dbef", "#9ecae1", "#4292c6", "#08519c")  # light to dark
DARK_FROM = 3  # shades from this index on carry white text
MARK_FILL = "#e0e0e0"
TILE, GAP, MARGIN = 66, 6, 8


@dataclass(frozen=True)
class Svg:
    """An inline chart and its accessible name."""

    markup: str
    label: str


def _shade(value: object, top: int) -> int | None:
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    if top <= 0 or value <= 0:
        return 0
    return min(len(SHADES) - 1, 1 + (len(SHADES) - 2) * value // top)


def tile_map(
    *, values: dict[str, object], names: dict[str, str], bezirke: dict[str, str], label: str
) -> Svg:
    """One square per Kreis, framed in its Regierungsbezirk's colour, shaded by value."""
    top = max((v for v in values.values() if isinstance(v, int)), default=0)
    columns = 1 + max(c for c, _r, _a in TILES.values())
    rows = 1 + max(r for _c, r, _a in TILES.values())
    width = 2 * MARGIN + columns * (TILE + GAP)
    legend_y = 2 * MARGIN + rows * (TILE + GAP)
    height = legend_y + 26 * (len(BEZIRK_COLOURS) + 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="tile-map" role="img" '
        f'aria-label="{escape(label)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="DejaVu Sans, sans-serif">'
    ]
    for ags, (column, row, short) in TILES.items():
        if ags not in names:
            continue
        value = values.get(ags, "")
        shade = _shade(value, top)
        fill = MARK_FILL if shade is None else SHADES[shade]
        ink = "#ffffff" if shade is not None and shade >= DARK_FROM else "#1a1a1a"
        x = MARGIN + column * (TILE + GAP)
        y = MARGIN + row * (TILE + GAP)
        stroke = BEZIRK_COLOURS.get(bezirke.get(ags, ""), "#555555")
        shown = escape(str(value)) if value != "" else ""
        parts.append(
            f"<g><title>{escape(names[ags])} ({escape(bezirke.get(ags, ''))}): {shown}</title>"
            f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="4" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="4"/>'
            f'<text x="{x + TILE / 2}" y="{y + 27}" text-anchor="middle" font-size="14" '
            f'font-weight="bold" fill="{ink}">{escape(short)}</text>'
            f'<text x="{x + TILE / 2}" y="{y + 48}" text-anchor="middle" font-size="14" '
            f'fill="{ink}">{shown}</text></g>'
        )
    for index, (bezirk, colour) in enumerate(BEZIRK_COLOURS.items()):
        y = legend_y + 26 * index
        parts.append(
            f'<rect x="{MARGIN}" y="{y}" width="18" height="18" fill="#ffffff" '
            f'stroke="{colour}" stroke-width="4"/>'
            f'<text x="{MARGIN + 28}" y="{y + 14}" font-size="13" fill="#1a1a1a">'
            f"{escape(_('Regierungsbezirk %(name)s') % {'name': bezirk})}</text>"
        )
    y = legend_y + 26 * len(BEZIRK_COLOURS)
    parts.append(
        f'<rect x="{MARGIN}" y="{y}" width="18" height="18" fill="{MARK_FILL}"/>'
        f'<text x="{MARGIN + 28}" y="{y + 14}" font-size="13" fill="#1a1a1a">'
        f"{escape(_('geschützt (Zeichen statt Zahl)'))}</text>"
    )
    parts.append("</svg>")
    return Svg("".join(parts), label)


BAR_HEIGHT, LABEL_WIDTH, BAR_AREA = 22, 190, 300


def bar_chart(*, labels: list[str], values: list[object], label: str) -> Svg:
    """Horizontal bars, one per label; a protected value is written, not drawn."""
    top = max((v for v in values if isinstance(v, int | float)), default=0) or 1
    width = LABEL_WIDTH + BAR_AREA + 80
    height = MARGIN * 2 + len(labels) * (BAR_HEIGHT + 8)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" role="img" '
        f'aria-label="{escape(label)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="DejaVu Sans, sans-serif">'
    ]
    for index, (name, value) in enumerate(zip(labels, values, strict=True)):
        y = MARGIN + index * (BAR_HEIGHT + 8)
        short = name if len(name) <= 26 else name[:25] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end" font-size="13" '
            f'fill="#1a1a1a">{escape(short)}</text>'
        )
        drawn = isinstance(value, int | float) and not isinstance(value, bool)
        length = round(BAR_AREA * value / top) if drawn else 0  # type: ignore[operator]
        if drawn and length:
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" '
                f'fill="#0b5394"/>'
            )
        parts.append(
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 16}" font-size="13" '
            f'fill="#1a1a1a">{escape(str(value))}</text>'
        )
    parts.append("</svg>")
    return Svg("".join(parts), label)

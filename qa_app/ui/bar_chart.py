"""A horizontal bar chart as inline SVG, shared by the domains' report pages.

No scripts and no style attributes (CSP). The label column is as wide as the longest label
needs (at most 40 % of the chart); longer labels are cut with an ellipsis and keep their whole
text in a <title> tooltip. A bar with a link opens the row's drill-down page.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .chart_text import fit, widest

FONT = 11


def _tooltip(whole: str, shown: str) -> str:
    return f"<title>{escape(whole)}</title>" if shown != whole else ""


def bar_chart(
    rows: list[tuple[str, float]] | list[tuple[str, float, str | None]],
    *,
    x_max: float = 100,
    title: str = "",
    width: int = 720,
    unit: str = "%",
    colour: str = "#dc2626",
) -> Markup:
    """Horizontal bars, one per row: (label, value) or (label, value, link or None)."""
    label_w = int(min(width * 0.4, max(60.0, widest([str(r[0]) for r in rows], FONT) + 12)))
    bar_h, gap = 16, 6
    height = max(1, len(rows)) * (bar_h + gap) + 10
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    span = width - label_w - 60
    for i, row in enumerate(rows):
        label, value = str(row[0]), row[1]
        link = row[2] if len(row) > 2 else None  # type: ignore[misc]
        y = 5 + i * (bar_h + gap)
        w = span * min(value, x_max) / (x_max or 1)
        shown = fit(label, label_w - 8, FONT)
        text = (
            f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end" font-size="{FONT}" '
            f'fill="#111827">{_tooltip(label, shown)}{escape(shown)}</text>'
        )
        parts.append(f'<a href="{escape(link)}">{text}</a>' if link else text)
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{escape(colour)}"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 12}" font-size="{FONT}" fill="#374151">'
            f"{value:.1f}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))

"""Server-rendered SVG charts (no scripts, no inline styles: CSP-safe presentation attributes)."""

from __future__ import annotations

import math

from markupsafe import Markup, escape

from ..ui.bar_chart import bar_chart as shared_bar_chart
from ..ui.chart_text import fit, text_width, widest

PALETTE = ("#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4b5563", "#ca8a04")


def line_chart(
    x_labels: list[str],
    series: dict[str, list[float | None]],
    *,
    y_max: float = 100,
    title: str = "",
    width: int = 720,
    height: int = 260,
) -> Markup:
    """Lines over categories (e.g. weeks); None leaves a gap. Legend under the plot."""
    shown = [fit(label, 120, 10) for label in x_labels]
    # the first and last labels are centred on the plot's edges: half of each must fit outside it
    left = round(max(40.0, text_width(shown[0], 10) / 2 + 4), 1) if shown else 40.0
    right = round(max(10.0, text_width(shown[-1], 10) / 2 + 4), 1) if shown else 10.0
    top, bottom = 10, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    legend_rows = (len(series) + 3) // 4
    total_h = height + legend_rows * 18
    n = max(1, len(x_labels) - 1)
    y_max = y_max or 1

    def xy(i, v):
        return left + plot_w * i / n, top + plot_h * (1 - v / y_max)

    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {total_h}" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for step in range(5):
        value = y_max * step / 4
        _, y = xy(0, value)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#e5e7eb"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="10" fill="#6b7280">'
            f"{value:g}</text>"
        )
    every = max(1, math.ceil((widest(shown, 10) + 6) / (plot_w / n)))
    for i, label in enumerate(x_labels):
        if i % every == 0:
            x, _ = xy(i, 0)
            parts.append(
                f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                f'font-size="10" fill="#6b7280">{_tooltip(label, shown[i])}{escape(shown[i])}</text>'
            )
    for index, (name, values) in enumerate(series.items()):
        colour = PALETTE[index % len(PALETTE)]
        segment: list[str] = []
        segments = []
        for i, v in enumerate(values):
            if v is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            x, y = xy(i, v)
            segment.append(f"{x:.1f},{y:.1f}")
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}">'
                f"<title>{escape(name)} · {escape(x_labels[i])}: {v:.1f}</title></circle>"
            )
        if segment:
            segments.append(segment)
        for seg in segments:
            parts.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(seg)}"/>'
            )
        lx, ly = left + (index % 4) * (plot_w / 4), height + (index // 4) * 18
        legend = fit(name, plot_w / 4 - 20, 11)
        parts.append(
            f'<rect x="{lx:.1f}" y="{ly - 8}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{lx + 14:.1f}" y="{ly + 1}" font-size="11" fill="#111827">'
            f"{_tooltip(name, legend)}{escape(legend)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(
    rows: list[tuple[str, float]],
    *,
    x_max: float = 100,
    title: str = "",
    width: int = 720,
    unit: str = "%",
    colour: str = "#dc2626",
) -> Markup:
    """Horizontal bars, one per row (label, value): the shared chart of ui.bar_chart."""
    return shared_bar_chart(rows, x_max=x_max, title=title, width=width, unit=unit, colour=colour)


def _tooltip(whole: str, shown: str) -> Markup:
    """The whole text as an SVG <title> when the drawn one was cut."""
    return Markup(f"<title>{escape(whole)}</title>") if shown != whole else Markup("")

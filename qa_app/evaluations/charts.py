"""Server-side SVG charts: geometry computed here, drawn by templates/evaluations/_charts.html.

No scripts and no style attributes (CSP): only SVG elements with presentation attributes, and
every chart carries a text table beside it for screen readers and print.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..ui.chart_text import fit, text_width, widest

WIDTH, HEIGHT = 560, 200
LEFT, RIGHT, TOP, BOTTOM = 36, 30, 12, 28
AXIS_FONT, BAR_FONT = 10, 12
MAX_AXIS_LABEL = 120  # a period key longer than this is cut (with a tooltip)


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float
    label: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    points: list[Point]  # only periods with a value
    labels: list[tuple[float, str, str]]  # x, label as drawn, whole key (shown ones only)
    gridlines: list[tuple[float, int]]  # y and value (0, 50, 100…)
    path: str
    left: float = LEFT
    right: float = WIDTH - RIGHT


@dataclass(frozen=True)
class _Axis:
    left: float
    right: float
    count: int

    def x(self, index: int) -> float:
        span = self.right - self.left
        return self.left + (span * index / (self.count - 1) if self.count > 1 else span / 2)


def _axis(keys: list[str]) -> _Axis:
    """Margins wide enough for the centred first and last labels to stay inside the chart."""
    shown = [fit(k, MAX_AXIS_LABEL, AXIS_FONT) for k in keys] or [""]
    left = max(LEFT, text_width(shown[0], AXIS_FONT) / 2 + 4) if len(keys) > 1 else LEFT
    right = max(RIGHT, text_width(shown[-1], AXIS_FONT) / 2 + 4)
    return _Axis(round(left, 1), round(WIDTH - right, 1), len(keys))


def axis_labels(keys: list[str], axis: _Axis) -> list[tuple[float, str, str]]:
    """Every n-th label, n chosen so neighbouring labels never overlap."""
    if not keys:
        return []
    shown = [fit(k, MAX_AXIS_LABEL, AXIS_FONT) for k in keys]
    spacing = (axis.right - axis.left) / (len(keys) - 1) if len(keys) > 1 else WIDTH
    every = max(1, math.ceil((widest(shown, AXIS_FONT) + 6) / spacing))
    return [(round(axis.x(i), 1), shown[i], keys[i]) for i in range(0, len(keys), every)]


def _y(value: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - max(0.0, min(100.0, value)) / 100)


def line(keys: list[str], values: list[float | None]) -> LineChart:
    """A 0–100 line over periods; gaps where a period has no value."""
    axis = _axis(keys)
    points = [
        Point(round(axis.x(i), 1), round(_y(v), 1), v, keys[i]) for i, v in enumerate(values) if v is not None
    ]
    segments, pen_down = [], False
    for i, v in enumerate(values):
        if v is None:
            pen_down = False
            continue
        segments.append(f"{'L' if pen_down else 'M'}{axis.x(i):.1f},{_y(v):.1f}")
        pen_down = True
    return LineChart(
        WIDTH,
        HEIGHT,
        points,
        axis_labels(keys, axis),
        [(round(_y(v), 1), v) for v in (0, 50, 70, 100)],
        " ".join(segments),
        axis.left,
        axis.right,
    )


@dataclass(frozen=True)
class Bar:
    y: float
    width: float
    value: float | None
    label: str  # as drawn, cut with an ellipsis when too long
    state: str
    full: str = ""  # the whole label, for the tooltip


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bars: list[Bar]
    bar_height: int


def bar_label_width(labels: list[str]) -> int:
    """Room for the longest label, but never more than 40 % of the chart (longer ones are cut)."""
    return int(min(WIDTH * 0.4, max(60.0, widest(labels, BAR_FONT) + 12)))


def bars(items: list[tuple[str, float | None, str]]) -> BarChart:
    """Horizontal 0–100 bars: (label, value or None, state)."""
    bar_height, gap = 18, 8
    label_width = bar_label_width([label for label, _, _ in items])
    span = WIDTH - label_width - 48
    result = [
        Bar(
            TOP + i * (bar_height + gap),
            round(span * max(0.0, min(100.0, v or 0)) / 100, 1),
            v,
            fit(label, label_width - 8, BAR_FONT),
            state,
            label,
        )
        for i, (label, v, state) in enumerate(items)
    ]
    return BarChart(WIDTH, TOP + len(items) * (bar_height + gap) + 4, label_width, result, bar_height)


@dataclass(frozen=True)
class Sparkline:
    width: int
    height: int
    points: list[tuple[float, float, float]]  # x, y, value
    path: str
    last: float | None


def spark(values: list[float | None], width: int = 110, height: int = 26) -> Sparkline:
    """A small 0–100 line for a table cell; gaps where a period has no value."""
    count = len(values)
    step = (width - 8) / (count - 1) if count > 1 else 0

    def xy(i, v):
        return round(4 + i * step, 1), round(3 + (height - 6) * (1 - max(0.0, min(100.0, v)) / 100), 1)

    points, segments, pen_down = [], [], False
    for i, v in enumerate(values):
        if v is None:
            pen_down = False
            continue
        x, y = xy(i, v)
        points.append((x, y, v))
        segments.append(f"{'L' if pen_down else 'M'}{x},{y}")
        pen_down = True
    last = values[-1] if values else None
    return Sparkline(width, height, points, " ".join(segments), last)

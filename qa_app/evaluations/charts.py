"""Server-side SVG charts: geometry computed here, drawn by templates/evaluations/_charts.html.

No scripts and no style attributes (CSP): only SVG elements with presentation attributes, and
every chart carries a text table beside it for screen readers and print.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT = 560, 200
LEFT, RIGHT, TOP, BOTTOM = 36, 30, 12, 28


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
    labels: list[tuple[float, str]]  # x and period key for every period
    gridlines: list[tuple[float, int]]  # y and value (0, 50, 100…)
    path: str


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span * index / (count - 1) if count > 1 else span / 2)


def _y(value: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - max(0.0, min(100.0, value)) / 100)


def line(keys: list[str], values: list[float | None]) -> LineChart:
    """A 0–100 line over periods; gaps where a period has no value."""
    count = len(keys)
    points = [
        Point(round(_x(i, count), 1), round(_y(v), 1), v, keys[i])
        for i, v in enumerate(values)
        if v is not None
    ]
    segments, pen_down = [], False
    for i, v in enumerate(values):
        if v is None:
            pen_down = False
            continue
        segments.append(f"{'L' if pen_down else 'M'}{_x(i, count):.1f},{_y(v):.1f}")
        pen_down = True
    return LineChart(
        WIDTH,
        HEIGHT,
        points,
        [(round(_x(i, count), 1), k) for i, k in enumerate(keys)],
        [(round(_y(v), 1), v) for v in (0, 50, 70, 100)],
        " ".join(segments),
    )


@dataclass(frozen=True)
class Bar:
    y: float
    width: float
    value: float | None
    label: str
    state: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bars: list[Bar]
    bar_height: int


def bars(items: list[tuple[str, float | None, str]], label_width: int = 140) -> BarChart:
    """Horizontal 0–100 bars: (label, value or None, state)."""
    bar_height, gap = 18, 8
    span = WIDTH - label_width - 48
    result = [
        Bar(
            TOP + i * (bar_height + gap), round(span * max(0.0, min(100.0, v or 0)) / 100, 1), v, label, state
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

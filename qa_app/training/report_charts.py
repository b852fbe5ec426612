"""The chart above each training report: bars a reader can click to drill down."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup

from ..ui.bar_chart import bar_chart
from .report_range import ReportRange

MAX_BARS = 20


def _course_title(course, current: str) -> str:
    return course.published.title(current) if course.published else course.slug


def chart_for(view: str, rows: list, current: str, span: ReportRange) -> Markup | None:
    """Completion per course (or course and team), or the wrong rate of the hardest questions;
    the overdue list is a to-do list, not a chart."""
    if not rows or view == "overdue":
        return None
    if view in ("courses", "teams"):
        bars = [
            (
                _course_title(r.course, current) + (f" · {r.team.name}" if r.team else ""),
                r.completion_rate,
                url_for(
                    "training.reports",
                    view="items",
                    course=r.course.id,
                    team=r.team.id if r.team else None,
                    **span.args,
                ),
            )
            for r in rows
            if r.completion_rate is not None
        ][:MAX_BARS]
        return bar_chart(bars, title=_("Completion rate"), colour="#2563eb") if bars else None
    bars = [(f"{_course_title(r.course, current)} · {r.key}", r.wrong_rate, None) for r in rows[:MAX_BARS]]
    return bar_chart(bars, title=_("Wrong rate"), colour="#dc2626")

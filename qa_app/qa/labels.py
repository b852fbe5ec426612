"""Words for a rubric's scale codes: the rubric page says "Yes / no", never `yes_no` (the codes
stay in the rubric files and their TOML downloads)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

SCALES = {
    "yes_no": _l("Yes / no"),
    "1-3": _l("Rating 1–3"),
    "1-5": _l("Rating 1–5"),
}


def scale_label(scale: str, max_points: int | None = None) -> str:
    if scale == "points":
        return _("Points (0–%(max)s)", max=max_points or 0)
    return str(SCALES.get(scale, scale))


#: the QA report downloads' columns, as their header reads in the user's language
REPORT_COLUMNS = {
    "score_id": _l("Score ID"),
    "submitted_at": _l("Submitted at"),
    "agent": _l("Agent"),
    "team": _l("Team"),
    "grader": _l("Grader"),
    "rubric_version": _l("Rubric version"),
    "rubric_title": _l("Rubric"),
    "total": _l("Total score"),
    "critical_failed": _l("Critical failure"),
    "picked_by": _l("Picked by"),
    "criterion": _l("Criterion"),
    "weight": _l("Weight"),
    "scale": _l("Scale"),
    "critical": _l("Critical"),
    "value": _l("Value"),
    "na": _l("N/A"),
    "fraction": _l("Share of the points"),
    "prefilled_from_check": _l("Pre-filled by check"),
    "comment": _l("Comment"),
}

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

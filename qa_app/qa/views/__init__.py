"""The qa blueprint (registered as before: the app reads `bp`, `NAV` and `PANELS` here), its pages
one module per subject."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint(
    "qa",
    __name__.rpartition(".")[0],  # the qa package: its templates/ and static/ folders
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
    url_prefix="/qa",
)

from ..labels import scale_label  # noqa: E402

bp.add_app_template_filter(scale_label, "scale_label")

from . import (  # noqa: E402,F401
    calibration,
    chat_scoring,
    disputes,
    reports,
    rubrics,
    sampling,
    scoring,
    trust,
)
from .scoring import NAV, PANELS  # noqa: E402

__all__ = ["NAV", "PANELS", "bp"]

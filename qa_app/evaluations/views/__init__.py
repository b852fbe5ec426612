"""The evaluations blueprint (registered as before: the app reads `bp`, `NAV` and `PANELS` here),
its pages one module per subject."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint(
    "evaluations",
    __name__.rpartition(".")[0],  # the evaluations package: its templates/ and static/ folders
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/evaluations",
    url_prefix="/evaluations",
)

from . import agent, coaching, dashboard, exports, finals, home, settings  # noqa: E402,F401
from .home import NAV, PANELS  # noqa: E402

__all__ = ["NAV", "PANELS", "bp"]

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..accounts import services as accounts
from ..permissions import login_required, public
from .nav import HOME_PANELS, HomePanel

bp = Blueprint(
    "ui", __name__, template_folder="templates", static_folder="static", static_url_path="/static/ui"
)


def _admin_panel(user) -> dict:
    return {"total": accounts.count_users(), "recent": accounts.recent_users(5)}


def _lead_panel(user) -> dict:
    return {"teams": user.led_teams, "agents": accounts.agents_of_lead(user)}


PANELS = [
    HomePanel(_l("My team"), "ui/panels/lead_team.html", ("lead",), _lead_panel, order=30),
    HomePanel(_l("Users"), "ui/panels/admin_users.html", ("admin",), _admin_panel, order=90),
]


@bp.route("/")
@login_required
def home():
    panels = [(panel, panel.context(current_user)) for panel in HOME_PANELS if panel.visible_to(current_user)]
    return render_template("ui/home.html", panels=panels)


@bp.route("/healthz")
@public
def healthz():
    return {"status": "ok"}

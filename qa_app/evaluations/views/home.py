"""The evaluations menu items, home-page panels and the template helpers every page uses."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ...ui.nav import HomePanel, NavItem
from .. import coaching, periods, priority, services
from ..labels import label, reason_text
from . import bp

NAV = [
    NavItem(_l("Evaluations"), "evaluations.dashboard", ("lead", "admin"), order=50),
    NavItem(_l("Coaching"), "evaluations.coaching_page", ("lead", "admin"), order=51),
    NavItem(_l("My evaluation"), "evaluations.mine", ("agent",), order=50),
    NavItem(_l("Evaluation settings"), "evaluations.settings", ("admin",), order=93),
]


def _lead_panel(user) -> dict:
    period = periods.last_complete("month", services.shop_tz())
    agents = services.visible_agents(user)
    by_period = services.evaluate_periods(agents, [period.previous(), period])
    rows = by_period[period.key]
    settings = priority.settings_for(user)
    ranked = priority.rank(rows, by_period[period.previous().key], settings)
    follow_ups = coaching.due_follow_ups([a.id for a in agents], periods.local_today(period.tz))
    return {
        "period": period,
        "coaching": ranked[: settings.top],
        "candidates": len(ranked),
        "team_overall": services.team_overall(rows),
        "count": len(rows),
        "follow_ups": follow_ups,
    }


def _agent_panel(user) -> dict:
    period = periods.last_complete("month", services.shop_tz())
    return {"evaluation": services.evaluate(user, period), "current": period.next()}


PANELS = [
    HomePanel(_l("Coach first"), "evaluations/panels/lead.html", ("lead",), _lead_panel, order=32),
    HomePanel(_l("My evaluation"), "evaluations/panels/agent.html", ("agent",), _agent_panel, order=22),
]


@bp.app_template_global()
def period_of_today(kind: str) -> periods.Period:
    """The period of `kind` holding the shop's today (the "current period" link)."""
    return periods.current(kind, services.shop_tz())


bp.add_app_template_global(reason_text, "coaching_reason")


@bp.app_template_global()
def evaluation_label(kind: str, code: str) -> str:
    return label(kind, code)

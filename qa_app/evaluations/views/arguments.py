"""What a page asks for: the agent (if the viewer may open them), the period and the team."""

from __future__ import annotations

from flask import request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ...accounts.models import User
from ...extensions import db
from ...permissions import can_see_agent, ensure
from ...ui.inputs import DATE_MAX, DATE_MIN, BadArgument, int_arg
from .. import periods, services


def zh() -> bool:
    return get_locale().language == "zh"


def can_open(agent: User) -> bool:
    """An agent sees only their own evaluation; leads their teams' agents; admins everyone."""
    if not can_see_agent(current_user, agent):
        return False
    return current_user.id == agent.id or current_user.has_any_role("lead", "admin")


def agent_or_404(agent_id: int) -> User:
    agent = db.session.get(User, agent_id)
    ensure(agent is not None and can_open(agent))
    return agent


def asked_period():
    try:
        return services.parse_period(
            request.args.get("period") or request.form.get("period"), request.args.get("kind", "month")
        )
    except periods.PeriodOutOfRange:
        raise BadArgument(
            _(
                "period: choose a period between %(first)s and %(last)s.",
                first=DATE_MIN.year,
                last=DATE_MAX.year,
            )
        ) from None


def asked_team() -> int | None:
    team_id = int_arg("team") or request.form.get("team", type=int)
    return team_id if team_id in {t.id for t in services.visible_teams(current_user)} else None

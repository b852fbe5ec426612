"""Check trust: per automatic check, how often graders kept its pre-fill (qa.trust)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ...permissions import roles_required
from ...ui.inputs import date_arg
from .. import charts, trust, weeks
from ..reports import Filters
from . import bp


def _day(name: str, default: date) -> date:
    # not a date: the default; a date outside the window every page computes with: 400
    return date_arg(name) or default


def _period() -> Filters:
    today = weeks.local_today()
    start, end = _day("start", today - timedelta(days=29)), _day("end", today)
    if end < start:
        start, end = end, start
    start = max(start, end - timedelta(days=730))
    f = Filters(start=start, end=end)
    # a team lead reads the checks as they were used on their own teams' chats
    if not current_user.has_any_role("qa", "admin"):
        f.agent_ids = [m.id for t in current_user.led_teams for m in t.members]
    return f


@bp.route("/trust", endpoint="trust")
@roles_required("qa", "lead", "admin")
def trust_page():
    f = _period()
    start, end = f.bounds()
    rows = trust.by_check(start, end, f.agent_ids)
    check = request.args.get("check") or None
    if check not in {row.check for row in rows}:
        check = None
    min_rate, min_answers = trust.settings()
    chart = (
        charts.bar_chart(
            [(_check_name(r.check), round(100 * r.rate, 1)) for r in rows if r.rate is not None],
            title=_("Pre-fills kept by graders"),
            colour=charts.PALETTE[0],
        )
        if rows
        else None
    )
    return render_template(
        "qa/trust.html",
        f=f,
        rows=rows,
        chart=chart,
        check=check,
        disagreements=trust.disagreements(check, start, end, f.agent_ids) if check else [],
        min_rate=min_rate,
        min_answers=min_answers,
    )


def _check_name(check: str) -> str:
    # the chats domain owns the checks' display names and shares them as a template filter
    label = current_app.jinja_env.filters.get("check_label")
    return label(check) if label else check

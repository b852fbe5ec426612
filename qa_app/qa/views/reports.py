"""QA reports with SVG charts and CSV exports."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from flask import Response, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ...accounts.services import all_teams
from ...permissions import roles_required
from ...ui.exports import relabel
from ...ui.inputs import date_arg, int_arg
from .. import charts, queue, reports, weeks
from ..labels import REPORT_COLUMNS
from . import bp


def _date(name: str, default: date) -> date:
    found = date_arg(name)
    return default if found is None else found


def _filters(picked: str = "random") -> reports.Filters:
    """The report's filters; `picked` when the request names none (exports default to all picks,
    each row saying how it was picked)."""
    today = weeks.local_today()
    start = _date("start", today - timedelta(weeks=8))
    end = _date("end", today)
    if end < start:
        start, end = end, start
    if (end - start).days > 730:
        start = end - timedelta(days=730)
    f = reports.Filters(
        start=start,
        end=end,
        rubric_id=int_arg("rubric"),
        team_id=int_arg("team"),
        picked=request.args.get("picked") if request.args.get("picked") in reports.PICKED else picked,
    )
    if not current_user.has_any_role("qa", "admin"):
        f.agent_ids = [m.id for t in current_user.led_teams for m in t.members]
    return f


@bp.route("/reports", endpoint="reports")
@roles_required("qa", "lead", "admin")
def reports_page():
    f = _filters()
    group = request.args.get("group") if request.args.get("group") in reports.GROUPS else "team"
    zh = get_locale().language == "zh"
    rows = reports.score_rows(f)
    weeks, series = reports.trend(f, group, zh=zh, rows=rows)
    failed = reports.criteria_failed(f, zh=zh)
    # a specialist's throughput counts all their work, spotlight picks included
    t_weeks, throughput = reports.throughput(replace(f, picked="all"))
    trend_chart = charts.line_chart(weeks, series, title=_("Mean QA score per week")) if series else None
    failed_chart = (
        charts.bar_chart(
            [(r["title"], r["fail_rate"]) for r in failed], title=_("Criteria most often failed")
        )
        if failed
        else None
    )
    spot = replace(f, picked="spotlight")
    return render_template(
        "qa/reports.html",
        spotlight_summary=reports.summary_rows(spot, group, zh) if f.picked == "random" else None,
        f=f,
        group=group,
        trend_chart=trend_chart,
        summary=reports.summary_rows(f, group, zh, rows=rows),
        failed=failed,
        failed_chart=failed_chart,
        t_weeks=t_weeks,
        throughput=throughput,
        rubrics=queue.rubric_options(),
        teams=all_teams() if current_user.has_any_role("qa", "admin") else current_user.led_teams,
    )


@bp.route("/reports/scores.csv")
@roles_required("qa", "lead", "admin")
def reports_scores_csv():
    return Response(
        "".join(relabel([reports.scores_csv(_filters("all"))], REPORT_COLUMNS)),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=qa-scores.csv"},
    )


@bp.route("/reports/criteria.csv")
@roles_required("qa", "lead", "admin")
def reports_criteria_csv():
    return Response(
        "".join(relabel([reports.criteria_csv(_filters("all"))], REPORT_COLUMNS)),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=qa-criteria.csv"},
    )

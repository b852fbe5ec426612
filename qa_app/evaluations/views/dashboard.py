"""The lead's dashboard (who needs coaching first) and the viewer's own priority thresholds."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...dbtypes import utcnow
from ...extensions import db
from ...permissions import is_safe_redirect, roles_required
from .. import charts, periods, priority, services
from ..forms import COMPONENT_LABELS, PRIORITY_LABELS, EmptyForm, PriorityForm
from ..formula import COMPONENTS
from ..labels import KIND_LABELS, SORT_LABELS
from . import bp
from .arguments import asked_period, asked_team


@bp.route("/")
@roles_required("lead", "admin")
def dashboard():
    period, team_id = asked_period(), asked_team()
    sort = request.args.get("sort", "priority")
    sort = sort if sort in services.SORT_KEYS else "priority"
    descending = request.args.get("dir", "desc") != "asc"
    agents = services.visible_agents(current_user, team_id)
    span = periods.recent(period, 6)
    by_period = services.evaluate_periods(agents, span)
    rows, series = by_period[period.key], services.series_of(agents, span, by_period)
    weights, minimums = services.current_settings()
    settings = priority.settings_for(current_user)
    ranked = priority.rank(rows, by_period[span[-2].key], settings)
    team_series = [services.team_overall_values([series[a.id][i] for a in agents]) for i in range(len(span))]
    return render_template(
        "evaluations/dashboard.html",
        period=period,
        rows=services.sort_rows(rows, sort, descending),
        sort=sort,
        descending=descending,
        team_id=team_id,
        teams=services.visible_teams(current_user),
        coaching=ranked[: settings.top],
        candidates=len(ranked),
        priority_settings=settings,
        priority_form=PriorityForm(obj=settings),
        outliers=[r for r in rows if r.outliers],
        team_overall=services.team_overall(rows),
        span=span,
        series=series,
        team_chart=charts.line([p.key for p in span], team_series),
        sparks={a.id: charts.spark(series[a.id]) for a in agents},
        spark_text={a.id: " → ".join("—" if v is None else f"{v:.1f}" for v in series[a.id]) for a in agents},
        weights=weights,
        minimums=minimums,
        components=COMPONENTS,
        component_labels=COMPONENT_LABELS,
        kinds=KIND_LABELS,
        sort_labels=SORT_LABELS,
        can_finalise=period.end <= utcnow() and any(not r.final for r in rows),
        action_form=EmptyForm(),
    )


@bp.route("/priority", methods=["POST"])
@roles_required("lead", "admin")
def priority_settings():
    """The viewer's own thresholds for the "who needs coaching first" list."""
    form = PriorityForm()
    if form.validate_on_submit():
        try:
            priority.save_settings(
                current_user, {name: getattr(form, name).data for name in priority.PrioritySettings.LIMITS}
            )
        except services.EvaluationError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
    else:
        for name, errors in form.errors.items():
            flash(f"{PRIORITY_LABELS.get(name, name)}: {errors[0]}", "error")
    target = request.form.get("next", "")
    return redirect(target if is_safe_redirect(target) else url_for("evaluations.dashboard"))

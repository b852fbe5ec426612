"""Evaluation pages: the lead's dashboard, one agent's evaluation, evidence, coaching, settings."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..accounts.models import User
from ..dbtypes import utcnow
from ..extensions import db
from ..permissions import can_see_agent, ensure, is_safe_redirect, login_required, roles_required
from ..ui.inputs import DATE_MAX, DATE_MIN, BadArgument, int_arg, page_arg
from ..ui.nav import HomePanel, NavItem
from ..ui.pagination import paginate
from . import (
    charts,
    coaching,
    coaching_form,
    coaching_picks,
    export,
    finals,
    links,
    periods,
    priority,
    services,
    sources,
)
from .forms import (
    COMPONENT_LABELS,
    PRIORITY_LABELS,
    CoachingForm,
    EmptyForm,
    NoteForm,
    PriorityForm,
    SettingsForm,
)
from .formula import COMPONENTS
from .labels import KIND_LABELS, SORT_LABELS, label, reason_text
from .models import CoachingSession

bp = Blueprint(
    "evaluations",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/evaluations",
    url_prefix="/evaluations",
)

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


def _zh() -> bool:
    return get_locale().language == "zh"


def _can_open(agent: User) -> bool:
    """An agent sees only their own evaluation; leads their teams' agents; admins everyone."""
    if not can_see_agent(current_user, agent):
        return False
    return current_user.id == agent.id or current_user.has_any_role("lead", "admin")


def _agent_or_404(agent_id: int) -> User:
    agent = db.session.get(User, agent_id)
    ensure(agent is not None and _can_open(agent))
    return agent


def _period():
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


def _team_id() -> int | None:
    team_id = int_arg("team") or request.form.get("team", type=int)
    return team_id if team_id in {t.id for t in services.visible_teams(current_user)} else None


# --- dashboard ------------------------------------------------------------------------------


@bp.route("/")
@roles_required("lead", "admin")
def dashboard():
    period, team_id = _period(), _team_id()
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


@bp.route("/me")
@roles_required("agent")
def mine():
    return redirect(
        url_for("evaluations.agent", agent_id=current_user.id, period=request.args.get("period") or None)
    )


@bp.route("/agents/<int:agent_id>")
@login_required
def agent(agent_id: int):
    agent_user = _agent_or_404(agent_id)
    period = _period()
    span, history = services.component_trend(agent_user, period, 6)
    evaluation = history[-1]  # the span ends with the period shown
    keys = [p.key for p in span]
    trend_chart = charts.line(keys, [e.overall for e in history])
    bar_chart = charts.bars(
        [
            (str(COMPONENT_LABELS[k]), evaluation.components[k].value, evaluation.components[k].state)
            for k in COMPONENTS
        ]
    )
    note = finals.note_for(agent_user, period)
    note_form = NoteForm(obj=note) if note else NoteForm()
    can_edit = services.can_evaluate(current_user, agent_user)
    change = finals.evidence_change(evaluation) if can_edit or current_user.id == agent_id else None
    sessions = coaching.outcomes_for_period(agent_user, period, 5)
    return render_template(
        "evaluations/agent.html",
        evaluation=evaluation,
        period=period,
        agent=agent_user,
        history=list(zip(span, history, strict=True)),
        trend_chart=trend_chart,
        components_chart=bar_chart,
        sessions=sessions,
        linked=coaching_picks.linked_names([session for session, _outcomes in sessions]),
        titles=sources.criterion_titles(),
        zh=_zh(),
        components=COMPONENTS,
        component_labels=COMPONENT_LABELS,
        note_form=note_form,
        can_edit=can_edit,
        can_finalise=can_edit and not evaluation.final and period.end <= utcnow(),
        evidence=lambda kind, **f: links.evidence_url(evaluation, kind, current_user, **f),
        obj_url=lambda endpoint, **v: links.object_url(endpoint, current_user, **v),
        action_form=EmptyForm(),
        kinds=KIND_LABELS,
        change=change,
        can_reopen=finals.can_reopen(current_user, agent_user),
        can_delete=lambda session: coaching.can_delete(current_user, session),
    )


@bp.route("/agents/<int:agent_id>/evidence")
@login_required
def evidence(agent_id: int):
    agent_user = _agent_or_404(agent_id)
    period = _period()
    kind = request.args.get("kind", "qa")
    if kind not in ("qa", "reviews", "chats", "training"):
        abort(404)
    page = scores = course_lines = attempts = None
    per_page = current_app.config["PER_PAGE"]
    number = page_arg()
    if kind == "qa":
        scores = sources.qa_score_rows(agent_user.id, period)
    elif kind == "reviews":
        page = paginate(
            sources.review_rows(agent_user.id, period, request.args.get("polarity")), number, per_page
        )
    elif kind == "chats":
        page = paginate(
            sources.chat_rows(agent_user.id, period, request.args.get("outcome")), number, per_page
        )
    else:
        course_lines, attempts = sources.training_rows(agent_user.id, period)
    return render_template(
        "evaluations/evidence.html",
        agent=agent_user,
        period=period,
        kind=kind,
        page=page,
        scores=scores,
        course_lines=course_lines,
        attempts=attempts,
        zh=_zh(),
        obj_url=lambda endpoint, **v: links.object_url(endpoint, current_user, **v),
        can_coach=services.can_evaluate(current_user, agent_user),
        component_labels=COMPONENT_LABELS,
    )


@bp.route("/agents/<int:agent_id>/notes", methods=["POST"])
@roles_required("lead", "admin")
def save_note(agent_id: int):
    agent_user = _agent_or_404(agent_id)
    period = _period()
    form = NoteForm()
    if form.validate_on_submit():
        try:
            finals.save_note(
                current_user,
                agent_user,
                period,
                praise=form.praise.data or "",
                criticism=form.criticism.data or "",
            )
        except services.EvaluationError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
    else:
        flash(_("The notes are too long."), "error")
    return redirect(url_for("evaluations.agent", agent_id=agent_user.id, period=period.key))


@bp.route("/finalise", methods=["POST"])
@roles_required("lead", "admin")
def finalise():
    period = _period()
    agent_id = request.form.get("agent", type=int)
    if agent_id:
        agents = [_agent_or_404(agent_id)]
        target = url_for("evaluations.agent", agent_id=agent_id, period=period.key)
    else:
        team_id = _team_id()
        agents = services.visible_agents(current_user, team_id)
        target = url_for("evaluations.dashboard", period=period.key, team=team_id)
    if EmptyForm().validate_on_submit():
        try:
            count = finals.finalise(current_user, agents, period)
        except services.EvaluationError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("%(count)s evaluations finalised.", count=count), "success")
    return redirect(target)


@bp.route("/agents/<int:agent_id>/reopen", methods=["POST"])
@roles_required("lead")
def reopen(agent_id: int):
    """The agent's team lead turns a final evaluation back into a draft (audited)."""
    agent_user = _agent_or_404(agent_id)
    period = _period()
    if EmptyForm().validate_on_submit():
        try:
            finals.reopen(current_user, agent_user, period)
        except services.EvaluationError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The evaluation is a draft again, computed from today's evidence."), "success")
    return redirect(url_for("evaluations.agent", agent_id=agent_user.id, period=period.key))


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


def _export_rows():
    period = _period()
    return period, services.evaluate_many(services.visible_agents(current_user, _team_id()), period)


@bp.route("/export.csv")
@roles_required("lead", "admin")
def export_csv():
    period, rows = _export_rows()
    return Response(
        export.to_csv(rows),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="evaluations-{period.key}.csv"'},
    )


@bp.route("/export.xlsx")
@roles_required("lead", "admin")
def export_xlsx():
    period, rows = _export_rows()
    return Response(
        export.to_xlsx(rows, period.key),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="evaluations-{period.key}.xlsx"'},
    )


# --- coaching -------------------------------------------------------------------------------


@bp.route("/coaching", methods=["GET", "POST"])
@roles_required("lead", "admin")
def coaching_page():
    agents = services.visible_agents(current_user)
    form = CoachingForm()
    form.agent_id.choices = [(a.id, a.display_name) for a in agents]
    if request.method == "GET":
        form.agent_id.data = int_arg("agent")
        form.held_on.data = periods.local_today(services.shop_tz())
        form.chat_ids.data = coaching_form.wanted_ids(request.args.get("chats"))
        form.review_ids.data = coaching_form.wanted_ids(request.args.get("reviews"))
    agent_user = next((a for a in agents if a.id == form.agent_id.data), None)
    offer = coaching_form.offer(form, agent_user, _zh())
    if form.validate_on_submit():
        ensure(agent_user is not None)
        try:
            coaching.record_session(
                current_user,
                agent_user,
                held_on=form.held_on.data,
                notes=form.notes.data,
                actions=form.actions.data or "",
                follow_up_on=form.follow_up_on.data,
                criterion_keys=form.criterion_keys.data,
                chat_ids=form.chat_ids.data,
                review_ids=form.review_ids.data,
            )
        except services.EvaluationError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Coaching session recorded."), "success")
            return redirect(url_for("evaluations.coaching_page"))
    sessions = coaching.sessions_of([a.id for a in agents], limit=50)
    return render_template(
        "evaluations/coaching.html",
        form=form,
        agent=agent_user,
        agents=agents,
        offer=offer,
        sessions=sessions,
        titles=sources.criterion_titles(),
        zh=_zh(),
        obj_url=lambda endpoint, **v: links.object_url(endpoint, current_user, **v),
        today=periods.local_today(services.shop_tz()),
        can_delete=lambda session: coaching.can_delete(current_user, session),
    )


@bp.route("/coaching/<int:session_id>/delete", methods=["POST"])
@roles_required("lead")
def delete_coaching(session_id: int):
    """The lead of the agent's team removes a session (CSRF: the app's CSRFProtect)."""
    session = db.session.get(CoachingSession, session_id)
    ensure(session is not None and coaching.can_delete(current_user, session))
    agent_id = session.agent_id
    coaching.delete_session(current_user, session)
    db.session.commit()
    flash(_("Coaching session deleted."), "success")
    target = request.form.get("next", "")
    return redirect(target if is_safe_redirect(target) else url_for("evaluations.agent", agent_id=agent_id))


# --- settings -------------------------------------------------------------------------------


@bp.route("/settings", methods=["GET", "POST"])
@roles_required("admin")
def settings():
    form = SettingsForm()
    if request.method == "GET":
        for key, value in services.weights().items():
            getattr(form, f"weight_{key}").data = value
        for key, value in services.minimums().items():
            getattr(form, f"minimum_{key}").data = value
    if form.validate_on_submit():
        new_weights = {k: getattr(form, f"weight_{k}").data or 0 for k in COMPONENTS}
        new_minimums = {k: getattr(form, f"minimum_{k}").data or 1 for k in COMPONENTS}
        try:
            services.save_settings(current_user, new_weights, new_minimums)
        except services.EvaluationError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("evaluations.settings"))
    return render_template(
        "evaluations/settings.html", form=form, components=COMPONENTS, component_labels=COMPONENT_LABELS
    )

"""One agent's evaluation and the evidence behind each number."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from ...dbtypes import utcnow
from ...permissions import login_required, roles_required
from ...ui.inputs import page_arg
from ...ui.pagination import paginate
from .. import charts, coaching, coaching_picks, finals, links, services, sources
from ..forms import COMPONENT_LABELS, EmptyForm, NoteForm
from ..formula import COMPONENTS
from ..labels import KIND_LABELS
from . import bp
from .arguments import agent_or_404, asked_period, zh


@bp.route("/me")
@roles_required("agent")
def mine():
    return redirect(
        url_for("evaluations.agent", agent_id=current_user.id, period=request.args.get("period") or None)
    )


@bp.route("/agents/<int:agent_id>")
@login_required
def agent(agent_id: int):
    agent_user = agent_or_404(agent_id)
    period = asked_period()
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
        zh=zh(),
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
    agent_user = agent_or_404(agent_id)
    period = asked_period()
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
        zh=zh(),
        obj_url=lambda endpoint, **v: links.object_url(endpoint, current_user, **v),
        can_coach=services.can_evaluate(current_user, agent_user),
        component_labels=COMPONENT_LABELS,
    )

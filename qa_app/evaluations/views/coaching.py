"""Coaching sessions: recording one (with the chats, reviews and criteria it is about), deleting one."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...extensions import db
from ...permissions import ensure, is_safe_redirect, roles_required
from ...ui.inputs import int_arg
from .. import coaching, coaching_form, links, periods, services, sources
from ..forms import CoachingForm
from ..models import CoachingSession
from . import bp
from .arguments import zh


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
    offer = coaching_form.offer(form, agent_user, zh())
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
        zh=zh(),
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

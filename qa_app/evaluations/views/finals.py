"""Making evaluations final: the lead's notes, finalising a period, reopening one agent's."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...extensions import db
from ...permissions import roles_required
from .. import finals, services
from ..forms import EmptyForm, NoteForm
from . import bp
from .arguments import agent_or_404, asked_period, asked_team


@bp.route("/agents/<int:agent_id>/notes", methods=["POST"])
@roles_required("lead", "admin")
def save_note(agent_id: int):
    agent_user = agent_or_404(agent_id)
    period = asked_period()
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
    period = asked_period()
    agent_id = request.form.get("agent", type=int)
    if agent_id:
        agents = [agent_or_404(agent_id)]
        target = url_for("evaluations.agent", agent_id=agent_id, period=period.key)
    else:
        team_id = asked_team()
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
    agent_user = agent_or_404(agent_id)
    period = asked_period()
    if EmptyForm().validate_on_submit():
        try:
            finals.reopen(current_user, agent_user, period)
        except services.EvaluationError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The evaluation is a draft again, computed from today's evidence."), "success")
    return redirect(url_for("evaluations.agent", agent_id=agent_user.id, period=period.key))

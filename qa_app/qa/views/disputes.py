"""Disputes: an agent disputes a score; a lead or another QA specialist resolves it."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...extensions import db
from ...permissions import ensure, login_required, roles_required
from ...ui.inputs import page_arg
from ...ui.pagination import paginate
from .. import access, disputes, queue
from ..forms import DisputeForm, ResolveForm, WindowForm
from ..models import Dispute, Score
from . import bp
from .scoring import _answers_from

STATUSES = ("open", "upheld", "changed")


@bp.route("/disputes", endpoint="disputes")
@roles_required("lead", "qa", "admin")
def disputes_list():
    status = request.args.get("status", "open")
    status = status if status in STATUSES else None
    page = paginate(
        disputes.disputes_query(current_user, status=status), page_arg(), current_app.config["PER_PAGE"]
    )
    window_form = WindowForm(days=disputes.window_days()) if current_user.has_role("admin") else None
    return render_template("qa/disputes.html", page=page, status=status, window_form=window_form)


@bp.route("/disputes/window", methods=["POST"])
@roles_required("admin")
def dispute_window():
    form = WindowForm()
    if form.validate_on_submit():
        disputes.set_window_days(current_user, form.days.data)
        db.session.commit()
        flash(_("Saved."), "success")
    else:
        flash(_("The window must be between 0 and 365 days."), "error")
    return redirect(url_for("qa.disputes"))


@bp.route("/scores/<int:score_id>/dispute", methods=["GET", "POST"])
@login_required
def dispute_score(score_id: int):
    score = db.get_or_404(Score, score_id)
    ensure(score.agent_id == current_user.id and score.status == "submitted")
    form = DisputeForm()
    if form.validate_on_submit():
        try:
            dispute = disputes.raise_dispute(current_user, score, form.reason.data)
        except disputes.DisputeError as error:
            flash(str(error), "error")
        else:
            flash(_("Your dispute was sent. You will be notified of the decision."), "success")
            return redirect(url_for("qa.dispute", dispute_id=dispute.id))
    return render_template(
        "qa/dispute_form.html",
        form=form,
        score=score,
        window=disputes.window_days(),
        allowed=disputes.can_dispute(current_user, score),
        window_closes=disputes.window_closes_at(score),
    )


def _posted_answers(score: Score) -> dict:
    """The criteria the decision form sent; one it did not send is left as it is."""
    return {
        cid: answer
        for cid, answer in _answers_from(request.form, score).items()
        if f"c-{cid}-value" in request.form
    }


@bp.route("/disputes/<int:dispute_id>", methods=["GET", "POST"], endpoint="dispute")
@login_required
def dispute_page(dispute_id: int):
    dispute = db.get_or_404(Dispute, dispute_id)
    ensure(
        dispute.raised_by_id == current_user.id
        or access.can_view(current_user, dispute.score)
        and current_user.has_any_role("qa", "lead", "admin")
    )
    form = ResolveForm()
    can_resolve = disputes.can_resolve(current_user, dispute)
    can_edit = can_resolve and access.can_edit(current_user, dispute.score)
    if request.method == "POST":
        ensure(can_resolve)
        if form.validate_on_submit():
            try:
                disputes.resolve(
                    current_user,
                    dispute,
                    form.outcome.data,
                    form.note.data,
                    answers=_posted_answers(dispute.score) if can_edit else None,
                    expected_version=request.form.get("version", type=int),
                )
            except disputes.DisputeError as error:
                db.session.rollback()
                flash(str(error), "error")
                dispute = db.session.get(Dispute, dispute_id)
            else:
                flash(_("Dispute resolved; the agent has been notified."), "success")
                return redirect(url_for("qa.dispute", dispute_id=dispute.id))
    return render_template(
        "qa/dispute.html",
        dispute=dispute,
        form=form,
        can_resolve=can_resolve,
        can_edit=can_edit,
        chat=queue.chat_of(dispute.score),
        posted=request.form if request.method == "POST" else None,
    )

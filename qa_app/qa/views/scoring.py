"""QA pages: the scoring queue, a score's page, the score lists and notifications; the menu
items and home panels of the domain."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ...extensions import db
from ...permissions import ensure, login_required, roles_required
from ...ui.inputs import int_arg, page_arg
from ...ui.nav import HomePanel, NavItem
from ...ui.pagination import paginate
from .. import access, disputes, score_filters
from .. import queue as grading_queue
from .. import scores as scoring_changes
from ..forms import EmptyForm
from ..models import Sample, Score
from . import bp

NAV = [
    NavItem(_l("Scoring queue"), "qa.queue", ("qa",), order=40),
    NavItem(_l("Sampling plans"), "qa.plans", ("qa",), order=41),
    NavItem(_l("Rubrics"), "qa.rubrics", ("qa", "admin"), order=42),
    NavItem(_l("Calibration"), "qa.calibrations", ("qa", "lead"), order=43),
    NavItem(_l("Disputes"), "qa.disputes", ("lead", "qa"), order=44),
    NavItem(_l("QA reports"), "qa.reports", ("qa", "lead", "admin"), order=45),
    NavItem(_l("Check trust"), "qa.trust", ("qa", "lead"), order=45),
    NavItem(_l("My QA scores"), "qa.my_scores", ("agent",), order=46),
]


def _queue_panel(user) -> dict:
    return {"counts": grading_queue.queue_counts(user), "next": grading_queue.next_in_queue(user)}


def _agent_panel(user) -> dict:
    return {
        "scores": grading_queue.latest_for_agent(user),
        "unread": disputes.unread_count(user),
        "notifications": disputes.recent_notifications(user, 3),
        "text_of": disputes.text_of,
    }


def _lead_panel(user) -> dict:
    return {"scores": grading_queue.latest_for_lead(user), "open_disputes": disputes.open_count_for(user)}


PANELS = [
    HomePanel(_l("My scoring queue"), "qa/panels/queue.html", ("qa",), _queue_panel, order=20),
    HomePanel(_l("My latest QA scores"), "qa/panels/agent.html", ("agent",), _agent_panel, order=21),
    HomePanel(_l("Team QA scores"), "qa/panels/lead.html", ("lead",), _lead_panel, order=31),
]


def _per_page() -> int:
    return current_app.config["PER_PAGE"]


@bp.route("/queue")
@roles_required("qa")
def queue():
    rubric_id = int_arg("rubric")
    state = request.args.get("state") if request.args.get("state") in ("new", "draft") else None
    counts = grading_queue.queue_counts(current_user)
    page = grading_queue.queue_page(
        current_user, page_arg(), _per_page(), counts=counts, rubric_id=rubric_id, state=state
    )
    return render_template(
        "qa/queue.html",
        page=page,
        rubrics=grading_queue.rubric_options(),
        rubric_id=rubric_id,
        state=state,
        counts=counts,
    )


@bp.route("/samples/<int:sample_id>/score", methods=["GET", "POST"])
@roles_required("qa")
def score_sample(sample_id: int):
    """GET shows the sample's score, or offers to start one; only a POST creates the draft (a
    link opened by a crawler, a prefetch or another site must not make anyone its grader)."""
    sample = db.get_or_404(Sample, sample_id)
    ensure(
        sample.assigned_to_id == current_user.id or sample.score is not None or current_user.has_role("admin")
    )
    if sample.score is not None:
        return redirect(url_for("qa.score", score_id=sample.score.id))
    form = EmptyForm()
    if request.method == "POST":
        if form.validate_on_submit():
            return _start_scoring(sample)
        flash(_("The form expired. Reload the page and try again."), "error")
    return render_template("qa/score_start.html", sample=sample, form=form)


def _start_scoring(sample: Sample):
    try:
        score = scoring_changes.start_for_sample(sample, current_user)
    except scoring_changes.ScoreError as error:
        flash(str(error), "error")
        return redirect(url_for("qa.queue"))
    return redirect(url_for("qa.score", score_id=score.id))


def _answers_from(form, score: Score) -> dict[int, scoring_changes.AnswerInput]:
    answers = {}
    for item in score.items:
        cid = item.criterion_id
        raw = form.get(f"c-{cid}-value", "").strip()
        na = raw == "na"
        try:
            value = None if na or raw == "" else float(raw)
        except ValueError:
            value = None
        answers[cid] = scoring_changes.AnswerInput(
            value=value, na=na, comment=form.get(f"c-{cid}-comment", "")
        )
    return answers


@bp.route("/scores/<int:score_id>", methods=["GET", "POST"])
@login_required
def score(score_id: int):
    score = grading_queue.score_for_page(score_id) or abort(404)
    ensure(access.can_view(current_user, score))
    editable = access.can_edit(current_user, score)
    form = EmptyForm()
    error = None
    if request.method == "POST":
        if not editable:
            abort(403)
        if form.validate_on_submit():
            try:
                scoring_changes.save(
                    score,
                    current_user,
                    expected_version=request.form.get("version", type=int),
                    answers=_answers_from(request.form, score),
                    praise=request.form.get("praise", ""),
                    criticism=request.form.get("criticism", ""),
                    root_causes=request.form.getlist("root_causes"),
                    submit=request.form.get("action") == "submit",
                    reason=request.form.get("reason"),
                )
            except scoring_changes.StaleScore as stale:
                db.session.rollback()
                flash(str(stale), "error")
                return redirect(url_for("qa.score", score_id=score_id))
            except scoring_changes.ScoreError as problem:
                db.session.rollback()
                error = str(problem)
                score = db.session.get(Score, score_id)
            else:
                flash(
                    _("Score submitted.")
                    if score.status == "submitted" and request.form.get("action") == "submit"
                    else _("Saved."),
                    "success",
                )
                if score.calibration_id:
                    return redirect(url_for("qa.calibration", session_id=score.calibration_id))
                if request.form.get("action") == "submit" and current_user.has_role("qa"):
                    upcoming = grading_queue.next_in_queue(current_user)
                    if upcoming is not None:  # straight on to it: this POST starts its draft
                        return _start_scoring(upcoming)
                return redirect(url_for("qa.score", score_id=score.id))
        else:
            error = _("The form expired. Reload the page and try again.")
    if error:
        flash(error, "error")
    from ..score_history import score_history

    return render_template(
        "qa/score.html",
        score=score,
        chat=grading_queue.chat_of(score),
        editable=editable,
        form=form,
        root_causes=scoring_changes.ROOT_CAUSES,
        result=scoring_changes.result_of(score),
        history=score_history(score)
        if current_user.id != score.agent_id or current_user.has_any_role("qa", "lead", "admin")
        else [],
        can_dispute=disputes.can_dispute(current_user, score),
        open_dispute=disputes.open_dispute(score),
        window=disputes.window_days(),
        score_disputes=disputes.disputes_of(score),
        window_closes=disputes.window_closes_at(score),
        posted=request.form if request.method == "POST" else None,
    )


@bp.route("/my-scores")
@roles_required("agent")
def my_scores():
    page = paginate(
        grading_queue.scores_query(current_user, agent_id=current_user.id), page_arg(), _per_page()
    )
    return render_template(
        "qa/my_scores.html",
        page=page,
        window=disputes.window_days(),
        notifications=disputes.recent_notifications(current_user, 10),
        text_of=disputes.text_of,
        action_form=EmptyForm(),
    )


@bp.route("/scores")
@roles_required("qa", "lead", "admin")
def scores():
    filters = score_filters.parse(request.args, current_user)
    for message in filters.errors:
        flash(message, "error")
    page = paginate(score_filters.query(current_user, filters), page_arg(), _per_page())
    return render_template(
        "qa/scores.html",
        page=page,
        rubrics=grading_queue.rubric_options(),
        f=filters,
        agents=score_filters.agent_options(current_user),
        graders=score_filters.grader_options(current_user),
    )


@bp.route("/notifications/read", methods=["POST"])
@login_required
def notifications_read():
    if EmptyForm().validate_on_submit():
        disputes.mark_all_read(current_user)
        db.session.commit()
    return redirect(
        request.referrer if (request.referrer or "").startswith(request.host_url) else url_for("ui.home")
    )

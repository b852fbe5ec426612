"""Calibration pages: sessions, blind scoring, results with agreement."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...accounts.models import User, UserRole
from ...extensions import db
from ...permissions import ensure, roles_required
from ...ui.inputs import page_arg
from ...ui.pagination import paginate
from .. import calibration, calibration_chats, charts, rubrics
from ..forms import CalibrationForm, EmptyForm
from ..models import CalibrationSession
from . import bp


def _graders() -> list[User]:
    return list(
        db.session.scalars(
            db.select(User)
            .join(UserRole)
            .where(UserRole.role.in_(("qa", "lead")), User.active.is_(True))
            .order_by(User.display_name)
            .distinct()
        )
    )


@bp.route("/calibration")
@roles_required("qa", "lead")
def calibrations():
    page = paginate(calibration.sessions_query(), page_arg(), current_app.config["PER_PAGE"])
    sessions, series = calibration.deviation_history()
    users = {u.id: u.display_name for u in _graders()}
    chart = None
    if sessions and series:
        chart = charts.line_chart(
            [s.closed_at.strftime("%m-%d") for s in sessions],
            {
                users.get(g, str(g)): [None if v is None else round(100 * v, 1) for v in values]
                for g, values in series.items()
            },
            y_max=50,
            title=_("Deviation from consensus (percentage points)"),
        )
    return render_template(
        "qa/calibrations.html", page=page, chart=chart, sessions=sessions, series=series, users=users
    )


@bp.route("/calibration/new", methods=["GET", "POST"])
@roles_required("qa")
def new_calibration():
    form = CalibrationForm()
    form.rubric_id.choices = [
        (r.id, r.current.t("title") if r.current else r.slug) for r in rubrics.all_rubrics(active_only=True)
    ]
    form.grader_ids.choices = [(u.id, u.display_name) for u in _graders()]
    if form.validate_on_submit():
        try:
            session = calibration.create_session(
                current_user,
                title=form.title.data,
                rubric=db.session.get(rubrics.Rubric, form.rubric_id.data),
                grader_ids=form.grader_ids.data,
                chat_count=form.chat_count.data,
            )
        except calibration.CalibrationError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Calibration session created. Each grader scores the chats on their own."), "success")
            return redirect(url_for("qa.calibration", session_id=session.id))
    return render_template("qa/calibration_form.html", form=form)


@bp.route("/calibration/<int:session_id>", endpoint="calibration")
@roles_required("qa", "lead")
def calibration_page(session_id: int):
    session = db.get_or_404(CalibrationSession, session_id)
    mine = {}
    if calibration.is_grader(current_user, session):
        for chat_id in session.chat_ids:
            mine[chat_id] = calibration.score_for(session, chat_id, current_user)
    results = calibration.results(session) if session.status == "closed" else None
    return render_template(
        "qa/calibration.html",
        session=session,
        mine=mine,
        results=results,
        progress=calibration.progress(session),
        chat_refs=calibration_chats.chat_refs(session, current_user),
        action_form=EmptyForm(),
        graders={
            u.id: u for u in db.session.scalars(db.select(User).where(User.id.in_(session.grader_ids or [0])))
        },
    )


@bp.route("/calibration/<int:session_id>/chats/<int:chat_id>", methods=["POST"])
@roles_required("qa", "lead")
def calibration_score(session_id: int, chat_id: int):
    session = db.get_or_404(CalibrationSession, session_id)
    ensure(calibration.is_grader(current_user, session) and chat_id in session.chat_ids)
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("qa.calibration", session_id=session.id))
    try:
        score = calibration.score_for(session, chat_id, current_user, create=True)
    except calibration.CalibrationError as error:
        flash(str(error), "error")
        return redirect(url_for("qa.calibration", session_id=session.id))
    db.session.commit()
    return redirect(url_for("qa.score", score_id=score.id))


@bp.route("/calibration/<int:session_id>/close", methods=["POST"])
@roles_required("qa", "lead")
def close_calibration(session_id: int):
    session = db.get_or_404(CalibrationSession, session_id)
    ensure(current_user.id == session.created_by_id or current_user.has_role("qa"))
    if EmptyForm().validate_on_submit():
        calibration.close(current_user, session)
        db.session.commit()
        flash(_("Session closed: the results are visible now."), "success")
    return redirect(url_for("qa.calibration", session_id=session.id))

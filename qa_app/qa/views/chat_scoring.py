"""Score a chat picked from its transcript: GET shows what will happen, only a POST samples it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...chats.services import can_view_chat, get_chat
from ...extensions import db
from ...permissions import ensure, roles_required
from ...ui.inputs import parse_int
from .. import chat_scoring, queue, scores
from ..forms import EmptyForm
from ..models import Rubric
from . import bp
from .scoring import _start_scoring


def _rubrics() -> list[Rubric]:
    return [r for r in queue.rubric_options() if r.active and r.current is not None]


@bp.route("/chats/<int:chat_id>/score", methods=["GET", "POST"])
@roles_required("qa")
def score_chat(chat_id: int):
    chat = get_chat(chat_id) or abort(404)
    ensure(can_view_chat(current_user, chat))
    form, rubrics = EmptyForm(), _rubrics()
    if request.method == "POST":
        if not form.validate_on_submit():
            flash(_("The form expired. Reload the page and try again."), "error")
        else:
            response = _sample(chat, rubrics)
            if response is not None:
                return response
    return render_template(
        "qa/score_chat.html",
        chat=chat,
        form=form,
        rubrics=rubrics,
        samples=chat_scoring.existing_samples(chat),
    )


def _sample(chat, rubrics: list[Rubric]):
    try:
        rubric_id = parse_int(request.form.get("rubric"))
    except ValueError:
        rubric_id = None
    rubric = next((r for r in rubrics if r.id == rubric_id), None)
    if rubric is None:
        flash(_("Rubric: choose one from the list."), "error")
        return None
    try:
        sample = chat_scoring.sample_chat(chat, rubric, current_user)
    except scores.ScoreError as error:
        db.session.rollback()
        flash(str(error), "error")
        return None
    if sample.score is not None:
        return redirect(url_for("qa.score", score_id=sample.score.id))
    if sample.assigned_to_id != current_user.id:
        flash(
            _(
                "This chat is already in %(name)s's scoring queue for that rubric.",
                name=sample.assigned_to.display_name,
            ),
            "warning",
        )
        return None
    return _start_scoring(sample)

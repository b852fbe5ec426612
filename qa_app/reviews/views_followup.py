"""Bad-review follow-up queues: an agent's own cases, a lead's team's (overdue first) with the
share resolved within 3 days, and the moves of a case."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..dbtypes import utcnow
from ..extensions import db
from ..permissions import ensure, login_required
from ..ui.inputs import page_arg
from ..ui.pagination import paginate
from . import followup
from .forms import FollowUpForm
from .models import FollowUpCase
from .views import bp

STATUS_LABELS = {
    "open": _l("open"),
    "contacted": _l("customer contacted"),
    "resolved": _l("resolved"),
    "revised": _l("review revised"),
    "unresolvable": _l("unresolvable"),
    "expired": _l("expired (arrived too late)"),
}
FILTER_LABELS = {
    "todo": _l("to do"),
    "overdue": _l("overdue"),
    "closed": _l("closed"),
    "expired": _l("expired"),
    "all": _l("all"),
}
#: the on-time shares cover the cases of the reviews written in this many past days
ON_TIME_DAYS = 30


@bp.app_template_global()
def follow_up_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


@bp.route("/reviews/follow-ups")
@login_required
def follow_ups():
    status = request.args.get("status", "todo")
    status = status if status in followup.FILTERS else "todo"
    search = request.args.get("q", "")[:100]
    now = utcnow()
    page = paginate(
        followup.find_cases(current_user, status, search, now), page_arg(), current_app.config["PER_PAGE"]
    )
    # the cases of the reviews written in the last ON_TIME_DAYS days (each due 3 days after)
    end = now + timedelta(days=followup.FOLLOW_UP_DAYS)
    start = end - timedelta(days=ON_TIME_DAYS)
    on_time = followup.team_on_time(current_user, start, end) if current_user.has_role("lead") else None
    own = followup.on_time_share([current_user.id], start, end) if current_user.has_role("agent") else None
    return render_template(
        "reviews/follow_ups.html",
        page=page,
        status=status,
        search=search,
        now=now,
        filters=FILTER_LABELS,
        on_time=on_time,
        own=own,
        days=ON_TIME_DAYS,
        form=FollowUpForm(prefix="f"),
        moves=followup.MOVES,
    )


@bp.route("/reviews/follow-ups/<int:case_id>/move", methods=["POST"])
@login_required
def move_follow_up(case_id: int):
    case = db.session.get(FollowUpCase, case_id)
    ensure(case is not None and followup.can_handle(current_user, case))
    form = FollowUpForm(prefix="f")
    form.status.choices = [(value, STATUS_LABELS[value]) for value in followup.MOVES.get(case.status, ())]
    if not form.validate_on_submit():
        flash(_("Choose one of the statuses this case may move to."), "error")
        return redirect(url_for("reviews.follow_ups"))
    try:
        followup.move(current_user, case, form.status.data, form.result.data)
    except followup.FollowUpError as error:
        flash(str(error), "error")
        return redirect(url_for("reviews.follow_ups"))
    db.session.commit()
    flash(_("Follow-up case updated."), "success")
    return redirect(url_for("reviews.follow_ups"))

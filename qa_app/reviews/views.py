from __future__ import annotations

import uuid
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.utils import secure_filename

from ..accounts.models import User
from ..extensions import db
from ..jobs.services import submit
from ..permissions import ensure, login_required, roles_required
from ..ui.exports import relabel
from ..ui.inputs import page_arg
from ..ui.nav import HomePanel, NavItem
from . import corrections, explanations, services
from .display import highlight, order_chat_links
from .export import iter_csv
from .forms import AttributionForm, ClassificationForm, ConfirmForm, ImportForm
from .labels import EXPORT_COLUMNS, POLARITY_LABELS, ROUTE_LABELS, SENTIMENT_LABELS, corrected_value, label
from .models import Review

bp = Blueprint("reviews", __name__, template_folder="templates")
STAFF = ("lead", "qa", "admin")

NAV = [
    NavItem(_l("Reviews"), "reviews.index", STAFF, order=40),
    NavItem(_l("Import reviews"), "reviews.upload", STAFF, order=41),
    NavItem(_l("My reviews"), "reviews.mine", ("agent",), order=40),
    # agents reach their follow-up queue from "My reviews": an agent's menu stays plain links
    NavItem(_l("Bad-review follow-up"), "reviews.follow_ups", STAFF, order=42),
]


def _lead_panel(user) -> dict:
    return {
        "unattributed": services.unattributed_count(user),
        "cap": services.COUNT_CAP,
        "to_confirm": services.to_confirm_count(user),
        "criticism": services.latest_criticism(user, limit=5),
    }


def _agent_panel(user) -> dict:
    return {
        "reviews": services.latest(user, polarity=("praise", "criticism", "mixed"), agent_id=user.id, limit=5)
    }


PANELS = [
    HomePanel(_l("Reviews to attribute"), "reviews/panels/lead.html", ("lead",), _lead_panel, order=35),
    HomePanel(
        _l("What customers said about me"), "reviews/panels/agent.html", ("agent",), _agent_panel, order=36
    ),
]


@bp.app_template_global()
def review_label(kind: str, value) -> str:
    return label(kind, value)


bp.add_app_template_global(corrected_value, "corrected_value")


@bp.app_template_filter("attribution_text")
def attribution_text_filter(stored: str | None) -> str:
    """`Review.attribution_rule` in the reader's language (legacy rows: their stored text)."""
    return explanations.render(stored)


@bp.app_template_filter("names_someone_else")
def names_someone_else_filter(stored: str | None) -> bool:
    """The customer named another agent than the order's chats point to."""
    return explanations.names_someone_else(stored)


@bp.app_template_filter("evidence")
def evidence_filter(review: Review):
    return highlight(review.text, review.evidence)


def _list(template_title, endpoint: str, *, agent_only: bool):
    filters = services.ReviewFilters.from_args(request.args)
    if agent_only:
        filters.agent_id, filters.unattributed = current_user.id, False
    for value in filters.problems:
        flash(
            _("%(value)s is not a date (use YYYY-MM-DD); that filter was left out.", value=value), "warning"
        )
    stmt = services.find_reviews(current_user, filters)
    page = services.page_of(stmt, page_arg(), current_app.config["PER_PAGE"])
    agents = [] if agent_only else services.assignable_agents(current_user)
    to_confirm = None if agent_only else services.to_confirm_count(current_user)
    return render_template(
        "reviews/index.html",
        page=page,
        filters=filters,
        title=template_title,
        endpoint=endpoint,
        agent_only=agent_only,
        agents=agents,
        to_confirm=to_confirm,
        cap=services.COUNT_CAP,
        confirm_form=ConfirmForm(),
        shops=services.shops_with_reviews(),
        polarities=POLARITY_LABELS,
        sentiments=SENTIMENT_LABELS,
        routes=ROUTE_LABELS,
    )


@bp.route("/reviews")
@roles_required(*STAFF)
def index():
    return _list(_("Reviews"), "reviews.index", agent_only=False)


@bp.route("/reviews/mine")
@roles_required("agent")
def mine():
    return _list(_("My reviews"), "reviews.mine", agent_only=True)


@bp.route("/reviews/export.csv")
@roles_required(*STAFF)
def export():
    filters = services.ReviewFilters.from_args(request.args)
    stmt = services.with_related(services.find_reviews(current_user, filters))
    return Response(
        stream_with_context(relabel(iter_csv(stmt), EXPORT_COLUMNS)),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=reviews.csv"},
    )


@bp.route("/reviews/<int:review_id>")
@login_required
def show(review_id: int):
    review = db.session.get(Review, review_id)
    ensure(review is not None and services.can_see(current_user, review))
    can_correct = services.can_correct(current_user, review)
    classification_form = attribution_form = None
    if can_correct:
        classification_form = ClassificationForm(obj=review)
        attribution_form = _attribution_form(review)
    return render_template(
        "reviews/show.html",
        review=review,
        can_correct=can_correct,
        classification_form=classification_form,
        confirm_form=ConfirmForm(),
        attribution_form=attribution_form,
        chat_links=order_chat_links(review),
    )


def _attribution_form(review: Review) -> AttributionForm:
    # prefixed: the page also holds the classification form, with its own "reason"
    form = AttributionForm(prefix="a")
    form.agent_id.choices = [(0, _("— nobody —"))] + [
        (agent.id, agent.display_name) for agent in services.assignable_agents(current_user)
    ]
    if request.method == "GET":
        form.agent_id.data = review.agent_id or 0
    return form


@bp.route("/reviews/<int:review_id>/classification", methods=["POST"])
@roles_required(*STAFF)
def correct(review_id: int):
    review = db.session.get(Review, review_id)
    ensure(review is not None and services.can_see(current_user, review))
    form = ClassificationForm()
    if form.validate_on_submit():
        try:
            corrections.correct_classification(
                current_user,
                review,
                sentiment=form.sentiment.data,
                service_polarity=form.service_polarity.data,
                evidence=form.evidence.data,
                reason=form.reason.data,
            )
        except corrections.CorrectionError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Correction saved. It will be part of the next training data."), "success")
    else:
        flash(_("Choose the values and say why."), "error")
    return redirect(url_for("reviews.show", review_id=review.id))


@bp.route("/reviews/<int:review_id>/confirm", methods=["POST"])
@roles_required(*STAFF)
def confirm(review_id: int):
    review = db.session.get(Review, review_id)
    ensure(review is not None and services.can_see(current_user, review))
    if ConfirmForm().validate_on_submit():
        try:
            corrections.confirm_classification(current_user, review)
        except corrections.CorrectionError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Classification confirmed: the review counts from now on."), "success")
    else:
        flash(_("The form expired; try again."), "error")
    if request.form.get("next") == "to_confirm":
        return redirect(url_for("reviews.index", to_confirm=1))
    return redirect(url_for("reviews.show", review_id=review.id))


@bp.route("/reviews/<int:review_id>/attribution", methods=["POST"])
@roles_required(*STAFF)
def attribute(review_id: int):
    review = db.session.get(Review, review_id)
    ensure(review is not None and services.can_see(current_user, review))
    form = _attribution_form(review)
    target = request.form.get("next")
    if form.validate_on_submit():
        agent = db.session.get(User, form.agent_id.data) if form.agent_id.data else None
        try:
            corrections.attribute_manually(current_user, review, agent, reason=form.reason.data)
        except corrections.CorrectionError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Attribution saved."), "success")
    else:
        flash(_("Choose an agent and say why."), "error")
    if target == "queue":
        return redirect(url_for("reviews.queue"))
    return redirect(url_for("reviews.show", review_id=review.id))


@bp.route("/reviews/unattributed")
@roles_required(*STAFF)
def queue():
    filters = services.ReviewFilters(unattributed=True)
    page = services.page_of(
        services.find_reviews(current_user, filters), page_arg(), current_app.config["PER_PAGE"]
    )
    form = AttributionForm(prefix="a")
    form.agent_id.choices = [
        (agent.id, agent.display_name) for agent in services.assignable_agents(current_user)
    ]
    return render_template("reviews/queue.html", page=page, form=form)


@bp.route("/reviews/import", methods=["GET", "POST"])
@roles_required(*STAFF)
def upload():
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        name = secure_filename(upload.filename or "") or "reviews.csv"
        folder = Path(current_app.config["UPLOAD_DIR"]) / "reviews"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{uuid.uuid4().hex}-{name}"
        upload.save(path)
        job = submit(
            "reviews.import",
            current_user,
            {
                "path": str(path),
                "filename": upload.filename or name,
                "encoding": form.encoding.data,
                "skip_invalid": bool(form.skip_invalid.data),
                "return_url": url_for("reviews.index"),
            },
        )
        return redirect(url_for("jobs.show", job_id=job.id))
    return render_template("reviews/upload.html", form=form)


@bp.route("/reviews/corrections.csv")
@roles_required(*STAFF)
def corrections_csv():
    return Response(
        "".join(relabel(["\ufeff" + corrections.training_csv()], EXPORT_COLUMNS)),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=review-corrections.csv"},
    )


from . import views_followup  # noqa: E402,F401  (its routes join this blueprint)

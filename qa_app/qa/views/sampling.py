"""Sampling plan pages: list, create, run (draw and queue), details."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ...accounts.labels import CHANNELS, channel_label
from ...accounts.services import all_shops
from ...chats.labels import check_label
from ...chats.services import channels_in_use
from ...extensions import db
from ...permissions import roles_required
from ...ui.inputs import page_arg
from ...ui.pagination import paginate
from .. import plan_summary, rubrics, sampling, weeks
from ..forms import EmptyForm, PlanForm
from ..models import Rubric, SamplingPlan
from ..rubrics import CHECK_NAMES
from . import bp


def _plan_form() -> PlanForm:
    form = PlanForm()
    form.rubric_id.choices = [
        (r.id, r.current.t("title") if r.current else r.slug) for r in rubrics.all_rubrics(active_only=True)
    ]
    form.shop_id.choices = [(0, _l("All shops"))] + [(s.id, s.label) for s in all_shops()]
    codes = sorted(set(CHANNELS) | set(channels_in_use()))
    form.channel.choices = [("", _l("Any"))] + [(c, channel_label(c)) for c in codes]
    form.failed_check.choices = [("", _l("Any")), ("any", _l("Only chats failing any check"))] + [
        (c, check_label(c)) for c in CHECK_NAMES
    ]
    form.grader_ids.choices = [(u.id, u.display_name) for u in sampling.qa_specialists()]
    return form


def _share(value) -> float:
    """The spotlight share; left empty, the default (SamplingPlan.spotlight_percent)."""
    return 30.0 if value is None else float(value)


@bp.route("/plans")
@roles_required("qa")
def plans():
    page = paginate(plan_summary.plans_query(), page_arg(), current_app.config["PER_PAGE"])
    return render_template(
        "qa/plans.html", page=page, sample_counts=plan_summary.sample_counts(p.id for p in page.items)
    )


@bp.route("/plans/new", methods=["GET", "POST"])
@roles_required("qa")
def new_plan():
    form = _plan_form()
    if request.method == "GET":
        today = weeks.local_today()
        form.date_from.data, form.date_to.data = today - timedelta(days=today.weekday() + 7), today
        form.per_agent_per_week.data = 5
        form.spotlight_percent.data = 30
    if form.validate_on_submit():
        rubric = db.session.get(Rubric, form.rubric_id.data)
        filters = {
            "shop_id": form.shop_id.data or None,
            "channel": (form.channel.data or "").strip() or None,
            "tags": [t.strip() for t in (form.tags.data or "").replace("，", ",").split(",") if t.strip()],
            "failed_check": form.failed_check.data or None,
            "negative_review": form.negative_review.data == "1",
            "min_messages": form.min_messages.data,
            "grader_ids": form.grader_ids.data or [],
        }
        try:
            plan = sampling.create_plan(
                current_user,
                name=form.name.data,
                rubric=rubric,
                mode=form.mode.data,
                per_agent_per_week=form.per_agent_per_week.data,
                percent=float(form.percent.data) if form.percent.data is not None else None,
                date_from=form.date_from.data,
                date_to=form.date_to.data,
                filters=filters,
                seed=form.seed.data,
                spotlight_percent=_share(form.spotlight_percent.data),
            )
        except sampling.PlanError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Plan saved. Run it to draw the sample."), "success")
            return redirect(url_for("qa.plan", plan_id=plan.id))
    return render_template("qa/plan_form.html", form=form)


@bp.route("/plans/<int:plan_id>")
@roles_required("qa")
def plan(plan_id: int):
    item = db.get_or_404(SamplingPlan, plan_id)
    summary = plan_summary.plan_summary(item)
    agent_filter = request.args.get("agent", "")[:64]
    return render_template(
        "qa/plan.html",
        plan=item,
        summary=summary,
        agent_rows=plan_summary.agents_matching(summary["per_agent"], agent_filter),
        agent_filter=agent_filter,
        filter_from=plan_summary.AGENT_FILTER_FROM,
        picks=plan_summary.spotlight_picks(item),
        skipped=plan_summary.skipped(item),
        action_form=EmptyForm(),
        shops={s.id: s.label for s in all_shops()},
        graders={u.id: u.display_name for u in sampling.qa_specialists()},
    )


@bp.route("/plans/<int:plan_id>/run", methods=["POST"])
@roles_required("qa")
def run_plan(plan_id: int):
    item = db.get_or_404(SamplingPlan, plan_id)
    if EmptyForm().validate_on_submit():
        try:
            result = sampling.run(item, current_user)
        except sampling.PlanError as error:
            flash(str(error), "error")
        else:
            if result.created:
                flash(_("%(n)s chats sampled and queued.", n=result.created), "success")
            else:
                flash(_("No new chat to sample: every quota is met or no chat matches the filters."), "info")
            if result.unassigned:
                flash(
                    _(
                        "%(n)s chats could not be assigned: their only possible grader handled them.",
                        n=result.unassigned,
                    ),
                    "warning",
                )
    return redirect(url_for("qa.plan", plan_id=item.id))

"""Assignments and reports for trainers, leads (their own teams) and admins."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..permissions import ensure, roles_required
from ..ui.exports import header_row
from ..ui.inputs import int_arg, page_arg
from ..ui.pagination import paginate
from . import report_charts
from .forms import AssignForm, EmptyForm
from .labels import REPORT_COLUMNS
from .models import Assignment, Course, LearningPath
from .report_range import ReportRange, quick_ranges, range_arg
from .services import TrainingError, assigning, learner_progress, reports
from .views import bp, lang

STAFF = ("trainer", "lead", "admin")


def _assign_form() -> AssignForm:
    form = AssignForm()
    current = lang()
    form.target.choices = (
        [("", "—")]
        + [(f"path:{p.id}", _("Path: %(title)s", title=p.title(current))) for p in assigning.all_paths()]
        + [(f"course:{c.id}", c.published.title(current)) for c in assigning.published_courses()]
    )
    form.users.choices = [
        (u.id, f"{u.display_name} ({u.username})") for u in assigning.assignable_users(current_user)
    ]
    form.teams.choices = [(t.id, t.name) for t in assigning.assignable_teams(current_user)]
    return form


def _target(value: str):
    kind, _sep, raw = (value or "").partition(":")
    if not raw.isdigit():
        return None, None
    if kind == "course":
        return db.session.get(Course, int(raw)), None
    if kind == "path":
        return None, db.session.get(LearningPath, int(raw))
    return None, None


@bp.route("/assignments", methods=["GET", "POST"])
@roles_required(*STAFF)
def assignments():
    form = _assign_form()
    if form.validate_on_submit():
        course, path = _target(form.target.data)
        try:
            learners = assigning.resolve_learners(current_user, form.users.data, form.teams.data)
            result = assigning.assign(
                current_user, learners, course=course, path=path, due_on=form.due_on.data
            )
        except TrainingError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(
                _(
                    "Assigned to %(n)s agents; %(m)s had it already.",
                    n=len(result.created),
                    m=len(result.skipped),
                ),
                "success",
            )
            return redirect(url_for("training.assignments"))
    elif request.method == "POST":
        flash(_("Please correct the fields marked below."), "error")
    query = request.args.get("q", "")
    team_id = int_arg("team")
    status = request.args.get("status") or None
    page = paginate(
        assigning.find_assignments(current_user, query=query, team_id=team_id, status=status),
        page_arg(),
        current_app.config["PER_PAGE"],
    )
    progress = learner_progress.assignments_progress(page.items)
    return render_template(
        "training/assignments.html",
        form=form,
        page=page,
        progress=progress,
        query=query,
        team_id=team_id,
        status=status,
        teams=assigning.assignable_teams(current_user),
        action_form=EmptyForm(),
    )


@bp.route("/assignments/<int:assignment_id>/delete", methods=["POST"])
@roles_required(*STAFF)
def delete_assignment(assignment_id: int):
    assignment = db.get_or_404(Assignment, assignment_id)
    ensure(assignment.user_id in reports.scoped_users(current_user))
    if EmptyForm().validate_on_submit():
        assigning.remove_assignment(current_user, assignment)
        db.session.commit()
        flash(_("Assignment removed; the agent's progress is kept."), "success")
    return redirect(url_for("training.assignments"))


VIEWS = ("courses", "teams", "overdue", "items")


def _report(view: str, team_id, course_id, span: ReportRange):
    if view in ("courses", "teams"):
        return reports.course_report(
            current_user, team_id=team_id, by_team=view == "teams", start=span.start, end=span.end
        )
    if view == "overdue":
        return reports.overdue_report(current_user, team_id=team_id)
    return reports.item_difficulty(
        current_user, course_id=course_id, team_id=team_id, lang=lang(), start=span.start, end=span.end
    )


@bp.route("/reports", endpoint="reports")
@roles_required(*STAFF)
def reports_page():
    view = request.args.get("view", "courses")
    if view not in VIEWS:
        view = "courses"
    team_id = int_arg("team")
    course_id = int_arg("course")
    span = range_arg()
    rows = _report(view, team_id, course_id, span)
    return render_template(
        "training/reports.html",
        view=view,
        rows=rows,
        chart=report_charts.chart_for(view, rows, lang(), span),
        span=span,
        quick=quick_ranges(assigning.today()),
        team_id=team_id,
        course_id=course_id,
        teams=assigning.assignable_teams(current_user),
        courses=assigning.published_courses(),
    )


@bp.route("/reports/<view>.csv")
@roles_required(*STAFF)
def reports_csv(view: str):
    if view not in VIEWS:
        abort(404)
    team_id = int_arg("team")
    course_id = int_arg("course")
    rows = _report(view, team_id, course_id, range_arg())
    current = lang()
    if view in ("courses", "teams"):
        header = [
            "course",
            "title",
            "team",
            "assigned",
            "completed",
            "completion_rate",
            "attempts",
            "passed_attempts",
            "pass_rate",
            "average_score",
            "active_learners",
            "minutes_per_learner",
        ]
        data = [
            [
                r.course.slug,
                r.course.published.title(current) if r.course.published else "",
                r.team.name if r.team else "",
                r.assigned,
                r.completed,
                r.completion_rate,
                r.attempts,
                r.passed_attempts,
                r.pass_rate,
                r.average_score,
                r.learners_active,
                r.minutes_per_learner,
            ]
            for r in rows
        ]
    elif view == "overdue":
        header = [
            "username",
            "name",
            "team",
            "assignment",
            "due_on",
            "days_overdue",
            "courses_passed",
            "courses_total",
        ]
        data = [
            [
                r.user.username,
                r.user.display_name,
                r.user.team.name if r.user.team else "",
                r.assignment.target,
                r.assignment.due_on.isoformat(),
                r.days_overdue,
                r.courses_passed,
                r.courses_total,
            ]
            for r in rows
        ]
    else:
        header = ["course", "question_key", "prompt", "answered", "wrong", "wrong_rate"]
        data = [[r.course.slug, r.key, r.prompt, r.answered, r.wrong, r.wrong_rate] for r in rows]
    return Response(
        reports.to_csv(header_row(header, REPORT_COLUMNS), data),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=training-{view}.csv"},
    )

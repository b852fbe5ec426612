"""Learner pages, certificates and the public verification page. Trainer pages live in
authoring_views.py, assignments and reports in report_views.py (same blueprint)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..extensions import db
from ..permissions import can_see_agent, ensure, login_required, public
from ..ui.nav import HomePanel, NavItem
from .forms import CATEGORY_CHOICES, EmptyForm
from .models import Attempt, Course
from .services import TrainingError, assigning, attempts, certificates, learner_progress, results, rules
from .services import reports as report_services

bp = Blueprint(
    "training",
    __name__,
    url_prefix="/training",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/training",
)


def lang() -> str:
    locale = get_locale()
    return "zh" if locale is not None and locale.language == "zh" else "en"


@bp.app_template_global()
def training_lang() -> str:
    return lang()


@bp.app_template_filter("shop_rules")
def shop_rules(text: str | None) -> str:
    """Course text with the shop's rules filled in (services/rules.py), read once per request."""
    if rules.FIRST_RESPONSE not in (text or ""):
        return text or ""
    if "first_response_limit" not in g:
        g.first_response_limit = rules.first_response_limit(
            current_user if current_user.is_authenticated else None
        )
    return rules.fill(text, g.first_response_limit, lang())


@bp.app_template_global()
def category_label(value: str) -> str:
    return str(dict(CATEGORY_CHOICES).get(value, value))


@bp.app_template_global()
def question_type_label(value: str) -> str:
    from .forms import TYPE_CHOICES

    return str(dict(TYPE_CHOICES).get(value, value))


def _agent_panel(user) -> dict:
    return {"items": learner_progress.my_assignments(user)[:6]}


def _trainer_panel(user) -> dict:
    from .services.authoring import find_courses

    courses = list(db.session.scalars(find_courses()))
    published = [c for c in courses if c.published is not None]
    rates = report_services.recent_pass_rates(published)
    return {
        "drafts": [c for c in courses if c.draft is not None],
        "published": [(c, rates[c.id]) for c in published],
    }


NAV = [
    NavItem(_l("My courses"), "training.my_courses", ("agent",), order=10),
    NavItem(_l("Courses"), "training.manage_courses", ("trainer", "admin"), order=11),
    NavItem(_l("Assignments"), "training.assignments", ("trainer", "lead", "admin"), order=12),
    NavItem(_l("Reports"), "training.reports", ("trainer", "admin"), order=13),
    NavItem(_l("Training reports"), "training.reports", ("lead",), order=21),
]
PANELS = [
    HomePanel(_l("My courses"), "training/panels/agent.html", ("agent",), _agent_panel, order=10),
    HomePanel(_l("My courses"), "training/panels/trainer.html", ("trainer",), _trainer_panel, order=11),
]


def _published_course(slug: str) -> Course:
    course = db.session.scalar(sa.select(Course).where(Course.slug == slug))
    ensure(course is not None and course.published is not None)
    return course


@bp.route("/")
@login_required
def my_courses():
    items = learner_progress.my_assignments(current_user)
    assigned = {p.course.id for item in items for p in item.courses}
    others = [c for c in assigning.published_courses() if c.id not in assigned]
    return render_template("training/my_courses.html", items=items, others=others)


@bp.route("/courses/<slug>")
@login_required
def course(slug: str):
    course = _published_course(slug)
    progress = learner_progress.course_progress(current_user, course)
    return render_template(
        "training/course.html",
        course=course,
        version=course.published,
        progress=progress,
        check=attempts.can_start(current_user, course),
        current=attempts.open_attempt(current_user, course),
        attempts=attempts.attempts_of(current_user, course),
        form=EmptyForm(),
    )


@bp.route("/courses/<slug>/lessons/<key>")
@login_required
def lesson(slug: str, key: str):
    course = _published_course(slug)
    lessons = course.published.lessons
    index = next((i for i, les in enumerate(lessons) if les.key == key), None)
    ensure(index is not None)
    read = learner_progress.open_lesson(current_user, lessons[index])
    db.session.commit()
    return render_template(
        "training/lesson.html",
        course=course,
        version=course.published,
        lesson=lessons[index],
        read=read,
        previous=lessons[index - 1] if index else None,
        next=lessons[index + 1] if index + 1 < len(lessons) else None,
        form=EmptyForm(),
    )


@bp.route("/courses/<slug>/lessons/<key>/read", methods=["POST"])
@login_required
def mark_read(slug: str, key: str):
    course = _published_course(slug)
    lesson = next((les for les in course.published.lessons if les.key == key), None)
    ensure(lesson is not None)
    if EmptyForm().validate_on_submit():
        learner_progress.mark_read(current_user, lesson)
        db.session.commit()
        flash(_("Lesson marked as read."), "success")
    following = next((les for les in course.published.lessons if les.position > lesson.position), None)
    if following is not None:
        return redirect(url_for("training.lesson", slug=slug, key=following.key))
    return redirect(url_for("training.course", slug=slug))


@bp.route("/courses/<slug>/attempts", methods=["POST"])
@login_required
def start_attempt(slug: str):
    course = _published_course(slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        attempt = attempts.start_attempt(current_user, course)
    except TrainingError as error:
        flash(str(error), "error")
        return redirect(url_for("training.course", slug=slug))
    return redirect(url_for("training.attempt", attempt_id=attempt.id))


def _own_attempt(attempt_id: int) -> Attempt:
    attempt = db.get_or_404(Attempt, attempt_id)
    ensure(attempt.user_id == current_user.id or can_see_agent(current_user, attempt.user))
    return attempt


@bp.route("/attempts/<int:attempt_id>", methods=["GET", "POST"])
@login_required
def attempt(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    version = attempt.version
    if attempt.finished:
        if request.method == "POST":
            flash(_("This attempt has been submitted already."), "info")
            return redirect(url_for("training.attempt", attempt_id=attempt.id))
        certificate = None
        if attempt.passed:
            progress = learner_progress.course_progress(attempt.user, version.course)
            certificate = progress.certificate
        return render_template(
            "training/attempt_result.html",
            attempt=attempt,
            version=version,
            certificate=certificate,
            check=attempts.can_start(attempt.user, version.course),
            reveal=results.reveals_answers(current_user, attempt),
            items={i.question_key: i for i in attempt.items},
        )
    ensure(attempt.user_id == current_user.id)
    problems = []
    if request.method == "POST":
        if not EmptyForm().validate_on_submit():
            abort(400)
        answers, problems = attempts.parse_answers(version.questions, request.form)
        if not problems:
            try:
                result = attempts.submit_attempt(current_user, attempt, answers)
            except TrainingError as error:
                flash(str(error), "error")
            else:
                db.session.commit()
                if result.passed:
                    flash(_("Passed with %(score)s%%. Well done!", score=result.score), "success")
                else:
                    flash(
                        _(
                            "Not passed: %(score)s%% (pass mark %(mark)s%%). Read the explanations below.",
                            score=result.score,
                            mark=version.pass_mark,
                        )
                        if results.reveals_answers(current_user, attempt)
                        else _(
                            "Not passed: %(score)s%% (pass mark %(mark)s%%).",
                            score=result.score,
                            mark=version.pass_mark,
                        ),
                        "warning",
                    )
                return redirect(url_for("training.attempt", attempt_id=attempt.id))
    return render_template(
        "training/attempt.html",
        attempt=attempt,
        version=version,
        problems={q.key: message for q, message in problems},
        orders={q.key: attempts.display_order(attempt, q) for q in version.questions},
        form=request.form if request.method == "POST" else None,
    )


@bp.route("/certificates/<code>")
@login_required
def certificate(code: str):
    cert = certificates.certificate_by_code(code)
    ensure(cert is not None and (cert.user_id == current_user.id or can_see_agent(current_user, cert.user)))
    return render_template(
        "training/certificate.html",
        cert=cert,
        version=cert.attempt.version,
        shops=rules.issuing_shops(cert.user),
    )


@bp.route("/verify")
@public
def verify():
    code = request.args.get("code", "").strip()
    cert = certificates.certificate_by_code(code) if code else None
    return render_template("training/verify.html", code=code, cert=cert)


@bp.route("/verify/<code>")
@public
def verify_code(code: str):
    return render_template("training/verify.html", code=code, cert=certificates.certificate_by_code(code))


from . import authoring_views, report_views  # noqa: E402,F401  (routes on the same blueprint)

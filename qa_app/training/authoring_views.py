"""Trainer pages: courses, lessons (Markdown with live preview), question bank, publishing."""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..permissions import ensure, roles_required
from ..rendering import render_markdown
from ..ui.inputs import page_arg
from ..ui.pagination import paginate
from .forms import CATEGORY_CHOICES, CourseMetaForm, EmptyForm, LessonForm, NewCourseForm, QuestionForm
from .models import Course, Lesson, Question
from .services import TrainingError, authoring
from .services.question_form import QuestionFormError, course_languages
from .views import bp

AUTHORS = ("trainer", "admin")
META = (
    "title_zh",
    "title_en",
    "summary_zh",
    "summary_en",
    "estimated_minutes",
    "pass_mark",
    "max_attempts",
    "cooloff_minutes",
    "show_answers",
)


@bp.route("/manage")
@roles_required(*AUTHORS)
def manage_courses():
    query = request.args.get("q", "")
    category = request.args.get("category") or None
    status = request.args.get("status") or None
    page = paginate(
        authoring.find_courses(query=query, category=category, status=status),
        page_arg(),
        current_app.config["PER_PAGE"],
    )
    return render_template(
        "training/manage/courses.html",
        page=page,
        query=query,
        sizes=authoring.version_sizes(page.items),
        category=category,
        status=status,
        categories=CATEGORY_CHOICES,
    )


@bp.route("/manage/new", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def new_course():
    form = NewCourseForm()
    if form.validate_on_submit():
        try:
            course = authoring.create_course(
                current_user,
                slug=form.slug.data,
                category=form.category.data,
                **{name: getattr(form, name).data for name in META},
            )
        except TrainingError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(_("Course created as a draft. Add lessons and questions, then publish."), "success")
            return redirect(url_for("training.manage_course", course_id=course.id))
    return render_template("training/manage/course_form.html", form=form, course=None)


def _course(course_id: int) -> Course:
    return db.get_or_404(Course, course_id)


@bp.route("/manage/<int:course_id>")
@roles_required(*AUTHORS)
def manage_course(course_id: int):
    course = _course(course_id)
    version = course.latest
    return render_template("training/manage/course.html", course=course, version=version, form=EmptyForm())


@bp.route("/manage/<int:course_id>/draft", methods=["POST"])
@roles_required(*AUTHORS)
def make_draft(course_id: int):
    course = _course(course_id)
    if EmptyForm().validate_on_submit():
        draft = authoring.editable_draft(current_user, course)
        db.session.commit()
        flash(
            _(
                "Draft version %(n)s is ready to edit; learners keep the published version until you publish.",
                n=draft.number,
            ),
            "info",
        )
    return redirect(url_for("training.manage_course", course_id=course.id))


def _draft(course: Course):
    ensure(course.draft is not None)
    return course.draft


@bp.route("/manage/<int:course_id>/settings", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def course_settings(course_id: int):
    course = _course(course_id)
    draft = _draft(course)
    form = CourseMetaForm(obj=draft)
    if request.method == "GET":
        form.category.data = course.category
    if form.validate_on_submit():
        try:
            authoring.update_meta(
                current_user,
                draft,
                category=form.category.data,
                **{name: getattr(form, name).data for name in META},
            )
        except TrainingError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("training.manage_course", course_id=course.id))
    return render_template("training/manage/course_form.html", form=form, course=course)


def _show_error(form, error: TrainingError) -> None:
    """Put a rule's message under the fields it names (the banner then points to them); a rule
    about no field in particular stays a flash message."""
    fields = [form[name] for name in error.fields if name in form]
    if not fields:
        flash(str(error), "error")
        return
    for field in fields:
        field.errors = [*field.errors, str(error)]


@bp.route("/manage/<int:course_id>/lessons/new", methods=["GET", "POST"])
@bp.route("/manage/<int:course_id>/lessons/<int:lesson_id>", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def edit_lesson(course_id: int, lesson_id: int | None = None):
    course = _course(course_id)
    draft = _draft(course)
    lesson = None
    if lesson_id is not None:
        lesson = db.session.get(Lesson, lesson_id)
        ensure(lesson is not None and lesson.version_id == draft.id)
    form = LessonForm(obj=lesson)
    preview = None
    if form.validate_on_submit():
        if "preview" in request.form:
            # the no-JavaScript preview: render, save nothing
            preview = {lang: render_markdown(getattr(form, f"body_{lang}").data) for lang in ("zh", "en")}
        else:
            try:
                authoring.save_lesson(
                    current_user,
                    draft,
                    lesson,
                    title_zh=form.title_zh.data or "",
                    title_en=form.title_en.data or "",
                    body_zh=form.body_zh.data or "",
                    body_en=form.body_en.data or "",
                    minutes=form.minutes.data or 0,
                )
            except TrainingError as error:
                flash(str(error), "error")
            else:
                db.session.commit()
                flash(_("Lesson saved."), "success")
                return redirect(url_for("training.manage_course", course_id=course.id))
    return render_template(
        "training/manage/lesson_form.html", form=form, course=course, lesson=lesson, preview=preview
    )


@bp.route("/manage/<int:course_id>/lessons/<int:lesson_id>/delete", methods=["POST"])
@roles_required(*AUTHORS)
def delete_lesson(course_id: int, lesson_id: int):
    course = _course(course_id)
    draft = _draft(course)
    lesson = db.session.get(Lesson, lesson_id)
    ensure(lesson is not None and lesson.version_id == draft.id)
    if EmptyForm().validate_on_submit():
        authoring.delete_lesson(current_user, lesson)
        db.session.commit()
        flash(_("Lesson deleted from the draft."), "success")
    return redirect(url_for("training.manage_course", course_id=course.id))


@bp.route("/manage/<int:course_id>/lessons/<int:lesson_id>/move", methods=["POST"])
@roles_required(*AUTHORS)
def move_lesson(course_id: int, lesson_id: int):
    course = _course(course_id)
    draft = _draft(course)
    lesson = db.session.get(Lesson, lesson_id)
    ensure(lesson is not None and lesson.version_id == draft.id)
    if EmptyForm().validate_on_submit():
        authoring.move_lesson(current_user, lesson, -1 if request.form.get("step") == "up" else 1)
        db.session.commit()
    return redirect(url_for("training.manage_course", course_id=course.id))


def _fill_question_form(form: QuestionForm, question: Question) -> None:
    form.key.data, form.type.data, form.points.data = question.key, question.type, question.points
    form.prompt_zh.data, form.prompt_en.data = question.prompt.get("zh"), question.prompt.get("en")
    form.explanation_zh.data = question.explanation.get("zh")
    form.explanation_en.data = question.explanation.get("en")
    form.choices_zh.data = "\n".join(c.get("zh", "") for c in question.choices or [])
    form.choices_en.data = "\n".join(c.get("en", "") for c in question.choices or [])
    if question.type in ("single", "multiple"):
        form.correct.data = ",".join(str(i + 1) for i in question.answer or [])
    form.true_false.data = "true" if question.answer is True else "false"


@bp.route("/manage/<int:course_id>/questions/new", methods=["GET", "POST"])
@bp.route("/manage/<int:course_id>/questions/<int:question_id>", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def edit_question(course_id: int, question_id: int | None = None):
    course = _course(course_id)
    draft = _draft(course)
    question = None
    if question_id is not None:
        question = db.session.get(Question, question_id)
        ensure(question is not None and question.version_id == draft.id)
    form = QuestionForm()
    if request.method == "GET" and question is not None:
        _fill_question_form(form, question)
    if form.validate_on_submit():
        try:
            data = authoring.parse_question_form(
                key=form.key.data,
                qtype=form.type.data,
                points=form.points.data,
                prompt_zh=form.prompt_zh.data,
                prompt_en=form.prompt_en.data,
                choices_zh=form.choices_zh.data,
                choices_en=form.choices_en.data,
                correct=form.correct.data,
                true_false=form.true_false.data,
                explanation_zh=form.explanation_zh.data,
                explanation_en=form.explanation_en.data,
                languages=course_languages(draft),
            )
            authoring.save_question(current_user, draft, question, data)
        except QuestionFormError as error:
            for name, messages in error.errors.items():
                form[name].errors = [*form[name].errors, *map(str, messages)]
        except TrainingError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(_("Question saved."), "success")
            return redirect(url_for("training.manage_course", course_id=course.id) + "#questions")
    return render_template("training/manage/question_form.html", form=form, course=course, question=question)


@bp.route("/manage/<int:course_id>/questions/<int:question_id>/delete", methods=["POST"])
@roles_required(*AUTHORS)
def delete_question(course_id: int, question_id: int):
    course = _course(course_id)
    draft = _draft(course)
    question = db.session.get(Question, question_id)
    ensure(question is not None and question.version_id == draft.id)
    if EmptyForm().validate_on_submit():
        authoring.delete_question(current_user, question)
        db.session.commit()
        flash(_("Question deleted from the draft."), "success")
    return redirect(url_for("training.manage_course", course_id=course.id) + "#questions")


@bp.route("/manage/<int:course_id>/publish", methods=["POST"])
@roles_required(*AUTHORS)
def publish(course_id: int):
    course = _course(course_id)
    if EmptyForm().validate_on_submit():
        try:
            version = authoring.publish_draft(current_user, course)
        except TrainingError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(
                _("Version %(n)s is published. Earlier attempts keep their own version.", n=version.number),
                "success",
            )
    return redirect(url_for("training.manage_course", course_id=course.id))


@bp.route("/manage/<int:course_id>/discard", methods=["POST"])
@roles_required(*AUTHORS)
def discard(course_id: int):
    course = _course(course_id)
    if EmptyForm().validate_on_submit():
        try:
            authoring.discard_draft(current_user, course)
        except TrainingError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Draft discarded."), "success")
    return redirect(url_for("training.manage_course", course_id=course.id))


@bp.route("/manage/preview", methods=["POST"])
@roles_required(*AUTHORS)
def preview():
    """Markdown → sanitised HTML for the editor's live preview (CSRF via X-CSRFToken)."""
    text = request.form.get("text")
    if text is None and request.is_json:
        text = (request.get_json(silent=True) or {}).get("text")
    return jsonify({"html": str(render_markdown(text or ""))})

"""Trainer edits. Only drafts change: editing a published course first copies it into a new
draft, and publishing that draft archives the old version, whose attempts keep pointing at it."""

from __future__ import annotations

import copy

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l

from ...audit.services import record
from ...extensions import db
from ..models import CATEGORIES, SHOW_ANSWERS, Course, CourseVersion, Lesson, Question
from . import TrainingError
from .question_form import parse_question_form

__all__ = ["parse_question_form"]  # the course editor's form, checked in its own module
from .course_format import SLUG
from .library import fill_version, next_number, publish, spec_hash, version_spec

META_FIELDS = (
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


def find_courses(*, query: str = "", category: str | None = None, status: str | None = None):
    """A select() of courses for the trainer's list, newest first."""
    stmt = sa.select(Course).options(so.selectinload(Course.versions)).order_by(Course.slug)
    if query:
        like = f"%{query.strip()}%"
        stmt = stmt.where(
            sa.or_(
                Course.slug.ilike(like),
                Course.versions.any(
                    sa.or_(CourseVersion.title_zh.ilike(like), CourseVersion.title_en.ilike(like))
                ),
            )
        )
    if category:
        stmt = stmt.where(Course.category == category)
    if status in ("draft", "published"):
        stmt = stmt.where(Course.versions.any(CourseVersion.status == status))
    return stmt


def version_sizes(courses) -> dict[int, tuple[int, int]]:
    """latest version id → (lessons, questions) for a page of courses, counted in SQL rather
    than by loading every lesson's Markdown."""
    ids = [c.latest.id for c in courses if c.latest is not None]
    if not ids:
        return {}
    lessons = dict(
        db.session.execute(
            sa.select(Lesson.version_id, sa.func.count())
            .where(Lesson.version_id.in_(ids))
            .group_by(Lesson.version_id)
        )
        .tuples()
        .all()
    )
    questions = dict(
        db.session.execute(
            sa.select(Question.version_id, sa.func.count())
            .where(Question.version_id.in_(ids))
            .group_by(Question.version_id)
        )
        .tuples()
        .all()
    )
    return {i: (lessons.get(i, 0), questions.get(i, 0)) for i in ids}


def create_course(actor, *, slug: str, category: str, **meta) -> Course:
    slug = (slug or "").strip()
    if not SLUG.match(slug):
        raise TrainingError(_l("Slug: lowercase letters, digits and '-' only."), fields=("slug",))
    if db.session.scalar(sa.select(Course.id).where(Course.slug == slug)):
        raise TrainingError(
            _l("A course with the slug %(slug)s exists already.", slug=slug), fields=("slug",)
        )
    if category not in CATEGORIES:
        raise TrainingError(_l("Choose a category."), fields=("category",))
    course = Course(slug=slug, category=category)
    version = CourseVersion(course=course, number=1, status="draft", created_by_id=getattr(actor, "id", None))
    _set_meta(version, meta)
    db.session.add(course)
    db.session.flush()
    record(actor, "course.create", course, after={"slug": slug})
    db.session.flush()
    return course


def _set_meta(version: CourseVersion, meta: dict) -> None:
    if meta.get("show_answers") is not None and meta["show_answers"] not in SHOW_ANSWERS:
        raise TrainingError(_l("Choose when the right answers are shown."))
    for name in META_FIELDS:
        if name in meta and meta[name] is not None:
            value = meta[name].strip() if isinstance(meta[name], str) else meta[name]
            setattr(version, name, value)
    if not (version.title_zh or version.title_en):
        raise TrainingError(
            _l("Give the course a title in at least one language."), fields=("title_zh", "title_en")
        )


def editable_draft(actor, course: Course) -> CourseVersion:
    """The course's draft, created from the published version when there is none."""
    if course.draft is not None:
        return course.draft
    source = course.published or (course.versions[-1] if course.versions else None)
    spec = copy.deepcopy(version_spec(source)) if source is not None else None
    draft = CourseVersion(
        course_id=course.id,
        number=next_number(course),
        status="draft",
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(draft)
    if spec is not None:
        fill_version(draft, spec)
    course.versions.append(draft)
    db.session.flush()
    record(actor, "course.draft", course, after={"version": draft.number})
    db.session.flush()
    return draft


def _ensure_draft(version: CourseVersion) -> None:
    if version.status != "draft":
        raise TrainingError(_l("Published versions cannot be changed; edit the draft instead."))


def update_meta(actor, version: CourseVersion, *, category: str | None = None, **meta) -> None:
    _ensure_draft(version)
    if category is not None:
        if category not in CATEGORIES:
            raise TrainingError(_l("Choose a category."), fields=("category",))
        version.course.category = category
    _set_meta(version, meta)
    record(actor, "course.edit", version.course, after={"version": version.number})
    db.session.flush()


def save_lesson(
    actor,
    version: CourseVersion,
    lesson: Lesson | None,
    *,
    title_zh: str,
    title_en: str,
    body_zh: str,
    body_en: str,
    minutes: int,
) -> Lesson:
    _ensure_draft(version)
    if not (title_zh.strip() or title_en.strip()):
        raise TrainingError(_l("Give the lesson a title in at least one language."))
    if lesson is None:
        keys = {les.key for les in version.lessons}
        number = len(version.lessons) + 1
        while f"{number:02d}-lesson" in keys:
            number += 1
        lesson = Lesson(key=f"{number:02d}-lesson", position=number - 1)
        version.lessons.append(lesson)
    elif lesson.version_id != version.id:
        raise TrainingError(_l("This lesson belongs to another version."))
    lesson.title_zh, lesson.title_en = title_zh.strip(), title_en.strip()
    lesson.body_zh, lesson.body_en = body_zh, body_en
    lesson.minutes = minutes
    db.session.flush()
    record(actor, "lesson.save", version.course, after={"version": version.number, "lesson": lesson.key})
    db.session.flush()
    return lesson


def delete_lesson(actor, lesson: Lesson) -> None:
    version = lesson.version
    _ensure_draft(version)
    version.lessons.remove(lesson)
    for position, other in enumerate(version.lessons):
        other.position = position
    record(actor, "lesson.delete", version.course, after={"lesson": lesson.key})
    db.session.flush()


def move_lesson(actor, lesson: Lesson, step: int) -> None:
    version = lesson.version
    _ensure_draft(version)
    lessons = list(version.lessons)
    index = lessons.index(lesson)
    target = max(0, min(len(lessons) - 1, index + step))
    lessons.insert(target, lessons.pop(index))
    for position, other in enumerate(lessons):
        other.position = position
    db.session.flush()


def save_question(actor, version: CourseVersion, question: Question | None, data: dict) -> Question:
    _ensure_draft(version)
    clash = next((q for q in version.questions if q.key == data["key"] and q is not question), None)
    if clash is not None:
        raise TrainingError(
            _l("The key %(key)s is used by another question.", key=data["key"]), fields=("key",)
        )
    if question is None:
        question = Question(position=len(version.questions))
        version.questions.append(question)
    elif question.version_id != version.id:
        raise TrainingError(_l("This question belongs to another version."))
    for name in ("key", "type", "prompt", "choices", "answer", "explanation", "points"):
        setattr(question, name, data[name])
    db.session.flush()
    record(actor, "question.save", version.course, after={"version": version.number, "key": question.key})
    db.session.flush()
    return question


def delete_question(actor, question: Question) -> None:
    version = question.version
    _ensure_draft(version)
    version.questions.remove(question)
    record(actor, "question.delete", version.course, after={"key": question.key})
    db.session.flush()


def publish_draft(actor, course: Course) -> CourseVersion:
    draft = course.draft
    if draft is None:
        raise TrainingError(_l("There is no draft to publish."))
    if not draft.lessons:
        raise TrainingError(_l("Add at least one lesson before publishing."))
    if not draft.questions:
        raise TrainingError(_l("Add at least one quiz question before publishing."))
    draft.content_hash = spec_hash(version_spec(draft))
    publish(draft, actor)
    db.session.flush()
    return draft


def discard_draft(actor, course: Course) -> None:
    draft = course.draft
    if draft is None:
        return
    if course.published is None and len(course.versions) == 1:
        raise TrainingError(_l("This is the course's only version; it cannot be discarded."))
    number = draft.number
    db.session.delete(draft)
    db.session.flush()
    db.session.expire(course, ["versions"])
    record(actor, "course.discard_draft", course, after={"version": number})
    db.session.flush()

"""Courses are versioned: learners' attempts and reads point at the version they were made on.

Course ─< CourseVersion ─< Lesson, Question. A version is `draft` while trainers edit it,
`published` when learners take it (one per course at a time) and `archived` once replaced;
published and archived versions are never changed again.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db

if TYPE_CHECKING:  # for the typed relationships; the mappers resolve the names at runtime
    from ..accounts.models import User

CATEGORIES = ("products", "communication", "complaint_handling", "after_sales", "platform_rules")
STATUSES = ("draft", "published", "archived")
# when a learner sees the right answers and explanations: after a pass or the last attempt
# ("final": a retry stays a test), or after every attempt ("always")
SHOW_ANSWERS = ("final", "always")
QUESTION_TYPES = ("single", "multiple", "true_false", "ordering")
SOURCES = ("manual", "onboarding")


def _in(column: str, values) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def pick(zh: str | None, en: str | None, lang: str) -> str:
    """The text in the reader's language, falling back to the other one."""
    first, second = (zh, en) if lang == "zh" else (en, zh)
    return first or second or ""


class Course(db.Model):
    __tablename__ = "courses"
    __table_args__ = (sa.CheckConstraint(_in("category", CATEGORIES), name="known_category"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    slug: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    category: so.Mapped[str] = so.mapped_column(sa.String(32))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    versions: so.Mapped[list[CourseVersion]] = so.relationship(
        back_populates="course", order_by="CourseVersion.number", cascade="all, delete-orphan"
    )

    @property
    def published(self) -> CourseVersion | None:
        return next((v for v in self.versions if v.status == "published"), None)

    @property
    def draft(self) -> CourseVersion | None:
        return next((v for v in self.versions if v.status == "draft"), None)

    @property
    def latest(self) -> CourseVersion | None:
        return self.draft or self.published or (self.versions[-1] if self.versions else None)


class CourseVersion(db.Model):
    __tablename__ = "course_versions"
    __table_args__ = (
        sa.UniqueConstraint("course_id", "number"),
        sa.CheckConstraint(_in("status", STATUSES), name="known_status"),
        sa.CheckConstraint("pass_mark BETWEEN 0 AND 100", name="pass_mark_percent"),
        sa.CheckConstraint(_in("show_answers", SHOW_ANSWERS), name="known_show_answers"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    course_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("courses.id"), index=True)
    number: so.Mapped[int]
    status: so.Mapped[str] = so.mapped_column(sa.String(16), default="draft")
    title_zh: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    title_en: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    summary_zh: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    summary_en: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    estimated_minutes: so.Mapped[int] = so.mapped_column(default=30)
    pass_mark: so.Mapped[int] = so.mapped_column(default=80)
    max_attempts: so.Mapped[int] = so.mapped_column(default=3)  # 0 = unlimited
    cooloff_minutes: so.Mapped[int] = so.mapped_column(default=0)
    show_answers: so.Mapped[str] = so.mapped_column(sa.String(8), default="final", server_default="final")
    # Hash of the content as imported/edited: re-importing unchanged files adds no version.
    content_hash: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    published_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    course: so.Mapped[Course] = so.relationship(back_populates="versions")
    lessons: so.Mapped[list[Lesson]] = so.relationship(
        back_populates="version", order_by="Lesson.position", cascade="all, delete-orphan"
    )
    questions: so.Mapped[list[Question]] = so.relationship(
        back_populates="version", order_by="Question.position", cascade="all, delete-orphan"
    )

    def title(self, lang: str) -> str:
        return pick(self.title_zh, self.title_en, lang)

    def summary(self, lang: str) -> str:
        return pick(self.summary_zh, self.summary_en, lang)

    @property
    def possible_points(self) -> int:
        return sum(q.points for q in self.questions)


class Lesson(db.Model):
    __tablename__ = "lessons"
    __table_args__ = (sa.UniqueConstraint("version_id", "key"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    version_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("course_versions.id", ondelete="CASCADE"), index=True
    )
    key: so.Mapped[str] = so.mapped_column(sa.String(100))  # file stem, stable across versions
    position: so.Mapped[int] = so.mapped_column(default=0)
    minutes: so.Mapped[int] = so.mapped_column(default=5)
    title_zh: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    title_en: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    body_zh: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    body_en: so.Mapped[str] = so.mapped_column(sa.Text, default="")

    version: so.Mapped[CourseVersion] = so.relationship(back_populates="lessons")

    def title(self, lang: str) -> str:
        return pick(self.title_zh, self.title_en, lang)

    def body(self, lang: str) -> str:
        return pick(self.body_zh, self.body_en, lang)


class Question(db.Model):
    """Texts are {"zh": ..., "en": ...}; `choices` a list of such; `answer` the zero-based
    indexes of the right choices (single, multiple), a boolean (true_false) or null (ordering:
    the choices are stored in the right order)."""

    __tablename__ = "questions"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "key"),
        sa.CheckConstraint(_in("type", QUESTION_TYPES), name="known_type"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    version_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("course_versions.id", ondelete="CASCADE"), index=True
    )
    key: so.Mapped[str] = so.mapped_column(sa.String(100))
    position: so.Mapped[int] = so.mapped_column(default=0)
    type: so.Mapped[str] = so.mapped_column(sa.String(16))
    prompt: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)
    choices: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    answer: so.Mapped[list | bool | None] = so.mapped_column(sa.JSON)
    explanation: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)
    points: so.Mapped[int] = so.mapped_column(default=1)

    version: so.Mapped[CourseVersion] = so.relationship(back_populates="questions")

    def text(self, field: str, lang: str) -> str:
        value = getattr(self, field) or {}
        return pick(value.get("zh"), value.get("en"), lang)

    def choice_texts(self, lang: str) -> list[str]:
        return [pick(c.get("zh"), c.get("en"), lang) for c in self.choices or []]


class LearningPath(db.Model):
    __tablename__ = "learning_paths"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    slug: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    title_zh: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    title_en: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    summary_zh: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    summary_en: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    onboarding: so.Mapped[bool] = so.mapped_column(default=False)
    due_days: so.Mapped[int] = so.mapped_column(default=14)

    steps: so.Mapped[list[PathCourse]] = so.relationship(
        back_populates="path", order_by="PathCourse.position", cascade="all, delete-orphan"
    )

    def title(self, lang: str) -> str:
        return pick(self.title_zh, self.title_en, lang)

    @property
    def courses(self) -> list[Course]:
        return [step.course for step in self.steps]


class PathCourse(db.Model):
    __tablename__ = "path_courses"
    __evaluation_input__ = (None, None)  # changes every agent's evaluation (freshness.py)

    path_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("learning_paths.id", ondelete="CASCADE"), primary_key=True
    )
    course_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("courses.id"), primary_key=True)
    position: so.Mapped[int] = so.mapped_column(default=0)

    path: so.Mapped[LearningPath] = so.relationship(back_populates="steps")
    course: so.Mapped[Course] = so.relationship()


class Assignment(db.Model):
    """A course or a learning path given to one user. `target` ("course:3", "path:1") makes
    "one assignment per user and course or path" a real constraint (NULLs never collide)."""

    __tablename__ = "assignments"
    __evaluation_input__ = ("user_id", None)  # due dates: every period (freshness.py)
    __table_args__ = (
        sa.UniqueConstraint("user_id", "target"),
        sa.CheckConstraint("(course_id IS NULL) <> (path_id IS NULL)", name="course_or_path"),
        sa.CheckConstraint(_in("source", SOURCES), name="known_source"),
        sa.Index("ix_assignments_due_on", "due_on"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    course_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("courses.id"), index=True)
    path_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("learning_paths.id"), index=True)
    target: so.Mapped[str] = so.mapped_column(sa.String(40))
    due_on: so.Mapped[date | None] = so.mapped_column(sa.Date)
    assigned_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    source: so.Mapped[str] = so.mapped_column(sa.String(16), default="manual")
    assigned_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    user: so.Mapped[User] = so.relationship("User", foreign_keys=[user_id])
    assigned_by: so.Mapped[User | None] = so.relationship("User", foreign_keys=[assigned_by_id])
    course: so.Mapped[Course | None] = so.relationship()
    path: so.Mapped[LearningPath | None] = so.relationship()

    def course_list(self) -> list[Course]:
        return self.path.courses if self.path is not None else [self.course]


class LessonRead(db.Model):
    """A learner opened (and perhaps finished) a lesson. Progress counts lesson keys, so a new
    course version keeps what was read before."""

    __tablename__ = "lesson_reads"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "version_id", "lesson_key"),
        sa.Index("ix_lesson_reads_user_course", "user_id", "course_id"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    course_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("courses.id"), index=True)
    version_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("course_versions.id"))
    lesson_key: so.Mapped[str] = so.mapped_column(sa.String(100))
    opened_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    read_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    seconds: so.Mapped[int] = so.mapped_column(default=0)


class Attempt(db.Model):
    __tablename__ = "attempts"
    __evaluation_input__ = ("user_id", None)  # a pass counts for courses due in any period
    __table_args__ = (
        # a learner's attempts at a course are numbered 1, 2, …: two requests starting "the next
        # attempt" at once both pick the same number and the database refuses the second
        # (its index also serves the lookups by learner and course)
        sa.UniqueConstraint("user_id", "course_id", "number", name="uq_attempts_user_course_number"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    course_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("courses.id"), index=True)
    version_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("course_versions.id"), index=True)
    number: so.Mapped[int]  # 1 for the learner's first attempt at the course
    seed: so.Mapped[int] = so.mapped_column(default=0)  # shuffles ordering questions
    answers: so.Mapped[dict | None] = so.mapped_column(sa.JSON)
    earned: so.Mapped[int] = so.mapped_column(default=0)
    possible: so.Mapped[int] = so.mapped_column(default=0)
    score: so.Mapped[float | None] = so.mapped_column(sa.Float)
    passed: so.Mapped[bool | None]
    started_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    finished_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime, index=True)

    user: so.Mapped[User] = so.relationship("User")
    version: so.Mapped[CourseVersion] = so.relationship()
    items: so.Mapped[list[AttemptItem]] = so.relationship(
        back_populates="attempt", cascade="all, delete-orphan"
    )

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


class AttemptItem(db.Model):
    """One graded answer, so that item difficulty is a GROUP BY, not a scan of JSON."""

    __tablename__ = "attempt_items"
    __table_args__ = (sa.Index("ix_attempt_items_course_question", "course_id", "question_key"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    attempt_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("attempts.id", ondelete="CASCADE"), index=True
    )
    course_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("courses.id"))
    question_key: so.Mapped[str] = so.mapped_column(sa.String(100))
    correct: so.Mapped[bool]
    earned: so.Mapped[int] = so.mapped_column(default=0)

    attempt: so.Mapped[Attempt] = so.relationship(back_populates="items")


class Certificate(db.Model):
    __tablename__ = "certificates"
    __table_args__ = (sa.UniqueConstraint("user_id", "course_id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    code: so.Mapped[str] = so.mapped_column(sa.String(20), unique=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    course_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("courses.id"))
    attempt_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("attempts.id"), unique=True)
    issued_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    user: so.Mapped[User] = so.relationship("User")
    course: so.Mapped[Course] = so.relationship()
    attempt: so.Mapped[Attempt] = so.relationship()

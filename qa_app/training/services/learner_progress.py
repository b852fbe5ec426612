"""A learner's progress through courses and assignments, and the lesson reading it counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ...accounts.models import User
from ...dbtypes import utcnow
from ...extensions import db
from ..models import Assignment, Attempt, Certificate, Course, CourseVersion, Lesson, LessonRead
from .assigning import COURSES_OF_ASSIGNMENT, today

# Reading time counted for one lesson is capped: a tab left open overnight is not study time.
MAX_LESSON_SECONDS = 60 * 60
# Share of a course's progress that reading all its lessons gives (docs/training.md, "Progress").
LESSON_SHARE = 40


@dataclass
class CourseProgress:
    course: Course
    version: CourseVersion | None
    lessons_total: int
    read_keys: set
    attempts_used: int
    best_score: float | None
    passed: bool
    certificate: Certificate | None

    @property
    def lessons_read(self) -> int:
        return len(self.read_keys)

    @property
    def percent(self) -> int:
        """Lessons read make up LESSON_SHARE % of a course, the passed quiz the larger rest: so
        reading a few lessons never moves a path further than passing a whole course does."""
        if self.passed:
            return 100
        if not self.lessons_total:
            return 0
        return int(LESSON_SHARE * self.lessons_read / self.lessons_total)

    @property
    def status(self) -> str:
        if self.passed:
            return "passed"
        if self.attempts_used or self.read_keys:
            return "in_progress"
        return "not_started"


def course_progress(user: User, course: Course) -> CourseProgress:
    return progress_of([(user, course)])[(user.id, course.id)]


def progress_of(pairs) -> dict[tuple[int, int], CourseProgress]:
    """(user, course) pairs → their progress, in three queries whatever the number of pairs
    (the learner's course list and the assignments page show many)."""
    if not pairs:
        return {}
    user_ids = {user.id for user, _course in pairs}
    course_ids = {course.id for _user, course in pairs}
    read: dict[tuple[int, int], set] = {}
    for user_id, course_id, key in db.session.execute(
        sa.select(LessonRead.user_id, LessonRead.course_id, LessonRead.lesson_key).where(
            LessonRead.user_id.in_(user_ids),
            LessonRead.course_id.in_(course_ids),
            LessonRead.read_at.is_not(None),
        )
    ):
        read.setdefault((user_id, course_id), set()).add(key)
    attempts: dict[tuple[int, int], list] = {}
    for user_id, course_id, score, passed in db.session.execute(
        sa.select(Attempt.user_id, Attempt.course_id, Attempt.score, Attempt.passed).where(
            Attempt.user_id.in_(user_ids), Attempt.course_id.in_(course_ids), Attempt.finished_at.is_not(None)
        )
    ):
        attempts.setdefault((user_id, course_id), []).append((score, passed))
    certificates = {
        (c.user_id, c.course_id): c
        for c in db.session.scalars(
            sa.select(Certificate).where(
                Certificate.user_id.in_(user_ids), Certificate.course_id.in_(course_ids)
            )
        )
    }
    return {
        (user.id, course.id): _progress(
            course,
            read.get((user.id, course.id), set()),
            attempts.get((user.id, course.id), []),
            certificates.get((user.id, course.id)),
        )
        for user, course in pairs
    }


def _progress(course: Course, read: set, attempts: list, certificate) -> CourseProgress:
    version = course.published
    lesson_keys = {les.key for les in version.lessons} if version else set()
    scores = [score for score, _passed in attempts if score is not None]
    return CourseProgress(
        course,
        version,
        len(lesson_keys),
        read & lesson_keys,
        len(attempts),
        max(scores) if scores else None,
        any(passed for _s, passed in attempts),
        certificate,
    )


@dataclass
class AssignmentProgress:
    assignment: Assignment
    courses: list[CourseProgress]

    @property
    def percent(self) -> int:
        return int(sum(c.percent for c in self.courses) / len(self.courses)) if self.courses else 0

    @property
    def complete(self) -> bool:
        return bool(self.courses) and all(c.passed for c in self.courses)

    @property
    def overdue(self) -> bool:
        due = self.assignment.due_on
        return due is not None and due < today() and not self.complete


def my_assignments(user: User) -> list[AssignmentProgress]:
    assignments = list(
        db.session.scalars(
            sa.select(Assignment)
            .where(Assignment.user_id == user.id)
            .options(*COURSES_OF_ASSIGNMENT)
            .order_by(Assignment.due_on.is_(None), Assignment.due_on, Assignment.id)
        )
    )
    return list(assignments_progress(assignments).values())


def assignments_progress(assignments) -> dict[int, AssignmentProgress]:
    """assignment id → its progress (published courses only), for a page of assignments."""
    wanted = {a.id: [c for c in a.course_list() if c.published is not None] for a in assignments}
    progress = progress_of({(a.user, c) for a in assignments for c in wanted[a.id]})
    return {
        a.id: AssignmentProgress(a, [progress[(a.user_id, c.id)] for c in wanted[a.id]]) for a in assignments
    }


# Reading


def open_lesson(user: User, lesson: Lesson) -> LessonRead:
    """Record that the learner opened the lesson (the clock for time spent starts here)."""
    row = db.session.scalar(
        sa.select(LessonRead).where(
            LessonRead.user_id == user.id,
            LessonRead.version_id == lesson.version_id,
            LessonRead.lesson_key == lesson.key,
        )
    )
    if row is None:
        row = LessonRead(
            user_id=user.id,
            course_id=lesson.version.course_id,
            version_id=lesson.version_id,
            lesson_key=lesson.key,
        )
        db.session.add(row)
    elif row.read_at is None:
        row.opened_at = utcnow()
    db.session.flush()
    return row


def mark_read(user: User, lesson: Lesson, at: datetime | None = None) -> LessonRead:
    row = db.session.scalar(
        sa.select(LessonRead).where(
            LessonRead.user_id == user.id,
            LessonRead.version_id == lesson.version_id,
            LessonRead.lesson_key == lesson.key,
        )
    )
    at = at or utcnow()
    if row is None:
        row = LessonRead(
            user_id=user.id,
            course_id=lesson.version.course_id,
            version_id=lesson.version_id,
            lesson_key=lesson.key,
            opened_at=at,
        )
        db.session.add(row)
    if row.read_at is None:
        row.read_at = at
        row.seconds = max(0, min(MAX_LESSON_SECONDS, int((at - row.opened_at).total_seconds())))
    db.session.flush()
    return row

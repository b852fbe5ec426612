"""The learner's side: assignments, progress, reading lessons, quiz attempts and certificates."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

from ...accounts.models import Team, User
from ...audit.services import record
from ...database import in_one_transaction
from ...dbtypes import utcnow
from ...extensions import db
from ..models import (
    Assignment,
    Attempt,
    AttemptItem,
    Certificate,
    Course,
    CourseVersion,
    LearningPath,
    Lesson,
    LessonRead,
    PathCourse,
    Question,
)
from . import TrainingError
from .grading import Result, grade

# Reading time counted for one lesson is capped: a tab left open overnight is not study time.
MAX_LESSON_SECONDS = 60 * 60
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def today() -> date:
    zone = current_app.config["SHOP_TIMEZONE"] if has_app_context() else "Asia/Shanghai"
    return datetime.now(ZoneInfo(zone)).date()


# Assignments


def published_courses() -> list[Course]:
    return list(
        db.session.scalars(
            sa.select(Course)
            .where(Course.versions.any(CourseVersion.status == "published"))
            .options(so.selectinload(Course.versions))
            .order_by(Course.slug)
        )
    )


def all_paths() -> list[LearningPath]:
    return list(db.session.scalars(sa.select(LearningPath).order_by(LearningPath.slug)))


def assignable_users(actor) -> list[User]:
    """Agents the actor may assign to: a lead's own teams; everyone for trainers and admins."""
    stmt = sa.select(User).where(User.active.is_(True), User.role_rows.any(role="agent"))
    if not actor.has_any_role("trainer", "admin"):
        stmt = stmt.join(Team, User.team_id == Team.id).where(Team.lead_id == actor.id)
    return list(db.session.scalars(stmt.order_by(User.display_name)))


def assignable_teams(actor) -> list[Team]:
    stmt = sa.select(Team).order_by(Team.name)
    if not actor.has_any_role("trainer", "admin"):
        stmt = stmt.where(Team.lead_id == actor.id)
    return list(db.session.scalars(stmt))


def resolve_learners(actor, user_ids, team_ids) -> list[User]:
    allowed = {u.id: u for u in assignable_users(actor)}
    chosen = {int(i) for i in user_ids or []}
    if chosen - set(allowed):
        raise TrainingError(_l("You may only assign courses to agents in your own teams."))
    teams = {int(i) for i in team_ids or []}
    if teams - {t.id for t in assignable_teams(actor)}:
        raise TrainingError(_l("You may only assign courses to your own teams."))
    learners = [u for u in allowed.values() if u.id in chosen or u.team_id in teams]
    if not learners:
        raise TrainingError(_l("Choose at least one agent or a team with agents in it."))
    return learners


@dataclass
class AssignResult:
    created: list[Assignment] = field(default_factory=list)
    skipped: list[User] = field(default_factory=list)


def assign(
    actor,
    learners,
    *,
    course: Course | None = None,
    path: LearningPath | None = None,
    due_on: date | None = None,
    source: str = "manual",
) -> AssignResult:
    """Assign a course or a path; a learner who has it already is skipped (listed in the result)."""
    if (course is None) == (path is None):
        raise TrainingError(_l("Choose one course or one learning path."))
    if course is not None and course.published is None:
        raise TrainingError(_l("Only published courses can be assigned."))
    target = f"course:{course.id}" if course is not None else f"path:{path.id}"
    have = set(
        db.session.scalars(
            sa.select(Assignment.user_id).where(
                Assignment.target == target, Assignment.user_id.in_([u.id for u in learners])
            )
        )
    )
    result = AssignResult()
    for learner in learners:
        if learner.id in have:
            result.skipped.append(learner)
            continue
        assignment = Assignment(
            user=learner,
            course=course,
            path=path,
            target=target,
            due_on=due_on,
            source=source,
            assigned_by_id=getattr(actor, "id", None),
        )
        db.session.add(assignment)
        result.created.append(assignment)
    if result.created:
        db.session.flush()
        record(
            actor,
            "training.assign",
            result.created[0],
            after={
                "target": target,
                "users": [a.user_id for a in result.created],
                "due_on": due_on.isoformat() if due_on else None,
                "source": source,
            },
        )
    return result


def assign_onboarding(user: User) -> list[Assignment]:
    """Every onboarding path for a new agent, due after the path's `due_days`. It runs inside
    the transaction that creates the user."""
    created = []
    for path in db.session.scalars(sa.select(LearningPath).where(LearningPath.onboarding.is_(True))):
        result = assign(
            None,
            [user],
            path=path,
            due_on=today() + timedelta(days=path.due_days),
            source="onboarding",
        )
        created.extend(result.created)
    return created


#: what showing an assignment's courses reads, loaded with the assignments instead of per row
_COURSES_OF_ASSIGNMENT = (
    so.selectinload(Assignment.course).selectinload(Course.versions).selectinload(CourseVersion.lessons),
    so.selectinload(Assignment.path)
    .selectinload(LearningPath.steps)
    .selectinload(PathCourse.course)
    .selectinload(Course.versions)
    .selectinload(CourseVersion.lessons),
)


def find_assignments(actor, *, query: str = "", team_id: int | None = None, status: str | None = None):
    """Assignments the actor may see (a lead: own teams), newest first."""
    stmt = (
        sa.select(Assignment)
        .join(User, Assignment.user_id == User.id)
        .options(so.contains_eager(Assignment.user), *_COURSES_OF_ASSIGNMENT)
        .order_by(Assignment.assigned_at.desc(), Assignment.id.desc())
    )
    if not actor.has_any_role("trainer", "admin"):
        stmt = stmt.join(Team, User.team_id == Team.id).where(Team.lead_id == actor.id)
    if query:
        stmt = stmt.where(sa.or_(User.display_name.ilike(f"%{query}%"), User.username.ilike(f"%{query}%")))
    if team_id:
        stmt = stmt.where(User.team_id == team_id)
    if status == "overdue":
        stmt = stmt.where(Assignment.due_on < today())
    return stmt


def remove_assignment(actor, assignment: Assignment) -> None:
    record(
        actor,
        "training.unassign",
        assignment,
        before={"user": assignment.user_id, "target": assignment.target},
    )
    db.session.delete(assignment)
    db.session.flush()


# Progress

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
            .options(*_COURSES_OF_ASSIGNMENT)
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


# Attempts


@dataclass
class StartCheck:
    allowed: bool
    reason: object = None
    wait_until: datetime | None = None


def can_start(user: User, course: Course, now: datetime | None = None) -> StartCheck:
    """Attempt limit and cooling-off time come from the published version's settings."""
    version = course.published
    if version is None or not version.questions:
        return StartCheck(False, _l("This course has no published quiz yet."))
    now = now or utcnow()
    finished = list(
        db.session.scalars(
            sa.select(Attempt)
            .where(
                Attempt.user_id == user.id, Attempt.course_id == course.id, Attempt.finished_at.is_not(None)
            )
            .order_by(Attempt.finished_at)
        )
    )
    if any(a.passed for a in finished):
        return StartCheck(False, _l("You have passed this course."))
    if version.max_attempts and len(finished) >= version.max_attempts:
        return StartCheck(
            False,
            _l("You have used all %(n)s attempts. Ask your trainer or team lead.", n=version.max_attempts),
        )
    if finished and version.cooloff_minutes:
        wait_until = finished[-1].finished_at + timedelta(minutes=version.cooloff_minutes)
        if now < wait_until:
            return StartCheck(
                False, _l("Review the lessons and the explanations; you can try again later."), wait_until
            )
    return StartCheck(True)


def open_attempt(user: User, course: Course) -> Attempt | None:
    return db.session.scalar(
        sa.select(Attempt)
        .where(Attempt.user_id == user.id, Attempt.course_id == course.id, Attempt.finished_at.is_(None))
        .order_by(Attempt.id.desc())
        .limit(1)
    )


def start_attempt(user: User, course: Course, now: datetime | None = None) -> Attempt:
    """Resume the unfinished attempt or start one on the published version, committed.

    Requests starting an attempt at once (a double click, a script) all end on one attempt:
    each new attempt takes the next number of the learner's attempts at the course, unique in
    the database and never above the version's `max_attempts`. On SQLite the second request
    waits for the first's write lock and resumes its attempt; on PostgreSQL the database refuses
    the second one's number and it starts over and resumes the first's
    (database.in_one_transaction)."""
    return in_one_transaction(lambda: _resume_or_start(user, course, now))


def _resume_or_start(user: User, course: Course, now: datetime | None) -> Attempt:
    current = open_attempt(user, course)
    if current is not None:
        return current
    check = can_start(user, course, now)
    if not check.allowed:
        raise TrainingError(check.reason)
    number = 1 + (
        db.session.scalar(
            sa.select(sa.func.max(Attempt.number)).where(
                Attempt.user_id == user.id, Attempt.course_id == course.id
            )
        )
        or 0
    )
    limit = course.published.max_attempts
    if limit and number > limit:  # what can_start checked, tied to the number the database keeps
        raise TrainingError(_l("You have used all %(n)s attempts. Ask your trainer or team lead.", n=limit))
    attempt = Attempt(
        user_id=user.id,
        course_id=course.id,
        version_id=course.published.id,
        number=number,
        seed=secrets.randbelow(2**31),
        started_at=now or utcnow(),
    )
    db.session.add(attempt)
    db.session.flush()
    return attempt


def display_order(attempt: Attempt, question: Question) -> list[int]:
    """Choice indexes in the order shown: ordering questions are shuffled, the same way every
    time for one attempt (and never in the right order when that can be avoided)."""
    order = list(range(len(question.choices or [])))
    if question.type != "ordering":
        return order
    rng = random.Random(f"{attempt.seed}:{question.key}")
    for _ in range(5):
        rng.shuffle(order)
        if order != sorted(order):
            break
    return order


def _is_number(value: str) -> bool:
    """ASCII digits only: str.isdigit() also accepts "²", which int() refuses."""
    return value.isascii() and value.isdigit()


def parse_answers(questions, form) -> tuple[dict, list]:
    """Answers from the quiz form: q-KEY = index (single), several q-KEY (multiple),
    "true"/"false" (true_false), q-KEY-N = position 1..n of choice N (ordering).
    Returns (answers, problems); unanswered questions are simply absent (they earn nothing)."""
    answers, problems = {}, []
    for q in questions:
        name = f"q-{q.key}"
        count = len(q.choices or [])
        if q.type == "single":
            value = form.get(name)
            if value not in (None, ""):
                if not _is_number(value) or int(value) >= count:
                    problems.append((q, _l("Unknown choice.")))
                else:
                    answers[q.key] = [int(value)]
        elif q.type == "multiple":
            values = form.getlist(name)
            if values:
                if not all(_is_number(v) and int(v) < count for v in values):
                    problems.append((q, _l("Unknown choice.")))
                else:
                    answers[q.key] = sorted({int(v) for v in values})
        elif q.type == "true_false":
            value = form.get(name)
            if value in ("true", "false"):
                answers[q.key] = value == "true"
            elif value:
                problems.append((q, _l("Answer true or false.")))
        elif q.type == "ordering":
            positions = [form.get(f"{name}-{i}", "") for i in range(count)]
            if not any(positions):
                continue
            if (
                not all(_is_number(p) and 1 <= int(p) <= count for p in positions)
                or len(set(positions)) != count
            ):
                problems.append((q, _l("Give every item a different position from 1 to %(n)s.", n=count)))
                continue
            answers[q.key] = [i for _, i in sorted((int(p), i) for i, p in enumerate(positions))]
    return answers, problems


def submit_attempt(user: User, attempt: Attempt, answers: dict, now: datetime | None = None) -> Result:
    """Grade and close the attempt; a pass issues the course certificate."""
    if attempt.user_id != user.id:
        raise TrainingError(_l("This attempt is not yours."))
    if attempt.finished:
        raise TrainingError(_l("This attempt has been submitted already."))
    version = attempt.version
    result = grade(version.questions, answers, version.pass_mark)
    attempt.answers = answers
    attempt.earned, attempt.possible = result.earned, result.possible
    attempt.score, attempt.passed = result.score, result.passed
    attempt.finished_at = now or utcnow()
    attempt.items = [
        AttemptItem(
            course_id=attempt.course_id, question_key=item.key, correct=item.correct, earned=item.earned
        )
        for item in result.items
    ]
    if result.passed:
        issue_certificate(attempt)
    db.session.flush()
    return result


def issue_certificate(attempt: Attempt) -> Certificate:
    existing = db.session.scalar(
        sa.select(Certificate).where(
            Certificate.user_id == attempt.user_id, Certificate.course_id == attempt.course_id
        )
    )
    if existing is not None:
        return existing
    certificate = Certificate(
        user_id=attempt.user_id,
        course_id=attempt.course_id,
        attempt=attempt,
        code=new_code(),
        issued_at=attempt.finished_at,
    )
    db.session.add(certificate)
    return certificate


def new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
        code = f"{code[:5]}-{code[5:]}"
        if not db.session.scalar(sa.select(Certificate.id).where(Certificate.code == code)):
            return code


def certificate_by_code(code: str) -> Certificate | None:
    code = (code or "").strip().upper()
    if not code or len(code) > 20:
        return None
    return db.session.scalar(sa.select(Certificate).where(Certificate.code == code))


def attempts_of(user: User, course: Course) -> list[Attempt]:
    return list(
        db.session.scalars(
            sa.select(Attempt)
            .where(
                Attempt.user_id == user.id, Attempt.course_id == course.id, Attempt.finished_at.is_not(None)
            )
            .order_by(Attempt.finished_at.desc())
        )
    )

"""Training reports (definitions in docs/training.md). A lead sees only the agents of the teams
they lead; trainers and admins see everyone."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ...accounts.models import Team, User
from ...extensions import db
from ...spreadsheets import safe_cell
from ..models import Assignment, Attempt, AttemptItem, Course, CourseVersion, LessonRead, PathCourse, Question
from .assigning import today


def scoped_users(actor, team_id: int | None = None) -> dict[int, User]:
    stmt = sa.select(User)
    if not actor.has_any_role("trainer", "admin", "qa"):
        stmt = stmt.join(Team, User.team_id == Team.id).where(Team.lead_id == actor.id)
    if team_id:
        stmt = stmt.where(User.team_id == team_id)
    return {u.id: u for u in db.session.scalars(stmt)}


def assigned_pairs(user_ids) -> dict[tuple[int, int], list[Assignment]]:
    """(user, course) → the assignments that ask for that course (directly or via a path)."""
    pairs: dict[tuple[int, int], list[Assignment]] = defaultdict(list)
    if not user_ids:
        return pairs
    assignments = db.session.scalars(sa.select(Assignment).where(Assignment.user_id.in_(user_ids)))
    path_courses: dict[int, list[int]] = defaultdict(list)
    for path_id, course_id in db.session.execute(
        sa.select(PathCourse.path_id, PathCourse.course_id).order_by(PathCourse.position)
    ):
        path_courses[path_id].append(course_id)
    for a in assignments:
        for course_id in [a.course_id] if a.course_id else path_courses[a.path_id]:
            pairs[(a.user_id, course_id)].append(a)
    return pairs


def passed_pairs(user_ids) -> set[tuple[int, int]]:
    if not user_ids:
        return set()
    return set(
        db.session.execute(
            sa.select(Attempt.user_id, Attempt.course_id)
            .where(Attempt.passed.is_(True), Attempt.user_id.in_(user_ids))
            .distinct()
        )
    )


@dataclass
class CourseRow:
    course: Course
    team: Team | None
    assigned: int = 0
    completed: int = 0
    attempts: int = 0
    passed_attempts: int = 0
    learners_active: int = 0
    seconds: int = 0
    score_sum: float = 0.0

    @property
    def completion_rate(self) -> float | None:
        return round(100 * self.completed / self.assigned, 1) if self.assigned else None

    @property
    def pass_rate(self) -> float | None:
        return round(100 * self.passed_attempts / self.attempts, 1) if self.attempts else None

    @property
    def average_score(self) -> float | None:
        return round(self.score_sum / self.attempts, 1) if self.attempts else None

    @property
    def minutes_per_learner(self) -> float | None:
        return round(self.seconds / 60 / self.learners_active, 1) if self.learners_active else None


def _within(column, start: datetime | None, end: datetime | None) -> list:
    """Conditions keeping `column` in [start, end); none for an open end."""
    return [c for c in (column >= start if start else None, column < end if end else None) if c is not None]


def course_report(
    actor,
    *,
    team_id: int | None = None,
    by_team: bool = False,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[CourseRow]:
    """Per course (or per course and team): assigned learners, completed (passed) learners,
    finished attempts and how many passed, average score, and time spent per active learner
    (lesson reading + quiz time). A date range narrows the activity (attempts finished, lessons
    opened in it); assigned and completed learners stay the current state."""
    users = scoped_users(actor, team_id)
    ids = list(users)
    teams = {t.id: t for t in db.session.scalars(sa.select(Team))}
    courses = {c.id: c for c in db.session.scalars(sa.select(Course).order_by(Course.slug))}
    rows: dict[tuple[int, int | None], CourseRow] = {}

    def row(user_id: int, course_id: int) -> CourseRow:
        team = teams.get(users[user_id].team_id) if by_team else None
        key = (course_id, team.id if team else None)
        if key not in rows:
            rows[key] = CourseRow(courses[course_id], team)
        return rows[key]

    passed = passed_pairs(ids)
    for user_id, course_id in assigned_pairs(ids):
        r = row(user_id, course_id)
        r.assigned += 1
        r.completed += (user_id, course_id) in passed
    active: set[tuple[int, int]] = set()
    seconds: dict[tuple[int, int], int] = defaultdict(int)
    if ids:
        for user_id, course_id, score, ok, started, finished in db.session.execute(
            sa.select(
                Attempt.user_id,
                Attempt.course_id,
                Attempt.score,
                Attempt.passed,
                Attempt.started_at,
                Attempt.finished_at,
            ).where(
                Attempt.finished_at.is_not(None),
                Attempt.user_id.in_(ids),
                *_within(Attempt.finished_at, start, end),
            )
        ):
            r = row(user_id, course_id)
            r.attempts += 1
            r.passed_attempts += bool(ok)
            r.score_sum += score or 0
            seconds[(user_id, course_id)] += max(0, min(3 * 3600, int((finished - started).total_seconds())))
            active.add((user_id, course_id))
        for user_id, course_id, total in db.session.execute(
            sa.select(LessonRead.user_id, LessonRead.course_id, sa.func.sum(LessonRead.seconds))
            .where(LessonRead.user_id.in_(ids), *_within(LessonRead.opened_at, start, end))
            .group_by(LessonRead.user_id, LessonRead.course_id)
        ):
            seconds[(user_id, course_id)] += int(total or 0)
            active.add((user_id, course_id))
    for user_id, course_id in active:
        r = row(user_id, course_id)
        r.learners_active += 1
        r.seconds += seconds[(user_id, course_id)]
    return sorted(rows.values(), key=lambda r: (r.course.slug, r.team.name if r.team else ""))


@dataclass
class OverdueRow:
    assignment: Assignment
    user: User
    days_overdue: int
    courses_passed: int
    courses_total: int


def overdue_report(actor, *, team_id: int | None = None) -> list[OverdueRow]:
    """Assignments past their due date whose courses are not all passed, most overdue first."""
    users = scoped_users(actor, team_id)
    if not users:
        return []
    passed = passed_pairs(list(users))
    day = today()
    rows = []
    for a in db.session.scalars(
        sa.select(Assignment)
        .where(Assignment.user_id.in_(list(users)), Assignment.due_on < day)
        .order_by(Assignment.due_on)
    ):
        courses = [c.id for c in a.course_list()]
        done = sum((a.user_id, c) in passed for c in courses)
        if done < len(courses):
            rows.append(OverdueRow(a, users[a.user_id], (day - a.due_on).days, done, len(courses)))
    return rows


@dataclass
class ItemRow:
    course: Course
    key: str
    prompt: str
    answered: int
    wrong: int

    @property
    def wrong_rate(self) -> float:
        return round(100 * self.wrong / self.answered, 1) if self.answered else 0.0


def item_difficulty(
    actor,
    *,
    course_id: int | None = None,
    team_id: int | None = None,
    lang: str = "zh",
    limit: int = 50,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[ItemRow]:
    """Questions by share of wrong answers (attempts in scope, finished in the range), hardest first."""
    ids = list(scoped_users(actor, team_id))
    if not ids:
        return []
    wrong = sa.func.sum(sa.case((AttemptItem.correct.is_(False), 1), else_=0))
    stmt = (
        sa.select(AttemptItem.course_id, AttemptItem.question_key, sa.func.count(), wrong)
        .join(Attempt, AttemptItem.attempt_id == Attempt.id)
        .where(Attempt.user_id.in_(ids), *_within(Attempt.finished_at, start, end))
        .group_by(AttemptItem.course_id, AttemptItem.question_key)
    )
    if course_id:
        stmt = stmt.where(AttemptItem.course_id == course_id)
    courses = {c.id: c for c in db.session.scalars(sa.select(Course))}
    rows = []
    for cid, key, answered, wrong_count in db.session.execute(stmt):
        rows.append(ItemRow(courses[cid], key, _prompt(cid, key, lang), answered, int(wrong_count or 0)))
    rows.sort(key=lambda r: (-r.wrong_rate, -r.answered, r.course.slug, r.key))
    return rows[:limit]


def _prompt(course_id: int, key: str, lang: str) -> str:
    question = db.session.scalar(
        sa.select(Question)
        .join(CourseVersion)
        .where(CourseVersion.course_id == course_id, Question.key == key)
        .order_by(CourseVersion.number.desc())
        .limit(1)
    )
    return question.text("prompt", lang) if question else key


def recent_pass_rates(courses, days: int = 30) -> dict[int, float | None]:
    """course id → percent of attempts finished in the last `days` that passed (None: none),
    in one query for the trainer's home panel."""
    from datetime import timedelta

    from ...dbtypes import utcnow

    ids = [c.id for c in courses]
    rates: dict[int, float | None] = dict.fromkeys(ids)
    if not ids:
        return rates
    for course_id, total, ok in db.session.execute(
        sa.select(
            Attempt.course_id, sa.func.count(), sa.func.sum(sa.case((Attempt.passed.is_(True), 1), else_=0))
        )
        .where(Attempt.course_id.in_(ids), Attempt.finished_at >= utcnow() - timedelta(days=days))
        .group_by(Attempt.course_id)
    ):
        rates[course_id] = round(100 * (ok or 0) / total, 1) if total else None
    return rates


def to_csv(header: list[str], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for r in rows:
        writer.writerow([safe_cell(v) for v in r])
    return "\ufeff" + out.getvalue()  # BOM: Excel opens Chinese text correctly

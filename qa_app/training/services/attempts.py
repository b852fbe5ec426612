"""Quiz attempts: whether a learner may start one, starting it once, the answers form and grading."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ...accounts.models import User
from ...database import in_one_transaction
from ...dbtypes import utcnow
from ...extensions import db
from ..models import Attempt, AttemptItem, Course, Question
from . import TrainingError
from .certificates import issue_certificate
from .grading import Result, grade


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

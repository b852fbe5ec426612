"""Quiz attempts started by several requests at once (a double click, or a script firing 16 POSTs
at a course allowing one attempt), each in a thread with its own app context and connection,
held at their first write until all have passed the checks (tests/qa/test_concurrency.py)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from qa_app.accounts.models import User
from qa_app.extensions import db as _db
from qa_app.training.models import Attempt, Course
from qa_app.training.services import attempts

from ..factories import make_user
from ..qa.test_concurrency import meeting_before_writing, run_together
from .factories import make_course

STARTERS = 4


def _starter(user_id: int, course_id: int):
    def start() -> int:
        return attempts.start_attempt(_db.session.get(User, user_id), _db.session.get(Course, course_id)).id

    return start


def _attempts_of(user_id: int) -> int:
    _db.session.rollback()  # a fresh snapshot (SQLite's WAL would show the old one)
    return _db.session.scalar(
        sa.select(sa.func.count()).select_from(Attempt).where(Attempt.user_id == user_id)
    )


def test_attempts_started_at_once_open_one_attempt_that_all_resume(app, db):
    course = make_course(max_attempts=1)
    agent = make_user()
    with meeting_before_writing(STARTERS):
        results = run_together(app, *[_starter(agent.id, course.id) for _ in range(STARTERS)])
    assert all(isinstance(r, int) for r in results), results
    assert len(set(results)) == 1
    assert _attempts_of(agent.id) == 1


def test_the_database_refuses_a_second_attempt_with_the_same_number(db):
    course = make_course()
    agent = make_user()
    first = attempts.start_attempt(agent, course)
    _db.session.add(
        Attempt(user_id=agent.id, course_id=course.id, version_id=first.version_id, number=first.number)
    )
    with pytest.raises(sa.exc.IntegrityError):
        _db.session.flush()
    _db.session.rollback()


def test_attempts_are_numbered_in_order(db):
    course = make_course(cooloff_minutes=0)
    agent = make_user()
    numbers = []
    for _ in range(2):
        attempt = attempts.start_attempt(agent, course)
        numbers.append(attempt.number)
        attempts.submit_attempt(agent, attempt, {})
        db.session.commit()  # as the view does: services only flush
    assert numbers == [1, 2]

"""Demo data: the course library, the onboarding path for every demo agent, and realistic
progress over the last ~60 days (fixed random seed). Running it again adds nothing."""

from __future__ import annotations

import random
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from ..dbtypes import utcnow
from ..extensions import db
from .models import Assignment, Attempt, AttemptItem, LearningPath, LessonRead
from .services.certificates import issue_certificate
from .services.grading import grade
from .services.library import import_library

SEED = 20261101


def seed(context: dict) -> dict:
    import_library(current_app.config["COURSES_DIR"])
    path = db.session.scalar(sa.select(LearningPath).where(LearningPath.onboarding.is_(True)))
    agents = context.get("agents") or []
    if path is None or not agents:
        return {}
    trainer = (context.get("staff") or {}).get("trainer")
    target = f"path:{path.id}"
    have = set(db.session.scalars(sa.select(Assignment.user_id).where(Assignment.target == target)))
    rng = random.Random(SEED)
    now = utcnow()
    for agent in agents:
        days_ago = rng.randint(4, 60)  # drawn for every agent so that reruns stay in step
        skill = rng.random()
        if agent.id in have:
            continue
        assigned_at = now - timedelta(days=days_ago, hours=rng.randint(0, 8))
        db.session.add(
            Assignment(
                user=agent,
                path=path,
                target=target,
                source="onboarding",
                assigned_at=assigned_at,
                due_on=(assigned_at + timedelta(days=path.due_days)).date(),
                assigned_by_id=None,
            )
        )
        _progress(agent, path.courses, assigned_at, skill, random.Random(f"{SEED}:{agent.username}"), now)
    db.session.flush()
    return {"training_path": path, "trainer": trainer}


def _progress(agent, courses, start, skill, rng, now) -> None:
    """Work through the courses in order: read lessons, take the quiz, retry after failures."""
    t = start + timedelta(hours=rng.uniform(2, 30))
    pace = 0.4 + 2.2 * (1 - skill)  # days between courses
    for course in courses:
        version = course.published
        if t > now - timedelta(hours=2):
            return
        stop_reading = rng.random() < 0.12
        for index, lesson in enumerate(version.lessons):
            if stop_reading and index >= 2:
                return
            seconds = int(lesson.minutes * 60 * rng.uniform(0.6, 1.6))
            db.session.add(
                LessonRead(
                    user_id=agent.id,
                    course_id=course.id,
                    version_id=version.id,
                    lesson_key=lesson.key,
                    opened_at=t,
                    read_at=t + timedelta(seconds=seconds),
                    seconds=seconds,
                )
            )
            t += timedelta(seconds=seconds + rng.randint(30, 600))
        passed = False
        for number in range(version.max_attempts or 3):
            if t > now:
                return
            passed = _attempt(agent, course, version, number + 1, t, 0.55 + 0.42 * skill + 0.08 * number, rng)
            if passed:
                break
            t += timedelta(minutes=version.cooloff_minutes + rng.randint(20, 24 * 60))
        if not passed:
            return
        t += timedelta(days=rng.uniform(0.2, pace))


def _attempt(agent, course, version, number, started, p_right, rng) -> bool:
    answers = {q.key: _answer(q, rng.random() < p_right, rng) for q in version.questions}
    result = grade(version.questions, answers, version.pass_mark)
    finished = started + timedelta(minutes=rng.uniform(4, 15))
    attempt = Attempt(
        user_id=agent.id,
        course_id=course.id,
        version=version,
        number=number,
        seed=rng.randrange(2**31),
        answers=answers,
        earned=result.earned,
        possible=result.possible,
        score=result.score,
        passed=result.passed,
        started_at=started,
        finished_at=finished,
        items=[
            AttemptItem(course_id=course.id, question_key=i.key, correct=i.correct, earned=i.earned)
            for i in result.items
        ],
    )
    db.session.add(attempt)
    if result.passed:
        db.session.flush()
        issue_certificate(attempt)
    return result.passed


def _answer(question, right: bool, rng):
    n = len(question.choices or [])
    if question.type == "true_false":
        return bool(question.answer) if right else not question.answer
    if question.type == "ordering":
        order = list(range(n))
        if not right:
            i = rng.randrange(n - 1)
            order[i], order[i + 1] = order[i + 1], order[i]
        return order
    correct = list(question.answer)
    if right:
        return correct
    if question.type == "single":
        return [rng.choice([i for i in range(n) if i not in correct])]
    flip = rng.randrange(n)
    wrong = set(correct) ^ {flip}
    return sorted(wrong) or [flip]

"""Builders for evaluation tests: rows of the other domains made directly, with only the fields
evaluations read."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from qa_app.accounts.models import Shop
from qa_app.chats.models import Chat, CheckResult
from qa_app.extensions import db
from qa_app.qa.models import Criterion, CriterionScore, Rubric, RubricSection, RubricVersion, Sample, Score
from qa_app.reviews.models import Review
from qa_app.training.models import Assignment, Attempt, Course, CourseVersion

from ..factories import make_shop, make_team, make_user

_sequence = itertools.count(1)
UTC = UTC
# 10:00 in Shanghai on 10 October 2026: inside "2026-10", "2026-Q4" and "2026-W41"
IN_OCTOBER = datetime(2026, 10, 10, 2, 0, tzinfo=UTC)


def make_team_with_agents(count: int = 2, **lead_fields):
    lead = make_user(roles=("lead",), **lead_fields)
    team = make_team(lead=lead)
    agents = [make_user(roles=("agent",), team=team) for _ in range(count)]
    return lead, team, agents


def make_rubric(criteria=(("greeting", False), ("accuracy", True))) -> RubricVersion:
    n = next(_sequence)
    rubric = Rubric(slug=f"rubric-{n}")
    version = RubricVersion(
        rubric=rubric, number=1, content_hash=f"h{n}", content={}, title_zh="售前", title_en="Pre-sale"
    )
    section = RubricSection(version=version, key="main", position=0, title_zh="主要", title_en="Main")
    for position, (key, critical) in enumerate(criteria):
        version.criteria.append(
            Criterion(
                section=section,
                key=key,
                position=position,
                title_zh=f"标准{key}",
                title_en=f"Criterion {key}",
                weight=1.0,
                scale="yes_no",
                critical=critical,
            )
        )
    db.session.add(version)
    db.session.commit()
    return version


SECONDS = {"pass": 40.0, "fail": 400.0, "not_measurable": None}


def make_chat(
    agent,
    started_at: datetime = IN_OCTOBER,
    *,
    first_response: str | None = "pass",
    seconds: float | None = -1,
    unanswered: bool = False,
    shop=None,
) -> Chat:
    """A chat as the importer stores it: the measured first response on the chat (default
    40 s for pass, 400 s for fail against the 300 s limit), none when never answered."""
    n = next(_sequence)
    if seconds == -1:
        seconds = None if unanswered else SECONDS.get(first_response)
    failed = first_response == "fail"
    chat = Chat(
        shop_id=(shop or _shop()).id,
        external_id=f"chat-{n}",
        agent_nickname="小美",
        agent_id=agent.id if agent else None,
        started_at=started_at,
        first_response_seconds=seconds,
        failed_checks=int(failed),
    )
    if first_response:
        chat.checks.append(CheckResult(check="first_response_time", result=first_response, value=seconds))
    db.session.add(chat)
    db.session.commit()
    return chat


def _shop():
    """The test's shop: the first one there is, made when there is none."""
    return db.session.scalar(sa.select(Shop).order_by(Shop.id).limit(1)) or make_shop()


def make_score(
    agent,
    total: float | None,
    submitted_at: datetime = IN_OCTOBER,
    *,
    version: RubricVersion | None = None,
    values: dict | None = None,
    critical_failed: bool = False,
    status: str = "submitted",
    grader=None,
) -> Score:
    """A submitted score of a sampled chat; `values` sets criterion answers by key (1 yes, 0 no)."""
    version = version or make_rubric()
    chat = make_chat(agent, submitted_at - timedelta(hours=1))
    grader = grader or make_user(roles=("qa",))
    sample = Sample(
        chat_id=chat.id,
        rubric_id=version.rubric_id,
        rubric_version_id=version.id,
        agent_id=agent.id,
        assigned_to_id=grader.id,
        week="2026-W41",
    )
    score = Score(
        sample=sample,
        chat_id=chat.id,
        agent_id=agent.id,
        grader_id=grader.id,
        rubric_version_id=version.id,
        status=status,
        total=total,
        critical_failed=critical_failed,
        submitted_at=submitted_at if status == "submitted" else None,
    )
    for criterion in version.criteria:
        if values and criterion.key in values:
            score.items.append(CriterionScore(criterion=criterion, value=values[criterion.key]))
    db.session.add(score)
    db.session.commit()
    return score


def make_review(
    agent,
    polarity: str = "praise",
    created_at: datetime = IN_OCTOBER,
    *,
    service_rating: int | None = 5,
    text: str = "客服很耐心",
) -> Review:
    n = next(_sequence)
    review = Review(
        shop_id=_shop().id,
        external_id=f"r-{n}",
        created_at=created_at,
        rating=5,
        service_rating=service_rating,
        text=text,
        agent_id=agent.id if agent else None,
        service_polarity=polarity,
        sentiment="negative" if polarity == "criticism" else "positive",
    )
    db.session.add(review)
    db.session.commit()
    return review


def make_course(slug: str | None = None) -> Course:
    n = next(_sequence)
    course = Course(slug=slug or f"course-{n}", category="communication")
    course.versions.append(
        CourseVersion(number=1, status="published", title_zh=f"课程{n}", title_en=f"Course {n}")
    )
    db.session.add(course)
    db.session.commit()
    return course


def make_assignment(agent, course: Course, due_on: date) -> Assignment:
    assignment = Assignment(
        user_id=agent.id, course_id=course.id, target=f"course:{course.id}", due_on=due_on
    )
    db.session.add(assignment)
    db.session.commit()
    return assignment


def make_attempt(
    agent, course: Course, score: float, finished_at: datetime = IN_OCTOBER, passed: bool | None = None
) -> Attempt:
    number = 1 + (
        db.session.scalar(
            sa.select(sa.func.max(Attempt.number)).where(
                Attempt.user_id == agent.id, Attempt.course_id == course.id
            )
        )
        or 0
    )
    attempt = Attempt(
        user_id=agent.id,
        course_id=course.id,
        version_id=course.versions[0].id,
        number=number,
        score=score,
        passed=score >= 80 if passed is None else passed,
        finished_at=finished_at,
        started_at=finished_at - timedelta(minutes=10),
    )
    db.session.add(attempt)
    db.session.commit()
    return attempt

"""Assigning courses and learning paths: who may assign to whom, onboarding for new agents, the
assignments list."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

from ...accounts.models import Team, User
from ...audit.services import record
from ...extensions import db
from ..models import Assignment, Course, CourseVersion, LearningPath, PathCourse
from . import TrainingError


def today() -> date:
    zone = current_app.config["SHOP_TIMEZONE"] if has_app_context() else "Asia/Shanghai"
    return datetime.now(ZoneInfo(zone)).date()


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
COURSES_OF_ASSIGNMENT = (
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
        .options(so.contains_eager(Assignment.user), *COURSES_OF_ASSIGNMENT)
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

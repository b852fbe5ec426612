"""The grading queue and the lists of scores the pages show."""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm as so

from ..accounts.models import User
from ..chats.models import Chat
from ..extensions import db
from ..ui.pagination import Page, paginate
from .models import (
    CriterionScore,
    Rubric,
    RubricSection,
    RubricVersion,
    Sample,
    Score,
)


def score_for_page(score_id: int) -> Score | None:
    """A score with what its page shows (answers with their criteria, the rubric's sections and
    criteria) loaded in a fixed number of queries instead of one per answer and section."""
    return db.session.scalar(
        sa.select(Score)
        .where(Score.id == score_id)
        .options(
            so.selectinload(Score.items).joinedload(CriterionScore.criterion),
            so.joinedload(Score.rubric_version)
            .selectinload(RubricVersion.sections)
            .selectinload(RubricSection.criteria),
        )
    )


def queue_query(user: User, *, rubric_id: int | None = None, state: str | None = None) -> sa.Select:
    """Samples assigned to `user` that are not submitted yet, oldest first."""
    stmt = (
        sa.select(Sample)
        .outerjoin(Score, Score.sample_id == Sample.id)
        .where(Sample.assigned_to_id == user.id, sa.or_(Score.id.is_(None), Score.status == "draft"))
        .options(
            so.joinedload(Sample.score),
            so.joinedload(Sample.agent),
            so.joinedload(Sample.chat),
            so.joinedload(Sample.rubric_version),
        )
        .order_by(Sample.created_at, Sample.id)
    )
    if rubric_id:
        stmt = stmt.where(Sample.rubric_id == rubric_id)
    if state == "new":
        stmt = stmt.where(Score.id.is_(None))
    elif state == "draft":
        stmt = stmt.where(Score.status == "draft")
    return stmt


def queue_counts(user: User) -> dict:
    rows = db.session.execute(
        sa.select(Score.status, sa.func.count())
        .select_from(Sample)
        .outerjoin(Score, Score.sample_id == Sample.id)
        .where(Sample.assigned_to_id == user.id)
        .group_by(Score.status)
    )
    counts = {status or "new": n for status, n in rows}
    return {
        "new": counts.get("new", 0),
        "draft": counts.get("draft", 0),
        "submitted": counts.get("submitted", 0),
    }


def queue_page(
    user: User,
    number: int,
    per_page: int,
    *,
    counts: dict,
    rubric_id: int | None = None,
    state: str | None = None,
) -> Page:
    """A page of the queue; without a rubric filter its length comes from `queue_counts`
    (already read for the page) rather than a second count over the QA specialist's samples."""
    stmt = queue_query(user, rubric_id=rubric_id, state=state)
    if rubric_id:
        return paginate(stmt, number, per_page)
    total = counts["new"] + counts["draft"] if state is None else counts[state]
    number = min(max(1, number or 1), max(1, -(-total // per_page)))
    items = list(db.session.scalars(stmt.limit(per_page).offset((number - 1) * per_page)))
    return Page(items=items, number=number, per_page=per_page, total=total)


def next_in_queue(user: User) -> Sample | None:
    return db.session.scalar(queue_query(user).limit(1))


def scores_query(
    viewer: User,
    *,
    agent_id: int | None = None,
    rubric_id: int | None = None,
    grader_id: int | None = None,
    team_id: int | None = None,
) -> sa.Select:
    """Submitted sample scores the viewer may see, newest first."""
    stmt = (
        sa.select(Score)
        .where(Score.status == "submitted", Score.sample_id.is_not(None))
        .options(so.joinedload(Score.agent), so.joinedload(Score.grader), so.joinedload(Score.rubric_version))
        .order_by(Score.submitted_at.desc(), Score.id.desc())
    )
    if not viewer.has_any_role("qa", "admin", "trainer"):
        visible = [viewer.id]
        if viewer.has_role("lead"):
            visible += [m.id for team in viewer.led_teams for m in team.members]
        stmt = stmt.where(Score.agent_id.in_(visible))
    if agent_id:
        stmt = stmt.where(Score.agent_id == agent_id)
    if grader_id:
        stmt = stmt.where(Score.grader_id == grader_id)
    if rubric_id:
        stmt = stmt.join(RubricVersion, RubricVersion.id == Score.rubric_version_id).where(
            RubricVersion.rubric_id == rubric_id
        )
    if team_id:
        stmt = stmt.where(Score.agent_id.in_(sa.select(User.id).where(User.team_id == team_id)))
    return stmt


def latest_for_agent(agent: User, limit: int = 5) -> list[Score]:
    return list(db.session.scalars(scores_query(agent, agent_id=agent.id).limit(limit)))


def latest_for_lead(lead: User, limit: int = 8) -> list[Score]:
    ids = [m.id for team in lead.led_teams for m in team.members]
    if not ids:
        return []
    return list(db.session.scalars(scores_query(lead).where(Score.agent_id.in_(ids)).limit(limit)))


def chat_of(score_or_sample) -> Chat:
    return db.session.get(Chat, score_or_sample.chat_id)


def rubric_options() -> list[Rubric]:
    # with their versions: the filter shows each rubric's current title
    return list(
        db.session.scalars(sa.select(Rubric).options(so.selectinload(Rubric.versions)).order_by(Rubric.slug))
    )

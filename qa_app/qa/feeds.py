"""The public read API other domains use (`submitted_scores`, `agent_average`, the API's feeds)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from ..extensions import db
from . import scoring
from .models import (
    Criterion,
    CriterionScore,
    RubricVersion,
    Sample,
    Score,
)
from .prefill import spec


@dataclass(frozen=True)
class CriterionResult:
    key: str
    title_zh: str
    title_en: str
    section_key: str
    weight: float
    scale: str
    critical: bool
    na: bool
    value: float | None
    fraction: float | None  # earned fraction 0…1, None when N/A
    comment: str


@dataclass(frozen=True)
class ScoreResult:
    score_id: int
    chat_id: int
    agent_id: int
    grader_id: int
    rubric_slug: str
    rubric_version: int
    total: float | None
    critical_failed: bool
    submitted_at: datetime
    praise: str
    criticism: str
    root_causes: tuple[str, ...]
    criteria: tuple[CriterionResult, ...]


def submitted_scores(
    *, agent_ids=None, start: datetime | None = None, end: datetime | None = None
) -> list[ScoreResult]:
    """Submitted QA scores of sampled chats (calibration excluded), with criterion-level results,
    submitted in [start, end), oldest first. Changes after submission are already applied."""
    stmt = (
        sa.select(Score)
        .where(Score.status == "submitted", Score.sample_id.is_not(None))
        .options(
            so.selectinload(Score.items).joinedload(CriterionScore.criterion).joinedload(Criterion.section),
            so.joinedload(Score.rubric_version).joinedload(RubricVersion.rubric),
        )
        .order_by(Score.submitted_at, Score.id)
    )
    if agent_ids is not None:
        stmt = stmt.where(Score.agent_id.in_(list(agent_ids)))
    if start is not None:
        stmt = stmt.where(Score.submitted_at >= start)
    if end is not None:
        stmt = stmt.where(Score.submitted_at < end)
    results = []
    for score in db.session.scalars(stmt).unique():
        criteria = []
        for item in sorted(score.items, key=lambda i: i.criterion.position):
            c = item.criterion
            fraction = None if item.na or item.value is None else scoring.fraction(spec(c), item.value)
            criteria.append(
                CriterionResult(
                    c.key,
                    c.title_zh,
                    c.title_en,
                    c.section.key,
                    c.weight,
                    c.scale,
                    c.critical,
                    item.na,
                    item.value,
                    fraction,
                    item.comment,
                )
            )
        results.append(
            ScoreResult(
                score.id,
                score.chat_id,
                score.agent_id,
                score.grader_id,
                score.rubric_version.rubric.slug,
                score.rubric_version.number,
                score.total,
                score.critical_failed,
                score.submitted_at,
                score.praise,
                score.criticism,
                tuple(score.root_causes or ()),
                tuple(criteria),
            )
        )
    return results


def agent_average(
    agent_id: int, start: datetime | None = None, end: datetime | None = None
) -> tuple[float | None, int]:
    """Mean total of an agent's submitted scores in [start, end) and how many there were
    (scores that are undefined because everything was N/A are left out)."""
    stmt = sa.select(sa.func.avg(Score.total), sa.func.count(Score.total)).where(
        Score.status == "submitted",
        Score.sample_id.is_not(None),
        Score.agent_id == agent_id,
        Score.total.is_not(None),
    )
    if start is not None:
        stmt = stmt.where(Score.submitted_at >= start)
    if end is not None:
        stmt = stmt.where(Score.submitted_at < end)
    mean, count = db.session.execute(stmt).one()
    return (round(float(mean), 2) if mean is not None else None), count


def scores_feed(*, updated_since: datetime | None = None, agent_id: int | None = None) -> sa.Select:
    """Submitted scores of sampled chats, oldest change first: what integrations poll."""
    stmt = (
        sa.select(Score)
        .where(Score.status == "submitted", Score.sample_id.is_not(None))
        .options(so.joinedload(Score.rubric_version).joinedload(RubricVersion.rubric))
        .order_by(Score.updated_at, Score.id)
    )
    if updated_since is not None:
        stmt = stmt.where(Score.updated_at > updated_since)
    if agent_id is not None:
        stmt = stmt.where(Score.agent_id == agent_id)
    return stmt


def samples_feed(*, created_since: datetime | None = None, agent_id: int | None = None) -> sa.Select:
    """Samples drawn by sampling plans, oldest first."""
    stmt = (
        sa.select(Sample)
        .options(so.joinedload(Sample.rubric), so.joinedload(Sample.score))
        .order_by(Sample.created_at, Sample.id)
    )
    if created_since is not None:
        stmt = stmt.where(Sample.created_at > created_since)
    if agent_id is not None:
        stmt = stmt.where(Sample.agent_id == agent_id)
    return stmt

"""How far graders trust each automatic check: of the answers a check pre-filled, how many were
submitted as the check proposed ("kept") and how many the grader changed.

The proposal is stored on the answer when the draft is created (CriterionScore.auto_value,
auto_na); only submitted scores of sampled chats count, as in the reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from ..chats.models import Chat
from ..extensions import db
from .models import Criterion, CriterionScore, Score

#: shown on the page when the settings are not configured (config.py)
DEFAULT_MIN_AGREEMENT = 0.8
DEFAULT_MIN_ANSWERS = 20


@dataclass(frozen=True)
class CheckTrust:
    check: str
    answers: int
    kept: int
    rate: float | None  # kept / answers, None without answers
    low: bool  # enough answers and a rate below the configured level

    @property
    def changed(self) -> int:
        return self.answers - self.kept


@dataclass(frozen=True)
class Disagreement:
    score_id: int
    chat: str  # the chat's id in its export
    criterion_zh: str
    criterion_en: str
    scale: str
    suggested: float | None
    suggested_na: bool
    value: float | None
    na: bool
    submitted_at: datetime


def settings() -> tuple[float, int]:
    """The agreement level below which a check is flagged, and the answers needed to judge it."""
    config = current_app.config
    return (
        float(config.get("QA_CHECK_TRUST_MIN_AGREEMENT", DEFAULT_MIN_AGREEMENT)),
        int(config.get("QA_CHECK_TRUST_MIN_ANSWERS", DEFAULT_MIN_ANSWERS)),
    )


# an answer kept the proposal when both are the same N/A or the same value
_KEPT = sa.or_(
    sa.and_(CriterionScore.na.is_(True), CriterionScore.auto_na.is_(True)),
    sa.and_(
        CriterionScore.na.is_(False),
        CriterionScore.auto_na.is_(False),
        CriterionScore.value == CriterionScore.auto_value,
    ),
)


def _prefilled(start: datetime, end: datetime, agent_ids) -> sa.Select:
    stmt = (
        sa.select()
        .select_from(CriterionScore)
        .join(Score, Score.id == CriterionScore.score_id)
        .where(
            Score.status == "submitted",
            Score.sample_id.is_not(None),
            Score.submitted_at >= start,
            Score.submitted_at < end,
            CriterionScore.prefilled_from_check.is_not(None),
        )
    )
    if agent_ids is not None:
        stmt = stmt.where(Score.agent_id.in_(list(agent_ids) or [0]))
    return stmt


def by_check(start: datetime, end: datetime, agent_ids=None) -> list[CheckTrust]:
    """One row per check that pre-filled answers in [start, end), lowest agreement first."""
    min_rate, min_answers = settings()
    kept = sa.func.sum(sa.case((_KEPT, 1), else_=0))
    rows = db.session.execute(
        _prefilled(start, end, agent_ids)
        .add_columns(CriterionScore.prefilled_from_check, sa.func.count(), kept)
        .group_by(CriterionScore.prefilled_from_check)
    )
    result = []
    for check, answers, kept_count in rows:
        kept_count = int(kept_count or 0)
        rate = kept_count / answers if answers else None
        result.append(
            CheckTrust(
                check,
                answers,
                kept_count,
                rate,
                rate is not None and answers >= min_answers and rate < min_rate,
            )
        )
    return sorted(result, key=lambda row: (row.rate if row.rate is not None else 2, row.check))


def disagreements(
    check: str, start: datetime, end: datetime, agent_ids=None, limit: int = 100
) -> list[Disagreement]:
    """The answers where the grader changed what `check` proposed, newest first."""
    rows = db.session.execute(
        _prefilled(start, end, agent_ids)
        .add_columns(
            Score.id,
            Chat.external_id,
            Criterion.title_zh,
            Criterion.title_en,
            Criterion.scale,
            CriterionScore.auto_value,
            CriterionScore.auto_na,
            CriterionScore.value,
            CriterionScore.na,
            Score.submitted_at,
        )
        .join(Criterion, Criterion.id == CriterionScore.criterion_id)
        .join(Chat, Chat.id == Score.chat_id)
        .where(CriterionScore.prefilled_from_check == check, sa.not_(_KEPT))
        .order_by(Score.submitted_at.desc(), Score.id.desc())
        .limit(limit)
    )
    return [Disagreement(*row) for row in rows]

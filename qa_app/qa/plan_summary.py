"""What a sampling plan's page shows: the plans list's counts, the samples per agent, how they
were picked (spotlight with reasons, or random), and the chats the plan could not use and why."""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm as so

from ..accounts.models import User
from ..chats.models import Chat
from ..extensions import db
from . import spotlight
from .candidates import in_period
from .models import Rubric, Sample, SamplingPlan, Score

#: spotlight picks listed on the plan page (the newest first)
SPOTLIGHT_SHOWN = 30


def plans_query() -> sa.Select:
    return (
        sa.select(SamplingPlan)
        .options(so.selectinload(SamplingPlan.rubric).selectinload(Rubric.versions))
        .order_by(SamplingPlan.created_at.desc(), SamplingPlan.id.desc())
    )


def sample_counts(plan_ids) -> dict[int, int]:
    """Samples drawn per plan, in one query (a weekly plan holds tens of thousands after a year:
    the list must not load them)."""
    ids = list(plan_ids)
    if not ids:
        return {}
    return dict(
        db.session.execute(
            sa.select(Sample.plan_id, sa.func.count()).where(Sample.plan_id.in_(ids)).group_by(Sample.plan_id)
        ).all()
    )


def plan_summary(plan: SamplingPlan) -> dict:
    """Samples of the plan: total, scored, per agent, per way of picking."""
    rows = db.session.execute(
        sa.select(Sample.agent_id, sa.func.count(), sa.func.count(Score.submitted_at))
        .outerjoin(Score, Score.sample_id == Sample.id)
        .where(Sample.plan_id == plan.id)
        .group_by(Sample.agent_id)
    )
    per_agent = {agent: (total, done) for agent, total, done in rows}
    agents = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(per_agent)))}
    picked = dict(
        db.session.execute(
            sa.select(Sample.picked_by, sa.func.count())
            .where(Sample.plan_id == plan.id)
            .group_by(Sample.picked_by)
        ).all()
    )
    return {
        "total": sum(t for t, _ in per_agent.values()),
        "submitted": sum(d for _, d in per_agent.values()),
        "spotlight": picked.get("spotlight", 0),
        "random": picked.get("random", 0),
        "per_agent": sorted(
            ((agents[a], t, d) for a, (t, d) in per_agent.items()), key=lambda r: r[0].display_name
        ),
    }


def spotlight_picks(plan: SamplingPlan, limit: int = SPOTLIGHT_SHOWN) -> list[dict]:
    """The plan's picks with reasons (spotlight, and new hires' random picks), localised."""
    samples = db.session.scalars(
        sa.select(Sample)
        .where(Sample.plan_id == plan.id, Sample.reasons.is_not(None))
        .options(so.joinedload(Sample.chat), so.joinedload(Sample.agent))
        .order_by((Sample.picked_by == "spotlight").desc(), Sample.id.desc())
        .limit(limit)
    )
    return [
        {"sample": s, "reasons": [spotlight.describe(code, value) for code, value in s.reasons]}
        for s in samples
    ]


def skipped(plan: SamplingPlan) -> dict:
    """Chats in the plan's period it cannot sample, and those it places by their import time."""
    in_range = in_period(plan)
    if (plan.filters or {}).get("shop_id"):
        in_range = sa.and_(in_range, Chat.shop_id == plan.filters["shop_id"])
    no_agent, untimed = db.session.execute(
        sa.select(
            sa.func.count(Chat.id).filter(Chat.agent_id.is_(None)),
            sa.func.count(Chat.id).filter(Chat.started_at.is_(None), Chat.agent_id.is_not(None)),
        ).where(in_range)
    ).one()
    return {"no_agent": no_agent, "untimed": untimed}


#: the per-agent table gets a name filter from this many rows on
AGENT_FILTER_FROM = 12


def agents_matching(per_agent: list, text: str) -> list:
    """The per-agent rows whose agent's name or user name contains the text (any case)."""
    needle = text.strip().casefold()
    if not needle:
        return per_agent
    return [
        row
        for row in per_agent
        if needle in row[0].display_name.casefold() or needle in row[0].username.casefold()
    ]

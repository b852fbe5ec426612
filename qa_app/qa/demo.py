"""Demo data for QA: the rubric library, a four-week sampling plan, ~300 submitted scores
(with ~20 chats left in each QA specialist's queue), calibration sessions and disputes.

Runs after the chats demo; fixed seed, safe to run again (it stops once its plan exists)."""

from __future__ import annotations

import random
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from ..chats.models import Chat
from ..dbtypes import utcnow
from ..extensions import db
from . import calibration, rubrics, sampling, scoring
from .models import Dispute, Notification, Rubric, Sample, SamplingPlan, Score
from .prefill import spec
from .scores import ROOT_CAUSES, new_score, result_of

SEED = 20261101
PLAN_NAME = "演示抽样 · 近四周（礼仪质检）"
LEFT_IN_QUEUE = 20
PRAISE = [
    "问候热情，称呼得体，解答清楚。",
    "耐心解释退换货政策，顾客很满意。",
    "Quick, friendly replies and a clear next step.",
    "主动推荐了合适的优惠券。",
]
CRITICISM = [
    "结束前没有确认顾客是否还有其他问题。",
    "回复偏慢，顾客等了较久。",
    "Used a canned reply that did not answer the question.",
    "语气略显生硬，建议多用礼貌用语。",
]


def seed(context: dict) -> dict:
    rubrics.import_dir(current_app.config["RUBRICS_DIR"])
    if db.session.scalar(sa.select(SamplingPlan.id).where(SamplingPlan.name == PLAN_NAME)):
        return {}
    if not db.session.scalar(sa.select(sa.func.count()).select_from(Chat).where(Chat.agent_id.is_not(None))):
        return {}  # no chats yet: nothing to sample
    staff = context.get("staff", {})
    qa, qa2, lead = staff.get("qa"), staff.get("qa2"), staff.get("lead")
    rng = random.Random(SEED)
    rubric = db.session.scalar(sa.select(Rubric).where(Rubric.slug == "etiquette")) or db.session.scalar(
        sa.select(Rubric).order_by(Rubric.id)
    )
    today = utcnow().date()
    plan = sampling.create_plan(
        qa,
        name=PLAN_NAME,
        rubric=rubric,
        mode="per_agent",
        per_agent_per_week=3,
        percent=None,
        date_from=today - timedelta(days=28),
        date_to=today,
        filters={"grader_ids": [u.id for u in (qa, qa2) if u]},
        seed=SEED,
    )
    sampling.run(plan, qa)
    skill = {}
    samples = list(db.session.scalars(sa.select(Sample).where(Sample.plan_id == plan.id).order_by(Sample.id)))
    by_grader: dict[int, list[Sample]] = {}
    for sample in samples:
        by_grader.setdefault(sample.assigned_to_id, []).append(sample)
    scored = []
    for grader_samples in by_grader.values():
        grader_samples.sort(key=lambda s: (s.chat.started_at, s.id))
        for sample in grader_samples[:-LEFT_IN_QUEUE]:
            agent_skill = skill.setdefault(sample.agent_id, rng.uniform(0.55, 0.95))
            score = new_score(
                chat_id=sample.chat_id,
                agent_id=sample.agent_id,
                grader=sample.assigned_to,
                version=sample.rubric_version,
                sample=sample,
            )
            _fill(score, agent_skill, rng)
            moment = min(
                sample.chat.started_at + timedelta(hours=rng.randint(20, 70)),
                utcnow() - timedelta(minutes=rng.randint(5, 600)),
            )
            score.status, score.submitted_at, score.created_at = "submitted", moment, moment
            scored.append(score)
    db.session.flush()
    _disputes(scored, context, rng)
    _calibrations([u for u in (qa, qa2, lead) if u], rubric, rng)
    return {"qa_plan": plan}


def _fill(score: Score, skill: float, rng: random.Random) -> None:
    for item in score.items:
        c = item.criterion
        if item.value is not None or item.na:  # pre-filled by a check (a value or N/A)
            continue
        if c.na_allowed and rng.random() < 0.2:
            item.na = True
            continue
        low, high = scoring.value_range(spec(c))
        if c.critical:
            item.value = low if rng.random() < 0.03 else high
            continue
        raw = low + (high - low) * min(1.0, max(0.0, rng.gauss(skill, 0.2)))
        item.value = float(round(raw))
    result = scoring.compute(scoring.Answer(spec(i.criterion), i.value, i.na) for i in score.items)
    score.total, score.critical_failed = result.total, result.critical_failed
    score.praise = rng.choice(PRAISE)
    if (score.total or 0) < 85:
        score.criticism = rng.choice(CRITICISM)
        score.root_causes = rng.sample(sorted(ROOT_CAUSES), 1)


def _disputes(scored: list[Score], context: dict, rng: random.Random) -> None:
    agents = context.get("agents") or []
    main_agent = agents[0] if agents else None
    recent = sorted(scored, key=lambda s: s.submitted_at, reverse=True)
    mine = [s for s in recent if main_agent and s.agent_id == main_agent.id]
    others = [s for s in recent if s not in mine]
    now = utcnow()
    decided = [(others[i], outcome) for i, outcome in ((3, "upheld"), (7, "changed")) if i < len(others)]
    for score, outcome in decided:
        dispute = Dispute(
            score_id=score.id,
            raised_by_id=score.agent_id,
            total_before=score.total,
            reason="我认为结束语是有的，只是在下一条消息里。",
            status=outcome,
            created_at=score.submitted_at + timedelta(hours=5),
        )
        if outcome == "changed":
            for item in score.items:
                if not item.na and item.value is not None and not item.criterion.critical:
                    item.value = scoring.value_range(spec(item.criterion))[1]
            result = result_of(score)
            score.total, score.critical_failed = result.total, result.critical_failed
        dispute.total_after = score.total
        dispute.resolution = "已复核聊天记录。" if outcome == "upheld" else "复核后确认有结束语，已修改分数。"
        dispute.resolved_by_id = context["staff"]["lead"].id if context.get("staff") else None
        dispute.resolved_at = min(now, dispute.created_at + timedelta(days=1))
        db.session.add(dispute)
        db.session.add(
            Notification(
                user_id=score.agent_id,
                kind=f"dispute_resolved_{outcome}",
                params={"score": score.id},
                link=f"/qa/scores/{score.id}",
            )
        )
    target = (mine or others)[:1]
    for score in target:
        db.session.add(
            Dispute(
                score_id=score.id,
                raised_by_id=score.agent_id,
                total_before=score.total,
                reason="顾客的问题我已经在第二条消息里回答了，请再看一下。",
                status="open",
            )
        )
    db.session.flush()


def _calibrations(graders, rubric: Rubric, rng: random.Random) -> None:
    if len(graders) < 2:
        return
    for index, (title, days_ago, closed) in enumerate(
        (("校准 · 第一期", 21, True), ("校准 · 第二期", 7, True), ("校准 · 本周", 0, False))
    ):
        try:
            session = calibration.create_session(
                graders[0],
                title=title,
                rubric=rubric,
                grader_ids=[g.id for g in graders],
                chat_count=4,
                seed=SEED + index,
            )
        except calibration.CalibrationError:
            return
        session.created_at = utcnow() - timedelta(days=days_ago + 1)
        if not closed:
            continue
        for chat_id in session.chat_ids:
            base = rng.uniform(0.6, 0.9)
            for grader in graders:
                score = new_score(
                    chat_id=chat_id,
                    agent_id=db.session.get(Chat, chat_id).agent_id,
                    grader=grader,
                    version=session.rubric_version,
                    calibration=session,
                )
                _fill(score, base + rng.uniform(-0.15, 0.15) * (2 if index == 0 else 1), rng)
                score.status, score.submitted_at = "submitted", session.created_at + timedelta(hours=3)
        session.status, session.closed_at = "closed", utcnow() - timedelta(days=days_ago)
        db.session.flush()

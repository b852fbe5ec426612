"""Demo evaluations: coaching sessions and notes by "lead", last month finalised for one team.

Runs after the training, chats, reviews and QA demos so that the evidence is there. Idempotent:
sessions and notes are only added when the lead has none yet, finalising skips final ones.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from ..accounts.models import User
from ..dbtypes import utcnow
from ..extensions import db
from . import coaching, finals, periods, services, sources
from .models import CoachingSession, LeadNote

NOTES = [
    (
        "首次响应偏慢，高峰期有顾客等待超过5分钟。",
        "高峰期开启快捷短语，先回复“亲，在的”再查询订单；每天复盘一次超时会话。",
    ),
    (
        "介绍商品时没有核对尺码表，顾客收到后要求换货。",
        "推荐尺码前先问身高体重并对照尺码表；下周抽查5个售前会话。",
    ),
    (
        "对差评顾客语气生硬，没有给出解决方案。",
        "按投诉五步法处理：记录、判断、提出方案并确认、执行、跟进到底。",
    ),
]
PRAISE = [
    "耐心解答顾客问题，多位顾客点名表扬。",
    "售后跟进及时，退换货处理规范。",
    "主动推荐优惠券，转化率提升。",
]
CRITICISM = [
    "高峰期首次响应超时较多。",
    "结束语不规范，偶尔没有确认顾客是否还有问题。",
    "备注旗帜颜色用错两次。",
]


def seed(context: dict) -> dict:
    lead = context.get("staff", {}).get("lead") or db.session.scalar(
        sa.select(User).where(User.username == "lead")
    )
    if lead is None:
        return {}
    tz = services.shop_tz()
    this_month = periods.current("month", tz)
    last_month = this_month.previous()
    agents = services.visible_agents(lead)
    if not agents:
        return {}
    sessions = _coaching(lead, agents, this_month)
    _notes(lead, agents, last_month)
    _notes(lead, agents, this_month)
    first_team = sorted(lead.led_teams, key=lambda t: t.id)[0] if lead.led_teams else None
    finalised = 0
    if first_team is not None:
        team_agents = [a for a in agents if a.team_id == first_team.id]
        finalised = finals.finalise(lead, team_agents, last_month)
    return {"coaching_sessions": sessions, "evaluations_finalised": finalised}


def _weakest_criteria(agent_id: int, since, limit: int = 2) -> list[str]:
    fractions: dict[str, list[float]] = {}
    for score in sources.qa_feeds.submitted_scores(agent_ids=[agent_id], start=since):
        for item in score.criteria:
            if item.fraction is not None:
                fractions.setdefault(item.key, []).append(item.fraction)
    ranked = sorted(fractions, key=lambda k: sum(fractions[k]) / len(fractions[k]))
    return ranked[:limit]


def _coaching(lead: User, agents, period) -> int:
    if db.session.scalar(
        sa.select(sa.func.count()).select_from(CoachingSession).where(CoachingSession.lead_id == lead.id)
    ):
        return 0
    rows = services.evaluate_many(agents, period)
    chosen = [e.agent for e in sorted(rows, key=lambda e: e.priority, reverse=True)[:3]]
    today = periods.local_today(period.tz)
    now = utcnow()
    for index, agent in enumerate(chosen):
        held_on = today - timedelta(days=12 + 4 * index)
        failing = db.session.scalars(sources.chat_rows(agent.id, period.previous(), "fail").limit(2))
        criticised = db.session.scalars(_criticism(agent.id, now - timedelta(days=60), now).limit(1))
        notes, actions = NOTES[index % len(NOTES)]
        coaching.record_session(
            lead,
            agent,
            held_on=held_on,
            notes=notes,
            actions=actions,
            follow_up_on=held_on + timedelta(days=14),
            criterion_keys=_weakest_criteria(agent.id, now - timedelta(days=60)),
            chat_ids=[c.id for c in failing],
            review_ids=[r.id for r in criticised],
        )
    return len(chosen)


def _criticism(agent_id: int, start, end):
    from ..reviews import services as review_services

    return review_services.reviews_of_agent(agent_id, start, end, "criticism")


def _notes(lead: User, agents, period) -> None:
    existing = set(db.session.scalars(sa.select(LeadNote.agent_id).where(LeadNote.period == period.key)))
    for index, agent in enumerate(agents[:6]):
        if agent.id in existing:
            continue
        try:
            finals.save_note(
                lead,
                agent,
                period,
                praise=PRAISE[index % len(PRAISE)],
                criticism=CRITICISM[index % len(CRITICISM)],
            )
        except services.EvaluationError:
            continue  # already final

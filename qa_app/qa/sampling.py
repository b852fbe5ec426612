"""Sampling plans: which chats QA scores, drawn fairly and reproducibly, and who scores them.

The algorithm (docs/qa.md):
1. Candidates: chats with a known agent, started in the plan's date range (shop time zone),
   matching its filters, never sampled before for the same rubric.
2. Strata: (agent, ISO week). Each stratum gets its quota: N chats, or ⌈percent × chats⌉ (so any
   agent with a chat that week gets at least one), minus what this plan already drew there.
   New hires' quotas are multiplied by QA_NEW_HIRE_RATE (qa_app/qa/spotlight.py).
3. Draw: the plan's spotlight share of each quota comes from the top of the stratum's worthiness
   ranking (spotlight.py; only chats with evidence), the rest is drawn at random from the other
   chats, ordered by id, with random.Random seeded by "<seed>:<agent>:<week>": the same seed and
   the same chats give the same sample, and one stratum's draw does not depend on another's.
   Each sample records how it was picked ("spotlight" with reasons, or "random"): reports
   average the random picks, which stay an unbiased sample of their stratum.
   Chats without times (exports without them) are placed by their import time.
4. Assignment: each sample goes to the eligible QA specialist with the fewest open assignments
   (ties broken by the seeded shuffle); nobody gets a chat they took part in as an agent.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..accounts.models import User, UserRole
from ..audit.services import record
from ..chats.models import Chat, ChatAgent
from ..database import in_one_transaction, lost_race
from ..dbtypes import utcnow
from ..extensions import db
from . import candidates, spotlight
from .drawing import Candidate, assign, draw_strata, quota, spotlight_count
from .models import Rubric, Sample, SamplingPlan, Score


class PlanError(ValueError):
    """The plan cannot be used as given; the message is safe to show."""


@dataclass
class RunResult:
    created: int = 0
    unassigned: int = 0
    per_agent: dict[int, int] = field(default_factory=dict)
    per_grader: dict[int, int] = field(default_factory=dict)


def qa_specialists() -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(UserRole)
            .where(UserRole.role == "qa", User.active.is_(True))
            .order_by(User.id)
        )
    )


def open_load() -> dict[int, int]:
    """Open (not yet submitted) assignments per QA specialist."""
    rows = db.session.execute(
        sa.select(Sample.assigned_to_id, sa.func.count())
        .outerjoin(Score, Score.sample_id == Sample.id)
        .where(sa.or_(Score.id.is_(None), Score.status == "draft"))
        .group_by(Sample.assigned_to_id)
    )
    return {grader: count for grader, count in rows}


#: a run that lost the race with another run starts once more, then gives up
RUN_ATTEMPTS = 2


def run(plan: SamplingPlan, actor=None) -> RunResult:
    """Draw the plan's samples and queue them; running it again only tops up unmet quotas.

    Two runs at once for one rubric (two QA specialists pressing "run") would both draw from the
    same candidates. The run is one transaction (database.in_one_transaction): on SQLite it
    takes the write lock at BEGIN, so the second run waits for the first and draws from what it
    stored; on PostgreSQL the database refuses the second one's samples (unique chat and rubric)
    and that run starts again from what the first one stored. Either way it only tops up."""
    try:
        return in_one_transaction(lambda: _draw_and_store(plan, actor), attempts=RUN_ATTEMPTS)
    except Exception as error:
        if lost_race(error, db.engine.dialect.loaded_dbapi):
            raise PlanError(
                _l(
                    "Another run of a plan for this rubric was drawing at the same "
                    "moment. Nothing was drawn by this one: run it again."
                )
            ) from None
        raise


def _draw_and_store(plan: SamplingPlan, actor) -> RunResult:
    rubric = plan.rubric
    version = rubric.current
    if version is None or not rubric.active:
        raise PlanError(_l("The rubric has no published version."))
    strata, already = candidates.by_stratum(plan)
    picks = _draw(plan, strata, already)
    grader_ids = (plan.filters or {}).get("grader_ids") or [u.id for u in qa_specialists()]
    if not grader_ids:
        raise PlanError(_l("There is no active QA specialist to assign the samples to."))
    chat_agents: dict[int, set[int]] = defaultdict(set)
    if picks:
        for chat_id, agent_id in db.session.execute(
            sa.select(ChatAgent.chat_id, ChatAgent.agent_id).where(
                ChatAgent.chat_id.in_([p.chat_id for p in picks]), ChatAgent.agent_id.is_not(None)
            )
        ):
            chat_agents[chat_id].add(agent_id)
    graders = assign(picks, grader_ids, open_load(), chat_agents, plan.seed)
    hired = spotlight.new_hires({p.agent_id for p in picks})
    result = RunResult()
    rows = []
    for pick in picks:
        grader = graders[pick.chat_id]
        if grader is None:
            result.unassigned += 1
            continue
        rows.append(
            {
                "plan_id": plan.id,
                "chat_id": pick.chat_id,
                "rubric_id": rubric.id,
                "rubric_version_id": version.id,
                "agent_id": pick.agent_id,
                "assigned_to_id": grader,
                "week": pick.week,
                "created_at": utcnow(),
                "picked_by": pick.picked_by,
                "reasons": _reasons(pick, hired),
            }
        )
        result.created += 1
        result.per_agent[pick.agent_id] = result.per_agent.get(pick.agent_id, 0) + 1
        result.per_grader[grader] = result.per_grader.get(grader, 0) + 1
    if rows:
        # one executemany instead of a unit of work over 1,500 new objects
        db.session.execute(sa.insert(Sample), rows)
    plan.last_run_at = utcnow()
    record(
        actor,
        "sampling_plan.run",
        plan,
        after={"created": result.created, "unassigned": result.unassigned, "seed": plan.seed},
    )
    return result


def _draw(plan: SamplingPlan, strata: dict, already: dict) -> list[Candidate]:
    """The draw with the spotlight ranking and the new hires' rates of the plan's strata."""
    hired = spotlight.new_hires({agent for agent, _ in strata})
    rate = current_app.config["QA_NEW_HIRE_RATE"]
    rates = {key: rate for key in strata if spotlight.days_hired(hired.get(key[0]), key[1]) is not None}
    share = plan.spotlight_percent or 0
    limit = max(
        (
            spotlight_count(
                quota(
                    plan.mode,
                    len(ids) + already.get(key, 0),
                    per_agent_per_week=plan.per_agent_per_week,
                    percent=plan.percent,
                    rate=rates.get(key, 1.0),
                ),
                share,
            )
            for key, ids in strata.items()
        ),
        default=0,
    )
    # timed chats only: the OR with the untimed range would keep SQLite off the started_at index
    ranking = (
        spotlight.ranked(
            candidates.unsampled(plan, timed=True),
            candidates.week_label(plan, Chat.started_at),
            spotlight.typical_lengths(*candidates.bounds(plan)),
            limit,
        )
        if share
        else {}
    )
    return draw_strata(
        strata,
        mode=plan.mode,
        seed=plan.seed,
        per_agent_per_week=plan.per_agent_per_week,
        percent=plan.percent,
        already=already,
        spotlight=ranking,
        share=share,
        rates=rates,
    )


def _reasons(pick: Candidate, hired: dict) -> list | None:
    """A pick's reasons as stored: the spotlight evidence, and a new hire's hiring."""
    reasons = [list(r) for r in pick.reasons]
    days = spotlight.days_hired(hired.get(pick.agent_id), pick.week)
    if days is not None:
        reasons.append(["new_hire", days])
    return reasons or None


def create_plan(
    actor,
    *,
    name: str,
    rubric: Rubric,
    mode: str,
    per_agent_per_week: int | None,
    percent: float | None,
    date_from: date,
    date_to: date,
    filters: dict,
    seed: int | None = None,
    spotlight_percent: float = 30,
) -> SamplingPlan:
    if mode not in ("per_agent", "percent"):
        raise PlanError(_l("Choose chats per agent per week or a percentage."))
    if mode == "per_agent" and not (per_agent_per_week and 1 <= per_agent_per_week <= 100):
        raise PlanError(_l("Chats per agent per week must be between 1 and 100."))
    if mode == "percent" and not (percent and 0 < percent <= 100):
        raise PlanError(_l("The percentage must be above 0 and at most 100."))
    if not 0 <= spotlight_percent <= 100:
        raise PlanError(_l("The spotlight share must be between 0 and 100 %."))
    if date_to < date_from:
        raise PlanError(_l("The end date is before the start date."))
    if (date_to - date_from).days > 366:
        raise PlanError(_l("A plan covers at most one year."))
    plan = SamplingPlan(
        name=name.strip()[:120],
        rubric=rubric,
        mode=mode,
        per_agent_per_week=per_agent_per_week if mode == "per_agent" else None,
        percent=percent if mode == "percent" else None,
        date_from=date_from,
        date_to=date_to,
        filters={k: v for k, v in filters.items() if v not in (None, "", [], False)},
        seed=seed if seed is not None else random.SystemRandom().randrange(1, 2**31),
        spotlight_percent=spotlight_percent,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(plan)
    db.session.flush()
    record(
        actor,
        "sampling_plan.created",
        plan,
        after={"name": plan.name, "seed": plan.seed, "mode": mode, "filters": plan.filters},
    )
    db.session.flush()
    return plan

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

import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..accounts.models import User, UserRole
from ..audit.services import record
from ..chats.models import Chat, ChatAgent, CheckResult
from ..database import in_one_transaction, lost_race
from ..dbtypes import utcnow
from ..extensions import db
from . import spotlight
from .models import Rubric, Sample, SamplingPlan, Score


class PlanError(ValueError):
    """The plan cannot be used as given; the message is safe to show."""


@dataclass(frozen=True)
class Candidate:
    chat_id: int
    agent_id: int
    week: str
    picked_by: str = "random"
    reasons: tuple = ()


@dataclass
class RunResult:
    created: int = 0
    unassigned: int = 0
    per_agent: dict[int, int] = field(default_factory=dict)
    per_grader: dict[int, int] = field(default_factory=dict)


def local_today() -> date:
    """Today in the shop time zone: plans and reports count whole local days, so their default
    dates must be local too (in Shanghai the UTC date is yesterday until 08:00)."""
    return utcnow().astimezone(ZoneInfo(current_app.config["SHOP_TIMEZONE"])).date()


def iso_week(moment: datetime, tz: str) -> str:
    year, week, _ = moment.astimezone(ZoneInfo(tz)).isocalendar()
    return f"{year}-W{week:02d}"


def quota(
    mode: str, stratum_size: int, *, per_agent_per_week: int | None, percent: float | None, rate: float = 1.0
) -> int:
    """The stratum's quota; `rate` multiplies it (new hires), never beyond the stratum."""
    if mode == "per_agent":
        return min(stratum_size, math.ceil((per_agent_per_week or 0) * rate))
    return min(stratum_size, math.ceil(stratum_size * (percent or 0) / 100 * rate))


def spotlight_count(wanted: int, share: float) -> int:
    """How many of `wanted` picks come from the spotlight ranking (share in percent, half up)."""
    return min(wanted, math.floor(wanted * share / 100 + 0.5))


def draw(
    candidates: list[Candidate],
    *,
    mode: str,
    seed: int,
    per_agent_per_week: int | None = None,
    percent: float | None = None,
    already: dict[tuple[int, str], int] | None = None,
    stratum_sizes: dict[tuple[int, str], int] | None = None,
) -> list[Candidate]:
    """The stratified random draw (pure). `already` counts what the plan drew before per
    (agent, week); `stratum_sizes` the chats there including those (default: the candidates)."""
    strata: dict[tuple[int, str], list[int]] = defaultdict(list)
    for candidate in candidates:
        strata[(candidate.agent_id, candidate.week)].append(candidate.chat_id)
    return draw_strata(
        strata,
        mode=mode,
        seed=seed,
        per_agent_per_week=per_agent_per_week,
        percent=percent,
        already=already,
        stratum_sizes=stratum_sizes,
    )


def draw_strata(
    strata: dict[tuple[int, str], list[int]],
    *,
    mode: str,
    seed: int,
    per_agent_per_week: int | None = None,
    percent: float | None = None,
    already: dict[tuple[int, str], int] | None = None,
    stratum_sizes: dict[tuple[int, str], int] | None = None,
    spotlight: dict | None = None,
    share: float = 0,
    rates: dict[tuple[int, str], float] | None = None,
) -> list[Candidate]:
    """`draw` over candidate chat ids already grouped by (agent, week): what `run` uses, as
    building one Candidate per chat costs more than the draw at 100,000 chats a week.
    `spotlight`: per stratum the ranked [(chat_id, reasons)], best first; `share`: the percent
    of each quota taken from it; `rates`: quota multipliers (new hires)."""
    already = already or {}
    picked = []
    for (agent_id, week), chat_ids in sorted(strata.items()):
        key = (agent_id, week)
        members = sorted(chat_ids)
        size = (stratum_sizes or {}).get(key, len(members) + already.get(key, 0))
        wanted = quota(
            mode,
            size,
            per_agent_per_week=per_agent_per_week,
            percent=percent,
            rate=(rates or {}).get(key, 1.0),
        )
        wanted = max(0, min(len(members), wanted - already.get(key, 0)))
        allowed = set(members)
        top = [(c, r) for c, r in (spotlight or {}).get(key, ()) if c in allowed]
        top = top[: spotlight_count(wanted, share)]
        picked.extend(Candidate(c, agent_id, week, "spotlight", tuple(map(tuple, r))) for c, r in top)
        taken = {c for c, _ in top}
        rest = [c for c in members if c not in taken] if taken else members
        rng = random.Random(f"{seed}:{agent_id}:{week}")
        picked.extend(Candidate(c, agent_id, week) for c in rng.sample(rest, wanted - len(top)))
    return sorted(picked, key=lambda c: (c.week, c.agent_id, c.chat_id))


def assign(
    picks: list[Candidate],
    graders: list[int],
    load: dict[int, int],
    chat_agents: dict[int, set[int]],
    seed: int,
) -> dict[int, int | None]:
    """Grader per chat id (pure): fewest open assignments first, never the chat's own agent."""
    order = list(graders)
    random.Random(f"{seed}:graders").shuffle(order)
    rank = {grader: i for i, grader in enumerate(order)}
    load = dict(load)
    result: dict[int, int | None] = {}
    for pick in picks:
        excluded = chat_agents.get(pick.chat_id, set()) | {pick.agent_id}
        eligible = [g for g in graders if g not in excluded]
        if not eligible:
            result[pick.chat_id] = None
            continue
        chosen = min(eligible, key=lambda g: (load.get(g, 0), rank[g]))
        load[chosen] = load.get(chosen, 0) + 1
        result[pick.chat_id] = chosen
    return result


def _bounds(plan: SamplingPlan) -> tuple[datetime, datetime]:
    zone = ZoneInfo(current_app.config["SHOP_TIMEZONE"])
    start = datetime.combine(plan.date_from, time.min, zone)
    end = datetime.combine(plan.date_to + timedelta(days=1), time.min, zone)
    return start, end


def in_period(plan: SamplingPlan, timed: bool | None = None):
    """Chats of the plan's period: by start, or by import for chats without times (exports
    without them). `timed` True/False: only one kind. The grouped candidate read asks for each
    kind apart, as an OR of both ranges keeps SQLite off ix_chats_agent_id_started_at."""
    start, end = _bounds(plan)
    by_start = sa.and_(Chat.started_at >= start, Chat.started_at < end)
    by_import = sa.and_(Chat.started_at.is_(None), Chat.imported_at >= start, Chat.imported_at < end)
    return by_start if timed else by_import if timed is False else sa.or_(by_start, by_import)


def candidate_query(plan: SamplingPlan, timed: bool | None = True) -> sa.Select:
    """Chats the plan may draw from (not yet sampled for its rubric)."""
    f = plan.filters or {}
    stmt = sa.select(Chat.id, Chat.agent_id, Chat.started_at).where(
        Chat.agent_id.is_not(None), in_period(plan, timed)
    )
    if f.get("shop_id"):
        stmt = stmt.where(Chat.shop_id == f["shop_id"])
    if f.get("channel"):
        stmt = stmt.where(Chat.channel == f["channel"])
    if f.get("min_messages"):
        stmt = stmt.where(Chat.message_count >= f["min_messages"])
    if f.get("failed_check"):
        if f["failed_check"] == "any":
            stmt = stmt.where(Chat.failed_checks > 0)
        else:
            stmt = stmt.where(
                sa.exists().where(
                    CheckResult.chat_id == Chat.id,
                    CheckResult.check == f["failed_check"],
                    CheckResult.result == "fail",
                )
            )
    if f.get("negative_review"):
        stmt = stmt.where(_negative_review_exists())
    if f.get("agent_ids"):
        stmt = stmt.where(Chat.agent_id.in_(f["agent_ids"]))
    return stmt


def _negative_review_exists():
    """A review of the chat's order (same shop) that is negative or criticises the service."""
    from ..reviews.models import Review

    return sa.exists().where(
        Review.shop_id == Chat.shop_id,
        Review.order_id == Chat.order_id,
        Chat.order_id.is_not(None),
        sa.or_(
            Review.rating <= 2,
            Review.sentiment == "negative",
            Review.service_polarity.in_(("criticism", "mixed")),
        ),
    )


def _tags_match(chat_tags, wanted: list[str]) -> bool:
    return bool(set(chat_tags or ()) & set(wanted))


def week_label(plan: SamplingPlan, moment=None):
    """SQL giving each chat's ISO week in the shop time zone ("2026-W45"), from the week
    boundaries of the plan's range: no datetime has to be read and converted in Python."""
    tz = ZoneInfo(current_app.config["SHOP_TIMEZONE"])
    start, end = _bounds(plan)
    monday = datetime.combine(plan.date_from - timedelta(days=plan.date_from.weekday()), time.min, tz)
    whens = []
    while monday < end:
        following = datetime.combine(monday.date() + timedelta(days=7), time.min, tz)
        whens.append(
            ((spotlight.chat_time() if moment is None else moment) < following, iso_week(monday, tz.key))
        )
        monday = following
    return sa.case(*whens)


def candidates(plan: SamplingPlan) -> tuple[dict[tuple[int, str], list[int]], dict[tuple[int, str], int]]:
    """Unsampled candidate chat ids per (agent, week) and what this plan already drew there."""
    week = week_label(plan)
    stmt = _unsampled(plan, timed=True)
    tags = (plan.filters or {}).get("tags") or []
    strata: dict[tuple[int, str], list[int]] = defaultdict(list)
    if tags:  # JSON lists: matched here, chat by chat
        for chat_id, agent_id, label, chat_tags in db.session.execute(
            _unsampled(plan).with_only_columns(Chat.id, Chat.agent_id, week, Chat.tags)
        ):
            if _tags_match(chat_tags, tags):
                strata[(agent_id, label)].append(chat_id)
        return dict(strata), _already(plan)
    # one row per stratum, not per chat (100,000 a week at scale): the ids come joined in one text
    ids = _joined_ids(Chat.id)
    grouped = stmt.with_only_columns(
        Chat.agent_id, week_label(plan, Chat.started_at).label("week"), ids
    ).group_by(Chat.agent_id, sa.literal_column("week"))
    untimed = _unsampled(plan, timed=False).with_only_columns(
        Chat.agent_id, week_label(plan, Chat.imported_at).label("week"), ids
    )
    for query in (grouped, untimed.group_by(Chat.agent_id, sa.literal_column("week"))):
        for agent_id, label, joined in db.session.execute(query):
            strata[(agent_id, label)].extend(int(chat_id) for chat_id in joined.split(","))
    return dict(strata), _already(plan)


def _unsampled(plan: SamplingPlan, timed: bool | None = None) -> sa.Select:
    return candidate_query(plan, timed).where(
        ~sa.exists().where(Sample.chat_id == Chat.id, Sample.rubric_id == plan.rubric_id)
    )


def _joined_ids(column):
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.func.string_agg(sa.cast(column, sa.Text), ",")
    return sa.func.group_concat(column, ",")


def _already(plan: SamplingPlan) -> dict[tuple[int, str], int]:
    """What this plan drew before, per (agent, week)."""
    return {
        (agent_id, week): count
        for agent_id, week, count in db.session.execute(
            sa.select(Sample.agent_id, Sample.week, sa.func.count())
            .where(Sample.plan_id == plan.id)
            .group_by(Sample.agent_id, Sample.week)
        )
    }


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
    strata, already = candidates(plan)
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
            _unsampled(plan, timed=True),
            week_label(plan, Chat.started_at),
            spotlight.typical_lengths(*_bounds(plan)),
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

"""The sampling draw and assignment, pure: quotas per (agent, ISO week), the seeded stratified
draw with its spotlight share, and the grader for each pick (docs/qa.md, qa/sampling.py)."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    chat_id: int
    agent_id: int
    week: str
    picked_by: str = "random"
    reasons: tuple = ()


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
    """`draw` over candidate chat ids already grouped by (agent, week): what `sampling.run` uses, as
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

"""Evaluation rules: settings, live (draft) evaluations (finalising and lead notes: finals.py).

Draft evaluations are computed from the evidence (sources.py reads it with one aggregate query per
source) and kept in a cache shared by all processes until an input changes (cache.py,
freshness.py); a finalised evaluation is read back from its stored snapshot.
Coaching lives in coaching.py, exports in export.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

from ..accounts import services as accounts
from ..accounts.models import Setting, Team, User
from ..audit.services import record
from ..extensions import db
from ..permissions import can_see_agent
from . import cache, formula, freshness, periods, sources
from .formula import COMPONENTS, Component
from .models import Evaluation, LeadNote
from .periods import Period

WEIGHTS_KEY = "evaluation_weights"
MINIMUMS_KEY = "evaluation_minimums"


class EvaluationError(ValueError):
    """A rule was broken; the message is safe to show."""


def shop_tz() -> str:
    return current_app.config["SHOP_TIMEZONE"] if has_app_context() else "Asia/Shanghai"


def parse_period(key: str | None, default_kind: str = "month") -> Period:
    """The period named in a request, the last complete one of `default_kind` when missing or
    bad (periods.last_complete); PeriodOutOfRange when it lies outside the years anyone may ask
    for."""
    try:
        return periods.parse(key or "", shop_tz())
    except periods.PeriodOutOfRange:
        raise  # a real period nobody can have data for: the caller says so
    except periods.PeriodError:
        kind = default_kind if default_kind in periods.KINDS else "month"
        return periods.last_complete(kind, shop_tz())


# --- settings -------------------------------------------------------------------------------


def _setting(key: str):
    row = db.session.get(Setting, key)
    return row.value if row is not None else None


def weights() -> dict[str, float]:
    return formula.clean_weights(_setting(WEIGHTS_KEY))


def minimums() -> dict[str, int]:
    return formula.clean_minimums(_setting(MINIMUMS_KEY))


def current_settings() -> tuple[dict[str, float], dict[str, int]]:
    """(weights, minimums) read in one query."""
    found = dict(
        db.session.execute(
            sa.select(Setting.key, Setting.value).where(Setting.key.in_([WEIGHTS_KEY, MINIMUMS_KEY]))
        ).all()
    )
    return formula.clean_weights(found.get(WEIGHTS_KEY)), formula.clean_minimums(found.get(MINIMUMS_KEY))


def save_settings(actor, new_weights: dict, new_minimums: dict) -> None:
    if sum(float(v) for v in new_weights.values()) <= 0:
        raise EvaluationError(_l("At least one weight must be above zero."))
    before = {"weights": weights(), "minimums": minimums()}
    cleaned = {
        "weights": formula.clean_weights(new_weights),
        "minimums": formula.clean_minimums(new_minimums),
    }
    for key, value in ((WEIGHTS_KEY, cleaned["weights"]), (MINIMUMS_KEY, cleaned["minimums"])):
        row = db.session.get(Setting, key)
        if row is None:
            row = Setting(key=key)
            db.session.add(row)
        row.value = value
    # a setting's primary key is its name: the audit entry names it as Setting/evaluation_weights
    target = type("Setting", (), {"id": WEIGHTS_KEY})()
    record(actor, "evaluation.settings", target, before=before, after=cleaned)
    db.session.flush()


# --- who may be evaluated by whom -----------------------------------------------------------


def visible_agents(viewer: User, team_id: int | None = None) -> list[User]:
    """The agents whose evaluations `viewer` may open: a lead's teams, everyone for admins."""
    if not viewer.has_any_role("lead", "admin"):
        return [viewer] if viewer.has_role("agent") else []
    agents = accounts.agents_of_lead(viewer)
    if team_id:
        agents = [a for a in agents if a.team_id == team_id]
    return [a for a in agents if can_see_agent(viewer, a)]


def visible_teams(viewer: User) -> list[Team]:
    return accounts.all_teams() if viewer.has_role("admin") else list(viewer.led_teams)


def can_evaluate(viewer: User, agent: User) -> bool:
    """Leads of the agent's team and admins write notes, coach and finalise."""
    if viewer.id == agent.id:
        return False
    return viewer.has_role("admin") or (viewer.has_role("lead") and can_see_agent(viewer, agent))


# --- evaluations ----------------------------------------------------------------------------


@dataclass
class AgentEvaluation:
    agent: User
    period: Period
    components: dict[str, Component]
    weights: dict[str, float]
    minimums: dict[str, int]
    overall: float | None
    status: str = "draft"  # draft | final
    finalised_by: User | None = None
    finalised_at: datetime | None = None
    note_praise: str = ""
    note_criticism: str = ""
    flags: list[str] = field(default_factory=list)
    outliers: list[str] = field(default_factory=list)

    @property
    def final(self) -> bool:
        return self.status == "final"

    @property
    def priority(self) -> float:
        return formula.coaching_priority(self.flags, self.overall)

    def value(self, key: str) -> float | None:
        """A sortable number: a component (None without enough data), or the overall."""
        if key == "overall":
            return self.overall
        component = self.components.get(key)
        return component.value if component is not None and component.enough else None


def _components(
    qa: sources.QaStats,
    training: sources.TrainingStats,
    reviews: sources.ReviewStats,
    chats: sources.ChatStats,
    mins: dict[str, int],
) -> dict[str, Component]:
    return {
        "qa": formula.qa_component(qa.mean_total, qa.count, qa.critical_failures, mins["qa"]),
        "training": formula.training_component(
            training.due,
            training.on_time,
            training.quiz_average,
            training.attempts,
            mins["training"],
            training.overdue,
        ),
        "reviews": formula.reviews_component(
            reviews.praise,
            reviews.criticism,
            reviews.mixed,
            mins["reviews"],
            total=reviews.total,
            average_service_rating=reviews.average_service_rating,
        ),
        "service": formula.service_component(
            chats.first_response_passed,
            chats.first_response_failed,
            mins["service"],
            chats=chats.chats,
            average_first_response=chats.average_first_response,
        ),
    }


def _notes(agent_ids, period: Period) -> dict[int, LeadNote]:
    return {agent_id: note for (agent_id, _), note in _notes_in(agent_ids, [period]).items()}


def _notes_in(agent_ids, span: list[Period]) -> dict[tuple[int, str], LeadNote]:
    if not agent_ids or not span:
        return {}
    return {
        (n.agent_id, n.period): n
        for n in db.session.scalars(
            sa.select(LeadNote).where(
                LeadNote.agent_id.in_(list(agent_ids)), LeadNote.period.in_([p.key for p in span])
            )
        )
    }


def _finals(agent_ids, period: Period) -> dict[int, Evaluation]:
    return {agent_id: row for (agent_id, _), row in _finals_in(agent_ids, [period]).items()}


def final_of(agent: User, period: Period) -> Evaluation | None:
    """The stored final evaluation of the agent for the period, if any."""
    return _finals([agent.id], period).get(agent.id)


def _finals_in(agent_ids, span: list[Period]) -> dict[tuple[int, str], Evaluation]:
    if not agent_ids or not span:
        return {}
    return {
        (e.agent_id, e.period): e
        for e in db.session.scalars(
            sa.select(Evaluation).where(
                Evaluation.agent_id.in_(list(agent_ids)), Evaluation.period.in_([p.key for p in span])
            )
        )
    }


def _from_snapshot(agent: User, period: Period, row: Evaluation) -> AgentEvaluation:
    components = {k: Component.from_dict(v) for k, v in (row.components or {}).items()}
    extras = row.extras or {}
    return AgentEvaluation(
        agent,
        period,
        components,
        dict(row.weights),
        dict(row.minimums),
        row.overall,
        "final",
        row.finalised_by,
        row.finalised_at,
        extras.get("praise", ""),
        extras.get("criticism", ""),
        formula.flags(components, row.overall),
        formula.outliers(components),
    )


def _live_evidence(
    live: dict[str, list[int]], span: list[Period], today: date
) -> dict[tuple[int, str], cache.Evidence]:
    """Evidence of each (agent, period) not final: from the cache where its inputs have not
    changed since, computed (and cached) for the rest."""
    pairs = [(agent_id, p) for p in span for agent_id in live[p.key]]
    if not pairs:
        return {}
    if freshness.has_unwritten_changes(db.session):
        # this session's own uncommitted writes are part of what it reads: compute, share nothing
        return {
            (agent_id, p.key): evidence
            for p in span
            if live[p.key]
            for agent_id, evidence in cache.compute(live[p.key], p, today).items()
        }
    inputs = freshness.inputs_of(db.session, {a for a, _ in pairs}, span)
    found = cache.load({(a, p.key): inputs[(a, p.key)] for a, p in pairs}, span, today)
    fresh = []
    for p in span:
        missing = [a for a in live[p.key] if (a, p.key) not in found]
        if missing:
            for agent_id, evidence in cache.compute(missing, p, today).items():
                found[(agent_id, p.key)] = evidence
                fresh.append((agent_id, p.key, inputs[(agent_id, p.key)], evidence))
    cache.keep(db.session, fresh, today)
    return found


def evaluate_periods(
    agents: list[User], span: list[Period], *, live_only: bool = False
) -> dict[str, list[AgentEvaluation]]:
    """Evaluations of `agents` for each period of `span` (period key → list in the agents'
    order): stored snapshots for final ones; for the rest the evidence comes from the cache while
    its inputs are unchanged, else it is computed live (one aggregate query per source and
    period). Weights and minimums are today's; a constant number of queries for any number of
    agents. `live_only` computes every evaluation from today's evidence, final ones too (what a
    finalised evaluation would be now)."""
    ids = [a.id for a in agents]
    finals = {} if live_only else _finals_in(ids, span)
    live = {p.key: [i for i in ids if (i, p.key) not in finals] for p in span}
    w, mins = current_settings()
    today = periods.local_today(span[0].tz) if span else None
    evidence = _live_evidence(live, span, today)
    notes = _notes_in([i for p in span for i in live[p.key]], span)
    result: dict[str, list[AgentEvaluation]] = {}
    for p in span:
        rows = result[p.key] = []
        for agent in agents:
            if (agent.id, p.key) in finals:
                rows.append(_from_snapshot(agent, p, finals[(agent.id, p.key)]))
                continue
            found = evidence[(agent.id, p.key)]
            components = _components(found.qa, found.training, found.reviews, found.chats, mins)
            total = formula.overall(components, w).value
            note = notes.get((agent.id, p.key))
            rows.append(
                AgentEvaluation(
                    agent,
                    p,
                    components,
                    w,
                    mins,
                    total,
                    note_praise=note.praise if note else "",
                    note_criticism=note.criticism if note else "",
                    flags=formula.flags(components, total),
                    outliers=formula.outliers(components),
                )
            )
    return result


def evaluate_many(agents: list[User], period: Period) -> list[AgentEvaluation]:
    """Evaluations of `agents` for `period`, in the agents' order (see evaluate_periods)."""
    return evaluate_periods(agents, [period])[period.key]


def evaluate(agent: User, period: Period) -> AgentEvaluation:
    return evaluate_many([agent], period)[0]


def series_of(
    agents: list[User], span: list[Period], by_period: dict[str, list[AgentEvaluation]]
) -> dict[int, list]:
    """Overall per agent over `span` (oldest first) from evaluate_periods' result."""
    series: dict[int, list] = {a.id: [] for a in agents}
    for each in span:
        for evaluation in by_period[each.key]:
            series[evaluation.agent.id].append(evaluation.overall)
    return series


def trend(agents: list[User], period: Period, count: int = 6) -> tuple[list[Period], dict[int, list]]:
    """Overall per agent over the `count` periods ending with `period` (oldest first)."""
    span = periods.recent(period, count)
    return span, series_of(agents, span, evaluate_periods(agents, span))


def component_trend(
    agent: User, period: Period, count: int = 6
) -> tuple[list[Period], list[AgentEvaluation]]:
    span = periods.recent(period, count)
    by_period = evaluate_periods([agent], span)
    return span, [by_period[each.key][0] for each in span]


def warm(kinds=("month", "week"), count: int = 6, chunk: int = 100) -> Iterator[int]:
    """Compute the evidence of every active agent for the `count` latest periods of each kind
    (what dashboards and agent pages show by default), so that their first views of the day read
    the cache. Yields how many (agent, period) evaluations each chunk covered: the caller commits
    after each, which stores that chunk's evidence (cache.keep waits for the transaction's end)."""
    agents = list(db.session.scalars(accounts.find_users(role="agent", active=True)))
    for kind in kinds:
        span = periods.recent(periods.current(kind, shop_tz()), count)
        for start in range(0, len(agents), chunk):
            evaluate_periods(agents[start : start + chunk], span)
            yield len(agents[start : start + chunk]) * len(span)


SORT_KEYS = ("name", "overall", *COMPONENTS, "priority")


def sort_rows(rows: list[AgentEvaluation], key: str, descending: bool) -> list[AgentEvaluation]:
    """Sort by a column; evaluations without a number go last whichever the direction."""
    if key == "name":
        return sorted(rows, key=lambda e: e.agent.display_name, reverse=descending)
    if key == "priority":
        return sorted(rows, key=lambda e: e.priority, reverse=descending)
    present = [e for e in rows if e.value(key) is not None]
    missing = [e for e in rows if e.value(key) is None]
    return sorted(present, key=lambda e: e.value(key), reverse=descending) + missing


def team_overall(rows: list[AgentEvaluation]) -> float | None:
    values = [e.overall for e in rows if e.overall is not None]
    return round(sum(values) / len(values), 1) if values else None


def team_overall_values(values) -> float | None:
    present = [v for v in values if v is not None]
    return round(sum(present) / len(present), 1) if present else None

"""Evaluation rules: settings, live (draft) evaluations, finalising, lead notes.

Draft evaluations are computed from the evidence on every request (sources.py reads it with one
aggregate query per source); a finalised evaluation is read back from its stored snapshot.
Coaching lives in coaching.py, exports in export.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

from ..accounts import services as accounts
from ..accounts.models import Setting, Team, User
from ..audit.services import record
from ..dbtypes import utcnow
from ..extensions import db
from ..permissions import can_see_agent
from . import formula, periods, sources
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
    """The period named in a request, the current one of `default_kind` when missing or bad."""
    try:
        return periods.parse(key or "", shop_tz())
    except periods.PeriodError:
        kind = default_kind if default_kind in periods.KINDS else "month"
        return periods.current(kind, shop_tz())


# --- settings -------------------------------------------------------------------------------

def _setting(key: str):
    row = db.session.get(Setting, key)
    return row.value if row is not None else None


def weights() -> dict[str, float]:
    return formula.clean_weights(_setting(WEIGHTS_KEY))


def minimums() -> dict[str, int]:
    return formula.clean_minimums(_setting(MINIMUMS_KEY))


def save_settings(actor, new_weights: dict, new_minimums: dict) -> None:
    if sum(float(v) for v in new_weights.values()) <= 0:
        raise EvaluationError(_l("At least one weight must be above zero."))
    before = {"weights": weights(), "minimums": minimums()}
    cleaned = {"weights": formula.clean_weights(new_weights),
               "minimums": formula.clean_minimums(new_minimums)}
    for key, value in ((WEIGHTS_KEY, cleaned["weights"]), (MINIMUMS_KEY, cleaned["minimums"])):
        row = db.session.get(Setting, key)
        if row is None:
            row = Setting(key=key)
            db.session.add(row)
        row.value = value
    # a setting's primary key is its name: the audit entry names it as Setting/evaluation_weights
    target = type("Setting", (), {"id": WEIGHTS_KEY})()
    record(actor, "evaluation.settings", target, before=before, after=cleaned)
    db.session.commit()


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


def _components(qa: sources.QaStats, training: sources.TrainingStats, reviews: sources.ReviewStats,
                chats: sources.ChatStats, mins: dict[str, int]) -> dict[str, Component]:
    return {
        "qa": formula.qa_component(qa.mean_total, qa.count, qa.critical_failures, mins["qa"]),
        "training": formula.training_component(training.due, training.on_time, training.quiz_average,
                                               training.attempts, mins["training"], training.overdue),
        "reviews": formula.reviews_component(reviews.praise, reviews.criticism, reviews.mixed,
                                             mins["reviews"], total=reviews.total,
                                             average_service_rating=reviews.average_service_rating),
        "service": formula.service_component(chats.first_response_passed, chats.first_response_failed,
                                             mins["service"], chats=chats.chats,
                                             average_first_response=chats.average_first_response),
    }


def _notes(agent_ids, period: Period) -> dict[int, LeadNote]:
    if not agent_ids:
        return {}
    return {n.agent_id: n for n in db.session.scalars(sa.select(LeadNote).where(
        LeadNote.agent_id.in_(list(agent_ids)), LeadNote.period == period.key))}


def _finals(agent_ids, period: Period) -> dict[int, Evaluation]:
    if not agent_ids:
        return {}
    return {e.agent_id: e for e in db.session.scalars(sa.select(Evaluation).where(
        Evaluation.agent_id.in_(list(agent_ids)), Evaluation.period == period.key))}


def _from_snapshot(agent: User, period: Period, row: Evaluation) -> AgentEvaluation:
    components = {k: Component.from_dict(v) for k, v in (row.components or {}).items()}
    extras = row.extras or {}
    return AgentEvaluation(agent, period, components, dict(row.weights), dict(row.minimums),
                           row.overall, "final", row.finalised_by, row.finalised_at,
                           extras.get("praise", ""), extras.get("criticism", ""),
                           formula.flags(components, row.overall), formula.outliers(components))


def evaluate_many(agents: list[User], period: Period) -> list[AgentEvaluation]:
    """Evaluations of `agents` for `period`, in the agents' order: stored snapshots for final
    ones, computed live (four aggregate queries in all) for the rest."""
    ids = [a.id for a in agents]
    finals = _finals(ids, period)
    live_ids = [i for i in ids if i not in finals]
    w, mins = weights(), minimums()
    today = periods.local_today(period.tz)
    qa = sources.qa_stats(live_ids, period)
    training = sources.training_stats(live_ids, period, today)
    reviews = sources.review_stats(live_ids, period)
    chats = sources.chat_stats(live_ids, period)
    notes = _notes(live_ids, period)
    result = []
    for agent in agents:
        if agent.id in finals:
            result.append(_from_snapshot(agent, period, finals[agent.id]))
            continue
        components = _components(qa[agent.id], training[agent.id], reviews[agent.id],
                                 chats[agent.id], mins)
        total = formula.overall(components, w).value
        note = notes.get(agent.id)
        result.append(AgentEvaluation(
            agent, period, components, w, mins, total,
            note_praise=note.praise if note else "", note_criticism=note.criticism if note else "",
            flags=formula.flags(components, total), outliers=formula.outliers(components)))
    return result


def evaluate(agent: User, period: Period) -> AgentEvaluation:
    return evaluate_many([agent], period)[0]


def trend(agents: list[User], period: Period, count: int = 6) -> tuple[list[Period], dict[int, list]]:
    """Overall per agent over the `count` periods ending with `period` (oldest first)."""
    span = periods.recent(period, count)
    series: dict[int, list] = {a.id: [] for a in agents}
    for each in span:
        for evaluation in evaluate_many(agents, each):
            series[evaluation.agent.id].append(evaluation.overall)
    return span, series


def component_trend(agent: User, period: Period, count: int = 6) -> tuple[list[Period], list[AgentEvaluation]]:
    span = periods.recent(period, count)
    return span, [evaluate(agent, each) for each in span]


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


def needing_coaching(rows: list[AgentEvaluation], limit: int = 5) -> list[AgentEvaluation]:
    flagged = [e for e in rows if e.flags]
    return sorted(flagged, key=lambda e: e.priority, reverse=True)[:limit]


def team_overall(rows: list[AgentEvaluation]) -> float | None:
    values = [e.overall for e in rows if e.overall is not None]
    return round(sum(values) / len(values), 1) if values else None


# --- finalising -----------------------------------------------------------------------------

def _snapshot(evaluation: AgentEvaluation) -> dict:
    return {"overall": evaluation.overall, "weights": evaluation.weights,
            "components": {k: c.as_dict() for k, c in evaluation.components.items()}}


def finalise(actor: User, agents: list[User], period: Period, *, now: datetime | None = None) -> int:
    """Freeze the evaluations of `agents` for an ended period: weights, numbers and the lead's
    notes of this moment are stored and audited. Already final ones are left alone. Returns how
    many were finalised."""
    now = now or utcnow()
    if period.end > now:
        raise EvaluationError(_l("Only a period that has ended can be finalised."))
    for agent in agents:
        if not can_evaluate(actor, agent):
            raise EvaluationError(_l("You may not finalise this agent's evaluation."))
    count = 0
    for evaluation in evaluate_many(agents, period):
        if evaluation.final:
            continue
        row = Evaluation(agent_id=evaluation.agent.id, period=period.key, status="final",
                         weights=evaluation.weights, minimums=evaluation.minimums,
                         components={k: c.as_dict() for k, c in evaluation.components.items()},
                         overall=evaluation.overall,
                         extras={"praise": evaluation.note_praise,
                                 "criticism": evaluation.note_criticism},
                         finalised_by_id=actor.id, finalised_at=now)
        db.session.add(row)
        db.session.flush()
        record(actor, "evaluation.finalise", row, after={"agent": evaluation.agent.id,
                                                        "period": period.key,
                                                        **_snapshot(evaluation)})
        count += 1
    db.session.commit()
    return count


# --- the lead's notes -----------------------------------------------------------------------

def note_for(agent: User, period: Period) -> LeadNote | None:
    return _notes([agent.id], period).get(agent.id)


def save_note(actor: User, agent: User, period: Period, *, praise: str, criticism: str) -> LeadNote:
    if not can_evaluate(actor, agent):
        raise EvaluationError(_l("Only the agent's team lead writes these notes."))
    if _finals([agent.id], period):
        raise EvaluationError(_l("This evaluation is final; its notes can no longer change."))
    note = note_for(agent, period)
    before = {"praise": note.praise, "criticism": note.criticism} if note else None
    if note is None:
        note = LeadNote(agent_id=agent.id, period=period.key)
        db.session.add(note)
    note.praise, note.criticism, note.author_id = praise.strip(), criticism.strip(), actor.id
    db.session.flush()
    record(actor, "evaluation.note", note, before=before,
           after={"praise": note.praise, "criticism": note.criticism, "period": period.key})
    db.session.commit()
    return note


def team_overall_values(values) -> float | None:
    present = [v for v in values if v is not None]
    return round(sum(present) / len(present), 1) if present else None

"""Final evaluations: finalising an ended period, the lead's notes until then, what moved in the evidence
since, and re-opening one.

A final evaluation is a snapshot (models.Evaluation); a dispute settled later can move the score it
rests on. The page then shows the frozen number beside what the evaluation would be now (same
weights and minimums, today's evidence), and the agent's team lead may re-open it (audited).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..audit.services import record
from ..dbtypes import utcnow
from ..extensions import db
from . import formula
from .formula import COMPONENTS
from .models import Evaluation, LeadNote
from .periods import Period
from .services import (
    AgentEvaluation,
    EvaluationError,
    _finals,
    _notes,
    can_evaluate,
    evaluate_many,
    evaluate_periods,
    final_of,
)


@dataclass(frozen=True)
class EvidenceChange:
    """A final evaluation beside what the evidence says now (a dispute, a late import)."""

    frozen: float | None
    now: float | None
    components: dict[str, tuple[float | None, float | None]]  # key → (frozen, now), changed only

    @property
    def difference(self) -> float | None:
        if self.frozen is None or self.now is None:
            return None
        return round(self.now - self.frozen, 1)


def _moved(before: float | None, after: float | None) -> bool:
    if before is None or after is None:
        return before is not after
    return abs(before - after) >= 0.05


def evidence_change(evaluation: AgentEvaluation) -> EvidenceChange | None:
    """For a final evaluation: its frozen numbers against the same evaluation computed from
    today's evidence with the weights and minimums it was frozen with; None when nothing moved
    (or the evaluation is a draft)."""
    if not evaluation.final:
        return None
    found = evaluate_periods([evaluation.agent], [evaluation.period], live_only=True)
    live = found[evaluation.period.key][0]
    mins = formula.clean_minimums(evaluation.minimums)
    components = {
        k: formula.Component(k, c.value, c.count, mins[k], c.details) for k, c in live.components.items()
    }
    now = formula.overall(components, evaluation.weights).value
    changed = {
        k: (evaluation.components[k].value if k in evaluation.components else None, components[k].value)
        for k in COMPONENTS
        if k in components
        and _moved(
            evaluation.components[k].value if k in evaluation.components else None, components[k].value
        )
    }
    if not changed and not _moved(evaluation.overall, now):
        return None
    return EvidenceChange(evaluation.overall, now, changed)


def can_reopen(actor: User, agent: User) -> bool:
    """Only a lead of the agent's team re-opens a final evaluation (not the agent, not QA)."""
    team = agent.team
    return actor.has_role("lead") and team is not None and team.lead_id == actor.id


def reopen(actor: User, agent: User, period: Period) -> None:
    """Turn a final evaluation back into a draft (recomputed from the evidence), keeping the
    frozen snapshot in the audit log. The lead's notes stay (they are kept apart)."""
    if not can_reopen(actor, agent):
        raise EvaluationError(_l("Only the agent's team lead re-opens an evaluation."))
    row = final_of(agent, period)
    if row is None:
        raise EvaluationError(_l("This evaluation is not final."))
    record(
        actor,
        "evaluation.reopen",
        row,
        before={
            "agent": agent.id,
            "period": period.key,
            "overall": row.overall,
            "weights": row.weights,
            "components": row.components,
            "finalised_by": row.finalised_by_id,
            "finalised_at": row.finalised_at.isoformat() if row.finalised_at else None,
        },
    )
    db.session.delete(row)
    db.session.flush()


# --- finalising -----------------------------------------------------------------------------


def _snapshot(evaluation: AgentEvaluation) -> dict:
    return {
        "overall": evaluation.overall,
        "weights": evaluation.weights,
        "components": {k: c.as_dict() for k, c in evaluation.components.items()},
    }


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
        row = Evaluation(
            agent_id=evaluation.agent.id,
            period=period.key,
            status="final",
            weights=evaluation.weights,
            minimums=evaluation.minimums,
            components={k: c.as_dict() for k, c in evaluation.components.items()},
            overall=evaluation.overall,
            extras={"praise": evaluation.note_praise, "criticism": evaluation.note_criticism},
            finalised_by_id=actor.id,
            finalised_at=now,
        )
        db.session.add(row)
        db.session.flush()
        record(
            actor,
            "evaluation.finalise",
            row,
            after={"agent": evaluation.agent.id, "period": period.key, **_snapshot(evaluation)},
        )
        count += 1
    db.session.flush()
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
    record(
        actor,
        "evaluation.note",
        note,
        before=before,
        after={"praise": note.praise, "criticism": note.criticism, "period": period.key},
    )
    db.session.flush()
    return note

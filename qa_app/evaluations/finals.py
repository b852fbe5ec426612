"""Final evaluations after the fact: what moved in the evidence since, and re-opening one.

A final evaluation is a snapshot (models.Evaluation); a dispute settled later can move the score it
rests on. The page then shows the frozen number beside what the evaluation would be now (same
weights and minimums, today's evidence), and the agent's team lead may re-open it (audited).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..audit.services import record
from ..extensions import db
from . import formula
from .formula import COMPONENTS
from .periods import Period
from .services import AgentEvaluation, EvaluationError, evaluate_periods, final_of


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

"""Who may see and change a score."""

from __future__ import annotations

from ..accounts.models import User
from ..extensions import db
from ..permissions import can_see_agent
from .models import (
    Score,
)


def _is_lead_of(user: User, agent_id: int | None) -> bool:
    agent = db.session.get(User, agent_id) if agent_id else None
    return bool(agent and agent.team and agent.team.lead_id == user.id)


def can_view(user: User, score: Score) -> bool:
    if user.id == score.grader_id:
        return True
    if score.calibration_id is not None:
        # a closed session's scores are open to QA for the discussion; a lead sees only those of
        # their own teams' agents, as with any other score (the transcript is the agent's chat)
        if score.calibration.status != "closed":
            return False
        return user.has_any_role("qa", "admin") or (
            user.has_role("lead") and _is_lead_of(user, score.agent_id)
        )
    if user.has_any_role("qa", "admin"):
        return True
    return score.status == "submitted" and can_see_agent(user, score.agent)


def can_edit(user: User, score: Score) -> bool:
    if user.id == score.agent_id:
        return False  # a QA specialist who is also an agent never grades themselves
    if score.calibration_id is not None:
        return user.id == score.grader_id and score.calibration.status == "open"
    if score.status == "draft":
        return user.id == score.grader_id
    return (
        user.id == score.grader_id
        or user.has_any_role("qa", "admin")
        or (user.has_role("lead") and _is_lead_of(user, score.agent_id))
    )

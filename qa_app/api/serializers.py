"""Plain dicts for API responses: the public shape of our records, documented in openapi.py."""

from __future__ import annotations

from datetime import datetime


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def agent(user) -> dict:
    return {
        "id": user.id,
        "username": user.username,
        "name": user.display_name,
        "team": user.team.name if user.team else None,
        "team_id": user.team_id,
        "active": user.active,
        "nicknames": [{"shop": n.shop.slug, "nickname": n.nickname} for n in user.nicknames],
    }


def score(row) -> dict:
    return {
        "id": row.id,
        "chat_id": row.chat_id,
        "agent_id": row.agent_id,
        "grader_id": row.grader_id,
        "rubric": row.rubric_version.rubric.slug,
        "rubric_version": row.rubric_version.number,
        "total": row.total,
        "critical_failed": row.critical_failed,
        "submitted_at": iso(row.submitted_at),
        "updated_at": iso(row.updated_at),
        "praise": row.praise or "",
        "criticism": row.criticism or "",
    }


def sample(row) -> dict:
    return {
        "id": row.id,
        "chat_id": row.chat_id,
        "agent_id": row.agent_id,
        "assigned_to_id": row.assigned_to_id,
        "rubric": row.rubric.slug,
        "week": row.week,
        "created_at": iso(row.created_at),
        "score_id": row.score.id if row.score else None,
        "status": row.score.status if row.score else "open",
    }


def evaluation(row) -> dict:
    return {
        "agent_id": row.agent.id,
        "agent": row.agent.display_name,
        "period": row.period.key,
        "overall": row.overall,
        "status": row.status,
        "weights": row.weights,
        "components": {
            key: {"value": c.value, "count": c.count, "enough_data": c.enough}
            for key, c in row.components.items()
        },
    }

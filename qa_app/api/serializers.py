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

"""Where each number on an evaluation leads: the other domains' filtered lists when they exist
and the viewer may open them, otherwise this domain's own evidence page listing the same rows."""

from __future__ import annotations

from flask import current_app, url_for

from ..permissions import AUTHENTICATED


def can_open(endpoint: str, viewer) -> bool:
    view = current_app.view_functions.get(endpoint)
    if view is None:
        return False
    access = getattr(view, "access", None)
    if access == AUTHENTICATED:
        return True
    return isinstance(access, frozenset) and viewer.has_any_role(*access)


def _own(evaluation, kind: str, **filters) -> str:
    return url_for(
        "evaluations.evidence",
        agent_id=evaluation.agent.id,
        period=evaluation.period.key,
        kind=kind,
        **{k: v for k, v in filters.items() if v},
    )


def evidence_url(evaluation, kind: str, viewer, **filters) -> str:
    """The rows behind one number. kind: qa | reviews | chats | training."""
    period, agent = evaluation.period, evaluation.agent
    days = {"since": period.first_day.isoformat(), "until": period.last_day.isoformat()}
    self_view = viewer.id == agent.id
    if kind == "reviews":
        polarity = filters.get("polarity")
        extra = {"polarity": polarity} if polarity else {}
        if self_view and can_open("reviews.mine", viewer):
            return url_for("reviews.mine", **days, **extra)
        if not self_view and can_open("reviews.index", viewer):
            return url_for("reviews.index", agent=agent.id, **days, **extra)
    if kind == "chats" and not self_view and can_open("chats.index", viewer):
        outcome = filters.get("outcome")
        extra = {"check": "first_response_time", "result": outcome} if outcome else {}
        return url_for("chats.index", agent=agent.id, **{"from": days["since"], "to": days["until"]}, **extra)
    return _own(evaluation, kind, **filters)


def object_url(endpoint: str, viewer, **values) -> str | None:
    """A link to one row on its own domain's page, or None when there is no such page."""
    if endpoint not in current_app.view_functions or not can_open(endpoint, viewer):
        return None
    return url_for(endpoint, **values)

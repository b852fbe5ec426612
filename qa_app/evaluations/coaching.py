"""Coaching sessions and whether they worked.

A session names rubric criteria; its outcome compares each criterion's mean earned fraction in
the agent's QA scores during the BEFORE_DAYS before the session with the scores from the session
on (up to the end of the evaluation period being read).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..audit.services import record
from ..extensions import db
from ..ui.inputs import in_window, window_message
from . import formula, sources
from .models import CoachingSession
from .periods import Period
from .services import EvaluationError, can_evaluate, shop_tz

BEFORE_DAYS = 60
MAX_LINKS = 50


@dataclass(frozen=True)
class CriterionOutcome:
    key: str
    before: float | None  # mean earned fraction 0…1
    before_count: int
    after: float | None
    after_count: int

    @property
    def change(self) -> str:
        return formula.criterion_change(self.before, self.after)


def _local_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(shop_tz()))


def _ids(values) -> list[int]:
    result = []
    for value in values or ():
        try:
            number = int(str(value).strip().lstrip("#"))
        except ValueError:
            raise EvaluationError(_l("%(value)s is not an id.", value=str(value)[:20])) from None
        if number > 0 and number not in result:
            result.append(number)
    return result[:MAX_LINKS]


def _keys(values) -> list[str]:
    result = []
    for value in values or ():
        key = str(value).strip()[:64]
        if key and key not in result:
            result.append(key)
    return result[:MAX_LINKS]


def record_session(
    actor: User,
    agent: User,
    *,
    held_on: date,
    notes: str,
    actions: str,
    follow_up_on: date | None,
    criterion_keys=(),
    chat_ids=(),
    review_ids=(),
) -> CoachingSession:
    """Store a coaching session held by `actor` (the agent's lead, or an admin). Linked chats
    and reviews must be the agent's own."""
    if not can_evaluate(actor, agent):
        raise EvaluationError(_l("Only the agent's team lead records coaching."))
    if not (in_window(held_on) and in_window(follow_up_on)):
        raise EvaluationError(window_message())
    if follow_up_on is not None and follow_up_on < held_on:
        raise EvaluationError(_l("The follow-up date cannot be before the session."))
    chats, reviews = _ids(chat_ids), _ids(review_ids)
    found_chats = sources.chats_by_id(chats)
    if len(found_chats) != len(chats) or any(c.agent_id != agent.id for c in found_chats):
        raise EvaluationError(_l("Link only chats handled by this agent."))
    found_reviews = sources.reviews_by_id(reviews)
    if len(found_reviews) != len(reviews) or any(r.agent_id != agent.id for r in found_reviews):
        raise EvaluationError(_l("Link only reviews attributed to this agent."))
    session = CoachingSession(
        agent_id=agent.id,
        lead_id=actor.id,
        held_on=held_on,
        notes=notes.strip(),
        actions=actions.strip(),
        follow_up_on=follow_up_on,
        criterion_keys=_keys(criterion_keys),
        chat_ids=chats,
        review_ids=reviews,
    )
    db.session.add(session)
    db.session.flush()
    record(
        actor,
        "coaching.record",
        session,
        after={
            "agent": agent.id,
            "held_on": held_on.isoformat(),
            "criteria": session.criterion_keys,
            "chats": chats,
            "reviews": reviews,
        },
    )
    db.session.flush()
    return session


def can_delete(actor: User, session: CoachingSession) -> bool:
    """Only the lead of the agent's team removes a session (a mistaken or mistyped one)."""
    team = session.agent.team
    return actor.has_role("lead") and team is not None and team.lead_id == actor.id


def delete_session(actor: User, session: CoachingSession) -> None:
    """Remove a session, keeping what it said in the audit log."""
    if not can_delete(actor, session):
        raise EvaluationError(_l("Only the agent's team lead deletes coaching."))
    record(
        actor,
        "coaching.delete",
        session,
        before={
            "agent": session.agent_id,
            "lead": session.lead_id,
            "held_on": session.held_on.isoformat(),
            "notes": session.notes,
            "actions": session.actions,
            "criteria": session.criterion_keys,
            "chats": session.chat_ids,
            "reviews": session.review_ids,
        },
    )
    db.session.delete(session)
    db.session.flush()


def sessions_of(agent_ids, *, until: date | None = None, limit: int | None = None) -> list[CoachingSession]:
    ids = list(agent_ids)
    if not ids:
        return []
    stmt = (
        sa.select(CoachingSession)
        .where(CoachingSession.agent_id.in_(ids))
        .order_by(CoachingSession.held_on.desc(), CoachingSession.id.desc())
    )
    if until is not None:
        stmt = stmt.where(CoachingSession.held_on <= until)
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))


def outcome(session: CoachingSession, until: datetime | None = None) -> list[CriterionOutcome]:
    """Each linked criterion before the session and after it (up to `until`)."""
    if not session.criterion_keys or not in_window(session.held_on):
        return []  # a session stored before dates were checked: no sums of days with it
    held = _local_start(session.held_on)
    before = sources.criterion_fractions(
        session.agent_id, session.criterion_keys, held - timedelta(days=BEFORE_DAYS), held
    )
    after = sources.criterion_fractions(session.agent_id, session.criterion_keys, held, until)
    return [CriterionOutcome(key, *before[key], *after[key]) for key in session.criterion_keys]


def outcomes_for_period(
    agent: User, period: Period, limit: int = 3
) -> list[tuple[CoachingSession, list[CriterionOutcome]]]:
    """The agent's latest sessions held up to the end of the period, with their outcomes."""
    return [(s, outcome(s, period.end)) for s in sessions_of([agent.id], until=period.last_day, limit=limit)]


def due_follow_ups(agent_ids, today: date) -> list[CoachingSession]:
    """Sessions of these agents whose follow-up date has come (the latest ten)."""
    ids = list(agent_ids)
    if not ids:
        return []
    return list(
        db.session.scalars(
            sa.select(CoachingSession)
            .where(
                CoachingSession.agent_id.in_(ids),
                CoachingSession.follow_up_on.is_not(None),
                CoachingSession.follow_up_on <= today,
            )
            .order_by(CoachingSession.follow_up_on.desc())
            .limit(10)
        )
    )

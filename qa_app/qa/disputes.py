"""Disputes of submitted scores and in-app notifications.

An agent may dispute one of their submitted scores, with a reason, within the dispute window
(setting `qa.dispute_window_days`, default 7 days after submission), once per score while a
dispute is open. A lead of the agent's team, or a QA specialist other than the grader, resolves
it: *upheld* (the score stands) or *changed* (the resolver changes the score, audited, and the
dispute records the totals before and after). The agent is notified in the app either way.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l

from ..accounts.models import Setting, User
from ..audit.services import record
from ..database import in_one_transaction
from ..dbtypes import utcnow
from ..extensions import db
from .models import Dispute, Notification, Score

WINDOW_SETTING = "qa.dispute_window_days"
DEFAULT_WINDOW_DAYS = 7
NOTIFICATION_TEXT = {
    "dispute_resolved_upheld": _l("Your dispute of score #%(score)s was reviewed: the score stands."),
    "dispute_resolved_changed": _l("Your dispute of score #%(score)s was reviewed: the score was changed."),
    "dispute_opened": _l("%(agent)s disputed score #%(score)s."),
    "score_submitted": _l("A new QA score (#%(score)s) is available for you."),
}


class DisputeError(ValueError):
    """The message is safe to show."""


def window_days() -> int:
    setting = db.session.get(Setting, WINDOW_SETTING)
    try:
        return max(0, int(setting.value)) if setting is not None else DEFAULT_WINDOW_DAYS
    except (TypeError, ValueError):
        return DEFAULT_WINDOW_DAYS


def set_window_days(actor, days: int) -> None:
    if not 0 <= days <= 365:
        raise DisputeError(_l("The window must be between 0 and 365 days."))
    setting = db.session.get(Setting, WINDOW_SETTING)
    before = setting.value if setting else None
    if setting is None:
        setting = Setting(key=WINDOW_SETTING, value=days)
        db.session.add(setting)
    else:
        setting.value = days
    # settings are keyed by name, not id: the audit entry targets ("Setting", key)
    target = type("Setting", (), {"id": WINDOW_SETTING})()
    record(actor, "setting.changed", target, before={"value": before}, after={"value": days})
    db.session.commit()


def open_dispute(score: Score) -> Dispute | None:
    return next((d for d in score.disputes if d.status == "open"), None)


def can_dispute(agent: User, score: Score, now=None) -> bool:
    now = now or utcnow()
    return (score.agent_id == agent.id and score.status == "submitted" and score.sample_id is not None
            and open_dispute(score) is None and score.submitted_at is not None
            and now <= score.submitted_at + timedelta(days=window_days()))


def raise_dispute(agent: User, score: Score, reason: str) -> Dispute:
    """Open a dispute and notify the grader, committed. Of two disputes of one score raised at
    once, one is opened; the other is refused like any second dispute, without a notification:
    on SQLite it waits for the first's write lock and then sees its dispute; on PostgreSQL the
    database refuses a second open dispute of the score (a partial unique index) and it starts
    over and sees the first's (database.in_one_transaction)."""
    return in_one_transaction(lambda: _open(agent, score, reason))


def _open(agent: User, score: Score, reason: str) -> Dispute:
    reason = (reason or "").strip()
    if score.agent_id != agent.id:
        raise DisputeError(_l("Only the agent of a score can dispute it."))
    if not reason:
        raise DisputeError(_l("Say why you disagree with the score."))
    if open_dispute(score) is not None:
        raise DisputeError(_l("This score already has an open dispute."))
    if not can_dispute(agent, score):
        raise DisputeError(_l("The dispute window for this score has closed (%(days)s days).",
                              days=window_days()))
    dispute = Dispute(score=score, raised_by_id=agent.id, reason=reason[:4000],
                      total_before=score.total, status="open")
    db.session.add(dispute)
    db.session.flush()
    record(agent, "dispute.opened", dispute, after={"score": score.id, "reason": dispute.reason})
    notify(score.grader_id, "dispute_opened", {"score": score.id, "agent": agent.display_name},
           link=f"/qa/disputes/{dispute.id}")
    db.session.flush()
    return dispute


def can_resolve(user: User, dispute: Dispute) -> bool:
    score = dispute.score
    if user.id in (score.agent_id, score.grader_id) or dispute.status != "open":
        return False
    if user.has_any_role("qa", "admin"):
        return True
    agent = score.agent
    return user.has_role("lead") and agent is not None and agent.team is not None \
        and agent.team.lead_id == user.id


def resolve(user: User, dispute: Dispute, outcome: str, note: str) -> Dispute:
    """Close a dispute as upheld or changed; `changed` expects the score was edited already."""
    if outcome not in ("upheld", "changed"):
        raise DisputeError(_l("Choose whether the score stands or was changed."))
    if not can_resolve(user, dispute):
        raise DisputeError(_l("You may not resolve this dispute."))
    if not (note or "").strip():
        raise DisputeError(_l("Explain the decision to the agent."))
    dispute.status, dispute.resolution = outcome, note.strip()[:4000]
    dispute.resolved_by_id, dispute.resolved_at = user.id, utcnow()
    dispute.total_after = dispute.score.total
    record(user, "dispute.resolved", dispute, before={"status": "open", "total": dispute.total_before},
           after={"status": outcome, "total": dispute.total_after}, reason=dispute.resolution)
    notify(dispute.raised_by_id, f"dispute_resolved_{outcome}", {"score": dispute.score_id},
           link=f"/qa/scores/{dispute.score_id}")
    db.session.commit()
    return dispute


def disputes_query(user: User, *, status: str | None = "open") -> sa.Select:
    stmt = (sa.select(Dispute).join(Score, Score.id == Dispute.score_id)
            .options(so.joinedload(Dispute.score).joinedload(Score.agent),
                     so.joinedload(Dispute.raised_by))
            .order_by(Dispute.created_at.desc(), Dispute.id.desc()))
    if status:
        stmt = stmt.where(Dispute.status == status)
    if not user.has_any_role("qa", "admin"):
        visible = [user.id] + ([m.id for t in user.led_teams for m in t.members]
                               if user.has_role("lead") else [])
        stmt = stmt.where(Score.agent_id.in_(visible))
    return stmt


def open_count_for(user: User) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(
        disputes_query(user).order_by(None).subquery()))


# --- notifications ---------------------------------------------------------------------------------

def notify(user_id: int | None, kind: str, params: dict, link: str | None = None) -> None:
    if user_id:
        db.session.add(Notification(user_id=user_id, kind=kind, params=params, link=link))


def text_of(notification: Notification) -> str:
    template = NOTIFICATION_TEXT.get(notification.kind)
    return str(template) % notification.params if template is not None else notification.kind


def unread_count(user: User) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)))


def recent_notifications(user: User, limit: int = 5) -> list[Notification]:
    return list(db.session.scalars(
        sa.select(Notification).where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)))


def mark_all_read(user: User) -> None:
    db.session.execute(sa.update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=utcnow()))
    db.session.commit()

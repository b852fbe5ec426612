"""Disputes of submitted scores and in-app notifications.

An agent may dispute one of their submitted scores, with a reason, within the dispute window
(setting `qa.dispute_window_days`, default 7 days after submission), once per score: after a
decision the score cannot be disputed again (the decision is final), and every dispute of a score
stays listed with its decision. A lead of the agent's team, or a QA specialist other than the
grader, resolves it: *upheld* (the score stands) or *changed* (the resolver edits the criteria on
the decision page, audited, and the dispute records the totals before and after). "Changed" needs
an actual change of the score. The agent is notified in the app either way, with old -> new total.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from ..accounts.models import Setting, User
from ..audit.services import record
from ..database import in_one_transaction
from ..dbtypes import utcnow
from ..extensions import db
from . import scores
from .models import Dispute, Notification, Score

WINDOW_SETTING = "qa.dispute_window_days"
DEFAULT_WINDOW_DAYS = 7
NOTIFICATION_TEXT = {
    "dispute_resolved_upheld": _l("Your dispute of score #%(score)s was reviewed: the score stands."),
    "dispute_resolved_changed": _l("Your dispute of score #%(score)s was reviewed: the score was changed."),
    "dispute_resolved_changed_totals": _l(
        "Your dispute of score #%(score)s was reviewed: the score was changed from %(old)s to %(new)s."
    ),
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
    db.session.flush()


def open_dispute(score: Score) -> Dispute | None:
    return next((d for d in score.disputes if d.status == "open"), None)


def window_closes_at(score: Score):
    """When the score stops being disputable (UTC), or None while it is not submitted."""
    if score.submitted_at is None:
        return None
    return score.submitted_at + timedelta(days=window_days())


def can_dispute(agent: User, score: Score, now=None) -> bool:
    """One dispute per score: an open or decided dispute closes the way to another one."""
    now = now or utcnow()
    closes = window_closes_at(score)
    return (
        score.agent_id == agent.id
        and score.status == "submitted"
        and score.sample_id is not None
        and not score.disputes
        and closes is not None
        and now <= closes
    )


def disputes_of(score: Score) -> list[Dispute]:
    """Every dispute of the score, oldest first (the history shown on the score page)."""
    return sorted(score.disputes, key=lambda d: (d.created_at, d.id))


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
    if score.disputes:
        raise DisputeError(_l("This score was disputed already and the decision is final."))
    if not can_dispute(agent, score):
        raise DisputeError(
            _l("The dispute window for this score has closed (%(days)s days).", days=window_days())
        )
    dispute = Dispute(
        score=score, raised_by_id=agent.id, reason=reason[:4000], total_before=score.total, status="open"
    )
    db.session.add(dispute)
    db.session.flush()
    record(agent, "dispute.opened", dispute, after={"score": score.id, "reason": dispute.reason})
    notify(
        score.grader_id,
        "dispute_opened",
        {"score": score.id, "agent": agent.display_name},
        link=f"/qa/disputes/{dispute.id}",
    )
    db.session.flush()
    return dispute


def can_resolve(user: User, dispute: Dispute) -> bool:
    score = dispute.score
    if user.id in (score.agent_id, score.grader_id) or dispute.status != "open":
        return False
    if user.has_any_role("qa", "admin"):
        return True
    agent = score.agent
    return (
        user.has_role("lead")
        and agent is not None
        and agent.team is not None
        and agent.team.lead_id == user.id
    )


def resolve(
    user: User,
    dispute: Dispute,
    outcome: str,
    note: str,
    *,
    answers: dict | None = None,
    expected_version: int | None = None,
) -> Dispute:
    """Close a dispute as upheld or changed, in one transaction with the score's edit.

    `answers` (criterion id -> scores.AnswerInput) are the criteria as the resolver left them on
    the decision page; with "changed" they are saved as a change of the score (audited, reason:
    the note). "Changed" needs an actual change (of the criteria now, or of the total since the
    dispute was raised); "upheld" refuses edited criteria, so the agent is never told wrongly."""
    score = dispute.score
    expected = score.version_id if expected_version is None else expected_version

    def attempt() -> Dispute:
        _check_decision(user, dispute, outcome, note)
        edits = _edits(score, answers or {})
        if outcome == "upheld" and edits:
            raise DisputeError(
                _l(
                    'You changed criteria: record the decision as "changed", '
                    "or put the criteria back to uphold the score."
                )
            )
        if outcome == "changed":
            if edits:
                scores.apply_change(score, user, expected, answers=answers, reason=note.strip())
            elif score.total == dispute.total_before:
                raise DisputeError(
                    _l(
                        "Nothing was changed: edit at least one criterion to record "
                        '"changed", or choose "upheld".'
                    )
                )
        _close(user, dispute, outcome, note)
        return dispute

    try:
        return in_one_transaction(attempt)
    except scores.ScoreError as error:
        raise DisputeError(str(error)) from None
    except StaleDataError:
        raise DisputeError(str(scores.STALE_MESSAGE)) from None


def _check_decision(user: User, dispute: Dispute, outcome: str, note: str) -> None:
    if outcome not in ("upheld", "changed"):
        raise DisputeError(_l("Choose whether the score stands or was changed."))
    if not can_resolve(user, dispute):
        raise DisputeError(_l("You may not resolve this dispute."))
    if not (note or "").strip():
        raise DisputeError(_l("Explain the decision to the agent."))


def _edits(score: Score, answers: dict) -> list[int]:
    """Criteria whose value or N/A differs from the stored score (comments alone do not count)."""
    return [
        item.criterion_id
        for item in score.items
        if item.criterion_id in answers and not _same(item, answers[item.criterion_id])
    ]


def _same(item, given) -> bool:
    if given.na or item.na:
        return bool(given.na) == bool(item.na)
    if given.value is None or item.value is None:
        return given.value is None and item.value is None
    return float(given.value) == float(item.value)


def _total_text(total: float | None) -> str:
    return "—" if total is None else f"{total:.1f}"


def _close(user: User, dispute: Dispute, outcome: str, note: str) -> None:
    dispute.status, dispute.resolution = outcome, note.strip()[:4000]
    dispute.resolved_by_id, dispute.resolved_at = user.id, utcnow()
    dispute.total_after = dispute.score.total
    record(
        user,
        "dispute.resolved",
        dispute,
        before={"status": "open", "total": dispute.total_before},
        after={"status": outcome, "total": dispute.total_after},
        reason=dispute.resolution,
    )
    params = {"score": dispute.score_id}
    if outcome == "changed":
        params |= {"old": _total_text(dispute.total_before), "new": _total_text(dispute.total_after)}
    notify(dispute.raised_by_id, f"dispute_resolved_{outcome}", params, link=f"/qa/scores/{dispute.score_id}")
    db.session.flush()


def disputes_query(user: User, *, status: str | None = "open") -> sa.Select:
    stmt = (
        sa.select(Dispute)
        .join(Score, Score.id == Dispute.score_id)
        .options(so.joinedload(Dispute.score).joinedload(Score.agent), so.joinedload(Dispute.raised_by))
        .order_by(Dispute.created_at.desc(), Dispute.id.desc())
    )
    if status:
        stmt = stmt.where(Dispute.status == status)
    if not user.has_any_role("qa", "admin"):
        visible = [user.id] + (
            [m.id for t in user.led_teams for m in t.members] if user.has_role("lead") else []
        )
        stmt = stmt.where(Score.agent_id.in_(visible))
    return stmt


def open_count_for(user: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(disputes_query(user).order_by(None).subquery())
    )


# --- notifications ---------------------------------------------------------------------------------


def notify(user_id: int | None, kind: str, params: dict, link: str | None = None) -> None:
    if user_id:
        db.session.add(Notification(user_id=user_id, kind=kind, params=params, link=link))


def text_of(notification: Notification) -> str:
    kind = notification.kind
    if kind == "dispute_resolved_changed" and "new" in (notification.params or {}):
        kind = "dispute_resolved_changed_totals"  # older notifications carry no totals
    template = NOTIFICATION_TEXT.get(kind)
    return str(template) % notification.params if template is not None else notification.kind


def unread_count(user: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def recent_notifications(user: User, limit: int = 5) -> list[Notification]:
    return list(
        db.session.scalars(
            sa.select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def mark_all_read(user: User) -> None:
    db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.flush()

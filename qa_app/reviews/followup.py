"""Bad-review follow-up (中差评跟进): which reviews open a case, when it is due, who may move it
and how far, and the share of cases resolved on time. Services flush; callers commit."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..accounts.models import Team, User
from ..audit.services import record
from ..dbtypes import utcnow
from ..extensions import db
from .models import FOLLOW_UP_CLOSED, FollowUpCase, Review

#: the shop rule: a middle or bad review is settled within 3 days of the review
FOLLOW_UP_DAYS = 3
#: a rating at or below this is a middle (3) or bad (1-2) review
MIDDLE_RATING = 3
#: the moves a case may make; closing ones need a written result
MOVES = {
    "open": ("contacted", *FOLLOW_UP_CLOSED),
    "contacted": FOLLOW_UP_CLOSED,
}


class FollowUpError(ValueError):
    """The change breaks a follow-up rule; the message is safe to show."""


def needs_follow_up(review: Review) -> bool:
    """A middle or bad rating, or a negative / service-criticism verdict that counts (a verdict
    "to confirm" opens a case only once a person confirmed or corrected it)."""
    if review.rating is not None and review.rating <= MIDDLE_RATING:
        return True
    if review.needs_confirmation:
        return False
    return review.sentiment == "negative" or review.service_polarity == "criticism"


def due_at(review: Review) -> datetime:
    """3 days after the review at the same wall-clock time in the shop's zone (a day with a
    clock change is still one calendar day), in UTC."""
    zone = ZoneInfo(review.shop.timezone)
    local = review.created_at.astimezone(zone).replace(tzinfo=None)
    return (local + timedelta(days=FOLLOW_UP_DAYS)).replace(tzinfo=zone).astimezone(zone)


def open_cases(reviews, now: datetime | None = None) -> list[FollowUpCase]:
    """Open a case for each review that needs one and has none yet (so re-imports and repeated
    confirmations open nothing twice). A review whose follow-up time is over when it arrives
    gets an `expired` case: no alarm, no on-time rate."""
    now = now or utcnow()
    wanted = [review for review in reviews if review.id is not None and needs_follow_up(review)]
    if not wanted:
        return []
    have = set(
        db.session.scalars(
            sa.select(FollowUpCase.review_id).where(FollowUpCase.review_id.in_([r.id for r in wanted]))
        )
    )
    opened = []
    for review in wanted:
        if review.id in have:
            continue
        due = due_at(review)
        case = FollowUpCase(
            review_id=review.id,
            agent_id=review.agent_id,
            status="expired" if due <= now else "open",
            due_at=due,
            opened_at=now,
        )
        db.session.add(case)
        opened.append(case)
    db.session.flush()
    return opened


def follow_agent(review: Review) -> None:
    """A case still being worked goes to the review's new agent (a lead re-attributed it)."""
    case = case_of(review)
    if case is not None and case.status in ("open", "contacted"):
        case.agent_id = review.agent_id


def case_of(review: Review) -> FollowUpCase | None:
    return db.session.scalar(sa.select(FollowUpCase).where(FollowUpCase.review_id == review.id))


def move(
    actor: User, case: FollowUpCase, status: str, result: str | None = None, now: datetime | None = None
) -> None:
    """Move the case to `status` as `actor` did; closing it needs a written result. Audited."""
    if not can_handle(actor, case):
        raise FollowUpError(_l("You may not change this follow-up case."))
    if status not in MOVES.get(case.status, ()):
        raise FollowUpError(_l("A follow-up case cannot move from this status to that one."))
    result = (result or "").strip() or None
    if status in FOLLOW_UP_CLOSED and result is None:
        raise FollowUpError(_l("Write the result of the follow-up to close the case."))
    before = {"status": case.status}
    case.status = status
    if result is not None:
        case.result = result
    if status in FOLLOW_UP_CLOSED:
        case.closed_at = now or utcnow()
    record(actor, "follow_up.status", case, before=before, after={"status": status, "result": result})
    db.session.flush()


# --- who sees what ---------------------------------------------------------------------------


def _team_agent_ids(lead: User) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(User.id).join(Team, User.team_id == Team.id).where(Team.lead_id == lead.id)
        )
    )


def visible_cases(viewer: User) -> sa.Select:
    """An agent their own cases; a lead their teams' agents' cases and the unassigned ones;
    QA and admins all."""
    stmt = sa.select(FollowUpCase)
    if viewer.has_any_role("admin", "qa"):
        return stmt
    if viewer.has_role("lead"):
        ids = [0, viewer.id, *_team_agent_ids(viewer)]  # 0: unassigned
        return stmt.where(sa.func.coalesce(FollowUpCase.agent_id, 0).in_(ids))
    return stmt.where(FollowUpCase.agent_id == viewer.id)


def can_handle(viewer: User, case: FollowUpCase) -> bool:
    if viewer.has_any_role("admin", "qa") or case.agent_id == viewer.id:
        return True
    if viewer.has_role("lead"):
        return case.agent_id is None or case.agent_id in _team_agent_ids(viewer)
    return False


def queue(viewer: User, now: datetime | None = None) -> sa.Select:
    """The viewer's cases still to work, overdue first, then by due time."""
    now = now or utcnow()
    overdue = sa.case((FollowUpCase.due_at < now, 0), else_=1)
    return (
        visible_cases(viewer)
        .where(FollowUpCase.status.in_(("open", "contacted")))
        .order_by(overdue, FollowUpCase.due_at, FollowUpCase.id)
    )


#: the queue's status filters: cases still to work (default), overdue ones, closed, expired, all
FILTERS = ("todo", "overdue", "closed", "expired", "all")


def find_cases(
    viewer: User, status: str = "todo", search: str = "", now: datetime | None = None
) -> sa.Select:
    """The viewer's cases under a status filter and a search in the review's text, order id or
    id; overdue first, then by due time."""
    now = now or utcnow()
    stmt = visible_cases(viewer).join(Review, FollowUpCase.review_id == Review.id)
    working = FollowUpCase.status.in_(("open", "contacted"))
    if status in ("todo", "overdue"):
        stmt = stmt.where(working)
    if status == "overdue":
        stmt = stmt.where(FollowUpCase.due_at < now)
    elif status == "closed":
        stmt = stmt.where(FollowUpCase.status.in_(FOLLOW_UP_CLOSED))
    elif status == "expired":
        stmt = stmt.where(FollowUpCase.status == "expired")
    search = search.strip()[:100]
    if search:
        stmt = stmt.where(
            sa.or_(
                Review.text.contains(search, autoescape=True),
                Review.order_id.contains(search, autoescape=True),
                Review.external_id.contains(search, autoescape=True),
            )
        )
    overdue = sa.case((sa.and_(working, FollowUpCase.due_at < now), 0), else_=1)
    return stmt.order_by(overdue, FollowUpCase.due_at, FollowUpCase.id)


def team_on_time(
    lead: User, start: datetime, end: datetime
) -> tuple[list[tuple[User, float | None, int]], tuple]:
    """Per agent of the lead's teams and for the whole team: the share resolved within 3 days."""
    agents = list(
        db.session.scalars(
            sa.select(User)
            .join(Team, User.team_id == Team.id)
            .where(Team.lead_id == lead.id)
            .order_by(User.display_name)
        )
    )
    rows = [(agent, *on_time_share([agent.id], start, end)) for agent in agents]
    return rows, on_time_share([agent.id for agent in agents], start, end)


# --- reminders and the on-time share ---------------------------------------------------------


def due_for_reminder(now: datetime, ahead: timedelta) -> list[FollowUpCase]:
    """Cases still being worked that fall due within `ahead` and were not reminded yet."""
    stmt = sa.select(FollowUpCase).where(
        FollowUpCase.status.in_(("open", "contacted")),
        FollowUpCase.reminded_at.is_(None),
        FollowUpCase.due_at <= now + ahead,
    )
    return list(db.session.scalars(stmt.order_by(FollowUpCase.due_at)))


def mark_reminded(cases, now: datetime) -> None:
    for case in cases:
        case.reminded_at = now
    db.session.flush()


def on_time_share(
    agent_ids: list[int] | None, start: datetime, end: datetime, now: datetime | None = None
) -> tuple[float | None, int]:
    """Of the cases due in [start, end) (expired ones count nowhere), the share resolved or
    revised by the due time, and how many cases that is; None when there are none. Cases still
    open before their due time are not yet counted."""
    stmt = sa.select(FollowUpCase).where(
        FollowUpCase.status != "expired", FollowUpCase.due_at >= start, FollowUpCase.due_at < end
    )
    if agent_ids is not None:
        stmt = stmt.where(FollowUpCase.agent_id.in_(agent_ids))
    now = now or utcnow()
    counted = on_time = 0
    for case in db.session.scalars(stmt):
        if case.closed_at is None and case.due_at > now:
            continue  # still being worked, with time left
        counted += 1
        settled = case.status in ("resolved", "revised")
        on_time += settled and case.closed_at is not None and case.closed_at <= case.due_at
    return (on_time / counted if counted else None), counted

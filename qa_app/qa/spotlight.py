"""Spotlight: how worth reviewing a chat is, from evidence already stored, and why.

Worthiness (a sum of weights, computed in SQL so that ranking stays one bounded query):
  negative ending (its check failed)                     3
  a bad or middling review of its order (confirmed one:  3
    rating <= 3, or classified negative / criticism)
  a long first wait (first reply after QA_LONG_WAIT_SECONDS)  2
  each other failed automatic check                      1
  transferred between agents                             1
  unusually long (>= twice the shop's mean message count over the plan's period)  1
A chat with worthiness 0 is never a spotlight pick. Within an (agent, week) stratum the chats
are ranked by worthiness, then by id (deterministic: the same data gives the same ranking).

New hires (hired fewer than QA_NEW_HIRE_DAYS days before the week of the stratum) are not
ranked higher (inside a stratum all chats share the agent); their stratum's quota is multiplied
by QA_NEW_HIRE_RATE instead, so every chat of a new hire is likelier to be drawn while the draw
inside the stratum stays uniform. Their picks carry the reason "agent hired N days ago".
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..accounts.models import User
from ..chats.models import Chat, CheckResult
from ..extensions import db
from ..reviews.models import Review

WEIGHTS = {
    "negative_ending": 3,
    "review": 3,
    "first_reply": 2,
    "failed_checks": 1,
    "transferred": 1,
    "long_chat": 1,
}


def chat_time():
    """When a chat happened for sampling: its start, or its import for exports without times."""
    return sa.func.coalesce(Chat.started_at, Chat.imported_at)


def typical_lengths(start: datetime, end: datetime) -> dict[int, float]:
    """Mean message count per shop over the period (one grouped query)."""
    rows = db.session.execute(
        sa.select(Chat.shop_id, sa.func.avg(Chat.message_count))
        .where(Chat.started_at >= start, Chat.started_at < end)
        .group_by(Chat.shop_id)
    )
    return {shop_id: float(mean or 0) for shop_id, mean in rows}


def _bad_review_rating():
    """The lowest rating among the confirmed bad reviews of the chat's order; 0 for a bad
    review without a rating (classified only); NULL when there is none."""
    return (
        sa.select(sa.func.min(sa.func.coalesce(Review.rating, 0)))
        .where(
            Review.shop_id == Chat.shop_id,
            Review.order_id == Chat.order_id,
            Review.needs_confirmation.is_(False),
            sa.or_(
                Review.rating <= 3, Review.sentiment == "negative", Review.service_polarity == "criticism"
            ),
        )
        .correlate(Chat)
        .scalar_subquery()
    )


def evidence_columns(typical: dict[int, float]) -> list:
    """Labelled SQL columns: the evidence per chat and its worthiness."""
    negative_end = sa.exists().where(
        CheckResult.chat_id == Chat.id, CheckResult.check == "negative_ending", CheckResult.result == "fail"
    )
    review = _bad_review_rating()
    long_wait = Chat.first_response_seconds >= current_app.config["QA_LONG_WAIT_SECONDS"]
    if typical:
        mean = sa.case(*((Chat.shop_id == shop, value) for shop, value in typical.items()), else_=None)
        long_chat = sa.and_(Chat.message_count >= 2 * mean, Chat.message_count > 0)
    else:
        long_chat = sa.false()
    flag = lambda cond: sa.case((cond, 1), else_=0)  # noqa: E731
    # a failed negative-ending check is counted in failed_checks: the lookup only runs for those
    neg = flag(sa.and_(Chat.failed_checks > 0, negative_end))
    other_failed = Chat.failed_checks - neg
    worth = (
        WEIGHTS["negative_ending"] * neg
        + WEIGHTS["review"] * flag(review.is_not(None))
        + WEIGHTS["first_reply"] * flag(long_wait)
        + WEIGHTS["failed_checks"] * other_failed
        + WEIGHTS["transferred"] * flag(Chat.transferred.is_(True))
        + WEIGHTS["long_chat"] * flag(long_chat)
    )
    return [
        neg.label("negative_ending"),
        review.label("review"),
        Chat.first_response_seconds.label("first_reply"),
        flag(long_wait).label("long_wait"),
        other_failed.label("failed_checks"),
        flag(Chat.transferred.is_(True)).label("transferred"),
        Chat.message_count.label("messages"),
        flag(long_chat).label("long_chat"),
        worth.label("worth"),
    ]


def ranked(candidates: sa.Select, week, typical: dict[int, float], limit: int) -> dict:
    """The `limit` most worthy chats (worthiness > 0) per (agent, week), best first, with their
    reasons: {(agent, week): [(chat_id, reasons), ...]}. One query: the ranking is a window
    function, so at most limit × strata rows leave the database."""
    if limit <= 0:
        return {}
    columns = evidence_columns(typical)
    inner = candidates.with_only_columns(
        Chat.id.label("chat_id"), Chat.agent_id.label("agent_id"), week.label("week"), *columns
    ).subquery()
    position = sa.func.row_number().over(
        partition_by=(inner.c.agent_id, inner.c.week), order_by=(inner.c.worth.desc(), inner.c.chat_id)
    )
    numbered = sa.select(inner, position.label("position")).where(inner.c.worth > 0).subquery()
    rows = db.session.execute(
        sa.select(numbered)
        .where(numbered.c.position <= limit)
        .order_by(numbered.c.agent_id, numbered.c.week, numbered.c.position)
    )
    result: dict = {}
    for row in rows:
        result.setdefault((row.agent_id, row.week), []).append((row.chat_id, reasons_of(row._mapping)))
    return result


def reasons_of(evidence) -> list[list]:
    """[[code, value], ...] from one evidence row, strongest first."""
    reasons = []
    if evidence["negative_ending"]:
        reasons.append(["negative_ending", None])
    if evidence["review"] is not None:
        reasons.append(["review", int(evidence["review"])])
    if evidence["long_wait"]:
        reasons.append(["first_reply", int(evidence["first_reply"] or 0)])
    if evidence["failed_checks"]:
        reasons.append(["failed_checks", int(evidence["failed_checks"])])
    if evidence["transferred"]:
        reasons.append(["transferred", None])
    if evidence["long_chat"]:
        reasons.append(["long_chat", int(evidence["messages"])])
    return reasons


def new_hires(agent_ids) -> dict[int, date]:
    """Hire dates of the agents that have one."""
    ids = list(agent_ids)
    if not ids:
        return {}
    return {
        uid: hired.date()
        for uid, hired in db.session.execute(
            sa.select(User.id, User.hired_at).where(User.id.in_(ids), User.hired_at.is_not(None))
        )
    }


def days_hired(hired: date | None, week: str) -> int | None:
    """Days from hiring to the Monday of the ISO week, when within the new-hire period."""
    if hired is None:
        return None
    year, number = week.split("-W")
    monday = date.fromisocalendar(int(year), int(number), 1)
    days = max(0, (monday - hired).days)
    return days if days < current_app.config["QA_NEW_HIRE_DAYS"] and hired <= monday + _WEEK else None


_WEEK = date(2026, 1, 8) - date(2026, 1, 1)


def describe(code: str, value) -> str:
    """One reason, localised, with its evidence value."""
    if code == "negative_ending":
        return _("negative ending")
    if code == "review":
        return _("%(n)s★ review", n=value) if value else _("negative review")
    if code == "first_reply":
        return _("first reply after %(n)s min", n=round((value or 0) / 60))
    if code == "failed_checks":
        return _("failed checks: %(n)s", n=value)
    if code == "transferred":
        return _("transferred")
    if code == "long_chat":
        return _("long chat (%(n)s messages)", n=value)
    if code == "new_hire":
        return _("agent hired %(n)s days ago", n=value)
    return code
